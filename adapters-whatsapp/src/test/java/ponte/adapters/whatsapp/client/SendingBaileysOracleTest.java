package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;

/**
 * The strongest proof of the send path: an unmodified Baileys client, linked to sandbox phone B, receives and
 * decrypts the texts our companion (linked to phone A) sends, the first on a new session ({@code pkmsg} with our
 * {@code device-identity}), the next on the same one.
 */
class SendingBaileysOracleTest {

    private static final int TIMEOUT_MS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511955560001";
    private static final String BRUNO = "5511955560002";
    private final String session = UUID.randomUUID().toString();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;
    private Companion companion;

    @BeforeEach
    void linkBoth() throws Exception {
        var database = SandboxFixture.database();
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(BRUNO, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        if (companion != null) {
            companion.close();
        }
        sandbox.close();
    }

    @Test
    void baileysDecryptsOurTextsWithTheIdWeFixedFromOurAccount() throws Exception {
        LinkedDevice ours = linkOurCompanionToAna();

        SentMessage first = companion.sendText(BRUNO, "Oi Bruno, da Ponte", "3EB0AA00000000000001")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SentMessage second = companion.sendText(BRUNO, "segunda, mesma sessão", "3EB0AA00000000000002")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        String baileysJid = sandbox.phones().devices(BRUNO).getFirst().jid();
        assertThat(first.devices()).contains(BRUNO + "@s.whatsapp.net", baileysJid);
        assertThat(second.newSessions()).isZero();
        List<JsonNode> received = messages(2);
        assertThat(received).extracting(m -> m.path("id").asText())
                .containsExactly("3EB0AA00000000000001", "3EB0AA00000000000002");
        assertThat(received).extracting(m -> m.path("text").asText())
                .containsExactly("Oi Bruno, da Ponte", "segunda, mesma sessão");
        assertThat(received.getFirst().path("remoteJid").asText()).isEqualTo(ANA + "@s.whatsapp.net");
        assertThat(ours.jid()).startsWith(ANA + ":");
    }

    private LinkedDevice linkOurCompanionToAna() throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        companion = Companion.open(ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(),
                sandbox.trustRoot()), WaVersion.DEFAULT), DeviceStores.of(deviceStore), UUID.randomUUID(), events,
                Clock.systemUTC(), random);
        companion.connect();
        LinkedDevice linked = sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        return linked;
    }

    private List<JsonNode> messages(int count) {
        JsonNode answer = oracle().call(BaileysOracle.request("baileysMessages").put("id", session)
                .put("count", count).put("timeoutMs", TIMEOUT_MS));
        List<JsonNode> list = new ArrayList<>();
        answer.path("messages").forEach(list::add);
        return list;
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
