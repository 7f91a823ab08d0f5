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

    /**
     * A partial update, as every configuration PUT is: absent (null) fields keep the stored value, or take their
     * default when nothing is stored yet; {@code ""} clears {@code endpoint} or {@code prefix}. Without a stored
     * value, {@code path_style} defaults to true exactly when an endpoint is given.
     */
    public record Patch(Boolean enabled, String region, String bucket, String accessKeyId, String endpoint,
                        String prefix, Boolean pathStyle) {
        /** {@code current} is null when the instance has no configuration yet. */
        public S3Config applyTo(S3Config current) {
            var newEndpoint = endpoint != null ? endpoint : current == null ? null : current.endpoint();
            boolean newPathStyle;
            if (pathStyle != null) {
                newPathStyle = pathStyle;
            } else if (current != null && endpoint == null) {
                newPathStyle = current.pathStyle();
            } else {
                newPathStyle = newEndpoint != null && !newEndpoint.isBlank();
            }
            return new S3Config(
                    enabled != null ? enabled : current == null || current.enabled(),
                    region != null ? region : current == null ? null : current.region(),
                    bucket != null ? bucket : current == null ? null : current.bucket(),
                    accessKeyId != null ? accessKeyId : current == null ? null : current.accessKeyId(),
                    newEndpoint,
                    prefix != null ? prefix : current == null ? null : current.prefix(),
                    newPathStyle);
        }
    }
}
