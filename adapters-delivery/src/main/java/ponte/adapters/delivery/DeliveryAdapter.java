package ponte.adapters.delivery;

import java.net.URI;
import java.time.Duration;
import ponte.adapters.delivery.chatwoot.ChatwootClient;
import ponte.adapters.delivery.egress.Egress;
import ponte.adapters.delivery.s3.S3BucketChecker;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.application.port.out.S3BucketPort;

/** The delivery adapter's wiring: the clients of the outside services an instance is configured to use. */
public final class DeliveryAdapter {
    private final ChatwootClient chatwoot;
    private final S3BucketChecker s3;

    /**
     * @param publicUrl where outside services reach this gateway, e.g. Chatwoot's inbox webhook
     * @param chatwoot  the outbound client Chatwoot's API is called through (the egress policy's)
     */
    public DeliveryAdapter(URI publicUrl, Duration timeout, Egress chatwoot) {
        this.chatwoot = new ChatwootClient(chatwoot, publicUrl, timeout);
        this.s3 = new S3BucketChecker(timeout);
    }

    public ChatwootInboxPort chatwootInboxes() {
        return chatwoot;
    }

    /** Chatwoot's application API, for the mirror of conversations. */
    public ponte.application.port.out.ChatwootApi chatwootApi() {
        return chatwoot;
    }

    public S3BucketPort s3Buckets() {
        return s3;
    }
}
