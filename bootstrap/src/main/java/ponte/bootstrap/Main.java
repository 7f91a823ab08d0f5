package ponte.bootstrap;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the gateway from its environment and stops it cleanly on SIGTERM or Ctrl-C; with the argument
 * {@code sandbox}, starts a standalone simulated WhatsApp network instead ({@link #sandboxEnvironment}). Exit codes: {@code 2} for an
 * invalid configuration (every bad variable named), {@link StartupFailure#EXIT_CODE} for a start-up fault the user
 * can fix (one line, no stack trace), anything else is a bug.
 */
public final class Main {
    private Main() {}

    /**
     * {@code ./ponte sandbox}: the simulated WhatsApp network in a process of its own, which several gateway nodes
     * (or a user's CI) dial with {@code PONTE_SANDBOX_URL=http://host:PONTE_SANDBOX_PORT}. It serves the
     * {@code /v1/sandbox/...} routes (admin token) on {@code PONTE_SANDBOX_PORT} (default 8081) and its chat socket
     * on {@code PONTE_SANDBOX_CHAT_PORT} (default the next port), keeps its phones and its certificate root in its
     * own embedded PostgreSQL under {@code PONTE_SANDBOX_DATA_DIR} (default {@code ./data-sandbox}), and never
     * dials another sandbox nor joins the gateways' database.
     */
    static Map<String, String> sandboxEnvironment(Map<String, String> env) {
        var sandbox = new HashMap<>(env);
        sandbox.keySet().removeIf(name -> name.startsWith("PONTE_DATABASE_") || name.equals("PONTE_SANDBOX_URL")
                || name.equals("PONTE_SANDBOX_ROOT_KEY") || name.equals("PONTE_PUBLIC_URL"));
        String port = env.getOrDefault("PONTE_SANDBOX_PORT", "8081");
        sandbox.put("PONTE_WHATSAPP", "sandbox");
        sandbox.put("PONTE_PORT", port);
        String chat = env.get("PONTE_SANDBOX_CHAT_PORT");
        if (chat == null) {
            try {
                chat = Integer.parseInt(port) == 0 ? "0" : Integer.toString(Integer.parseInt(port) + 1);
            } catch (NumberFormatException bad) {
                chat = port; // PONTE_PORT reports the bad number by name
            }
        }
        sandbox.put("PONTE_SANDBOX_PORT", chat);
        sandbox.put("PONTE_DATA_DIR", env.getOrDefault("PONTE_SANDBOX_DATA_DIR", "./data-sandbox"));
        return sandbox;
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            var standalone = args.length > 0 && args[0].equals("sandbox");
            config = Config.fromEnvironment(standalone ? sandboxEnvironment(System.getenv()) : System.getenv());
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
