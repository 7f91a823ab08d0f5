package ponte.adapters.whatsapp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.media.MediaClient;
import ponte.adapters.whatsapp.media.MediaTls;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.sandbox.MediaHost;
import ponte.adapters.whatsapp.socket.TrustRoot;

/**
 * The media benchmark: a file of each size encrypted and uploaded to the sandbox's HTTPS media host, then downloaded,
 * checked and decrypted, by Ponte's media client and, in the same run, by Baileys' own media path
 * ({@code mediabench.mjs}, a Node process trusting the host through the sandbox root's certificate). It reports
 * MB/s each way and the peak heap: for Ponte the live set (the heap right after forced collections every 20 ms
 * during a second, unmeasured-for-speed pass) above the baseline, for Node {@code heapUsed + arrayBuffers} above its
 * baseline. Run {@link #main} for the figures of docs/benchmarks.md.
 */
public final class MediaBenchmark implements AutoCloseable {

    /** One side's figures for one file size. */
    public record Run(String who, long bytes, double uploadMBps, double downloadMBps, long peakHeapBytes) {
        @Override
        public String toString() {
            return String.format("%-8s %6.1f MB  up %7.1f MB/s  down %7.1f MB/s  peak heap +%.1f MB", who,
                    bytes / 1e6, uploadMBps, downloadMBps, peakHeapBytes / 1e6);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final KeyPair root = KeyPair.generate(random);
    private final Path dir;
    private final MediaHost host;
    private final MediaClient client;

    public MediaBenchmark(Path dir) throws IOException {
        this.dir = dir;
        this.host = MediaHost.start("127.0.0.1", dir.resolve("host"), root, Clock.systemUTC(), random);
        this.client = new MediaClient(() -> CompletableFuture.completedFuture(
                host.mediaConn("1", "15550009999@s.whatsapp.net")),
                ponte.adapters.whatsapp.media.MediaHttp.direct(MediaTls.context(new TrustRoot(root.publicKey(), 0))), Clock.systemUTC(), random,
                MediaClient.Retry.DEFAULT, Duration.ofSeconds(10));
    }

    /** Ponte's client: one timed pass, then one pass under the live-set sampler; both byte-checked. */
    public Run ponte(long bytes) throws Exception {
        Path plain = file(bytes);
        Path out = dir.resolve("ponte-out");
        long upStart = System.nanoTime();
        MediaClient.Uploaded uploaded;
        try (InputStream in = Files.newInputStream(plain)) {
            uploaded = client.upload(MediaType.VIDEO, in);
        }
        long upNanos = System.nanoTime() - upStart;
        long downStart = System.nanoTime();
        try (OutputStream sink = Files.newOutputStream(out)) {
            client.download(MediaType.VIDEO, uploaded.directPath(), uploaded.mediaKey(),
                    uploaded.sealed().fileEncSha256(), uploaded.sealed().fileSha256(), sink);
        }
        long downNanos = System.nanoTime() - downStart;
        check(plain, out);

        long peak = liveSetDuring(() -> {
            MediaClient.Uploaded again;
            try (InputStream in = Files.newInputStream(plain)) {
                again = client.upload(MediaType.VIDEO, in);
            }
            try (OutputStream sink = Files.newOutputStream(out)) {
                client.download(MediaType.VIDEO, again.directPath(), again.mediaKey(),
                        again.sealed().fileEncSha256(), again.sealed().fileSha256(), sink);
            }
        });
        check(plain, out);
        Files.delete(plain);
        return new Run("Ponte", bytes, mbps(bytes, upNanos), mbps(bytes, downNanos), peak);
    }

    /** Baileys' media path in a Node process, against the same host; empty when Node or Baileys is missing. */
    public Optional<Run> baileys(long bytes) throws Exception {
        Path nodeDir = Path.of(System.getProperty("ponte.oracle.dir", "src/test/node")).toAbsolutePath();
        if (!Files.isRegularFile(nodeDir.resolve("node_modules/baileys/package.json"))) {
            return Optional.empty();
        }
        Path plain = file(bytes);
        Path out = dir.resolve("baileys-out");
        Path pem = dir.resolve("sandbox-root.pem");
        Files.writeString(pem, host.certificate().rootPem());
        String auth = host.mediaConn("2", "15550009998@s.whatsapp.net").child("media_conn").orElseThrow()
                .attributeOr("auth", "");
        ProcessBuilder builder = new ProcessBuilder("node", "mediabench.mjs", host.hostname(), auth,
                plain.toString(), out.toString(), "video").directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("NODE_EXTRA_CA_CERTS", pem.toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException noNode) {
            return Optional.empty();
        }
        String line;
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            line = reader.readLine();
        }
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || line == null) {
            throw new IllegalStateException("the Baileys media run failed (exit " + process.exitValue() + ")");
        }
        JsonNode result = JSON.readTree(line);
        check(plain, out);
        Files.delete(plain);
        return Optional.of(new Run("Baileys", bytes, bytes / 1e6 / (result.path("upMs").asDouble() / 1e3),
                bytes / 1e6 / (result.path("downMs").asDouble() / 1e3), result.path("peakHeapAboveBaseline").asLong()));
    }

    @FunctionalInterface
    interface Transfer {
        void run() throws Exception;
    }

    /** The peak of the heap right after a forced collection, every 20 ms while {@code transfer} runs, above before. */
    static long liveSetDuring(Transfer transfer) throws Exception {
        Runtime memory = Runtime.getRuntime();
        System.gc();
        long baseline = memory.totalMemory() - memory.freeMemory();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                System.gc();
                peak.accumulateAndGet(memory.totalMemory() - memory.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            transfer.run();
        } finally {
            running.set(false);
            sampler.join();
        }
        return Math.max(0, peak.get() - baseline);
    }

    private Path file(long bytes) throws IOException {
        Path file = dir.resolve("plain-" + bytes);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return file;
    }

    private static void check(Path expected, Path actual) throws IOException {
        if (Files.mismatch(expected, actual) != -1) {
            throw new IllegalStateException("the file did not come back byte-identical");
        }
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    @Override
    public void close() {
        host.close();
    }

    /** The figures of docs/benchmarks.md: 10 MB and 50 MB, Ponte then Baileys, three rounds each. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ponte-media-bench");
        try (var bench = new MediaBenchmark(dir)) {
            List<Run> runs = new ArrayList<>();
            bench.ponte(2_000_000); // warm-up
            for (long size : new long[] {10_000_000, 50_000_000}) {
                for (int round = 0; round < 3; round++) {
                    runs.add(bench.ponte(size));
                    bench.baileys(size).ifPresent(runs::add);
                }
            }
            runs.forEach(System.out::println);
        }
    }
}
