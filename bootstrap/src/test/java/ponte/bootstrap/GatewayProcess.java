package ponte.bootstrap;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged gateway as users run it: {@code java --module-path bootstrap/target/modules -m ...} in a process of
 * its own, with the embedded PostgreSQL in its data folder. Only failsafe tests use it (after {@code package}).
 */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final int port;

    private GatewayProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    public static GatewayProcess start(Path dataDir, Map<String, String> env) throws IOException {
        return start(dataDir, env, false);
    }

    /**
     * {@code ./ponte sandbox}: a standalone sandbox in {@code dataDir}, its routes on a free port ({@link #http()});
     * gateways dial it with {@code PONTE_SANDBOX_URL=} {@link Http#base()}.
     */
    public static GatewayProcess startSandbox(Path dataDir, Map<String, String> env) throws IOException {
        return start(dataDir, env, true);
    }

    /**
     * A gateway from another build: the module path {@code modules} instead of this build's (a rolling upgrade
     * starts the new build beside the old one).
     */
    public static GatewayProcess startBuild(Path modules, Path dataDir, Map<String, String> env) throws IOException {
        return start(modules.toString(), dataDir, env, false);
    }

    /** This build's module path ({@code bootstrap/target/modules}, set by failsafe). */
    public static Path modules() {
        return Path.of(System.getProperty("ponte.modules"));
    }

    private static GatewayProcess start(Path dataDir, Map<String, String> env, boolean sandbox) throws IOException {
        return start(System.getProperty("ponte.modules"), dataDir, env, sandbox);
    }

    private static GatewayProcess start(String modules, Path dataDir, Map<String, String> env, boolean sandbox)
            throws IOException {
        var java = System.getProperty("ponte.java");
        if (modules == null || java == null) {
            throw new IllegalStateException("run through failsafe: it sets ponte.modules and ponte.java");
        }
        int port = freePort();
        var output = Files.createTempFile("ponte-gateway", ".log");
        var command = new java.util.ArrayList<>(List.of(java, "--module-path", modules, "-m",
                "ponte.bootstrap/ponte.bootstrap.Main"));
        if (sandbox) {
            command.add("sandbox");
        }
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        var variables = new HashMap<String, String>();
        variables.put(sandbox ? "PONTE_SANDBOX_DATA_DIR" : "PONTE_DATA_DIR", dataDir.toString());
        variables.put("PONTE_HOST", "127.0.0.1");
        variables.put(sandbox ? "PONTE_SANDBOX_PORT" : "PONTE_PORT", Integer.toString(port));
        if (sandbox) {
            variables.put("PONTE_SANDBOX_CHAT_PORT", "0");
        } else {
            variables.put("PONTE_EGRESS_ALLOW_PRIVATE", "true"); // the tests' webhook receivers are on loopback
        }
        variables.putAll(env);
        builder.environment().keySet().removeIf(name -> name.startsWith("PONTE_"));
        builder.environment().putAll(variables);
        return new GatewayProcess(builder.start(), output, port);
    }

    /** Waits for {@code /healthz}; returns how long the start took. */
    public Duration awaitHealthy(Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        var http = http();
        while (System.nanoTime() - started < limit.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (http.get("/healthz", null).status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (java.io.UncheckedIOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no /healthz within " + limit + ":\n" + output());
    }

    public Http http() {
        return new Http("http://127.0.0.1:" + port);
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the shutdown hook stops the server and the embedded PostgreSQL. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    /** Waits up to {@code limit} for the process to end by itself; its exit code, or -1 when it still runs. */
    public int awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The exit code once the process has ended by itself. */
    public int stopIfExited() {
        if (process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** Stops a PostgreSQL a killed gateway left running in this data folder, so tests leave nothing behind. */
    public static void stopOrphanedPostgres(Path dataDir) throws IOException {
        var pidFile = dataDir.resolve("postgres/postmaster.pid");
        if (Files.exists(pidFile)) {
            var pid = Files.readAllLines(pidFile).getFirst().strip();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
        }
    }

    /**
     * SIGKILLs the PostgreSQL a killed gateway left running in this data folder, its backends with it, as a power
     * cut would; nothing when there is none (the gateway died before its database was up).
     */
    public static void killOrphanedPostgres(Path dataDir) throws Exception {
        var pidFile = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        var postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()));
        if (postmaster.isEmpty()) {
            return;
        }
        var backends = postmaster.get().descendants().toList();
        postmaster.get().destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        postmaster.get().onExit().get();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
