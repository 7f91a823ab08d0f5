package ponte.bootstrap;

import java.time.Clock;

/**
 * Starts the gateway from its environment and stops it cleanly on SIGTERM or Ctrl-C. Exit codes: {@code 2} for an
 * invalid configuration (every bad variable named), {@link StartupFailure#EXIT_CODE} for a start-up fault the user
 * can fix (one line, no stack trace), anything else is a bug.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("ponte: " + e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway;
        try {
            // millisecond ticks: what PostgreSQL stores and JSON shows is exactly what the code saw
            gateway = Gateway.start(config, Clock.tickMillis(java.time.ZoneOffset.UTC), token -> {
                System.out.println("Admin token: " + token);
                System.out.println("(shown once: only its hash is stored; set PONTE_ADMIN_TOKEN to use your own)");
            });
        } catch (StartupFailure e) {
            System.err.println("ponte: " + e.getMessage());
            System.exit(StartupFailure.EXIT_CODE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } catch (Exception e) {
                System.err.println("shutdown: " + e.getMessage());
            }
        }, "ponte-shutdown"));
    }
}
