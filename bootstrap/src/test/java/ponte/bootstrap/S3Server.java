package ponte.bootstrap;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;

/**
 * s3proxy, a real S3-compatible server, for one test class: started and stopped by the class (its JUnit extension
 * restarts per test and fails to stop one that stored nothing), and asked directly with requests signed (AWS
 * signature version 2) as any S3 client would sign them.
 */
final class S3Server {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String accessKey;
    private final String secretKey;
    private final S3ProxyJunitCore proxy;

    private S3Server(String accessKey, String secretKey, S3ProxyJunitCore.Builder builder) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.proxy = builder.withCredentials(accessKey, secretKey).build();
    }

    /** Objects kept in memory. */
    static S3Server inMemory(String accessKey, String secretKey) {
        return new S3Server(accessKey, secretKey, new S3ProxyJunitCore.Builder());
    }

    /** Objects kept in files (large objects stay off the heap). */
    static S3Server onDisk(String accessKey, String secretKey) {
        return new S3Server(accessKey, secretKey, new S3ProxyJunitCore.Builder().withBlobStoreProvider("filesystem"));
    }

    void start() throws Exception {
        proxy.beforeEach();
    }

    void stop() {
        proxy.afterEach();
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    String endpoint() {
        var uri = proxy.getUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** A signed request without a body to {@code resource} ({@code /bucket} or {@code /bucket/key}). */
    HttpResponse<byte[]> request(String method, String resource) throws Exception {
        var date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        var mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        var signature = Base64.getEncoder().encodeToString(mac.doFinal(
                (method + "\n\n\n\nx-amz-date:" + date + "\n" + resource).getBytes(StandardCharsets.UTF_8)));
        var request = HttpRequest.newBuilder(URI.create(endpoint() + resource))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("x-amz-date", date)
                .header("Authorization", "AWS " + accessKey + ":" + signature).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
