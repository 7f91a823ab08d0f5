package ponte.domain.integration;

import java.util.regex.Pattern;
import ponte.domain.validation.Violations;

/**
 * Where an instance's received media is stored: an S3 bucket, on AWS or any S3-compatible store (MinIO, Spaces,
 * R2) reached through {@code endpoint}. The secret access key is kept apart, sealed by the application.
 */
public record S3Config(
        boolean enabled,
        String region,
        String bucket,
        String accessKeyId,
        String endpoint,
        String prefix,
        boolean pathStyle) {
    public static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()/-]{0,512}");

    public S3Config {
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
        prefix = prefix == null ? "" : prefix.strip();
        endpoint = endpoint == null || endpoint.isBlank() ? null : HttpUrls.withoutTrailingSlash(endpoint);
        new Violations()
                .check(bucket != null && BUCKET.matcher(bucket).matches(), "bucket",
                        "must be a bucket name: 3-63 characters of a-z, 0-9, '.' and '-'")
                .check(REGION.matcher(region).matches(), "region", "must be a region name like us-east-1")
                .check(accessKeyId != null && !accessKeyId.isBlank() && accessKeyId.length() <= 128,
                        "access_key_id", "is required (at most 128 characters)")
                .check(endpoint == null || HttpUrls.isHttpUrl(endpoint), "endpoint",
                        "must be an http(s) URL like http://minio:9000")
                .check(PREFIX.matcher(prefix).matches() && !prefix.startsWith("/"), "prefix",
                        "must be at most 512 characters of A-Z a-z 0-9 ! _ . * ' ( ) / - and not start with '/'")
                .throwIfAny();
    }
}
