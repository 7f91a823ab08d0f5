package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
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
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Media between an unmodified Baileys client and our instance through the sandbox: Baileys uploads with its own
 * media_conn and upload code to the sandbox's HTTPS media host (trusting it through the sandbox root's certificate)
 * and sends its media message; our instance downloads the file byte-identical through the media transfer port. And
 * the reverse: what our instance uploads and sends, Baileys decodes and opens with its own code, byte-identical.
 */
class BaileysMediaOracleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TIMEOUT_MS = 30_000;
    private static final String ANA = "5511955550341";
    private static final String BRUNO = "5511955550342";

    private final RecordedReports reports = new RecordedReports();
    private final String session = UUID.randomUUID().toString();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private WhatsAppEngine engine;
    private final UUID id = UUID.randomUUID();

    @TempDir
    Path dir;

    @BeforeEach
    void linkBoth() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        var sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);
        int device = sandbox.phones().devices(ANA).getFirst().device();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandboxStore.phones().preKeyCount(ANA, device) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String baileysQr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(BRUNO, baileysQr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
        oracle().call(BaileysOracle.request("baileysWatchMedia").put("id", session));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        engine.close();
        sandbox.close();
    }

    @Test
    void baileysMediaReachesOurInstanceByteIdentical() throws Exception {
        byte[] pdf = bytes(345_678);
        Path file = dir.resolve("report.pdf");
        Files.write(file, pdf);
        String messageId = oracle().call(BaileysOracle.request("baileysSendMedia").put("id", session)
                .put("to", ANA + "@s.whatsapp.net").put("kind", "document").put("path", file.toString())
                .put("mimetype", "application/pdf").put("fileName", "report.pdf").put("caption", "o relatório")
                .put("caPem", sandbox.media().certificate().rootPem())).path("messageId").asText();

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reports.media(messageId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        var media = reports.media(messageId).orElseThrow(() -> new AssertionError("no media message handed over"));
        assertThat(media.kind()).isEqualTo(MediaKind.DOCUMENT);
        assertThat(media.ref().fileLength()).isEqualTo(pdf.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.download(id, media.key(), media.kind(), media.ref(), out);
        assertThat(out.toByteArray()).isEqualTo(pdf);
    }

    @Test
    void ourMediaReachesBaileysWhichOpensItByteIdentical() throws Exception {
        byte[] photo = bytes(456_789);
        Path file = dir.resolve("photo.jpg");
        Files.write(file, photo);
        MediaRef ref = engine.upload(id, MediaKind.IMAGE, file, MediaTransferTest.kept(file));
        var message = new WireMessage(new MessageId("3EB0" + HexFormat.of().withUpperCase().formatHex(bytes(8))),
                Jid.phone(BRUNO), new WireContent.Media(MediaKind.IMAGE, ref, "image/jpeg", Optional.of("a foto"),
                        Optional.empty(), OptionalInt.of(800), OptionalInt.of(600), OptionalInt.empty(), false,
                        false, false, Optional.empty(), Optional.empty()), Optional.empty(), List.of());
        engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Path opened = dir.resolve("opened.jpg");
        JsonNode received = oracle().call(BaileysOracle.request("baileysReceivedMedia")
                .put("messageId", message.id().value()).put("caPem", sandbox.media().certificate().rootPem())
                .put("host", sandbox.media().hostname()).put("out", opened.toString()).put("timeoutMs", TIMEOUT_MS));
        assertThat(received.path("kind").asText()).isEqualTo("imageMessage");
        assertThat(received.path("mimetype").asText()).isEqualTo("image/jpeg");
        assertThat(received.path("caption").asText()).isEqualTo("a foto");
        assertThat(received.path("fileLength").asLong()).isEqualTo(photo.length);
        assertThat(Files.readAllBytes(opened)).isEqualTo(photo);
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
