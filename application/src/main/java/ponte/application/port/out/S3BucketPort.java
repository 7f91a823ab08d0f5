package ponte.application.port.out;

import ponte.domain.integration.IntegrationStatus;
import ponte.domain.integration.S3Config;

/** The S3-compatible store where an instance's media goes. */
public interface S3BucketPort {
    /**
     * Checks with a real request that the bucket exists and these credentials may use it. Never throws for a
     * store-side problem: it is reported as an error status whose reason says what to fix.
     */
    IntegrationStatus check(S3Config config, String secretAccessKey);
}
