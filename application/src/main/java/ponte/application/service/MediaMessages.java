package ponte.application.service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import ponte.application.port.in.InboundMessagesUseCase.ReceivedMedia;
import ponte.application.port.out.MediaTransferPort;
import ponte.application.port.out.MessagingPort;
import ponte.domain.instance.Instance;
import ponte.domain.message.MediaContent;
import ponte.domain.message.MediaInfo;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;

/**
 * The media half of sending and receiving (issue 11). A send's file is checked by the intake and kept in the media
 * store under the message's id before the message is queued (a queued row survives a restart with its file); the
 * sender uploads it when it goes out. A received file is downloaded, checked and stored before its message is stored
 * and announced, so the message is acknowledged only once its file is kept; a file that cannot be had still lets the
 * message through, with {@code media.error}.
 */
final class MediaMessages {
    private static final System.Logger LOG = System.getLogger(MediaMessages.class.getName());

    private final MediaIntakeService intake;
    private final MediaService media;
    private final MediaTransferPort transfers;
    private final ponte.application.port.in.LinkPreviewUseCase previews;

    MediaMessages(MediaIntakeService intake, MediaService media, MediaTransferPort transfers) {
        this(intake, media, transfers, text -> Optional.empty());
    }

    /** {@code previews}: the link previews of texts sent with {@code link_preview} (issue 11). */
    MediaMessages(MediaIntakeService intake, MediaService media, MediaTransferPort transfers,
                  ponte.application.port.in.LinkPreviewUseCase previews) {
        this.previews = previews;
        this.intake = intake;
        this.media = media;
        this.transfers = transfers;
    }

    /** A media send accepted: the body its message shows and what the queue keeps. */
    record Staged(Message.Media body, MessagingPort.WireContent.StagedMedia wire) {}

    /**
     * Checks a media send's file and keeps it in the media store as message {@code id}'s; a refused file is a
     * {@link ponte.domain.validation.ValidationException} and nothing is kept.
     */
    Staged stage(Instance instance, MessageId id, Instant at, MediaContent content) {
        var checked = intake.accept(content);
        try {
            var stored = media.store(instance.tenantId(), instance.id(), id, at, checked.file(), checked.mimeType(),
                    checked.fileName());
            var waveform = content.waveform().filter(w -> checked.ptt());
            var info = new MediaInfo(checked.mimeType(), checked.fileName(), OptionalLong.of(checked.size()),
                    Optional.of(checked.sha256()), checked.durationS(), checked.width(), checked.height(),
                    Optional.of(stored.url()), checked.ptt(), content.gif(), checked.animated(), Optional.empty(),
                    waveform,
                    checked.pageCount());
            var body = new Message.Media(content.kind(), info, content.caption(), false);
            var wire = new MessagingPort.WireContent.StagedMedia(kindOf(content.kind()), checked.mimeType(),
                    content.caption(), checked.fileName(), checked.width(), checked.height(), checked.ptt(),
                    content.gif(), checked.animated(), checked.thumbnail(), checked.durationS(), waveform.map(w -> w.samples()),
                    checked.pageCount());
            return new Staged(body, wire);
        } finally {
            deleteQuietly(checked.file());
        }
    }

    /**
     * What the engine sends for a queued content: a staged media send is uploaded now and becomes the media message;
     * a text with {@code link_preview} gets the preview of its first link; anything else goes as it is.
     *
     * @throws MessagingPort.Offline  when the upload cannot be made now (the send stays queued)
     * @throws MessagingPort.Refused  when the staged file is gone from the media store (the send fails)
     */
    MessagingPort.WireContent sendable(java.util.function.Supplier<UUID> tenantId, UUID instanceId, MessageId id,
                                       MessagingPort.WireContent content) {
        if (content instanceof MessagingPort.WireContent.Text text) {
            // fetched as the message goes out, through the SSRF guard; a text never waits on a failed preview
            return text.linkPreview() && text.preview().isEmpty()
                    ? previews.preview(text.text()).map(text::withPreview).<MessagingPort.WireContent>map(t -> t)
                    .orElse(text) : text;
        }
        if (!(content instanceof MessagingPort.WireContent.StagedMedia staged)) {
            return content;
        }
        UUID tenant = tenantId.get();
        var file = media.copyOut(tenant, instanceId, id).orElseThrow(() -> new MessagingPort.Refused(
                "the file of media message " + id + " is no longer in the media store"));
        try {
            // a peer's media-retry request, hours later, is answered from the media store, which keeps the file
            return staged.uploaded(transfers.upload(instanceId, staged.kind(), file,
                    () -> media.reopen(tenant, instanceId, id)));
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * A received media message with its file downloaded, checked and stored ({@code media.url}), or with
     * {@code media.error} when the file cannot be had.
     *
     * @throws MessagingPort.Offline when the session went away meanwhile (the message is not acked; the server
     *                               delivers it again)
     */
    Message received(Instance instance, Message message, ReceivedMedia file) {
        if (!(message.body() instanceof Message.Media body)) {
            return message;
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile("ponte-download-", ".bin");
            try (OutputStream sink = Files.newOutputStream(temporary)) {
                transfers.download(instance.id(), new MediaTransferPort.MessageKey(message.id(), message.chatJid(),
                        message.fromMe(), message.participant()), kindOf(file.kind()),
                        new MediaTransferPort.MediaRef(file.directPath(), file.url(), file.mediaKey(),
                                file.fileSha256(), file.fileEncSha256(), file.fileLength()), sink);
            }
            var info = body.media();
            // the sender's claim is not trusted: the bytes say what the file is (the media object has no field
            // for the claim, so the detected type is the one reported and served)
            var type = media.receivedType(temporary, info.mimeType());
            var stored = media.store(instance.tenantId(), instance.id(), message.id(), message.timestamp(), temporary,
                    type, info.fileName());
            var kept = new MediaInfo(type, info.fileName(), OptionalLong.of(stored.size()),
                    Optional.of(stored.sha256()), info.durationS(), info.width(), info.height(),
                    Optional.of(stored.url()), info.ptt(), info.gif(), info.animated(), Optional.empty(),
                    info.waveform(), info.pageCount());
            return message.withBody(body.withMedia(kept));
        } catch (MediaTransferPort.MediaUnavailable e) {
            LOG.log(System.Logger.Level.INFO, "the file of a received message could not be had: {0}", e.getMessage());
            return message.withBody(body.withMedia(body.media().withError(e.getMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep a received file", e);
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    /** Removes the stored file of message {@code id} (a message deleted for everyone), if one is kept. */
    void forget(Instance instance, MessageId id) {
        media.remove(instance.tenantId(), instance.id(), id.value());
    }

    /** Removes the files kept longer than message retention ({@link MediaService#purgeStoredBefore}). */
    int purgeStoredBefore(Instant before) {
        return media.purgeStoredBefore(before);
    }

    static MediaTransferPort.MediaKind kindOf(ponte.domain.message.MediaType type) {
        return MediaTransferPort.MediaKind.valueOf(type.name());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file: the OS cleans its temp directory
        }
    }
}
