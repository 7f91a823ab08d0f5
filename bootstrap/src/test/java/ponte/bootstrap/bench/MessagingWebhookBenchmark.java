package ponte.bootstrap.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import ponte.bootstrap.GatewayFixture;
import ponte.bootstrap.Receiver;

/**
 * Not a test (surefire never picks it up by name): the receive path of docs/benchmarks.md's Messaging section end
 * to end, through the real gateway ({@code PONTE_WHATSAPP=sandbox}): sandbox phones, driven over the sandbox's HTTP
 * routes, flood an instance linked by QR scan, and a local receiver times each {@code message.exchange} webhook.
 * Prints messages/s and the latency from the phone's {@code POST .../messages} to the webhook's arrival; checks that
 * every message arrived once with its text.
 * {@code mvn -B -o verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false -Dtest=MessagingWebhookBenchmark
 * -Dbench.messages=200}
 */
class MessagingWebhookBenchmark {
    private static final int MESSAGES = Integer.getInteger("bench.messages", 200);
    private static final int PEERS = Integer.getInteger("bench.peers", 4);
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration STALL = Duration.ofSeconds(60);

    @Test
    void floodToWebhook() throws Exception {
        System.out.printf("machine: %d cores, JDK %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        try (var gateway = GatewayFixture.start(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0",
                "PONTE_WEBHOOK_PER_HOST", "64"));
             var receiver = Receiver.start()) {
            var http = gateway.http();
            var tenant = gateway.newTenant("bench");
            var instance = gateway.newInstance(tenant, "bench");
            String ours = "5511860000001";
            phone(gateway, ours, "Ponte");
            List<String> peers = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                peers.add(phone(gateway, "55118610000" + (10 + i), "Peer " + i));
            }
            var connect = http.post("/v1/instances/" + instance.id() + "/connect", tenant.token(), null);
            String qr = connect.json().at("/qr/raw").asText();
            var scanned = http.post("/v1/sandbox/phones/" + ours + "/scan", ADMIN, "{\"qr\":\"" + qr + "\"}");
            if (scanned.status() != 200) {
                throw new AssertionError("scan: " + scanned);
            }
            awaitConnected(gateway, instance, tenant);
            var hook = http.post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(),
                    "{\"label\":\"bench\",\"url\":\"" + receiver.url("/in") + "\"}");
            if (hook.status() != 201) {
                throw new AssertionError("webhook: " + hook);
            }
            flood(gateway, receiver, ours, peers, 10, "warm-up");
            flood(gateway, receiver, ours, peers.subList(0, 1), MESSAGES, "1 phone");
            flood(gateway, receiver, ours, peers, MESSAGES, PEERS + " phones");
        }
    }

    private static void flood(GatewayFixture gateway, Receiver receiver, String ours, List<String> peers, int perPeer,
                              String label) throws Exception {
        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        Map<String, String> texts = new ConcurrentHashMap<>();
        Instant start = Instant.now();
        List<Instant> lastSent = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (String peer : peers) {
                all.add(senders.submit(() -> {
                    for (int i = 0; i < perPeer; i++) {
                        String text = label + " from " + peer + " message " + i;
                        Instant at = Instant.now();
                        var sent = gateway.http().post("/v1/sandbox/phones/" + peer + "/messages", ADMIN,
                                "{\"to\":\"" + ours + "\",\"text\":\"" + text + "\"}");
                        if (sent.status() != 200) {
                            throw new AssertionError("phone send: " + sent);
                        }
                        String id = sent.json().at("/message/id").asText();
                        sentAt.put(id, at);
                        texts.put(id, text);
                    }
                    lastSent.add(Instant.now());
                    return null;
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        }
        Map<String, Instant> arrived = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Instant progress = Instant.now();
        int read = 0;
        while (arrived.size() < sentAt.size() && Duration.between(progress, Instant.now()).compareTo(STALL) < 0) {
            var requests = receiver.requests();
            for (var request : requests.subList(read, requests.size())) {
                var json = request.json();
                String id = json.at("/data/message/id").asText();
                if (sentAt.containsKey(id) && json.at("/data/type").asText().equals("received")) {
                    if (arrived.putIfAbsent(id, request.at()) == null) {
                        progress = Instant.now();
                    }
                    copies.merge(id, 1, Integer::sum);
                    if (!json.at("/data/message/text").asText().equals(texts.get(id))) {
                        problems.add(id + " arrived with another text");
                    }
                }
            }
            read = requests.size();
            Thread.sleep(50);
        }
        copies.forEach((id, n) -> {
            if (n > 1) {
                problems.add(id + " arrived " + n + " times");
            }
        });
        if (arrived.size() < sentAt.size()) {
            problems.add((sentAt.size() - arrived.size()) + " of " + sentAt.size() + " never arrived");
        }
        long[] micros = arrived.entrySet().stream()
                .mapToLong(e -> Duration.between(sentAt.get(e.getKey()), e.getValue()).toNanos() / 1000).sorted()
                .toArray();
        Instant last = arrived.values().stream().max(Instant::compareTo).orElse(start);
        Instant sendsDone = lastSent.stream().max(Instant::compareTo).orElse(start);
        double seconds = Duration.between(start, last).toNanos() / 1e9;
        double sendSeconds = Duration.between(start, sendsDone).toNanos() / 1e9;
        System.out.printf("webhook receive, %s -> our instance: %d messages in %.2f s = %.1f msg/s at the webhook "
                        + "(phones sent in %.2f s = %.1f msg/s); latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
                label, sentAt.size(), seconds, sentAt.size() / seconds, sendSeconds, sentAt.size() / sendSeconds,
                rank(micros, 0.50), rank(micros, 0.99), micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1e3,
                problems.isEmpty() ? "" : "; PROBLEMS: " + problems.subList(0, Math.min(5, problems.size())));
    }

    private static double rank(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e3;
    }

    static String phone(GatewayFixture gateway, String number, String name) {
        var created = gateway.http().post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        if (created.status() != 201) {
            throw new AssertionError("phone: " + created);
        }
        return number;
    }

    static void awaitConnected(GatewayFixture gateway, GatewayFixture.Instance instance,
                                       GatewayFixture.Tenant tenant) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var status = gateway.http().get("/v1/instances/" + instance.id(), tenant.token());
            if (status.json().at("/instance/status").asText().equals("connected")) {
                Thread.sleep(2_000); // the phone's history bootstrap follows the login
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the instance did not connect");
    }
}
