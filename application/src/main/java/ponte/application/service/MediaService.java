package ponte.application.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import ponte.application.error.NotFoundException;
import ponte.application.error.RangeNotSatisfiableException;
import ponte.application.error.UnavailableException;
import ponte.application.port.in.MediaUseCase;
import ponte.application.port.out.MediaProbe;
import ponte.application.port.out.MediaRecords;
import ponte.application.port.out.MediaRecords.MediaRecord;
import ponte.application.port.out.MediaStore;
import ponte.application.port.out.S3Store;
import ponte.application.port.out.SecretCipher;
import ponte.domain.auth.Principal;
import ponte.domain.message.MessageId;

/**
 * Stores message media in the instance's S3 bucket when one is configured and enabled, else in the local media
 * store, records where in the {@code media} table, and reads it back for the media route and for events.
 */
final class MediaService implements MediaUseCase {
    private static final System.Logger LOG = System.getLogger(MediaService.class.getName());

    private final InstanceAccess access;
    private final MediaRecords records;
    private final MediaStore local;
    private final MediaStore.S3Stores s3Stores;
    private final S3Store s3Configs;
    private final SecretCipher cipher;
    private final MediaProbe probe;
    private final MediaSettings settings;
    private final Clock clock;

    MediaService(InstanceAccess access, MediaRecords records, MediaStore local, MediaStore.S3Stores s3Stores,
                 S3Store s3Configs, SecretCipher cipher, MediaProbe probe, MediaSettings settings, Clock clock) {
        this.access = access;
        this.records = records;
        this.local = local;
        this.s3Stores = s3Stores;
        this.s3Configs = s3Configs;
        this.cipher = cipher;
        this.probe = probe;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public MediaContent open(Principal caller, String instance, String messageId, Optional<ByteRange> range) {
        var owner = access.resolve(caller, instance);
        var record = records.find(owner.id(), messageId)
                .orElseThrow(() -> new NotFoundException("no media stored for message '" + messageId + "'"));
        long size = record.size();
        long first = 0;
        long length = size;
        if (range.isPresent()) {
            var wanted = range.get();
            if (wanted.first() == null) {
                long suffix = wanted.last();
                if (suffix <= 0 || size == 0) {
                    throw new RangeNotSatisfiableException(size);
                }
                first = Math.max(0, size - suffix);
            } else {
                first = wanted.first();
                if (first >= size || (wanted.last() != null && wanted.last() < first)) {
                    throw new RangeNotSatisfiableException(size);
                }
            }
            long last = wanted.first() == null || wanted.last() == null ? size - 1 : Math.min(wanted.last(), size - 1);
            length = last - first + 1;
        }
        var body = storeOf(owner.tenantId(), record).open(record.key(), first, length);
        return new MediaContent(record.mimeType(), record.fileName(), first, length, size, range.isPresent(), body);
    }

    @Override
    public StoredMedia store(UUID tenantId, UUID instanceId, MessageId id, Instant at, Path file, String mimeType,
                             Optional<String> fileName) {
        var target = targetOf(tenantId, instanceId);
        var date = at.atZone(ZoneOffset.UTC);
        var extension = probe.extension(mimeType).map(ext -> "." + ext).orElse(".bin");
        var key = target.prefix() + instanceId + "/" + date.getYear() + "/"
                + String.format("%02d", date.getMonthValue()) + "/" + id.value() + extension;
        var sha256 = MediaIntakeService.sha256(file);
        long size = size(file);
        target.store().put(key, file, mimeType);
        records.save(new MediaRecord(instanceId, id.value(), target.store().kind(), target.store().bucket()
                .orElse(null), key, mimeType, size, sha256, fileName, clock.instant()));
        var url = target.store().url(key).map(Object::toString).orElseGet(() -> gatewayUrl(instanceId, id.value()));
        return new StoredMedia(url, size, sha256, mimeType);
    }

    @Override
    public Embedded embed(UUID tenantId, UUID instanceId, String messageId) {
        var record = records.find(instanceId, messageId);
        if (record.isEmpty()) {
            return Embedded.omitted("unavailable");
        }
        if (record.get().size() > settings.base64MaxBytes()) {
            return Embedded.omitted("too_large");
        }
        try (var in = storeOf(tenantId, record.get()).open(record.get().key(), 0, record.get().size())) {
            return Embedded.of(Base64.getEncoder().encodeToString(in.readAllBytes()));
        } catch (IOException | MediaStore.MediaStoreException | UnavailableException e) {
            return Embedded.omitted("unavailable");
        }
    }

    /**
     * Copies a message's stored file into a new temporary file the caller owns (what an upload reads); empty when
     * no file is recorded for it.
     */
    Optional<Path> copyOut(UUID tenantId, UUID instanceId, MessageId id) {
        var record = records.find(instanceId, id.value());
        if (record.isEmpty()) {
            return Optional.empty();
        }
        try {
            var file = Files.createTempFile("ponte-upload-", ".bin");
            try (var in = storeOf(tenantId, record.get()).open(record.get().key(), 0, record.get().size())) {
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return Optional.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the media file", e);
        }
    }

    /**
     * A new stream of a message's stored file, from the local store or the instance's S3 bucket (what a re-upload for
     * a peer's media-retry request reads); empty when no file is recorded for it or its store cannot be read now.
     */
    Optional<java.io.InputStream> reopen(UUID tenantId, UUID instanceId, MessageId id) {
        var record = records.find(instanceId, id.value());
        if (record.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(storeOf(tenantId, record.get()).open(record.get().key(), 0, record.get().size()));
        } catch (MediaStore.MediaStoreException | UnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "a stored file could not be read again for a media retry: {0}",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Types Tika reports for a container whose exact kind it cannot name from the bytes alone. */
    private static final java.util.Set<String> CONTAINERS = java.util.Set.of("application/zip",
            "application/x-tika-ooxml", "application/x-tika-msoffice", "application/x-tika-ooxml-protected",
            "application/x-ole-storage");

    /**
     * The MIME type a received file is kept and served with: the type detected from its bytes (Apache Tika, as for
     * sends) when the sender's claim disagrees, else the claim. The claim agrees when it names the same type, or a
     * picture, video or sound for bytes of that same kind (WhatsApp's clients label Ogg/Opus
     * {@code audio/ogg; codecs=opus} where Tika says {@code audio/opus}, an MP4 may be detected as QuickTime: the
     * sender's subtype is kept; SVG, which can carry script, never passes as another picture), or is more precise
     * than the detection can be (an Office document in a ZIP or OLE container, a {@code text/*} type for plain
     * text), or nothing was detected ({@code application/octet-stream}). So a sender cannot pass an HTML page off as
     * a picture, nor a picture off as a document.
     */
    String receivedType(Path file, String claimed) {
        var detected = probe.detect(file);
        var claimedBase = claimed.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        var family = detected.split("/", 2)[0];
        boolean sameKind = (family.equals("image") || family.equals("video") || family.equals("audio"))
                && claimedBase.startsWith(family + "/") && !claimedBase.contains("svg") && !detected.contains("svg");
        if (detected.equals("application/octet-stream") || detected.equals(claimedBase) || sameKind
                || CONTAINERS.contains(detected) && claimedBase.startsWith("application/")
                || detected.equals("text/plain") && claimedBase.startsWith("text/")
                && !claimedBase.equals("text/html")) {
            return claimed;
        }
        return detected;
    }

    /**
     * Removes a message's stored file from its store (local or the instance's bucket) and its row; whether a file was
     * recorded. A store that cannot be reached keeps the row (and is logged), so a later removal can try again.
     */
    boolean remove(UUID tenantId, UUID instanceId, String messageId) {
        var record = records.find(instanceId, messageId);
        if (record.isEmpty()) {
            return false;
        }
        try {
            storeOf(tenantId, record.get()).delete(record.get().key());
        } catch (MediaStore.MediaStoreException | UnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "a stored media file could not be removed: {0}", e.getMessage());
            if (!(e instanceof UnavailableException)) {
                return false;
            }
        }
        return records.delete(instanceId, messageId);
    }

    /** How many files one purge round looks at, at most. */
    private static final int PURGE_BATCH = 500;

    /**
     * Removes the files stored before {@code before} (message retention, {@code PONTE_MESSAGE_RETENTION_DAYS}),
     * except those of sends still queued; returns how many were removed. A file its store would not remove now is
     * kept for the next round.
     */
    int purgeStoredBefore(Instant before) {
        int removed = 0;
        for (var owned : records.storedBefore(before, PURGE_BATCH)) {
            if (remove(owned.tenantId(), owned.record().instanceId(), owned.record().messageId())) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * What removes every stored file of an instance being deleted, to run once the delete is committed. Called in
     * the deleting transaction, before the instance is marked deleted: deleting it forgets its S3 configuration
     * (V2's trigger), so the bucket's credentials are read now.
     */
    Runnable removalOf(UUID tenantId, UUID instanceId) {
        var s3 = s3Configs.find(tenantId, instanceId);
        return () -> removeAll(instanceId, record -> storeOf(record, s3));
    }

    /** Removes every stored file of an instance from the stores {@code stores} names; returns how many. */
    int removeAll(UUID instanceId, java.util.function.Function<MediaRecord, MediaStore> stores) {
        int removed = 0;
        while (true) {
            var batch = records.ofInstance(instanceId, PURGE_BATCH);
            int before = removed;
            for (var record : batch) {
                try {
                    stores.apply(record).delete(record.key());
                } catch (MediaStore.MediaStoreException e) {
                    LOG.log(System.Logger.Level.WARNING, "a stored media file could not be removed: {0}",
                            e.getMessage());
                    continue;
                } catch (UnavailableException e) {
                    LOG.log(System.Logger.Level.WARNING, "a stored media file could not be removed: {0}",
                            e.getMessage()); // its bucket is unknown now: only the row can go
                }
                if (records.delete(instanceId, record.messageId())) {
                    removed++;
                }
            }
            if (batch.size() < PURGE_BATCH || removed == before) {
                return removed; // all gone, or the rest cannot be removed now
            }
        }
    }

    /** The gateway's own media URL of a message. */
    String gatewayUrl(UUID instanceId, String messageId) {
        var base = settings.publicUrl().toString().replaceAll("/+$", "");
        return base + "/v1/instances/" + instanceId + "/media/" + messageId;
    }

    private record Target(MediaStore store, String prefix) {}

    private Target targetOf(UUID tenantId, UUID instanceId) {
        var s3 = s3Configs.find(tenantId, instanceId).filter(stored -> stored.config().enabled());
        if (s3.isEmpty()) {
            return new Target(local, "");
        }
        var config = s3.get().config();
        return new Target(s3Stores.open(config, cipher.openString(s3.get().sealedSecretAccessKey())),
                config.prefix());
    }

    /** The store a recorded file lies in: the local one, or the instance's bucket with its current credentials. */
    private MediaStore storeOf(UUID tenantId, MediaRecord record) {
        if (record.store() == MediaStore.Kind.LOCAL) {
            return local;
        }
        return storeOf(record, s3Configs.find(tenantId, record.instanceId()));
    }

    /** As above, with the instance's S3 configuration as read earlier ({@code configured}). */
    private MediaStore storeOf(MediaRecord record, Optional<S3Store.Stored> configured) {
        if (record.store() == MediaStore.Kind.LOCAL) {
            return local;
        }
        var s3 = configured.orElseThrow(() -> new UnavailableException(
                "the media of this message lies in S3, but the instance has no S3 configuration any more"));
        var config = s3.config();
        if (record.bucket() != null && !record.bucket().equals(config.bucket())) {
            config = new ponte.domain.integration.S3Config(config.enabled(), config.region(), record.bucket(),
                    config.accessKeyId(), config.endpoint(), config.prefix(), config.pathStyle());
        }
        return s3Stores.open(config, cipher.openString(s3.sealedSecretAccessKey()));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the media file", e);
        }
    }

}
