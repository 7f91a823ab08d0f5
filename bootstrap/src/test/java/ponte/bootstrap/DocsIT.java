package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs, run as a reader runs them: the shell commands of {@code docs/*.md}, page after page in {@link #PAGES}'
 * order, from a fresh clone, against the gateway started the way the pages start it ({@code ./ponte serve}).
 *
 * <p><b>What runs</b> (the markup the pages follow):
 * <ul>
 *   <li>A {@code ```sh} block holds commands the reader types into their shell. They run in order in one bash
 *       session for the whole run, so what a page assigns ({@code ADMIN=$(...)}) is there on the next page, as in
 *       the reader's terminal. A command is the shortest run of lines bash parses as complete (a trailing
 *       {@code \} or an open quote continues it).</li>
 *   <li>A {@code ```sh gateway} block is the command that starts the gateway in a terminal of its own. The test
 *       stops the gateway that runs, if any (SIGTERM: the shutdown Ctrl-C triggers), starts this command and
 *       waits for {@code /healthz}.</li>
 *   <li>A {@code ```sh skip} block is shown, never run: only for commands that need a service of the reader's own
 *       (their Chatwoot, their S3 bucket) or that run until stopped ({@code curl -N}).</li>
 *   <li>Every other block ({@code ```json}, {@code ```text}, {@code ```python}, {@code ```js}, a bare fence) is
 *       never run.</li>
 * </ul>
 *
 * <p><b>What is checked.</b> Every command exits with 0 and prints no {@code "success":false}; a command that
 * assigns {@code NAME=...} leaves {@code $NAME} neither empty nor {@code null}. Where the page shows the answer —
 * comment lines right below a command, or a {@code ```json} block right after the {@code ```sh} block (only blank
 * lines between; it is matched against the outputs of the whole block) — its essentials must match: every
 * {@code "key": value} it shows must be found in the answer with that value, except values that differ on every
 * run (ids, tokens, timestamps, QR codes: their keys must merely be there), and a string ending in {@code ...}
 * matches as a prefix. An answer shown with {@code "success":false} is expected to fail.
 *
 * <p><b>Where.</b> A scratch folder stands for the fresh clone: the {@code ./ponte} script and a link to the packaged
 * module path (so {@code ./ponte serve} starts at once instead of building); its {@code ./data} starts empty. The
 * only rewrite: the ports the pages use (8080 the gateway, 8081 the sandbox, 9000 the example receiver) become free
 * ports in commands and answers, and {@code PONTE_PORT}/{@code PONTE_SANDBOX_PORT} carry them to the gateway, because
 * the machine running the tests may be running gateways of its own.
 *
 * <p><b>Tolerance.</b> A read (a {@code curl} without {@code -X} or {@code -d}) whose answer does not match yet is
 * repeated for up to 30 s, so that the run goes on and shows every such read; but a reader runs each command once, so
 * the page must wait where the answer comes later (a poll written in the page, or a route that waits): any read that
 * needed a second look fails the test at the end, named.
 */
class DocsIT {
    /** The reader's path: start, link in the sandbox, configure, events, then messaging. */
    static final List<String> PAGES = List.of("getting-started.md", "sandbox.md", "configuration-blocks.md",
            "webhooks.md", "messaging.md", "chats.md", "groups.md", "calls-and-presence.md", "media.md");
    /** Pages whose shell blocks are not a reader's walkthrough. */
    static final Map<String, String> NOT_WALKTHROUGHS = Map.of(
            "benchmarks.md", "runs the benchmarks through Maven (minutes of load), not commands against a gateway",
            "security-testing.md", "runs the long schema fuzzing through Maven (minutes), not commands against a "
                    + "gateway",
            "scale-out.md", "starts a PostgreSQL, a sandbox and several gateways side by side; ScaleOutIT runs that "
                    + "setup with the packaged gateway",
            "chatwoot.md", "needs the reader's own Chatwoot installation; ChatwootSyncEndToEndTest runs the "
                    + "integration against a Chatwoot stand-in",
            "operations.md", "stops the gateway to archive its data folder, or needs the reader's own PostgreSQL; "
                    + "BackupRestoreIT runs the archive and restore, CrashTrialsIT the crash trials");

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*(.*)$");
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z_][A-Z0-9_]*)=");
    private static final Pattern PAIR = Pattern.compile(
            "\"([A-Za-z_][\\w-]*)\"\\s*:\\s*(null|true|false|-?\\d+(?:\\.\\d+)?|\"((?:[^\"\\\\]|\\\\.)*)\")?");
    private static final Set<String> VARYING = Set.of("id", "token", "secret", "lid", "jid", "raw", "image",
            "pairing_code", "root_public_key", "request_id", "timestamp", "delivery_id", "duration_ms");
    /** Values made fresh on every run: times, UUIDs, tokens and secrets. */
    private static final Pattern VARYING_VALUE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT.*|[0-9a-f]{8}-[0-9a-f]{4}-.*|(pta|ptk|pti|whsec)_.*)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path clone;

    @TempDir
    Path work;

    @Test
    void everyPageRunsAsWrittenOneAfterTheOther() throws Exception {
        requireTools("bash", "setsid", "curl", "jq", "python3");
        var root = Path.of(System.getProperty("ponte.modules")).getParent().getParent().getParent();
        var docs = root.resolve("docs");
        assertThat(pagesWithShellBlocks(docs)).as("every page with shell commands is run, or says why not")
                .containsExactlyInAnyOrderElementsOf(Stream.concat(PAGES.stream(),
                        NOT_WALKTHROUGHS.keySet().stream()).toList());

        Files.copy(root.resolve("ponte"), clone.resolve("ponte"));
        Files.createDirectories(clone.resolve("bootstrap/target"));
        Files.createSymbolicLink(clone.resolve("bootstrap/target/modules"), Path.of(System.getProperty("ponte.modules")));
        var ports = Map.of("8080", freePort(), "8081", freePort(), "9000", freePort());

        var secondLooks = new java.util.ArrayList<String>();
        try (var reader = new Shell(clone, work); var terminal = new GatewayTerminal(clone, work, ports)) {
            for (var page : PAGES) {
                Step.Command lastPrinted = null;
                String lastOutput = "";
                for (var step : steps(page, Files.readString(docs.resolve(page)), ports)) {
                    switch (step) {
                        case Step.Gateway gateway -> terminal.start(gateway);
                        case Step.Command command -> {
                            var output = run(reader, terminal, command, secondLooks);
                            if (!output.isBlank()) {
                                lastPrinted = command;
                                lastOutput = output;
                            }
                        }
                        case Step.Answer answer -> {
                            assertThat(lastPrinted).as(answer.where() + ": an answer shown after no output").isNotNull();
                            var missing = missingEssentials(answer.expected(), jsonValues(lastOutput));
                            if (!missing.isEmpty() && lastPrinted.isRead()) {
                                secondLooks.add(lastPrinted.where());
                                lastOutput = run(reader, terminal, lastPrinted.expecting(answer.expected()),
                                        secondLooks);
                            } else if (!missing.isEmpty()) {
                                throw new AssertionError(answer.where() + ": the answer of " + lastPrinted.where()
                                        + " lacks what the page shows: " + missing + "\n" + lastOutput);
                            }
                        }
                    }
                }
            }
        }
        assertThat(secondLooks).as("reads whose answer a reader running the page once does not see yet: the page "
                + "must wait for it (a poll, as docs/messaging.md §3 does)").isEmpty();
    }

    /**
     * Runs a command until it succeeds (a read: for up to 30 s, noting in {@code secondLooks} that it needed more
     * than one); returns its output.
     */
    private static String run(Shell reader, GatewayTerminal terminal, Step.Command command, List<String> secondLooks)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean first = true;
        while (true) {
            var result = reader.run(command.text());
            var problem = problem(reader, command, result);
            if (problem.isEmpty()) {
                return result.output();
            }
            if (first && command.isRead()) {
                secondLooks.add(command.where() + " (" + problem.get() + ")");
            }
            first = false;
            if (!command.isRead() || System.nanoTime() > deadline) {
                throw new AssertionError(command.where() + ": " + problem.get() + "\n$ " + command.text()
                        + "\n" + result.output() + "\n--- gateway output (last 40 lines) ---\n" + terminal.tail(40));
            }
            Thread.sleep(1000);
        }
    }

    private static Optional<String> problem(Shell reader, Step.Command command, Shell.Result result) throws Exception {
        if (result.exitCode() != 0) {
            return Optional.of("exit code " + result.exitCode());
        }
        var answers = jsonValues(result.output());
        boolean failureExpected = command.expected().contains("\"success\":false")
                || command.expected().contains("\"success\": false");
        if (!failureExpected && answers.stream().anyMatch(a -> a.path("success").isBoolean()
                && !a.path("success").asBoolean())) {
            return Optional.of("the answer says success:false");
        }
        var assignment = ASSIGNMENT.matcher(command.text());
        if (assignment.find()) {
            var value = reader.run("printf '%s' \"$" + assignment.group(1) + "\"").output();
            if (value.isEmpty() || value.equals("null")) {
                return Optional.of("$" + assignment.group(1) + " is '" + value + "'");
            }
        }
        var missing = missingEssentials(command.expected(), answers);
        return missing.isEmpty() ? Optional.empty() : Optional.of("the answer lacks what the page shows: " + missing);
    }

    /** The "key": value pairs the page shows that no answer has. */
    static List<String> missingEssentials(String expected, List<JsonNode> answers) {
        var missing = new ArrayList<String>();
        Matcher pair = PAIR.matcher(expected);
        while (pair.find()) {
            var key = pair.group(1);
            var literal = pair.group(2);
            String text = pair.group(3);
            boolean keyOnly = literal == null || VARYING.contains(key) || key.endsWith("_id") || key.endsWith("_at")
                    || (text != null && (text.contains("...") || text.contains("…")) && !isPrefix(text))
                    || (text != null && VARYING_VALUE.matcher(text).matches());
            var found = answers.stream().flatMap(answer -> answer.findValues(key).stream()).toList();
            boolean matches;
            if (keyOnly) {
                matches = !found.isEmpty();
            } else if (text != null) {
                var wanted = unescape(text);
                matches = found.stream().anyMatch(value -> value.isTextual() && (isPrefix(wanted)
                        ? value.asText().startsWith(stripEllipsis(wanted)) : value.asText().equals(wanted)));
            } else {
                matches = found.stream().anyMatch(value -> value.isValueNode() && value.toString().equals(literal));
            }
            if (!matches) {
                missing.add("\"" + key + "\"" + (keyOnly ? "" : ": " + literal));
            }
        }
        return missing;
    }

    private static boolean isPrefix(String text) {
        var stripped = stripEllipsis(text);
        return !stripped.equals(text) && !stripped.contains("...") && !stripped.contains("…") && stripped.contains(" ");
    }

    private static String stripEllipsis(String text) {
        return text.replaceAll("\\s*(\\.\\.\\.|…)$", "");
    }

    private static String unescape(String text) {
        try {
            return JSON.readValue("\"" + text + "\"", String.class);
        } catch (IOException e) {
            return text;
        }
    }

    /** Every JSON document in a command's output (curl prints them without a newline between). */
    static List<JsonNode> jsonValues(String output) {
        var values = new ArrayList<JsonNode>();
        for (var line : output.split("\n")) {
            var trimmed = line.strip();
            if (!trimmed.startsWith("{")) {
                continue;
            }
            try (var iterator = JSON.readerFor(JsonNode.class).<JsonNode>readValues(trimmed)) {
                while (iterator.hasNext()) {
                    values.add(iterator.next());
                }
            } catch (IOException | RuntimeException notJson) {
                // a line that only looks like JSON: nothing to compare
            }
        }
        return values;
    }

    /**
     * What a page asks the reader to do, in order: start a gateway, type a command, or compare the answer it shows
     * (a {@code ```json} block) with what the last command that printed something printed (a read that does not
     * match yet runs again, as in {@link DocsIT}'s tolerance).
     */
    sealed interface Step {
        record Gateway(String where, String command) implements Step {}

        record Answer(String where, String expected) implements Step {}

        record Command(String where, String text, String expected) implements Step {
            boolean isRead() {
                return text.contains("curl ") && !text.contains(" -X ") && !text.contains(" -d ");
            }

            Command expecting(String more) {
                return new Command(where, text, expected + "\n" + more);
            }
        }
    }

    static List<Step> steps(String page, String markdown, Map<String, Integer> ports) throws Exception {
        var steps = new ArrayList<Step>();
        var lines = markdown.split("\n", -1);
        int lastShellEnd = -2;
        for (int i = 0; i < lines.length; i++) {
            var fence = FENCE.matcher(lines[i]);
            if (!fence.matches()) {
                continue;
            }
            int start = i;
            var body = new ArrayList<String>();
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
                body.add(withPorts(lines[i], ports));
            }
            var language = fence.group(1);
            var marker = fence.group(2).strip();
            boolean follows = lastShellEnd >= 0 && java.util.Arrays.stream(lines, lastShellEnd + 1, start)
                    .allMatch(String::isBlank);
            if (language.equals("json") && follows) {
                steps.add(new Step.Answer(page + ":" + (start + 1), String.join("\n", body)));
                lastShellEnd = -2;
                continue;
            }
            if (!language.equals("sh") || marker.equals("skip")) {
                lastShellEnd = -2;
                continue;
            }
            var where = page + ":" + (start + 1);
            if (marker.equals("gateway")) {
                steps.add(new Step.Gateway(where, String.join("\n", body).strip()));
                lastShellEnd = -2;
                continue;
            }
            assertThat(marker).as(where + ": a shell block is sh, sh gateway or sh skip").isEmpty();
            steps.addAll(commands(page, start + 2, body));
            lastShellEnd = i;
        }
        return steps;
    }

    /** Splits a block into commands, each with the comment lines right below it as what it shows. */
    private static List<Step.Command> commands(String page, int firstLine, List<String> body) throws Exception {
        var commands = new ArrayList<Step.Command>();
        var pending = new StringBuilder();
        int startLine = 0;
        for (int n = 0; n < body.size(); n++) {
            var line = body.get(n);
            if (pending.isEmpty()) {
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().startsWith("#")) {
                    if (!commands.isEmpty()) {
                        commands.set(commands.size() - 1,
                                commands.getLast().expecting(line.strip().substring(1)));
                    }
                    continue;
                }
                startLine = firstLine + n;
            }
            pending.append(line).append('\n');
            if (!line.endsWith("\\") && parses(pending.toString())) {
                commands.add(new Step.Command(page + ":" + startLine, pending.toString().strip(), ""));
                pending.setLength(0);
            }
        }
        assertThat(pending.toString()).as(page + ":" + startLine + ": an unfinished command").isEmpty();
        return commands;
    }

    private static boolean parses(String text) throws Exception {
        var check = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        try (var in = check.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        check.getInputStream().readAllBytes();
        return check.waitFor() == 0;
    }

    private static String withPorts(String line, Map<String, Integer> ports) {
        var result = line;
        for (var port : ports.entrySet()) {
            result = result.replaceAll("\\b" + port.getKey() + "\\b", Integer.toString(port.getValue()));
        }
        return result;
    }

    private static Set<String> pagesWithShellBlocks(Path docs) throws IOException {
        var pages = new TreeSet<String>();
        try (var files = Files.list(docs)) {
            for (var file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                if (Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("```sh"))) {
                    pages.add(file.getFileName().toString());
                }
            }
        }
        return pages;
    }

    private static void requireTools(String... tools) throws Exception {
        var missing = new ArrayList<String>();
        for (var tool : tools) {
            if (new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() != 0) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("the docs need " + missing + " (.ci/run installs them); under CI=true they run");
        }
        Assumptions.assumeTrue(missing.isEmpty(), "the docs need " + missing);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The environment a reader's terminal has: the test's own PONTE_* settings removed. */
    private static Map<String, String> readerEnvironment() {
        var env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("PONTE_"));
        return env;
    }

    /** The reader's terminal: one bash that keeps its variables and background jobs from command to command. */
    static final class Shell implements AutoCloseable {
        record Result(int exitCode, String output) {}

        private final Process bash;
        private final Writer input;
        private final Path work;
        private int count;

        Shell(Path cwd, Path work) throws IOException {
            this.work = work;
            var builder = new ProcessBuilder("bash", "--noprofile", "--norc").directory(cwd.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("shell.log").toFile());
            builder.environment().clear();
            builder.environment().putAll(readerEnvironment());
            bash = builder.start();
            input = new OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        }

        Result run(String command) throws Exception {
            int n = ++count;
            var script = work.resolve("command-" + n + ".sh");
            var output = work.resolve("output-" + n);
            var exit = work.resolve("exit-" + n);
            Files.writeString(script, command + "\n");
            input.write(". '" + script + "' < /dev/null > '" + output + "' 2>&1; echo $? > '" + exit + ".part'; mv '"
                    + exit + ".part' '" + exit + "'\n");
            input.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(exit)) {
                if (!bash.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no end of: " + command + "\n" + read(output));
                }
                Thread.sleep(50);
            }
            return new Result(Integer.parseInt(Files.readString(exit).strip()), read(output));
        }

        private static String read(Path file) throws IOException {
            return Files.exists(file) ? Files.readString(file) : "";
        }

        @Override
        public void close() throws Exception {
            bash.descendants().forEach(ProcessHandle::destroy);
            bash.destroy();
            bash.waitFor(30, TimeUnit.SECONDS);
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The reader's other terminal: the gateway, started by a page's {@code sh gateway} command. */
    static final class GatewayTerminal implements AutoCloseable {
        private final Path cwd;
        private final Path log;
        private final Map<String, Integer> ports;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private Process running;

        GatewayTerminal(Path cwd, Path work, Map<String, Integer> ports) {
            this.cwd = cwd;
            this.log = work.resolve("gateway.log");
            this.ports = ports;
        }

        void start(Step.Gateway gateway) throws Exception {
            stop();
            // a process group of its own, as a terminal's foreground job has: Ctrl-C signals the whole group
            var builder = new ProcessBuilder("setsid", "bash", "-c", gateway.command()).directory(cwd.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().clear();
            builder.environment().putAll(readerEnvironment());
            builder.environment().put("PONTE_PORT", Integer.toString(ports.get("8080")));
            builder.environment().put("PONTE_SANDBOX_PORT", Integer.toString(ports.get("8081")));
            running = builder.start();
            var healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("8080") + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                if (!running.isAlive()) {
                    throw new AssertionError(gateway.where() + ": the gateway exited with " + running.exitValue()
                            + "\n" + tail(60));
                }
                try {
                    if (http.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new AssertionError(gateway.where() + ": no /healthz within 180 s\n" + tail(60));
        }

        /**
         * What Ctrl-C does: a signal to the terminal's foreground process group. SIGTERM rather than SIGINT, which a
         * process started in the background inherits as ignored; the JVM runs the same shutdown on both. Like the
         * reader's shell, it waits for every process of the job: in {@code ./ponte serve | tee ponte.log} bash dies
         * at once while the gateway still shuts down (and holds its data folder).
         */
        void stop() throws Exception {
            if (running == null) {
                return;
            }
            var job = Stream.concat(Stream.of(running.toHandle()), running.descendants()).toList();
            new ProcessBuilder("kill", "-TERM", "--", "-" + running.pid()).inheritIO().start().waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (var process : job) {
                try {
                    process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    job.forEach(ProcessHandle::destroyForcibly);
                    throw new AssertionError("the gateway did not stop within 90 s\n" + tail(40));
                }
            }
            running = null;
        }

        String tail(int lines) throws IOException {
            if (!Files.exists(log)) {
                return "";
            }
            var all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        @Override
        public void close() throws Exception {
            stop();
        }
    }
}
