package ponte.application.service;

import java.net.URI;
import ponte.domain.egress.EgressPolicy;

/**
 * How media is fetched, stored and embedded.
 *
 * @param publicUrl      where clients reach this gateway ({@code PONTE_PUBLIC_URL}): a locally stored file's
 *                       {@code media.url} is {@code <publicUrl>/v1/instances/<id>/media/<message_id>}
 * @param maxFetchBytes  the most bytes a media {@code url} may yield (API.md: 100 MB)
 * @param base64MaxBytes {@code PONTE_MEDIA_BASE64_MAX_BYTES}: larger files are not embedded in events
 * @param fetchPolicy    the SSRF guard for every URL the gateway fetches for a user
 */
public record MediaSettings(URI publicUrl, long maxFetchBytes, long base64MaxBytes, EgressPolicy fetchPolicy) {
    /** API.md "Messages": a media {@code url} yields at most 100 MB. */
    public static final long MAX_MEDIA_BYTES = 100L * 1024 * 1024;
    /** By default a file up to 5 MiB rides in an event as base64 (about 6.7 MB of JSON). */
    public static final long DEFAULT_BASE64_MAX_BYTES = 5L * 1024 * 1024;
}
