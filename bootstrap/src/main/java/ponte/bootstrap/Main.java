package ponte.bootstrap;

import java.time.Clock;

/** Starts the gateway from its environment and stops it cleanly on SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // millisecond ticks: what PostgreSQL stores and JSON shows is exactly what the code saw
        var gateway = Gateway.start(config, Clock.tickMillis(java.time.ZoneOffset.UTC));
        gateway.generatedAdminToken().ifPresent(token -> {
            System.out.println("Admin token: " + token);
            System.out.println("(shown once: only its hash is stored; set PONTE_ADMIN_TOKEN to use your own)");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } catch (Exception e) {
                System.err.println("shutdown: " + e.getMessage());
            }
        }, "ponte-shutdown"));
    }
}
