package ponte.adapters.whatsapp.socket;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Real proxies for tests: Debian's tinyproxy (HTTP CONNECT with basic auth) and dante (SOCKS5 with username and
 * password checked against the system's password file). {@code .ci/run} installs both and creates the proxy user;
 * elsewhere the tests that need them are skipped, and under {@code CI=true} they fail rather than skip.
 *
 * <p>Each proxy writes its own log of the requests it relays ({@link Running#awaitLog}), so a test can prove its
 * traffic went through the proxy rather than around it: tinyproxy logs {@code Request (...): CONNECT host:port} and
 * {@code Established connection}, dante {@code pass(1): tcp/connect [: username%user@client ... -> ... host.port}.
 * {@link #tinyproxyRelayed} and {@link #danteRelayed} are those lines as patterns.
 */
public final class LocalProxies {
    public static final String USER = "ponteproxy";
    public static final String PASSWORD = "ponte-proxy-secret";

    private LocalProxies() {}

    /** Why these proxies cannot run here, or empty when they can. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(Path.of("/usr/bin/tinyproxy"))) {
            return Optional.of("tinyproxy is not installed (apt-get install tinyproxy)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/danted"))) {
            return Optional.of("dante is not installed (apt-get install dante-server)");
        }
        try {
            if (!Files.readString(Path.of("/etc/passwd")).contains("\n" + USER + ":")
                    && !Files.readString(Path.of("/etc/passwd")).startsWith(USER + ":")) {
                return Optional.of("the system user " + USER + " for dante's username check does not exist "
                        + "(.ci/run creates it)");
            }
        } catch (IOException e) {
            return Optional.of("cannot read /etc/passwd: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Skips the calling test when the proxies cannot run here, and fails it instead under {@code CI=true}, where a
     * skipped proxy test would hide that proxies went untested.
     */
    public static void assumeAvailable() {
        var missing = unavailable();
        if (missing.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("proxy tests need Debian's tinyproxy and dante under CI: " + missing.get());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse(""));
    }

    /** A tinyproxy log line saying a client asked for a tunnel to {@code 127.0.0.1:port}. */
    public static String tinyproxyRequested(int port) {
        return "Request \\(file descriptor \\d+\\): CONNECT 127\\.0\\.0\\.1:" + port + " HTTP";
    }

    /** A tinyproxy log line saying it opened the tunnel it was asked for (after the credentials passed). */
    public static String tinyproxyRelayed() {
        return "Established connection to host \"127\\.0\\.0\\.1\"";
    }

    /** A dante log line saying it relayed {@link #USER}'s connection to {@code 127.0.0.1:port}. */
    public static String danteRelayed(int port) {
        return "pass\\(\\d+\\): tcp/connect \\[: username%" + USER + "@\\S+ \\S+ -> \\S+ 127\\.0\\.0\\.1\\." + port + "$";
    }

    public static Running tinyproxy(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        var config = dir.resolve("tinyproxy.conf");
        Files.writeString(config, String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "Timeout 60", "MaxClients 20", "Allow 127.0.0.1",
                "BasicAuth " + USER + " " + PASSWORD, "LogLevel Connect",
                "LogFile \"" + dir.resolve("tinyproxy.log") + "\"", ""));
        return start(List.of("/usr/bin/tinyproxy", "-d", "-c", config.toString()), port, dir.resolve("tinyproxy.out"),
                dir.resolve("tinyproxy.log"));
    }

    public static Running dante(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        var config = dir.resolve("danted.conf");
        Files.writeString(config, String.join("\n",
                "logoutput: " + dir.resolve("danted.log"), "internal: 127.0.0.1 port = " + port,
                "external: 127.0.0.1", "socksmethod: username", "clientmethod: none", "user.privileged: root",
                "user.unprivileged: nobody",
                "client pass {", "  from: 127.0.0.0/8 to: 0.0.0.0/0", "  log: error", "}",
                "socks pass {", "  from: 127.0.0.0/8 to: 0.0.0.0/0", "  command: connect",
                "  log: connect error", "}", ""));
        return start(List.of("/usr/sbin/danted", "-f", config.toString(), "-N", "1"), port, dir.resolve("danted.out"),
                dir.resolve("danted.log"));
    }

    private static Running start(List<String> command, int port, Path output, Path log)
            throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        for (int i = 0; i < 100; i++) {
            try {
                new Socket("127.0.0.1", port).close(); // a bare connection: the proxies log no request for it
                return new Running(process, port, log);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(command.getFirst() + " exited: " + Files.readString(output)
                            + read(log));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(command.getFirst() + " did not listen on " + port + ": "
                + Files.readString(output) + read(log));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A running proxy: its process, the port it listens on and the log file it writes its requests to. */
    public record Running(Process process, int port, Path logFile) implements AutoCloseable {

        /**
         * The first line of the proxy's log in which {@code regex} is found, waiting up to {@code wait} for it (a
         * proxy writes its log as it goes, a little after the bytes flowed); fails with the whole log otherwise.
         */
        public String awaitLog(Duration wait, String regex) throws IOException, InterruptedException {
            Pattern pattern = Pattern.compile(regex);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                String text = read(logFile);
                Optional<String> line = text.lines().filter(l -> pattern.matcher(l).find()).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no line of " + logFile.getFileName() + " matches " + regex + ":\n" + text);
                }
                Thread.sleep(50);
            }
        }

        /** The proxy's log as it stands. */
        public String log() throws IOException {
            return read(logFile);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
