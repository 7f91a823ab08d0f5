package ponte.bootstrap;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.webhook.RetrySchedule;

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
        Limits limits,
        URI publicUrl,
        Events events,
        Network whatsapp,
        int sandboxPort,
        Optional<String> waVersion,
        Optional<RemoteSandbox> remoteSandbox,
        Optional<SandboxApi> sandboxApi,
        Messaging messaging,
        Nodes nodes,
        Media media,
        EgressPolicy egress) {

    /**
     * What protects the node from a greedy or slow client (docs/configuration.md, "Limits"). The rate limits are
     * token buckets per tenant, kept by each node for itself.
     *
     * @param maxBodyBytes             {@code PONTE_MAX_BODY_BYTES}: the largest JSON body
     * @param maxMediaBodyBytes        {@code PONTE_MAX_MEDIA_BODY_BYTES}: the largest body of a route taking a
     *                                 {@code base64} file
     * @param instanceCreatesPerMinute {@code PONTE_RATE_LIMIT_INSTANCE_CREATES}, per tenant
     * @param requestsPerMinute        {@code PONTE_RATE_LIMIT_REQUESTS}, per tenant (the admin token has a bucket of its own)
     * @param sendsPerMinute           {@code PONTE_RATE_LIMIT_SENDS}: message sends, edits and revokes per tenant
     * @param liveClientsPerTenant     {@code PONTE_LIVE_CLIENTS_PER_TENANT}: WebSocket and SSE clients open at once
     * @param authFailuresPerMinute    {@code PONTE_RATE_LIMIT_AUTH_FAILURES}, per client address
     * @param idleTimeout              {@code PONTE_HTTP_IDLE_TIMEOUT_SECONDS}
     * @param headerTimeout            {@code PONTE_HTTP_HEADER_TIMEOUT_SECONDS}
     * @param minBodyBytesPerSecond    {@code PONTE_HTTP_MIN_BODY_RATE} (bytes per second; 0: none)
     */
    public record Limits(long maxBodyBytes, long maxMediaBodyBytes, int instanceCreatesPerMinute,
                         int requestsPerMinute, int sendsPerMinute, int liveClientsPerTenant,
                         int authFailuresPerMinute, Duration idleTimeout, Duration headerTimeout,
                         long minBodyBytesPerSecond) {}

    /** Which WhatsApp network the gateway's clients dial. */
    public enum Network { WHATSAPP, SANDBOX }

    /**
     * A sandbox another gateway process hosts ({@code PONTE_SANDBOX_URL}, {@code PONTE_SANDBOX_ROOT_KEY}: its
     * {@code GET /v1/sandbox/info}): this gateway's instances dial it instead of hosting one, so the simulated
     * network, its phones and its offline queues outlive this process (a crash test kills the gateway, not WhatsApp).
     *
     * @param rootPublicKey the network's 32-byte certificate root
     */
    public record RemoteSandbox(String wsUrl, byte[] rootPublicKey) {}

    /**
     * A standalone sandbox ({@code ./ponte sandbox}) named by its HTTP address ({@code PONTE_SANDBOX_URL=http://...}):
     * at start the gateway reads its chat URL and certificate root from its {@code GET /v1/sandbox/info}, with
     * {@code token} ({@code PONTE_SANDBOX_TOKEN}, by default this gateway's {@code PONTE_ADMIN_TOKEN}).
     */
    public record SandboxApi(URI base, String token) {}

    /** Durable events: webhook retries, targets, dispatcher tuning and retention. */
    public record Events(RetrySchedule retrySchedule, Duration webhookTimeout,
                         int webhookConcurrency, int webhookPerHost, Duration pollInterval, Duration circuitOpenFor,
                         int circuitMinimumCalls, Duration retention) {
        /**
         * How long a worker's claim lasts: past a POST's timeout, its wait for a per-host slot (2 s) and the
         * recording. Short on purpose: after a crash, what the dead node had claimed is due again this soon.
         */
        public Duration lease() {
            return webhookTimeout.plusSeconds(10);
        }
    }

    /**
     * The outgoing queue's pace and timing (API.md "Messages": default 1 msg/s per chat, 20 msg/s per instance).
     *
     * @param perChatPerSecond     {@code PONTE_SEND_RATE_PER_CHAT}
     * @param perInstancePerSecond {@code PONTE_SEND_RATE_PER_INSTANCE}
     * @param pollInterval         {@code PONTE_SEND_POLL_MS}
     * @param ackTimeout           {@code PONTE_SEND_ACK_TIMEOUT_SECONDS}
     * @param bodyRetention        {@code PONTE_MESSAGE_RETENTION_DAYS} (0: metadata only)
     */
    public record Messaging(int perChatPerSecond, int perInstancePerSecond, Duration pollInterval,
                            Duration ackTimeout, Duration bodyRetention) {}

    /**
     * This node among the gateway nodes sharing the database (docs/scale-out.md).
     *
     * @param maxSessions {@code PONTE_MAX_SESSIONS_PER_NODE}: at most this many sessions run here (empty: no limit)
     * @param leaseTime   {@code PONTE_LEASE_SECONDS}: how long a renewed lease lasts (default 20 s)
     * @param address     {@code PONTE_NODE_ADDRESS}: how other nodes and operators reach this node (default: the
     *                    public URL)
     */
    public record Nodes(Optional<Integer> maxSessions, Duration leaseTime, Optional<String> address) {}

    /**
     * Media files (docs/media.md).
     *
     * @param base64MaxBytes     {@code PONTE_MEDIA_BASE64_MAX_BYTES}: the largest file embedded as {@code media.base64}
     *                           in an event for subscribers with {@code media_base64} (default 5 MiB)
     * @param fetchConnectTimeout {@code PONTE_MEDIA_FETCH_CONNECT_SECONDS} (default 10 s)
     * @param fetchReadTimeout   {@code PONTE_MEDIA_FETCH_READ_SECONDS}: the longest silence while a file comes in
     *                           (default 30 s)
     */
    public record Media(long base64MaxBytes, Duration fetchConnectTimeout,
                        Duration fetchReadTimeout) {
        /** Where the local media store keeps its files. */
        public static Path root(Path dataDir) {
            return dataDir.resolve("media");
        }
    }

    public static Config fromEnvironment(Map<String, String> env) {
        var problems = new ArrayList<String>();
        var reader = new Reader(env, problems);
        // the public URL's default is built from the port as parsed: a bad PONTE_PORT is reported once, by name
        int port = reader.number("PONTE_PORT", 8080, 0, 65535);
        var config = new Config(
                reader.text("PONTE_HOST", "0.0.0.0"),
                port,
                Path.of(reader.text("PONTE_DATA_DIR", "./data")).toAbsolutePath().normalize(),
                reader.optional("PONTE_DATABASE_URL"),
                reader.text("PONTE_DATABASE_USER", "postgres"),
                reader.text("PONTE_DATABASE_PASSWORD", ""),
                reader.optional("PONTE_ADMIN_TOKEN"),
                reader.optional("PONTE_MASTER_KEY"),
                new Limits(
                        reader.number("PONTE_MAX_BODY_BYTES", 1024L * 1024, 1024, Integer.MAX_VALUE - 16),
                        reader.number("PONTE_MAX_MEDIA_BODY_BYTES", 32L * 1024 * 1024, 1024, Integer.MAX_VALUE - 16),
                        reader.number("PONTE_RATE_LIMIT_INSTANCE_CREATES", 20, 1, 1_000_000),
                        reader.number("PONTE_RATE_LIMIT_REQUESTS", 6000, 1, 10_000_000),
                        reader.number("PONTE_RATE_LIMIT_SENDS", 3000, 1, 10_000_000),
                        reader.number("PONTE_LIVE_CLIENTS_PER_TENANT", 100, 1, 1_000_000),
                        reader.number("PONTE_RATE_LIMIT_AUTH_FAILURES", 30, 1, 10_000_000),
                        Duration.ofSeconds(reader.number("PONTE_HTTP_IDLE_TIMEOUT_SECONDS", 30, 1, 3600)),
                        Duration.ofSeconds(reader.number("PONTE_HTTP_HEADER_TIMEOUT_SECONDS", 10, 1, 3600)),
                        reader.number("PONTE_HTTP_MIN_BODY_RATE", 1024, 0, Integer.MAX_VALUE)),
                reader.url("PONTE_PUBLIC_URL", "http://localhost:" + port),
                new Events(
                        reader.schedule("PONTE_WEBHOOK_RETRY_SCHEDULE", "PONTE_WEBHOOK_RETRY_WINDOW"),
                        Duration.ofSeconds(reader.number("PONTE_WEBHOOK_TIMEOUT_SECONDS", 10, 1, 300)),
                        reader.number("PONTE_WEBHOOK_CONCURRENCY", 64, 1, 10_000),
                        reader.number("PONTE_WEBHOOK_PER_HOST", 16, 1, 10_000),
                        Duration.ofMillis(reader.number("PONTE_WEBHOOK_POLL_MS", 1000, 10, 600_000)),
                        Duration.ofSeconds(reader.number("PONTE_WEBHOOK_CIRCUIT_OPEN_SECONDS", 30, 1, 86_400)),
                        reader.number("PONTE_WEBHOOK_CIRCUIT_MIN_CALLS", 5, 1, 1000),
                        Duration.ofDays(reader.number("PONTE_EVENT_RETENTION_DAYS", 30, 1, 3650))),
                reader.choice("PONTE_WHATSAPP", Network.WHATSAPP, Network.class),
                reader.number("PONTE_SANDBOX_PORT", 8081, 0, 65535),
                reader.optional("PONTE_WA_VERSION"),
                reader.remoteSandbox(),
                reader.sandboxApi(),
                new Messaging(
                        reader.number("PONTE_SEND_RATE_PER_CHAT", 1, 1, 1000),
                        reader.number("PONTE_SEND_RATE_PER_INSTANCE", 20, 1, 10_000),
                        Duration.ofMillis(reader.number("PONTE_SEND_POLL_MS", 1000, 10, 600_000)),
                        Duration.ofSeconds(reader.number("PONTE_SEND_ACK_TIMEOUT_SECONDS", 60, 1, 3600)),
                        Duration.ofDays(reader.number("PONTE_MESSAGE_RETENTION_DAYS", 30, 0, 36_500))),
                new Nodes(
                        reader.optional("PONTE_MAX_SESSIONS_PER_NODE").isPresent()
                                ? Optional.of(reader.number("PONTE_MAX_SESSIONS_PER_NODE", 0, 0, 1_000_000))
                                : Optional.empty(),
                        Duration.ofSeconds(reader.number("PONTE_LEASE_SECONDS", 20, 4, 600)),
                        reader.optional("PONTE_NODE_ADDRESS")),
                new Media(
                        reader.number("PONTE_MEDIA_BASE64_MAX_BYTES", 5L * 1024 * 1024, 0, 100L * 1024 * 1024),
                        Duration.ofSeconds(reader.number("PONTE_MEDIA_FETCH_CONNECT_SECONDS", 10, 1, 300)),
                        Duration.ofSeconds(reader.number("PONTE_MEDIA_FETCH_READ_SECONDS", 30, 1, 600))),
                reader.egress());
        config.waVersion.filter(version -> !version.matches("2\\.\\d{1,6}\\.\\d{1,12}"))
                .ifPresent(version -> problems.add("PONTE_WA_VERSION must look like 2.3000.1045649367, not '"
                        + version + "'"));
        if ((config.remoteSandbox.isPresent() || config.sandboxApi.isPresent()) && config.whatsapp != Network.SANDBOX) {
            problems.add("PONTE_SANDBOX_URL needs PONTE_WHATSAPP=sandbox");
        }
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
        <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
            var raw = optional(name);
            if (raw.isEmpty()) {
                return fallback;
            }
            for (var constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(raw.get())) {
                    return constant;
                }
            }
            problems.add(name + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList() + ", not '" + raw.get() + "'");
            return fallback;
        }

        Optional<SandboxApi> sandboxApi() {
            var url = optional("PONTE_SANDBOX_URL").filter(u -> u.matches("https?://.+"));
            if (url.isEmpty()) {
                return Optional.empty();
            }
            if (optional("PONTE_SANDBOX_ROOT_KEY").isPresent()) {
                problems.add("PONTE_SANDBOX_ROOT_KEY goes with a ws:// PONTE_SANDBOX_URL; an http:// one tells its "
                        + "root itself");
                return Optional.empty();
            }
            var token = optional("PONTE_SANDBOX_TOKEN").or(() -> optional("PONTE_ADMIN_TOKEN"));
            if (token.isEmpty()) {
                problems.add("PONTE_SANDBOX_URL=" + url.get() + " needs the sandbox's admin token: set "
                        + "PONTE_SANDBOX_TOKEN (or PONTE_ADMIN_TOKEN when the sandbox shares it)");
                return Optional.empty();
            }
            try {
                return Optional.of(new SandboxApi(new URI(url.get().replaceAll("/+$", "")), token.get()));
            } catch (URISyntaxException e) {
                problems.add("PONTE_SANDBOX_URL is not a URL: '" + url.get() + "'");
                return Optional.empty();
            }
        }

        Optional<RemoteSandbox> remoteSandbox() {
            var url = optional("PONTE_SANDBOX_URL").filter(u -> !u.matches("https?://.+"));
            var key = optional("PONTE_SANDBOX_ROOT_KEY");
            if (url.isEmpty() && key.isEmpty()) {
                return Optional.empty();
            }
            if (url.isEmpty() || key.isEmpty()) {
                problems.add("PONTE_SANDBOX_URL and PONTE_SANDBOX_ROOT_KEY go together");
                return Optional.empty();
            }
            if (!url.get().matches("wss?://.+")) {
                problems.add("PONTE_SANDBOX_URL must be an http(s):// URL (a standalone sandbox) or a ws:// or "
                        + "wss:// one (its chat URL, with PONTE_SANDBOX_ROOT_KEY), not '" + url.get() + "'");
                return Optional.empty();
            }
            try {
                var root = java.util.Base64.getDecoder().decode(key.get());
                if (root.length == 32) {
                    return Optional.of(new RemoteSandbox(url.get(), root));
                }
            } catch (IllegalArgumentException notBase64) {
                // reported below
            }
            problems.add("PONTE_SANDBOX_ROOT_KEY must be the base64 of 32 bytes (root_public_key of GET /v1/sandbox/info)");
            return Optional.empty();
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
        }

        /**
         * The one egress policy of webhooks, media URLs, link previews and Chatwoot. The settings it replaced,
         * {@code PONTE_WEBHOOK_ALLOW_PRIVATE_TARGETS} and {@code PONTE_MEDIA_ALLOW_PRIVATE_URLS}, are still read as
         * {@code PONTE_EGRESS_ALLOW_PRIVATE}; none of them lifts the refusal of link-local and metadata addresses.
         */
        EgressPolicy egress() {
            boolean allowPrivate = flag(EgressPolicy.ALLOW_PRIVATE_SETTING)
                    | flag("PONTE_WEBHOOK_ALLOW_PRIVATE_TARGETS") | flag("PONTE_MEDIA_ALLOW_PRIVATE_URLS");
            return new EgressPolicy(allowPrivate, flag(EgressPolicy.ALLOW_LINK_LOCAL_SETTING));
        }

        boolean flag(String name) {
            var value = optional(name).orElse("false");
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(name + " must be true or false, not '" + value + "'");
            }
            return value.equals("true");
        }

        RetrySchedule schedule(String scheduleName, String windowName) {
            var text = text(scheduleName, RetrySchedule.DEFAULT_TEXT);
            var window = text(windowName, "24h");
            try {
                return RetrySchedule.parse(text, RetrySchedule.parse(window, Duration.ZERO).first());
            } catch (IllegalArgumentException e) {
                problems.add(scheduleName + "/" + windowName + ": " + e.getMessage());
                return RetrySchedule.parse(RetrySchedule.DEFAULT_TEXT, Duration.ofHours(24));
            }
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
