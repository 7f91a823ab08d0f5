package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (surefire never picks it up by name, and it is skipped without {@code -Dponte.bench.video=true}): a
 * video sent through the whole gateway, docs/benchmarks.md "Media: a 10 MB video through the gateway". The gateway
 * runs with {@code PONTE_WHATSAPP=sandbox} in this JVM; each round {@code POST /v1/instances/{id}/messages/video}
 * sends the file by {@code base64} (the request body streamed from a file, so the client holds none of it) and by
 * {@code url} (served from loopback): API → intake (Tika, SHA-256) → media store → encrypt + upload to the
 * sandbox's HTTPS media host → message to a sandbox phone. It prints the time the API took to answer (the intake),
 * to {@code sent} (the server's ack, polled on {@code GET …/messages/{id}} every 10 ms) and to the phone's decrypt
 * (its inbox, polled), MB/s to {@code sent}, the gateway's live heap peak (forced collections every 250 ms, above a
 * baseline taken after one) and the process's RSS growth. Beside it Baileys, linked to the same sandbox as another
 * account, sends the same file to the same phone ({@code sendMessage} with its own media_conn, encryption and upload,
 * the media host trusted through the root certificate {@code /v1/sandbox/info} gives); its figures are the wall time
 * of {@code sendMessage} (which resolves once the stanza is written, without waiting for the server's ack), the time
 * to the phone's decrypt, and Node's {@code heapUsed + arrayBuffers} above its baseline. Every delivered file is
 * compared byte for byte with the sent one at the phone.
 *
 * <pre>
 * mvn -B -o -q -pl bootstrap -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dtest=MediaVideoBenchmark -Dponte.bench.video=true [-Dbench.mb=10 -Dbench.rounds=3]
 * </pre>
 */
class MediaVideoBenchmark {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final int MEGABYTES = Integer.getInteger("bench.mb", 10);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final String SHOP = "5511870000001";
    private static final String PHONE = "5511870000002";
    private static final String BAILEYS = "5511870000003";
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Set<String> GONE_OUT = Set.of("sent", "delivered", "read", "played");
    private static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void aVideoThroughTheGatewayAndThroughBaileys() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ponte.bench.video"), "a benchmark: -Dponte.bench.video=true");
        report(String.format("machine: %d cores, JDK %s, max heap %d MB, load average %s",
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Files.readString(Path.of("/proc/loadavg")).strip()));
        var env = Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0",
                "PONTE_MEDIA_ALLOW_PRIVATE_URLS", "true", "PONTE_RATE_LIMIT_REQUESTS", "10000000");
        try (var gateway = GatewayFixture.start(env); var pages = new Pages()) {
            var http = gateway.http();
            for (var phone : new String[][] {{SHOP, "Loja"}, {PHONE, "Cliente"}, {BAILEYS, "Baileys"}}) {
                var created = http.post("/v1/sandbox/phones", ADMIN,
                        "{\"phone_number\": \"" + phone[0] + "\", \"push_name\": \"" + phone[1] + "\"}");
                check(created.status() == 201, created.toString());
            }
            var tenant = gateway.newTenant("bench-video");
            var instance = gateway.newInstance(tenant, "bench-video");
            String base = "/v1/instances/" + instance.id();
            var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
            check(http.post("/v1/sandbox/phones/" + SHOP + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}").status()
                    == 200, "scan");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected")) {
                check(System.nanoTime() < deadline, "the instance connects");
                Thread.sleep(100);
            }
            Path video = video(MEGABYTES * 1_000_000);
            Path small = video(1_000_000);

            // warm-up (sessions, JIT, the media_conn): not reported
            send(gateway, tenant, base, "base64", small, pages);
            for (int round = 1; round <= ROUNDS; round++) {
                for (var mode : new String[] {"base64", "url"}) {
                    report("Ponte   " + mode + " round " + round + ": "
                            + send(gateway, tenant, base, mode, video, pages));
                }
            }
            baileys(gateway, video);
        }
    }

    /** One send through the API, measured; the file is checked at the phone afterwards. */
    private String send(GatewayFixture gateway, GatewayFixture.Tenant tenant, String base, String mode, Path video,
                        Pages pages) throws Exception {
        var http = gateway.http();
        HttpRequest.BodyPublisher body;
        if (mode.equals("base64")) {
            Path json = dir.resolve("body.json");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(json), 1 << 16)) {
                out.write(("{\"to\":\"+" + PHONE + "\",\"base64\":\"").getBytes(StandardCharsets.US_ASCII));
                try (var encoder = Base64.getEncoder().wrap(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws java.io.IOException {
                        flush(); // the padding is written; the file stays open for the closing quote
                    }
                })) {
                    Files.copy(video, encoder);
                }
                out.write("\"}".getBytes(StandardCharsets.US_ASCII));
            }
            body = HttpRequest.BodyPublishers.ofFile(json);
        } else {
            String path = "/" + video.getFileName();
            pages.put(path, "video/mp4", Files.readAllBytes(video)); // before the baseline: the server's, not ours
            String url = pages.url(path);
            body = HttpRequest.BodyPublishers.ofString("{\"to\":\"+" + PHONE + "\",\"url\":\"" + url + "\"}");
        }
        var request = HttpRequest.newBuilder(URI.create(http.base() + base + "/messages/video"))
                .header("Authorization", "Bearer " + tenant.token()).header("Content-Type", "application/json")
                .POST(body).build();

        var sampler = new Sampler();
        long start = System.nanoTime();
        var answer = RAW.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        check(answer.statusCode() == 202, answer.body());
        String id = new ObjectMapper().readTree(answer.body()).at("/message/id").asText();
        long deadline = start + PATIENCE.toNanos();
        for (String status = ""; !GONE_OUT.contains(status); status = http.get(base + "/messages/" + id,
                tenant.token()).json().at("/message/status").asText()) {
            check(!status.equals("failed") && System.nanoTime() < deadline, id + " never went out: " + status);
            Thread.sleep(10);
        }
        long sent = System.nanoTime();
        awaitInbox(http, id, deadline);
        long atPhone = System.nanoTime();
        var memory = sampler.stop();
        checkAtPhone(http, id, video);
        long bytes = Files.size(video);
        return String.format("%5.1f MB  API answer %6.0f ms  to sent %6.0f ms (%5.1f MB/s)  to phone %6.0f ms  "
                        + "live heap peak +%5.1f MB  RSS +%5.1f MB", bytes / 1e6, ms(start, answered), ms(start, sent),
                bytes / 1e6 / ((sent - start) / 1e9), ms(start, atPhone), memory[0] / 1e6, memory[1] / 1e6);
    }

    /** Baileys, linked as another account of the same sandbox, sends the same file to the same phone. */
    private void baileys(GatewayFixture gateway, Path video) throws Exception {
        var http = gateway.http();
        var info = http.get("/v1/sandbox/info", ADMIN).json().get("sandbox");
        String caPem = info.get("media_root_pem").asText();
        try (var baileys = BaileysProcess.start()) {
            String session = baileys.link(http, ADMIN, BAILEYS);
            Path small = video(1_000_000);
            for (int round = 0; round <= ROUNDS; round++) {
                Path file = round == 0 ? small : video; // round 0 is the warm-up
                long start = System.nanoTime();
                JsonNode sent = baileys.call(BaileysProcess.request("baileysSendMediaTimed")
                        .put("id", session).put("to", PHONE + "@s.whatsapp.net").put("kind", "video")
                        .put("path", file.toString()).put("mimetype", "video/mp4").put("caPem", caPem));
                String id = sent.get("messageId").asText();
                awaitInbox(http, id, System.nanoTime() + PATIENCE.toNanos());
                long atPhone = System.nanoTime();
                checkAtPhone(http, id, file);
                if (round > 0) {
                    long bytes = Files.size(file);
                    double ms = sent.get("ms").asDouble();
                    report(String.format("Baileys sendMessage round %d: %5.1f MB  sendMessage %6.0f ms (%5.1f MB/s)  "
                                    + "to phone %6.0f ms  Node heap peak +%5.1f MB", round, bytes / 1e6, ms,
                            bytes / 1e6 / (ms / 1e3), ms(start, atPhone),
                            sent.get("peakHeapAboveBaseline").asLong() / 1e6));
                }
            }
            baileys.call(BaileysProcess.request("baileysEnd").put("id", session));
        }
    }

    private static void awaitInbox(Http http, String id, long deadline) throws InterruptedException {
        while (true) {
            for (var message : http.get("/v1/sandbox/phones/" + PHONE + "/messages", ADMIN).json().get("messages")) {
                if (message.get("id").asText().equals(id)) {
                    return;
                }
            }
            check(System.nanoTime() < deadline, id + " never reached the phone");
            Thread.sleep(20);
        }
    }

    private static void checkAtPhone(Http http, String id, Path expected) throws Exception {
        Path got = Files.createTempFile("bench-phone-", ".mp4");
        try {
            var response = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/sandbox/phones/" + PHONE
                    + "/media/" + id)).header("Authorization", "Bearer " + ADMIN).build(),
                    HttpResponse.BodyHandlers.ofFile(got));
            check(response.statusCode() == 200, "the phone's copy of " + id + ": " + response.statusCode());
            check(Files.mismatch(expected, got) == -1, id + " arrived different");
        } finally {
            Files.deleteIfExists(got);
        }
    }

    /** An MP4 (ftyp, then one mdat box of random bytes) of exactly {@code bytes}, so the intake sees a video. */
    private Path video(int bytes) throws Exception {
        Path file = dir.resolve("video-" + bytes + ".mp4");
        if (Files.exists(file)) {
            return file;
        }
        var random = new Random(bytes);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(new byte[] {0, 0, 0, 0x18});
            out.write("ftypmp42".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 2, 0});
            out.write("mp42isom".getBytes(StandardCharsets.US_ASCII));
            int payload = bytes - 24 - 8;
            out.write(java.nio.ByteBuffer.allocate(4).putInt(payload + 8).array());
            out.write("mdat".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            for (int left = payload; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(chunk.length, left));
            }
        }
        return file;
    }

    /** Prints a line of figures and keeps it in {@code target/media-video-benchmark.txt} (-q hides test output). */
    private static void report(String line) throws java.io.IOException {
        System.out.println(line);
        Files.writeString(Path.of("target/media-video-benchmark.txt"), line + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /**
     * The live heap (used right after a forced collection, every 250 ms) and the resident set, peaks above their
     * levels at the start; the gateway runs in this JVM.
     */
    private static final class Sampler {
        /**
         * How often the live heap is sampled. A forced collection of the whole gateway's heap is not free: every
         * 20 ms (as the media client's benchmark does with a small heap) it starved the gateway on a loaded machine.
         */
        private static final long SAMPLE_MS = 250;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong heapPeak = new AtomicLong();
        private final AtomicLong rssPeak = new AtomicLong();
        private final long heapBase;
        private final long rssBase;
        private final Thread thread;

        Sampler() {
            var memory = Runtime.getRuntime();
            System.gc();
            heapBase = memory.totalMemory() - memory.freeMemory();
            rssBase = rss();
            heapPeak.set(heapBase);
            rssPeak.set(rssBase);
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    System.gc();
                    heapPeak.accumulateAndGet(memory.totalMemory() - memory.freeMemory(), Math::max);
                    rssPeak.accumulateAndGet(rss(), Math::max);
                    try {
                        Thread.sleep(SAMPLE_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long[] stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return new long[] {Math.max(0, heapPeak.get() - heapBase), Math.max(0, rssPeak.get() - rssBase)};
        }

        private static long rss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    }
                }
            } catch (java.io.IOException | NumberFormatException ignored) {
                // not Linux: no RSS figure
            }
            return 0;
        }
    }
}
