package ponte.bootstrap;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Everything the gateway reads from its environment ({@code PONTE_*}); see docs/configuration.md. */
public record Config(
        String host,
        int port,
        Path dataDir,
        Optional<String> databaseUrl,
        String databaseUser,
        String databasePassword,
        Optional<String> adminToken,
        Optional<String> masterKey,
        long maxBodyBytes,
        int instanceCreatesPerMinute,
        int requestsPerMinute,
        URI publicUrl) {

    public static Config fromEnvironment(Map<String, String> env) {
        var problems = new ArrayList<String>();
        var reader = new Reader(env, problems);
        var config = new Config(
                reader.text("PONTE_HOST", "0.0.0.0"),
                reader.number("PONTE_PORT", 8080, 0, 65535),
                Path.of(reader.text("PONTE_DATA_DIR", "./data")).toAbsolutePath().normalize(),
                reader.optional("PONTE_DATABASE_URL"),
                reader.text("PONTE_DATABASE_USER", "postgres"),
                reader.text("PONTE_DATABASE_PASSWORD", ""),
                reader.optional("PONTE_ADMIN_TOKEN"),
                reader.optional("PONTE_MASTER_KEY"),
                reader.number("PONTE_MAX_BODY_BYTES", 16L * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.number("PONTE_RATE_LIMIT_INSTANCE_CREATES", 20, 1, 1_000_000),
                reader.number("PONTE_RATE_LIMIT_REQUESTS", 1200, 1, 10_000_000),
                reader.url("PONTE_PUBLIC_URL", "http://localhost:" + reader.text("PONTE_PORT", "8080")));
        config.adminToken.filter(token -> token.length() < 16)
                .ifPresent(token -> problems.add("PONTE_ADMIN_TOKEN must be at least 16 characters"));
        config.databaseUrl.filter(url -> !url.startsWith("jdbc:postgresql:"))
                .ifPresent(url -> problems.add("PONTE_DATABASE_URL must start with jdbc:postgresql:"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return config;
    }

    public boolean embeddedDatabase() {
        return databaseUrl.isEmpty();
    }

    private record Reader(Map<String, String> env, List<String> problems) {
        Optional<String> optional(String name) {
            return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
        }

        /** An absolute http(s) URL, as outside services (Chatwoot) must call it. */
        URI url(String name, String fallback) {
            var raw = text(name, fallback);
            try {
                var uri = new URI(raw);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException ignored) {
                // reported below
            }
            problems.add(name + " must be an http(s) URL like https://ponte.example.com, not '" + raw + "'");
            return URI.create("http://localhost");
        }

        String text(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        int number(String name, int fallback, int min, int max) {
            return (int) number(name, (long) fallback, min, max);
        }

        long number(String name, long fallback, long min, long max) {
            return optional(name).map(parse(name, min, max)).orElse(fallback);
        }

        private Function<String, Long> parse(String name, long min, long max) {
            return raw -> {
                try {
                    long value = Long.parseLong(raw);
                    if (value >= min && value <= max) {
                        return value;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below with the accepted range
                }
                problems.add(name + " must be a whole number from " + min + " to " + max + ", not '" + raw + "'");
                return min;
            };
        }
    }
}
