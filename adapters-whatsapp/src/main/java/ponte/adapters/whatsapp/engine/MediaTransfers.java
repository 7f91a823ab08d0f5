package ponte.adapters.whatsapp.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import ponte.adapters.whatsapp.client.Companion;
import ponte.adapters.whatsapp.client.MediaRetries;
import ponte.adapters.whatsapp.media.MediaClient;
import ponte.adapters.whatsapp.media.MediaTransferException;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.application.port.out.MediaTransferPort;
import ponte.application.port.out.MessagingPort;

/**
 * The engine's side of {@link MediaTransferPort}: uploads and downloads run on the companion of an instance online
 * on this node ({@link Companion#media()}), streaming. A download the host answers with 404 or 410 asks the
 * sender's device to upload the file again ({@link Companion#mediaRetries()}), waits for the new direct path and
 * downloads once more; a file that still cannot be had, or whose hash or MAC is wrong, is
 * {@link MediaTransferPort.MediaUnavailable} with the reason.
 */
final class MediaTransfers implements MediaTransferPort {

    /** How long the sender's device has to upload a file again: its phone may have to wake up first. */
    static final Duration RETRY_WAIT = Duration.ofSeconds(60);

    private final Function<UUID, Companion> online;
    private final Duration retryWait;

    /** {@code online} is the companion of an instance online here, or throws {@link MessagingPort.Offline}. */
    MediaTransfers(Function<UUID, Companion> online, Duration retryWait) {
        this.online = online;
        this.retryWait = retryWait;
    }

    static MediaType type(MediaKind kind) {
        return switch (kind) {
            case IMAGE -> MediaType.IMAGE;
            case VIDEO -> MediaType.VIDEO;
            case AUDIO -> MediaType.AUDIO;
            case DOCUMENT -> MediaType.DOCUMENT;
            case STICKER -> MediaType.STICKER;
        };
    }

    @Override
    public MediaRef upload(UUID instanceId, MediaKind kind, Path plaintext, SentFileSource again) {
        Companion device = online.apply(instanceId);
        try (InputStream in = Files.newInputStream(plaintext)) {
            MediaClient.Uploaded uploaded = device.media().upload(type(kind), in);
            // a peer whose copy expires asks us to upload it again: from the gateway's copy, while it keeps one
            // (plaintext is the caller's temporary file and is gone once this returns)
            device.mediaRetries().rememberUpload(new MediaRetries.SentFile(type(kind), uploaded.mediaKey(),
                    again::open));
            return new MediaRef(uploaded.directPath(), uploaded.url(), uploaded.mediaKey(),
                    uploaded.sealed().fileSha256(), uploaded.sealed().fileEncSha256(), uploaded.sealed().fileLength());
        } catch (IOException e) {
            throw new IllegalArgumentException("the file to upload cannot be read: " + e.getMessage(), e);
        } catch (MediaTransferException e) {
            throw new MessagingPort.Offline("instance " + instanceId + ": the upload failed: " + e.getMessage());
        }
    }

    @Override
    public void download(UUID instanceId, MessageKey message, MediaKind kind, MediaRef ref, OutputStream sink) {
        Companion device = online.apply(instanceId);
        MediaType type = type(kind);
        try {
            try {
                fetch(device, type, ref.directPath(), ref, sink);
            } catch (MediaTransferException e) {
                if (e.reason() != MediaTransferException.Reason.GONE) {
                    throw e;
                }
                String newPath = askForReupload(device, message, ref);
                fetch(device, type, newPath, ref, sink);
            }
        } catch (MediaTransferException e) {
            throw new MediaUnavailable(e.getMessage());
        } catch (IOException e) {
            throw new MediaUnavailable("the file could not be written: " + e.getMessage());
        }
    }

    private static void fetch(Companion device, MediaType type, String directPath, MediaRef ref, OutputStream sink)
            throws IOException, MediaTransferException {
        device.media().download(type, directPath, ref.mediaKey(), ref.fileEncSha256(), ref.fileSha256(), sink);
    }

    private String askForReupload(Companion device, MessageKey message, MediaRef ref) throws IOException {
        try {
            return device.mediaRetries().request(message.id().value(), message.chat().toString(), message.fromMe(),
                    message.participant().map(Object::toString), ref.mediaKey())
                    .get(retryWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MediaUnavailable("the file is gone and the sender's device did not upload it again within "
                    + retryWait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new MediaUnavailable("the file is gone and the sender's device could not upload it again: "
                    + Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse("unknown"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaUnavailable("interrupted while waiting for the file to be uploaded again");
        }
    }
}
