package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/**
 * An unmodified Baileys client pairs with the sandbox as it would with WhatsApp: by QR (the phone's scan made
 * through the sandbox) and by code, reaches {@code open}, and logs in again with its stored credentials. The
 * sandbox's account signature is checked with libsignal, since Baileys' own check accepts anything.
 */
class BaileysPairingOracleTest {

    private static final int TIMEOUT_MS = 20_000;
    private static final String PHONE = "5511955550000";
    private final String session = UUID.randomUUID().toString();
    private SandboxStore store;
    private SandboxServer sandbox;

    @BeforeEach
    void startSandbox() throws Exception {
        DataSource database = SandboxFixture.database();
        store = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(store, SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
    }

    @AfterEach
    void stop() throws Exception {
        BaileysOracle.get().call(BaileysOracle.request("baileysEnd").put("id", session));
        sandbox.close();
    }

    @Test
    void baileysPairsByTheQrThePhoneScansAndReachesOpen() throws Exception {
        String qr = startBaileys().path("qr").asText();

        LinkedDevice linked = sandbox.phones().scan(PHONE, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        JsonNode open = awaitOpen();

        assertThat(open.path("me").path("id").asText()).isEqualTo(linked.jid());
        assertThat(open.path("me").path("lid").asText()).isEqualTo(linked.lid());
        assertThat(open.path("platform").asText()).isEqualTo("android");
        assertThat(open.path("accountSignatureValid").asBoolean()).isTrue();
        assertThat(open.path("tamperedAccepted").asBoolean()).isFalse();
    }

    @Test
    void baileysUploadsItsFirst812PreKeysToTheSandbox() throws Exception {
        LinkedDevice linked = sandbox.phones().scan(PHONE, startBaileys().path("qr").asText())
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

        awaitOpen();

        // 812 uploaded, one of which the phone then uses for its history bootstrap to the new device
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (store.phones().preKeyCount(PHONE, linked.device()) != 811 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store.phones().preKeyCount(PHONE, linked.device())).isEqualTo(811);
    }

    @Test
    void baileysPairsByACodeTypedOnThePhoneAndReachesOpen() throws Exception {
        startBaileys();
        String code = BaileysOracle.get().call(BaileysOracle.request("baileysRequestCode").put("id", session)
                .put("phone", PHONE)).path("code").asText();

        LinkedDevice linked = typeOnThePhone(code).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        JsonNode open = awaitOpen();

        assertThat(code).hasSize(8);
        assertThat(open.path("me").path("id").asText()).isEqualTo(linked.jid());
        assertThat(open.path("registered").asBoolean()).isTrue();
        assertThat(open.path("accountSignatureValid").asBoolean()).isTrue();
    }

    @Test
    void baileysLogsInAgainWithItsStoredCredentialsWithoutAQr() throws Exception {
        sandbox.phones().scan(PHONE, startBaileys().path("qr").asText()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        awaitOpen();

        JsonNode again = BaileysOracle.get().call(BaileysOracle.request("baileysReconnect").put("id", session)
                .put("timeoutMs", TIMEOUT_MS));

        assertThat(again.path("newQrs").asInt()).isZero();
    }

    @Test
    void baileysLoggingOutRemovesItFromThePhonesDeviceList() throws Exception {
        sandbox.phones().scan(PHONE, startBaileys().path("qr").asText()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        awaitOpen();

        BaileysOracle.get().call(BaileysOracle.request("baileysLogout").put("id", session));

        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!sandbox.phones().devices(PHONE).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
    }

    @Test
    void baileysLogsInAgainAfterTheSandboxRestarts() throws Exception {
        sandbox.phones().scan(PHONE, startBaileys().path("qr").asText()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        awaitOpen();
        sandbox.close();
        sandbox = SandboxFixture.start(store, SandboxFixture.fastOptions());

        JsonNode again = BaileysOracle.get().call(BaileysOracle.request("baileysReconnect").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString()).put("timeoutMs", TIMEOUT_MS));

        assertThat(again.path("newQrs").asInt()).isZero();
        assertThat(sandbox.phones().devices(PHONE)).hasSize(1);
    }

    /**
     * Baileys sends its companion_hello without waiting for the answer, so the code can reach the test before the
     * hello reaches the sandbox; a person reading the code off a screen is never that fast.
     */
    private CompletableFuture<LinkedDevice> typeOnThePhone(String code) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (true) {
            try {
                return sandbox.phones().linkCode(PHONE, code);
            } catch (NoSuchElementException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private JsonNode startBaileys() {
        return BaileysOracle.get().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS));
    }

    private JsonNode awaitOpen() {
        return BaileysOracle.get().call(BaileysOracle.request("baileysAwaitOpen").put("id", session)
                .put("timeoutMs", TIMEOUT_MS));
    }
}
