package ponte.bootstrap.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ponte.bootstrap.GatewayFixture;

/**
 * Not a test (surefire never picks it up by name): the send direction of docs/benchmarks.md's Messaging section
 * through the real gateway ({@code PONTE_WHATSAPP=sandbox}): {@code POST /v1/instances/{id}/messages/text} at a steady
 * rate, round robin over {@code bench.phones} sandbox phones (the gateway paces each chat at 1 msg/s, so the rate is
 * spread over at least as many phones as msg/s), to the recipient phone's decrypt. The decrypt is seen by polling
 * the phones that still owe a message ({@link DecryptWatch}), so a latency is late by up to one round of polls
 * (printed). Checks that every message arrived once, with its text, in order per phone.
 * {@code mvn -B -o verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false -Dtest=MessagingSendBenchmark
 * -Dbench.messages=100}
 */
class MessagingSendBenchmark {
    private static final int MESSAGES = Integer.getInteger("bench.messages", 200);
    private static final int PHONES = Integer.getInteger("bench.phones", 25);
    /** Send calls per second, all chats together (the gateway's default per-instance pace is 20). */
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "20"));
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration STALL = Duration.ofSeconds(60);

    @Test
    void sendToPhones() throws Exception {
        System.out.printf("machine: %d cores, JDK %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), loadAverage());
        // the watch polls as admin far above the default 1,200 requests a minute per token: a limit for callers,
        // not a part of the send path; -Dbench.requestsPerMinute=1200 shows what it did to the figures (a 429)
        var env = new java.util.HashMap<>(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0",
                "PONTE_RATE_LIMIT_REQUESTS", System.getProperty("bench.requestsPerMinute", "10000000")));
        // to test whether a stall is the ack timeout: -Dbench.ackTimeoutSeconds=10
        if (System.getProperty("bench.ackTimeoutSeconds") != null) {
            env.put("PONTE_SEND_ACK_TIMEOUT_SECONDS", System.getProperty("bench.ackTimeoutSeconds"));
        }
        try (var gateway = GatewayFixture.start(env)) {
            var http = gateway.http();
            var tenant = gateway.newTenant("bench");
            var instance = gateway.newInstance(tenant, "bench");
            String ours = "5511860000001";
            MessagingWebhookBenchmark.phone(gateway, ours, "Ponte");
            List<String> phones = new ArrayList<>();
            for (int i = 0; i < PHONES; i++) {
                phones.add(MessagingWebhookBenchmark.phone(gateway, "55118620000" + (10 + i), "Recipient " + i));
            }
            var connect = http.post("/v1/instances/" + instance.id() + "/connect", tenant.token(), null);
            String qr = connect.json().at("/qr/raw").asText();
            var scanned = http.post("/v1/sandbox/phones/" + ours + "/scan", ADMIN, "{\"qr\":\"" + qr + "\"}");
            if (scanned.status() != 200) {
                throw new AssertionError("scan: " + scanned);
            }
            MessagingWebhookBenchmark.awaitConnected(gateway, instance, tenant);
            // warm-up: a session with every phone (pkmsg), JIT; not reported
            send(gateway, instance, tenant, phones, phones.size(), RATE, "warm-up");
            send(gateway, instance, tenant, phones, MESSAGES, RATE, "steady");
        }
    }

    private static void send(GatewayFixture gateway, GatewayFixture.Instance instance, GatewayFixture.Tenant tenant,
                             List<String> phones, int count, double rate, String label) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, String> texts = new ConcurrentHashMap<>();
        Map<String, List<String>> perPhone = new ConcurrentHashMap<>();
        List<String> problems = new ArrayList<>();
        var watch = new DecryptWatch(gateway.http(), ADMIN);
        Map<String, Long> arrived = watch.arrived();
        var sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        var pollFailure = new java.util.concurrent.atomic.AtomicReference<RuntimeException>();
        // polls from the first send on, until every message was seen or none was for STALL after the last send
        Thread poller = Thread.ofVirtual().start(() -> {
            long progress = System.nanoTime();
            try {
                while (sending.get() || (arrived.size() < sentAt.size()
                        && System.nanoTime() - progress < STALL.toNanos())) {
                    if (watch.poll() > 0 || sending.get()) {
                        progress = System.nanoTime();
                    }
                    Thread.sleep(1); // a round with nothing owed would spin
                }
            } catch (RuntimeException e) {
                pollFailure.set(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < count && pollFailure.get() == null; i++) {
            long wait = start + Math.round(i * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String to = phones.get(i % phones.size());
            String text = label + " to " + to + " message " + i;
            watch.expect(to);
            long at = System.nanoTime();
            var sent = gateway.http().post("/v1/instances/" + instance.id() + "/messages/text", tenant.token(),
                    "{\"to\":\"" + to + "\",\"text\":\"" + text + "\"}");
            if (sent.status() != 202) {
                throw new AssertionError("send: " + sent);
            }
            String id = sent.json().at("/message/id").asText();
            sentAt.put(id, at);
            texts.put(id, text);
            perPhone.computeIfAbsent(to, x -> new ArrayList<>()).add(id);
            watch.sent(to, id);
        }
        long sendsDone = System.nanoTime();
        sending.set(false);
        poller.join();
        if (pollFailure.get() != null) {
            throw new AssertionError("the decrypts could not be watched, so no figure would be right",
                    pollFailure.get());
        }
        if (arrived.size() < sentAt.size()) {
            problems.add((sentAt.size() - arrived.size()) + " of " + sentAt.size() + " never seen decrypted");
        }
        for (String phone : phones) {
            var ids = perPhone.getOrDefault(phone, List.of());
            List<String> got = new ArrayList<>();
            for (var message : gateway.http().get("/v1/sandbox/phones/" + phone + "/messages", ADMIN).json()
                    .path("messages")) {
                String id = message.path("id").asText();
                if (sentAt.containsKey(id)) {
                    got.add(id);
                    if (!message.path("text").asText().equals(texts.get(id))) {
                        problems.add(id + " decrypted to another text");
                    }
                }
            }
            if (!got.equals(ids)) {
                // what the phone holds of each message it has more than once (its sender's addressing, its time)
                for (var message : gateway.http().get("/v1/sandbox/phones/" + phone + "/messages", ADMIN).json()
                        .path("messages")) {
                    String id = message.path("id").asText();
                    if (got.indexOf(id) != got.lastIndexOf(id)) {
                        System.out.println("twice at +" + phone + ": " + message);
                    }
                }
                problems.add(phone + ": " + got.size() + " of " + ids.size() + " decrypted"
                        + (got.size() == ids.size() ? ", out of order or twice" : ""));
            }
        }
        // -Dbench.trace=N: the N slowest with what the gateway recorded (its sent and delivered), to tell a late
        // send from a late decrypt or a late look
        var slowest = arrived.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue() - sentAt.get(b.getKey()),
                        a.getValue() - sentAt.get(a.getKey())))
                .limit(Integer.getInteger("bench.trace", 0)).toList();
        for (var slow : slowest) {
            String id = slow.getKey();
            var status = gateway.http().get("/v1/instances/" + instance.id() + "/messages/" + id, tenant.token());
            System.out.printf("slow: %s, POST at +%d ms, seen decrypted at +%d ms; status history %s%n",
                    texts.get(id), (sentAt.get(id) - start) / 1_000_000, (slow.getValue() - start) / 1_000_000,
                    status.json().at("/message/status_history"));
        }
        long[] micros = arrived.entrySet().stream().mapToLong(e -> (e.getValue() - sentAt.get(e.getKey())) / 1000)
                .sorted().toArray();
        long last = arrived.values().stream().mapToLong(Long::longValue).max().orElse(start);
        double seconds = (last - start) / 1e9;
        System.out.printf("gateway send, %s: %d messages to %d phones at %.1f msg/s asked: %.2f s = %.1f msg/s decrypted"
                        + " (accepted in %.2f s); latency POST -> phone decrypt p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + " %d over 5 s; polling round %.1f ms; load average %s%s%n",
                label, sentAt.size(), phones.size(), rate, seconds, sentAt.size() / seconds,
                (sendsDone - start) / 1e9, rank(micros, 0.50), rank(micros, 0.99),
                micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1e3,
                java.util.Arrays.stream(micros).filter(m -> m > 5_000_000).count(), watch.meanRoundMillis(), loadAverage(),
                problems.isEmpty() ? "" : "; PROBLEMS: " + problems.subList(0, Math.min(5, problems.size())));
    }

    private static double rank(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e3;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
