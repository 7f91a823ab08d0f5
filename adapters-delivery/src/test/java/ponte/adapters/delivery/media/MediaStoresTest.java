package ponte.adapters.delivery.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.application.port.out.MediaStore;
import ponte.domain.integration.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Both media stores with real storage: the local store on disk and the S3 store against s3proxy, a real
 * S3-compatible server (filesystem-backed, so a stored object is not held in this JVM's heap).
 */
class MediaStoresTest {
    static final String ACCESS_KEY = "media-access";
    static final String SECRET_KEY = "media-secret-7d21";
    static final String BUCKET = "media-test";
    private static final S3ProxyJunitCore S3 = new S3ProxyJunitCore.Builder().withCredentials(ACCESS_KEY, SECRET_KEY)
            .withBlobStoreProvider("filesystem").build();
    private static final S3MediaStores STORES = new S3MediaStores(Duration.ofSeconds(10));

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        S3.beforeEach();
        try (var admin = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .forcePathStyle(true).endpointOverride(URI.create(endpoint())).build()) {
            admin.createBucket(request -> request.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stop() {
        STORES.close();
        S3.afterEach();
    }

    static String endpoint() {
        var uri = S3.getUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    static S3Config config() {
        return new S3Config(true, "us-east-1", BUCKET, ACCESS_KEY, endpoint(), "media/", true);
    }

    @Test
    void theLocalStoreGivesBackTheSameBytesWholeAndInRanges() throws Exception {
        var store = new LocalMediaStore(dir.resolve("media"));
        roundTrip(store, "i1/2026/11/ABC.jpg");
        assertThat(dir.resolve("media/i1/2026/11/ABC.jpg")).doesNotExist();
        store.put("i1/2026/11/ABC.jpg", Files.write(dir.resolve("x.bin"), new byte[] {1}), "image/jpeg");
        assertThat(dir.resolve("media/i1/2026/11/ABC.jpg")).hasBinaryContent(new byte[] {1});
        try (var files = Files.list(dir.resolve("media/i1/2026/11"))) {
            assertThat(files).hasSize(1); // no partial file left beside it
        }
        assertThat(store.url("i1/2026/11/ABC.jpg")).isEmpty();
        assertThat(store.kind()).isEqualTo(MediaStore.Kind.LOCAL);
    }

    @Test
    void theS3StoreGivesBackTheSameBytesWholeAndInRanges() throws Exception {
        var store = STORES.open(config(), SECRET_KEY);
        roundTrip(store, "media/i1/2026/11/ABC.jpg");
        assertThat(store.url("media/i1/2026/11/ABC.jpg")).get().hasToString(
                endpoint() + "/" + BUCKET + "/media/i1/2026/11/ABC.jpg");
        assertThat(store.bucket()).contains(BUCKET);
    }

    @Test
    void aMissingObjectSaysSo() {
        var local = new LocalMediaStore(dir.resolve("media"));
        assertThatThrownBy(() -> local.open("i1/none.bin", 0, 1)).isInstanceOf(MediaStore.MediaStoreException.class)
                .matches(e -> ((MediaStore.MediaStoreException) e).missing());
        var s3 = STORES.open(config(), SECRET_KEY);
        assertThatThrownBy(() -> s3.open("media/none.bin", 0, 1)).isInstanceOf(MediaStore.MediaStoreException.class)
                .matches(e -> ((MediaStore.MediaStoreException) e).missing());
    }

    @Test
    void wrongCredentialsAreAStoreErrorThatNamesNoSecret() throws Exception {
        var file = Files.write(dir.resolve("f.bin"), new byte[] {1, 2, 3});
        var wrong = STORES.open(config(), "not-the-secret");
        assertThatThrownBy(() -> wrong.put("media/x.bin", file, "application/octet-stream"))
                .isInstanceOf(MediaStore.MediaStoreException.class).hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void aKeyCannotLeaveTheLocalRoot() {
        var store = new LocalMediaStore(dir.resolve("media"));
        assertThatThrownBy(() -> store.resolve("../outside.bin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.resolve("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.resolve("a/../../b")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * 100 MB through both stores in a JVM whose heap is 48 MB: a store that held the file whole would fail with an
     * OutOfMemoryError. The child prints its timings and peak heap, which the report quotes.
     */
    @Test
    void aHundredMegabytesStreamThroughBothStoresInASmallHeap() throws Exception {
        var classpath = new ArrayList<String>();
        for (var property : new String[] {"jdk.module.path", "java.class.path"}) {
            var value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                classpath.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var log = dir.resolve("child.log");
        var process = new ProcessBuilder(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp",
                String.join(File.pathSeparator, classpath), HundredMegabytes.class.getName(),
                dir.resolve("big").toString(), endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        var output = Files.readString(log);
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("local identical").contains("s3 identical");
    }

    private void roundTrip(MediaStore store, String key) throws Exception {
        var bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        var file = Files.write(dir.resolve("in.bin"), bytes);
        store.put(key, file, "image/jpeg");
        try (var in = store.open(key, 0, bytes.length)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (var in = store.open(key, 1000, 5000)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 6000));
        }
        try (var in = store.open(key, bytes.length - 1, 1)) {
            assertThat(in.readAllBytes()).containsExactly(bytes[bytes.length - 1]);
        }
        // replaced whole: a second put of other bytes wins
        var other = Files.write(dir.resolve("other.bin"), new byte[] {9, 8, 7});
        store.put(key, other, "image/jpeg");
        try (var in = store.open(key, 0, 3)) {
            assertThat(in.readAllBytes()).containsExactly(9, 8, 7);
        }
        assertThat(store.delete(key)).isTrue();
    }

    static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
