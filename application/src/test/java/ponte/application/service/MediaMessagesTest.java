package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.application.port.in.InboundMessagesUseCase.ReceivedMedia;
import ponte.application.port.out.MediaProbe;
import ponte.application.port.out.MediaRecords;
import ponte.application.port.out.MediaStore;
import ponte.application.port.out.MediaTransferPort;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.S3Store;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.message.Jid;
import ponte.domain.message.MediaInfo;
import ponte.domain.message.MediaType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.Sender;
import ponte.domain.settings.InstanceSettings;

/**
 * The application's media flow around the wire's {@link MediaTransferPort}: a received file is downloaded and stored
 * before its message is stored and announced (with {@code media.url}), a file that cannot be had still lets the
 * message through with {@code media.error}, an offline session lets nothing through (the stanza stays unacked); a
 * staged send is uploaded from the media store as it goes out. The wire's port is an in-test implementation here
 * (the engine's lands with the mediawire work; the bootstrap tests take over once both are on main); the store is a
 * real directory on disk.
 */
class MediaMessagesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Jid PEER = Jid.phone("5511987650001");

    @TempDir
    Path dir;

    private final AtomicLong sequence = new AtomicLong();
    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryMessaging store = new InMemoryMessaging();
    private final InMemoryPorts.DirectTransactions transactions = new InMemoryPorts.DirectTransactions();
    private final List<EventEnvelope> published = java.util.Collections.synchronizedList(new ArrayList<>());
    private final EventScenariosTest.MovableClock clock = new EventScenariosTest.MovableClock(T0);
    private final EventIngestService ingest = new EventIngestService(instances, instances, outbox, outbox,
            (event, queued) -> published.add(event), transactions, () -> new UUID(sequence.incrementAndGet(), 0),
            new ponte.domain.webhook.RetrySchedule(List.of(Duration.ZERO), Duration.ZERO), clock);
    private final Records records = new Records();
    private final Wire wire = new Wire();
    private final Instance shop = Instance.create(UUID.randomUUID(), UUID.randomUUID(), new InstanceName("shop"),
            Map.of(), T0).instance().reportConnected(new LinkedAccount("5511900000000", "209000000000001@lid", "Shop",
            "web"), T0).instance();

    private MediaService media() {
        return new MediaService(new InstanceAccess(instances), records, new DirectoryStore(dir.resolve("media")),
                null, new NoS3(), null, new Extensions(),
                new MediaSettings(URI.create("https://ponte.example"), MediaSettings.MAX_MEDIA_BYTES, 1000,
                        ponte.domain.egress.EgressPolicy.STRICT), clock);
    }

    private InboundMessageService inbound() {
        instances.insert(shop);
        return new InboundMessageService(instances, new NoSettings(), store, ingest, transactions, clock,
                new MediaMessages(null, media(), wire));
    }

    @Test
    void aReceivedFileIsStoredBeforeItsMessageAndTheEventCarriesItsUrl() throws Exception {
        var inbound = inbound();
        wire.file = "a picture's bytes".getBytes();
        var message = received("3A0000000000000001");

        assertThat(inbound.exchanged(shop.id(), MessageExchanged.of(message), Optional.of(file(message))))
                .isTrue();

        var row = records.find(shop.id(), "3A0000000000000001").orElseThrow();
        assertThat(row.key()).isEqualTo(shop.id() + "/2026/11/3A0000000000000001.jpg");
        assertThat(Files.readAllBytes(dir.resolve("media").resolve(row.key()))).isEqualTo(wire.file);
        var media = ((Message.Media) store.find(shop.id(), message.id()).orElseThrow().message().body()).media();
        assertThat(media.url()).contains("https://ponte.example/v1/instances/" + shop.id()
                + "/media/3A0000000000000001");
        assertThat(media.size()).hasValue(wire.file.length);
        assertThat(media.sha256()).contains(HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(wire.file)));
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(EventType.MESSAGE_EXCHANGE);
            assertThat(event.wireForm().toString()).contains("media/3A0000000000000001");
        });
    }

    @Test
    void aFileThatCannotBeHadStillAnnouncesTheMessageWithTheReason() {
        var inbound = inbound();
        wire.unavailable = "the media host no longer has the file, and the sender did not upload it again";
        var message = received("3A0000000000000002");

        assertThat(inbound.exchanged(shop.id(), MessageExchanged.of(message), Optional.of(file(message))))
                .isTrue();

        var media = ((Message.Media) store.find(shop.id(), message.id()).orElseThrow().message().body()).media();
        assertThat(media.error()).contains(wire.unavailable);
        assertThat(media.url()).isEmpty();
        assertThat(records.find(shop.id(), "3A0000000000000002")).isEmpty();
        assertThat(published).singleElement().satisfies(event ->
                assertThat(event.wireForm().toString()).contains("error=" + wire.unavailable));
    }

    @Test
    void anOfflineSessionLetsNothingThroughSoTheMessageIsNotAcked() {
        var inbound = inbound();
        wire.offline = true;
        var message = received("3A0000000000000003");

        assertThatThrownBy(() -> inbound.exchanged(shop.id(), MessageExchanged.of(message),
                Optional.of(file(message)))).isInstanceOf(MessagingPort.Offline.class);

        assertThat(store.find(shop.id(), message.id())).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aRedeliveredMessageIsNotDownloadedAgain() {
        var inbound = inbound();
        wire.file = new byte[] {1, 2, 3};
        var message = received("3A0000000000000004");
        inbound.exchanged(shop.id(), MessageExchanged.of(message), Optional.of(file(message)));
        assertThat(wire.downloads).isEqualTo(1);

        assertThat(inbound.exchanged(shop.id(), MessageExchanged.of(message), Optional.of(file(message))))
                .isFalse();
        assertThat(wire.downloads).isEqualTo(1);
    }

    @Test
    void aStagedSendIsUploadedFromTheMediaStoreAsItGoesOut() throws Exception {
        instances.insert(shop);
        var service = media();
        var bytes = "a document".getBytes();
        var id = new MessageId("3EB0000000000000000001");
        service.store(shop.tenantId(), shop.id(), id, T0, Files.write(dir.resolve("doc.pdf"), bytes),
                "application/pdf", Optional.of("doc.pdf"));
        var staged = new MessagingPort.WireContent.StagedMedia(MediaTransferPort.MediaKind.DOCUMENT,
                "application/pdf", Optional.of("see attached"), Optional.of("doc.pdf"), java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty(), false, false, Optional.empty());

        var sendable = new MediaMessages(null, service, wire).sendable(shop::tenantId, shop.id(), id, staged);

        assertThat(wire.uploaded).isEqualTo(bytes);
        assertThat(wire.uploadedKind).isEqualTo(MediaTransferPort.MediaKind.DOCUMENT);
        assertThat(sendable).isInstanceOfSatisfying(MessagingPort.WireContent.Media.class, m -> {
            assertThat(m.ref().fileLength()).isEqualTo(bytes.length);
            assertThat(m.caption()).contains("see attached");
            assertThat(m.fileName()).contains("doc.pdf");
            assertThat(m.mimeType()).isEqualTo("application/pdf");
        });
        var text = new MessagingPort.WireContent.Text("hi", false);
        assertThat(new MediaMessages(null, service, wire).sendable(shop::tenantId, shop.id(), id, text))
                .isSameAs(text);
        assertThatThrownBy(() -> new MediaMessages(null, service, wire).sendable(shop::tenantId, shop.id(),
                new MessageId("3EB0000000000000000FFF"), staged)).isInstanceOf(MessagingPort.Refused.class);
    }

    @Test
    void aTextWithLinkPreviewGetsThePreviewOfItsFirstLinkAsItGoesOut() {
        var preview = new ponte.application.model.LinkPreview("https://ponte.example/post", Optional.of("Title"),
                Optional.of("About"), "https://ponte.example/post", Optional.empty());
        var messages = new MediaMessages(null, media(), wire, text -> text.contains("https://")
                ? Optional.of(preview) : Optional.empty());
        var withLink = new MessagingPort.WireContent.Text("read https://ponte.example/post", true);

        assertThat(messages.sendable(shop::tenantId, shop.id(), new MessageId("3EB0000000000000000002"), withLink))
                .isInstanceOfSatisfying(MessagingPort.WireContent.Text.class,
                        text -> assertThat(text.preview()).contains(preview));
        var off = new MessagingPort.WireContent.Text("read https://ponte.example/post", false);
        assertThat(messages.sendable(shop::tenantId, shop.id(), new MessageId("3EB0000000000000000003"), off))
                .isSameAs(off);
    }

    @Test
    void aReceivedFileIsServedAsWhatItsBytesAreNotAsItsSenderClaims() {
        var inbound = inbound();
        wire.file = "<html><script>alert(1)</script></html>".getBytes();
        var message = received("3A0000000000000010"); // claimed image/jpeg
        inbound.exchanged(shop.id(), MessageExchanged.of(message), Optional.of(file(message)));
        assertThat(records.find(shop.id(), "3A0000000000000010").orElseThrow().mimeType()).isEqualTo("text/html");
        var media = ((Message.Media) store.find(shop.id(), message.id()).orElseThrow().message().body()).media();
        assertThat(media.mimeType()).isEqualTo("text/html");

        wire.file = new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2};
        var picture = received("3A0000000000000011");
        inbound.exchanged(shop.id(), MessageExchanged.of(picture), Optional.of(file(picture)));
        assertThat(records.find(shop.id(), "3A0000000000000011").orElseThrow().mimeType()).isEqualTo("image/jpeg");
        wire.file = "no magic".getBytes();
        var unknown = received("3A0000000000000012");
        inbound.exchanged(shop.id(), MessageExchanged.of(unknown), Optional.of(file(unknown)));
        assertThat(records.find(shop.id(), "3A0000000000000012").orElseThrow().mimeType())
                .as("nothing detected: the claim stands").isEqualTo("image/jpeg");
    }

    @Test
    void aRevokedMessageLosesItsStoredFileAndItsCaption() throws Exception {
        var inbound = inbound();
        wire.file = "a picture's bytes".getBytes();
        var message = received("3A0000000000000020");
        inbound.exchanged(shop.id(), MessageExchanged.of(message), Optional.of(file(message)));
        var key = records.find(shop.id(), "3A0000000000000020").orElseThrow().key();
        assertThat(dir.resolve("media").resolve(key)).exists();

        var revoke = new Message(message.id(), PEER, false, message.sender(), T0.plusSeconds(5),
                MessageStatus.DELIVERED, new Message.Revoked(), Optional.empty(), List.of(), Optional.empty(), false,
                Optional.empty(), true);
        assertThat(inbound.exchanged(shop.id(), new MessageExchanged(MessageExchanged.Kind.REVOKED, revoke)))
                .isTrue();
        assertThat(dir.resolve("media").resolve(key)).doesNotExist();
        assertThat(records.find(shop.id(), "3A0000000000000020")).isEmpty();
        var kept = store.find(shop.id(), message.id()).orElseThrow().message();
        assertThat(kept.revoked()).isTrue();
        assertThat(kept.wireForm()).doesNotContainKeys("caption", "media");
    }

    @Test
    void retentionAndAnInstancesDeletionRemoveStoredFiles() throws Exception {
        var service = media();
        var old = service.store(shop.tenantId(), shop.id(), new MessageId("3EB0000000000000000031"), T0,
                Files.write(dir.resolve("a.pdf"), new byte[] {1}), "application/pdf", Optional.empty());
        clock.advance(Duration.ofDays(40));
        service.store(shop.tenantId(), shop.id(), new MessageId("3EB0000000000000000032"), clock.instant(),
                Files.write(dir.resolve("b.pdf"), new byte[] {2}), "application/pdf", Optional.empty());
        var oldKey = records.find(shop.id(), "3EB0000000000000000031").orElseThrow().key();
        var newKey = records.find(shop.id(), "3EB0000000000000000032").orElseThrow().key();

        assertThat(service.purgeStoredBefore(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(dir.resolve("media").resolve(oldKey)).doesNotExist();
        assertThat(dir.resolve("media").resolve(newKey)).exists();

        service.removalOf(shop.tenantId(), shop.id()).run();
        assertThat(dir.resolve("media").resolve(newKey)).doesNotExist();
        assertThat(records.ofInstance(shop.id(), 10)).isEmpty();
        assertThat(old.size()).isEqualTo(1);
    }

    private Message received(String id) {
        return new Message(new MessageId(id), PEER, false, Sender.of(PEER, Optional.empty(), Optional.of("Peer")),
                T0, MessageStatus.DELIVERED, new Message.Media(MediaType.IMAGE, MediaInfo.of("image/jpeg"),
                Optional.of("look"), false), Optional.empty(), List.of(), Optional.empty(), false);
    }

    private static ReceivedMedia file(Message message) {
        return new ReceivedMedia(MediaType.IMAGE, "/v/t62/abc", Optional.empty(), new byte[32], new byte[32],
                new byte[32], 3);
    }

    /** The wire's side, in the test: hands out a file, or fails as the engine would. */
    private static final class Wire implements MediaTransferPort {
        byte[] file = new byte[0];
        String unavailable;
        boolean offline;
        int downloads;
        byte[] uploaded;
        MediaKind uploadedKind;

        @Override
        public MediaRef upload(UUID instanceId, MediaKind kind, Path plaintext, SentFileSource again) {
            try {
                uploaded = Files.readAllBytes(plaintext);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            uploadedKind = kind;
            return new MediaRef("/v/t62/up", Optional.empty(), new byte[32], new byte[32], new byte[32],
                    uploaded.length);
        }

        @Override
        public void download(UUID instanceId, MessageKey message, MediaKind kind, MediaRef ref, OutputStream sink) {
            downloads++;
            if (offline) {
                throw new MessagingPort.Offline("not online");
            }
            if (unavailable != null) {
                throw new MediaUnavailable(unavailable);
            }
            try {
                sink.write(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The media table, in memory. */
    private final class Records implements MediaRecords {
        private final Map<String, MediaRecord> rows = new ConcurrentHashMap<>();
        private final java.util.function.Function<UUID, UUID> tenantOf = id -> shop.tenantId();

        @Override
        public void save(MediaRecord record) {
            rows.put(record.instanceId() + "/" + record.messageId(), record);
        }

        @Override
        public Optional<MediaRecord> find(UUID instanceId, String messageId) {
            return Optional.ofNullable(rows.get(instanceId + "/" + messageId));
        }

        @Override
        public boolean delete(UUID instanceId, String messageId) {
            return rows.remove(instanceId + "/" + messageId) != null;
        }

        @Override
        public java.util.List<Owned> storedBefore(java.time.Instant before, int max) {
            return rows.values().stream().filter(r -> r.createdAt().isBefore(before)).limit(max)
                    .map(r -> new Owned(tenantOf.apply(r.instanceId()), r)).toList();
        }

        @Override
        public java.util.List<MediaRecord> ofInstance(UUID instanceId, int max) {
            return rows.values().stream().filter(r -> r.instanceId().equals(instanceId)).limit(max).toList();
        }
    }

    /** A media store on disk (the adapter's local store has the same contract; adapters are not visible here). */
    private static final class DirectoryStore implements MediaStore {
        private final Path root;

        DirectoryStore(Path root) {
            this.root = root;
        }

        @Override
        public Kind kind() {
            return Kind.LOCAL;
        }

        @Override
        public Optional<String> bucket() {
            return Optional.empty();
        }

        @Override
        public void put(String key, Path file, String mimeType) {
            try {
                Files.createDirectories(root.resolve(key).getParent());
                Files.copy(file, root.resolve(key), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public InputStream open(String key, long offset, long length) {
            try {
                var in = Files.newInputStream(root.resolve(key));
                in.skipNBytes(offset);
                return in;
            } catch (java.nio.file.NoSuchFileException e) {
                throw new MediaStoreException("missing", true, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean delete(String key) {
            return root.resolve(key).toFile().delete();
        }

        @Override
        public Optional<URI> url(String key) {
            return Optional.empty();
        }
    }

    private static final class NoS3 implements S3Store {
        @Override
        public Optional<Stored> find(UUID tenantId, UUID instanceId) {
            return Optional.empty();
        }

        @Override
        public void save(UUID tenantId, UUID instanceId, Stored stored) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(UUID tenantId, UUID instanceId) {
            return false;
        }
    }

    private static final class Extensions implements MediaProbe {
        @Override
        public String detect(Path file) {
            try {
                var text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                return text.startsWith("<html") ? "text/html" : text.startsWith("\u00FF\u00D8") ? "image/jpeg"
                        : "application/octet-stream";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<Picture> picture(Path file, int maxSide) {
            return Optional.empty();
        }

        @Override
        public Optional<String> extension(String mimeType) {
            return Optional.of(mimeType.equals("image/jpeg") ? "jpg" : "pdf");
        }

        @Override
        public java.util.OptionalInt durationSeconds(Path file, String mimeType) {
            return java.util.OptionalInt.empty();
        }

        @Override
        public java.util.OptionalInt pageCount(Path file, String mimeType) {
            return java.util.OptionalInt.empty();
        }

        @Override
        public boolean animated(Path file, String mimeType) {
            return false;
        }
    }

    private static final class NoSettings implements ponte.application.port.out.InstanceSettingsStore {
        @Override
        public Optional<InstanceSettings> find(UUID tenantId, UUID instanceId) {
            return Optional.empty();
        }

        @Override
        public void save(UUID tenantId, UUID instanceId, InstanceSettings value) {
            throw new UnsupportedOperationException();
        }
    }
}
