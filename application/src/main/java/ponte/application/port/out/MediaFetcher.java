package ponte.application.port.out;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches what a user names by URL (a media file to send, a page to preview) through the SSRF guard
 * ({@link ponte.domain.egress.EgressPolicy}): every resolved address and every redirect is checked, the body is
 * capped and streamed to a temporary file, and connecting and each read are timed out.
 */
public interface MediaFetcher {

    /**
     * Fetches {@code url} into a new temporary file, which the caller owns (and deletes).
     *
     * @param maxBytes the most bytes accepted; a larger body is refused without being kept
     * @throws FetchFailed with a sentence for the user: refused address, timeout, too large, HTTP error
     */
    Fetched fetch(URI url, long maxBytes);

    /**
     * A fetched body.
     *
     * @param file        the temporary file holding it
     * @param size        its length in bytes
     * @param contentType the {@code Content-Type} the server sent, when it sent one (a hint only)
     * @param finalUrl    the URL answered after redirects
     */
    record Fetched(Path file, long size, Optional<String> contentType, URI finalUrl) {}

    /** The URL could not be fetched; the message says why, for the user. */
    final class FetchFailed extends RuntimeException {
        private final boolean tooLarge;

        public FetchFailed(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }
}
