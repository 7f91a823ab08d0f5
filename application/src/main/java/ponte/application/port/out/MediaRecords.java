package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The {@code media} table: per (instance, message id), where its file is stored and what it is. */
public interface MediaRecords {

    /** Records the file of a message, replacing an earlier row of the same message. */
    void save(MediaRecord record);

    Optional<MediaRecord> find(UUID instanceId, String messageId);

    /** Forgets the row; whether there was one. */
    boolean delete(UUID instanceId, String messageId);

    /**
     * Files recorded before {@code before} (oldest first, at most {@code max}) whose message is not waiting on the
     * outgoing queue (a queued send still needs its file): what message retention removes.
     */
    List<Owned> storedBefore(Instant before, int max);

    /** The files of one instance, at most {@code max}: what deleting the instance removes. */
    List<MediaRecord> ofInstance(UUID instanceId, int max);

    /** A recorded file and the tenant of its instance (whose S3 configuration reaches it). */
    record Owned(UUID tenantId, MediaRecord record) {}

    /**
     * One stored file.
     *
     * @param store    which store holds it
     * @param bucket   the bucket, for S3; null for the local store
     * @param key      the object key (S3) or the path under {@code PONTE_DATA_DIR/media} (local)
     * @param mimeType the MIME type it is served with
     * @param size     its length in bytes
     * @param sha256   the hex SHA-256 of its bytes
     * @param fileName the file name it was sent with, when known
     */
    record MediaRecord(UUID instanceId, String messageId, MediaStore.Kind store, String bucket, String key,
                       String mimeType, long size, String sha256, Optional<String> fileName, Instant createdAt) {
        public MediaRecord {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(createdAt, "createdAt");
            if (size < 0) {
                throw new IllegalArgumentException("size < 0");
            }
        }
    }
}
