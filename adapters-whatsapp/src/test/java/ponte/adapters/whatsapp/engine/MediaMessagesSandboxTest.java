package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.out.MediaTransferPort.MediaKind;
import ponte.application.port.out.MediaTransferPort.MediaRef;
import ponte.application.port.out.MessagingPort.WireContent;
import ponte.application.port.out.MessagingPort.WireMessage;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Media messages on the wire between the instance and a sandbox phone, both ways, through the sandbox's HTTPS media
 * host: each side's file arrives byte-identical at the other (the instance's through
 * {@link ponte.application.port.out.MediaTransferPort}), and a file the host expired comes back through media retry,
 * whichever side sent it.
 */
class MediaMessagesSandboxTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PHONE = "5511987650442";
    private static final String PEER = "5511987650477";

    private final RecordedReports reports = new RecordedReports();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private WhatsAppEngine engine;
    private UUID id;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        sandbox.phones().create(PEER, "Bia");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
        id = UUID.randomUUID();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void eachTypeTheInstanceSendsArrivesByteIdenticalOnThePhoneEvenAfterTheHostExpiredIt() throws Exception {
        record Case(MediaKind kind, String mime, Optional<String> caption, Optional<String> fileName, boolean ptt) {
        }
        List<Case> cases = List.of(
                new Case(MediaKind.IMAGE, "image/jpeg", Optional.of("a photo"), Optional.empty(), false),
                new Case(MediaKind.VIDEO, "video/mp4", Optional.of("a clip"), Optional.empty(), false),
                new Case(MediaKind.AUDIO, "audio/ogg; codecs=opus", Optional.empty(), Optional.empty(), true),
                new Case(MediaKind.DOCUMENT, "application/pdf", Optional.of("the report"),
                        Optional.of("report.pdf"), false),
                new Case(MediaKind.STICKER, "image/webp", Optional.empty(), Optional.empty(), false));
        int n = 0;
        for (Case c : cases) {
            byte[] plain = bytes(100_000 + 7919 * n);
            Path file = dir.resolve("out-" + n++);
            Files.write(file, plain);
            MediaRef ref = engine.upload(id, c.kind(), file, MediaTransferTest.kept(file));
            String messageId = "3EB0MEDIA" + n;
            engine.send(id, new WireMessage(new MessageId(messageId), Jid.phone(PEER), new WireContent.Media(
                    c.kind(), ref, c.mime(), c.caption(), c.fileName(), OptionalInt.of(640), OptionalInt.of(480),
                    OptionalInt.empty(), c.ptt(), false, false, Optional.empty(), Optional.empty()),
                    Optional.empty(), List.of())).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ReceivedMessage received = awaitReceived(messageId);
            assertThat(received.body()).hasValueSatisfying(body -> {
                assertThat(body).isInstanceOf(Message.Media.class);
                Message.Media media = (Message.Media) body;
                assertThat(media.kind().name()).isEqualTo(c.kind().name());
                assertThat(media.caption()).isEqualTo(c.caption());
                assertThat(media.media().mimeType()).isEqualTo(c.mime());
                assertThat(media.media().fileName()).isEqualTo(c.fileName());
                assertThat(media.media().ptt()).isEqualTo(c.ptt());
            });
            if (c.kind() == MediaKind.DOCUMENT) {
                // expired before the phone looked: it asks the instance, which uploads the same file again
                assertThat(sandbox.media().expire(ref.directPath())).isTrue();
            }
            assertThat(sandbox.phones().receivedMedia(PEER, messageId, WAIT))
                    .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(plain));
        }
    }

    @Test
    void aFileThePhoneSendsIsDownloadedByteIdenticalThroughThePortEvenAfterTheHostExpiredIt() throws Exception {
        byte[] photo = bytes(1_234_567);
        String first = sandbox.phones().sendMedia(PEER, PHONE, MediaType.IMAGE, photo, "image/jpeg",
                Optional.of("look"), Optional.empty());
        byte[] voice = bytes(40_000);
        String second = sandbox.phones().sendMedia(PEER, PHONE, MediaType.PTT, voice, "audio/ogg; codecs=opus",
                Optional.empty(), Optional.empty());
        awaitUntil(() -> reports.media(first).isPresent() && reports.media(second).isPresent());

        var image = reports.media(first).orElseThrow();
        assertThat(image.kind()).isEqualTo(MediaKind.IMAGE);
        assertThat(image.key().chat()).isEqualTo(Jid.phone(PEER));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.download(id, image.key(), image.kind(), image.ref(), out);
        assertThat(out.toByteArray()).isEqualTo(photo);

        var audio = reports.media(second).orElseThrow();
        assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(sandbox.media().expire(audio.ref().directPath())).isTrue();
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        engine.download(id, audio.key(), audio.kind(), audio.ref(), again);
        assertThat(again.toByteArray()).isEqualTo(voice);
    }

    private ReceivedMessage awaitReceived(String messageId) throws InterruptedException {
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(m -> m.id().equals(messageId)));
        return sandbox.phones().received(PEER).stream().filter(m -> m.id().equals(messageId)).findFirst()
                .orElseThrow();
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
