package ponte.adapters.delivery.media;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ponte.application.port.out.MediaStore;
import ponte.domain.integration.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 media stores of every instance: one client per configuration (endpoint, region, keys, path style), kept
 * while the configuration stands, since a client holds a connection pool worth reusing.
 */
public final class S3MediaStores implements MediaStore.S3Stores, AutoCloseable {
    /** Beyond this many distinct configurations the cache starts over (configurations change rarely). */
    private static final int MAX_CLIENTS = 256;

    private final Duration timeout;
    private final Map<ClientKey, S3Client> clients = new ConcurrentHashMap<>();

    /** {@code timeout}: connecting and each read of a socket. */
    public S3MediaStores(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public MediaStore open(S3Config config, String secretAccessKey) {
        var key = new ClientKey(config.endpoint(), config.region(), config.accessKeyId(), secretAccessKey,
                config.pathStyle());
        if (clients.size() >= MAX_CLIENTS && !clients.containsKey(key)) {
            close();
        }
        return new S3MediaStore(clients.computeIfAbsent(key, this::client), config.bucket());
    }

    private S3Client client(ClientKey key) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout)
                        .build())
                .region(Region.of(key.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKeyId(), key.secret())))
                .forcePathStyle(key.pathStyle());
        if (key.endpoint() != null) {
            builder.endpointOverride(URI.create(key.endpoint()));
        }
        return builder.build();
    }

    @Override
    public void close() {
        var open = clients.values().toArray(S3Client[]::new);
        clients.clear();
        for (var client : open) {
            client.close();
        }
    }

    /** What a client is built from; its text never shows the secret. */
    private record ClientKey(String endpoint, String region, String accessKeyId, String secret, boolean pathStyle) {
        @Override
        public String toString() {
            return "ClientKey[" + endpoint + ", " + region + ", " + accessKeyId + "]";
        }
    }
}
