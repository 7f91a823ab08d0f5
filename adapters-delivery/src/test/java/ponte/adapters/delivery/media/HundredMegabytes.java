package ponte.adapters.delivery.media;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import ponte.application.port.out.MediaStore;
import ponte.domain.integration.S3Config;

/**
 * Run by {@link MediaStoresTest} in a JVM with a 48 MB heap: writes 100 MB, puts it through the local store and the
 * S3 store and reads it back, comparing SHA-256 digests; prints MB/s and the peak heap used.
 */
public final class HundredMegabytes {
    private static final long SIZE = 100L * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        var dir = Files.createDirectories(Path.of(args[0]));
        var peak = new AtomicLong();
        var runtime = Runtime.getRuntime();
        var sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        var file = dir.resolve("source.bin");
        var random = new Random(11);
        var chunk = new byte[1 << 20];
        var digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < SIZE; written += chunk.length) {
                random.nextBytes(chunk);
                digest.update(chunk);
                out.write(chunk);
            }
        }
        var expected = HexFormat.of().formatHex(digest.digest());
        var local = new LocalMediaStore(dir.resolve("media"));
        check("local", local, "i/2026/11/BIG.mp4", file, expected);
        try (var stores = new S3MediaStores(Duration.ofSeconds(30))) {
            var s3 = stores.open(new S3Config(true, "us-east-1", args[4], args[2], args[1], "", true), args[3]);
            check("s3", s3, "i/2026/11/BIG.mp4", file, expected);
        }
        sampler.interrupt();
        System.out.printf("peak heap used %.1f MB of max %.1f MB%n", peak.get() / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
    }

    private static void check(String name, MediaStore store, String key, Path file, String expected) throws Exception {
        long started = System.nanoTime();
        store.put(key, file, "video/mp4");
        long stored = System.nanoTime();
        String actual;
        try (InputStream in = store.open(key, 0, SIZE)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            actual = HexFormat.of().formatHex(digest.digest());
        }
        long read = System.nanoTime();
        System.out.printf("%s put %.0f MB/s, get %.0f MB/s%n", name, SIZE / 1e6 / ((stored - started) / 1e9),
                SIZE / 1e6 / ((read - stored) / 1e9));
        if (!actual.equals(expected)) {
            throw new AssertionError(name + " gave back other bytes");
        }
        System.out.println(name + " identical");
        store.delete(key);
    }
}
