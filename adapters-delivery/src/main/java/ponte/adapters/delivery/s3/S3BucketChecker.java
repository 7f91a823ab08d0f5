package ponte.adapters.delivery.s3;

import java.net.URI;
import java.time.Duration;
import ponte.application.port.out.S3BucketPort;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.integration.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Checks an S3 configuration with a real HeadBucket request, signed with the configured credentials. */
public final class S3BucketChecker implements S3BucketPort {
    private final Duration timeout;

    public S3BucketChecker(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public IntegrationStatus check(S3Config config, String secretAccessKey) {
        var where = config.endpoint() != null ? config.endpoint() : "AWS region " + config.region();
        try (var client = client(config, secretAccessKey)) {
            client.headBucket(request -> request.bucket(config.bucket()));
            return IntegrationStatus.OK;
        } catch (NoSuchBucketException e) {
            return missing(config, where);
        } catch (S3Exception e) {
            return switch (e.statusCode()) {
                case 404 -> missing(config, where);
                case 403 -> IntegrationStatus.error("access to bucket '" + config.bucket() + "' was denied (HTTP 403): "
                        + "check access_key_id and secret_access_key, and that they may read and write the bucket");
                case 301, 307 -> IntegrationStatus.error("bucket '" + config.bucket() + "' is in another region than "
                        + config.region() + ": set region to the bucket's region");
                default -> IntegrationStatus.error("the S3 store at " + where + " answered HTTP " + e.statusCode()
                        + " to a check of bucket '" + config.bucket() + "'");
            };
        } catch (SdkClientException e) {
            return IntegrationStatus.error("could not reach the S3 store at " + where
                    + ": check endpoint, and that the gateway can reach it");
        } catch (SdkException e) {
            return IntegrationStatus.error("the S3 check of bucket '" + config.bucket() + "' failed: "
                    + e.getClass().getSimpleName());
        }
    }

    private S3Client client(S3Config config, String secretAccessKey) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout)
                        .build())
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKeyId(), secretAccessKey)))
                .forcePathStyle(config.pathStyle())
                // a check answers once: retrying a wrong key or a dead endpoint only makes the caller wait
                .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(2))
                        .retryStrategy(retry -> retry.maxAttempts(1)));
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        return builder.build();
    }

    private static IntegrationStatus missing(S3Config config, String where) {
        return IntegrationStatus.error("bucket '" + config.bucket() + "' does not exist at " + where
                + ": create it or correct bucket");
    }
}
