package ponte.application.port.out;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import ponte.domain.integration.S3Config;

/**
 * Where media files lie: the gateway's local media store ({@code PONTE_DATA_DIR/media}) or an instance's S3 bucket.
 * Keys are relative paths such as {@code <instance>/<yyyy>/<mm>/<message_id>.<ext>} (with the S3 prefix in front
 * for a bucket). Both directions stream: a file is never held whole in memory.
 */
public interface MediaStore {

    /** Which kind of store this is, as the {@code media} table records it. */
    Kind kind();

    /** The bucket of an S3 store; empty for the local one. */
    Optional<String> bucket();

    /**
     * Stores {@code file}'s bytes under {@code key}, replacing what was there; the object exists only once this
     * returns (a reader never sees half a file).
     *
     * @throws MediaStoreException when the store refused or could not be reached
     */
    void put(String key, Path file, String mimeType);

    /**
     * Opens {@code length} bytes of the object at {@code key} from byte {@code offset} on; the caller closes the
     * stream. {@code length} is counted from {@code offset} and must lie within the object.
     *
     * @throws MediaStoreException when the object is missing or the store cannot be reached
     */
    InputStream open(String key, long offset, long length);

    /** Removes the object; whether there was one. */
    boolean delete(String key);

    /** Where the object can be fetched directly (an S3 object URL); empty for the local store. */
    Optional<URI> url(String key);

    /** The two stores. */
    enum Kind {
        LOCAL, S3;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Opens the S3 store of one configuration (clients are cached per configuration by the adapter). */
    interface S3Stores {
        MediaStore open(S3Config config, String secretAccessKey);
    }

    /** A store that refused or could not be reached, or an object that is not there. */
    final class MediaStoreException extends RuntimeException {
        private final boolean missing;

        public MediaStoreException(String message, boolean missing, Throwable cause) {
            super(message, cause);
            this.missing = missing;
        }

        /** True when the store answered that the object does not exist. */
        public boolean missing() {
            return missing;
        }
    }
}
