package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.out.MediaTransferPort;
import ponte.application.port.out.MediaTransferPort.MediaKind;
import ponte.application.port.out.MediaTransferPort.MediaRef;
import ponte.application.port.out.MediaTransferPort.MediaUnavailable;
import ponte.application.port.out.MediaTransferPort.MessageKey;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * {@link ponte.application.port.out.MediaTransferPort} through the engine, the real sandbox and its HTTPS media
 * host: files go up and come back byte-identical, a file the host expired comes back through a media-retry request
 * the sender's phone answers by uploading it again, and a file that cannot be had is {@link MediaUnavailable}.
 */
class MediaTransferTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PHONE = "5511987650342";
    private static final String PEER = "5511987650377";

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
    void aFileUploadedByTheInstanceComesBackByteIdenticalAndOpensOnAPhone() throws Exception {
        byte[] plain = bytes(2_500_000);
        Path file = dir.resolve("video.mp4");
        Files.write(file, plain);
        MediaRef ref = engine.upload(id, MediaKind.VIDEO, file, kept(file));
        assertThat(ref.fileLength()).isEqualTo(plain.length);
        assertThat(ref.directPath()).startsWith("/v/t62.video/");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.download(id, key("3EB0AAAA", false), MediaKind.VIDEO, ref, out);
        assertThat(out.toByteArray()).isEqualTo(plain);
        // what a peer's phone gets from the same reference
        assertThat(sandbox.phones().downloadMedia(PEER, MediaType.VIDEO, ref.directPath(), ref.mediaKey(),
                ref.fileEncSha256(), ref.fileSha256())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(plain));
    }

    @Test
    void anExpiredFileIsUploadedAgainByTheSendersPhoneOnAMediaRetryRequest() {
        byte[] plain = bytes(300_000);
        var uploaded = sandbox.phones().uploadMedia(PEER, "3EB0RETRY1", MediaType.IMAGE, plain);
        MediaRef ref = new MediaRef(uploaded.directPath(), Optional.empty(), uploaded.mediaKey(),
                uploaded.sealed().fileSha256(), uploaded.sealed().fileEncSha256(), uploaded.sealed().fileLength());
        assertThat(sandbox.media().expire(uploaded.directPath())).isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.download(id, key("3EB0RETRY1", false), MediaKind.IMAGE, ref, out);
        assertThat(out.toByteArray()).isEqualTo(plain);
    }

    @Test
    void theInstanceUploadsAFileItSentAgainWhenAPhonesCopyExpired() throws Exception {
        byte[] plain = bytes(700_000);
        Path file = dir.resolve("photo.jpg");
        Files.write(file, plain);
        // the upload's file is a temporary one, gone once it returns; a re-upload reads the gateway's kept copy
        Path keptCopy = Files.write(dir.resolve("kept.jpg"), plain);
        MediaRef ref = engine.upload(id, MediaKind.IMAGE, file, kept(keptCopy));
        Files.delete(file);
        assertThat(sandbox.media().expire(ref.directPath())).isTrue();
        assertThat(sandbox.phones().downloadMedia(PEER, MediaType.IMAGE, ref.directPath(), ref.mediaKey(),
                ref.fileEncSha256(), ref.fileSha256())).isEmpty();

        String newPath = sandbox.phones().requestMediaRetry(PEER, PHONE, "3EB0OURS", ref.mediaKey())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(newPath).isNotEqualTo(ref.directPath());
        assertThat(sandbox.phones().downloadMedia(PEER, MediaType.IMAGE, newPath, ref.mediaKey(),
                ref.fileEncSha256(), ref.fileSha256())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(plain));

        // once the file is gone from here too, the answer is "not found"
        Files.write(file, plain);
        MediaRef other = engine.upload(id, MediaKind.IMAGE, file, kept(keptCopy));
        Files.delete(keptCopy);
        assertThatThrownBy(() -> sandbox.phones().requestMediaRetry(PEER, PHONE, "3EB0GONE", other.mediaKey())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasMessageContaining("NOT_FOUND");
    }

    @Test
    void aFileNobodyCanUploadAgainOrThatDoesNotCheckOutIsUnavailable() {
        byte[] plain = bytes(50_000);
        var uploaded = sandbox.phones().uploadMedia(PEER, "3EB0KNOWN", MediaType.DOCUMENT, plain);
        // the phone sent 3EB0FORGOTTEN but deleted the file since: it answers not found
        var forgotten = sandbox.phones().uploadMedia(PEER, "3EB0FORGOTTEN", MediaType.DOCUMENT, plain);
        sandbox.phones().forgetMedia(PEER, "3EB0FORGOTTEN");
        sandbox.media().expire(forgotten.directPath());
        MediaRef gone = new MediaRef(forgotten.directPath(), Optional.empty(), forgotten.mediaKey(),
                forgotten.sealed().fileSha256(), forgotten.sealed().fileEncSha256(), forgotten.sealed().fileLength());
        assertThatThrownBy(() -> engine.download(id, key("3EB0FORGOTTEN", false), MediaKind.DOCUMENT, gone,
                new ByteArrayOutputStream())).isInstanceOf(MediaUnavailable.class)
                .hasMessageContaining("could not upload it again");

        byte[] wrongHash = uploaded.sealed().fileEncSha256();
        wrongHash[0] ^= 1;
        MediaRef tampered = new MediaRef(uploaded.directPath(), Optional.empty(), uploaded.mediaKey(),
                uploaded.sealed().fileSha256(), wrongHash, uploaded.sealed().fileLength());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> engine.download(id, key("3EB0KNOWN", false), MediaKind.DOCUMENT, tampered, out))
                .isInstanceOf(MediaUnavailable.class).hasMessageContaining("fileEncSha256");
        assertThat(out.size()).isZero();

        assertThatThrownBy(() -> engine.download(UUID.randomUUID(), key("3EB0KNOWN", false), MediaKind.DOCUMENT,
                tampered, out)).isInstanceOf(MessagingPort.Offline.class);
        assertThatThrownBy(() -> engine.upload(UUID.randomUUID(), MediaKind.IMAGE, dir.resolve("none"), Optional::empty))
                .isInstanceOf(MessagingPort.Offline.class);
    }

    private MessageKey key(String messageId, boolean fromMe) {
        return new MessageKey(new MessageId(messageId), Jid.phone(PEER), fromMe, Optional.empty());
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The gateway's kept copy of a sent file, as the application hands it to an upload: read again on demand. */
    static MediaTransferPort.SentFileSource kept(java.nio.file.Path file) {
        return () -> {
            try {
                return java.util.Optional.of(java.nio.file.Files.newInputStream(file));
            } catch (java.io.IOException e) {
                return java.util.Optional.empty();
            }
        };
    }
}
