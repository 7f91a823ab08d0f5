package ponte.adapters.whatsapp.socket;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Real proxies for tests: Debian's tinyproxy (HTTP CONNECT with basic auth) and dante (SOCKS5 with username and
 * password checked against the system's password file). {@code .ci/run} installs both and creates the proxy user;
 * elsewhere the tests that need them are skipped, and under {@code CI=true} they fail rather than skip.
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

    public static Running tinyproxy(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        var config = dir.resolve("tinyproxy.conf");
        Files.writeString(config, String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "Timeout 60", "MaxClients 20", "Allow 127.0.0.1",
                "BasicAuth " + USER + " " + PASSWORD, "LogLevel Error", "") );
        return start(List.of("/usr/bin/tinyproxy", "-d", "-c", config.toString()), port, dir.resolve("tinyproxy.log"));
    }

    public static Running dante(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        var config = dir.resolve("danted.conf");
        Files.writeString(config, String.join("\n",
                "logoutput: stderr", "internal: 127.0.0.1 port = " + port, "external: 127.0.0.1",
                "socksmethod: username", "clientmethod: none", "user.privileged: root",
                "user.unprivileged: nobody",
                "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }",
                "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 command: connect }", ""));
        return start(List.of("/usr/sbin/danted", "-f", config.toString(), "-N", "1"), port, dir.resolve("danted.log"));
    }

    private static Running start(List<String> command, int port, Path log) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (var probe = new Socket("127.0.0.1", port)) {
                return new Running(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(command.getFirst() + " exited: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(command.getFirst() + " did not listen on " + port + ": " + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public record Running(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
