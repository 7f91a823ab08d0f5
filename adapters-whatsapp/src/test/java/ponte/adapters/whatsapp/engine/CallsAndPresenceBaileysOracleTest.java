package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.model.ContactPresence;
import ponte.domain.message.Jid;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Calls and presence checked against an unmodified Baileys client through the sandbox: Baileys reads the chat states
 * and presence our instance sends as WhatsApp's own (its presence.update events), we read Baileys' typing, and when
 * Baileys and our instance are two companions of the same account, each one's call reject is understood by the
 * other (Baileys' rejectCall stanza is our {@code rejected} event; ours is Baileys' {@code reject} call event).
 */
class CallsAndPresenceBaileysOracleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955550161";
    private static final String BRUNO = "5511955550162";
    private static final String CAIO = "5511955550163";

    private final RecordedReports reports = new RecordedReports();
    private final String session = UUID.randomUUID().toString();
    private SandboxServer sandbox;
    private WhatsAppEngine engine;
    private final UUID id = UUID.randomUUID();

    @BeforeEach
    void linkOurInstanceToAna() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        var sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CAIO, "Caio");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        engine.close();
        sandbox.close();
    }

    @Test
    void baileysReadsOurPresenceAndChatStates() throws Exception {
        linkBaileysTo(BRUNO);
        oracle().call(BaileysOracle.request("baileysPresenceSubscribe").put("id", session)
                .put("jid", ANA + "@s.whatsapp.net"));

        engine.announce(id, true);
        awaitBaileysPresence(ANA, "available");
        engine.chatState(id, Jid.phone(BRUNO), "composing");
        awaitBaileysPresence(ANA, "composing");
        engine.chatState(id, Jid.phone(BRUNO), "recording");
        awaitBaileysPresence(ANA, "recording");
        engine.announce(id, false);
        var away = awaitBaileysPresence(ANA, "unavailable");
        assertThat(away.path("presences").get(0).path("lastSeen").asLong()).as("Baileys read our last seen")
                .isPositive();
    }

    @Test
    void weReadBaileysTyping() throws Exception {
        linkBaileysTo(BRUNO);

        oracle().call(BaileysOracle.request("baileysSendPresence").put("id", session).put("presence", "composing")
                .put("to", ANA + "@s.whatsapp.net"));
        assertThat(awaitOurView(BRUNO, "composing").updatedAt()).isNotNull();
        oracle().call(BaileysOracle.request("baileysSendPresence").put("id", session).put("presence", "recording")
                .put("to", ANA + "@s.whatsapp.net"));
        awaitOurView(BRUNO, "recording");
        oracle().call(BaileysOracle.request("baileysSendPresence").put("id", session).put("presence", "paused")
                .put("to", ANA + "@s.whatsapp.net"));
        awaitOurView(BRUNO, "paused");
    }

    @Test
    void twoCompanionsOfOneAccountUnderstandEachOthersRejects() throws Exception {
        linkBaileysTo(ANA);

        String first = sandbox.phones().call(CAIO, ANA, false);
        awaitOurs(first, "offer");
        oracle().call(BaileysOracle.request("baileysAwaitCall").put("id", session).put("callId", first)
                .put("status", "offer").put("timeoutMs", TIMEOUT_MS));
        oracle().call(BaileysOracle.request("baileysRejectCall").put("id", session).put("callId", first)
                .put("from", CAIO + "@s.whatsapp.net"));
        var rejected = awaitOurs(first, "rejected");
        assertThat(rejected).containsEntry("from", CAIO + "@s.whatsapp.net");
        assertThat(engine.reject(id, first)).as("no longer ringing: nothing sent")
                .hasValueSatisfying(call -> assertThat(call.ringing()).isFalse());

        String second = sandbox.phones().call(CAIO, ANA, true);
        awaitOurs(second, "offer");
        assertThat(engine.reject(id, second)).hasValueSatisfying(call -> {
            assertThat(call.ringing()).isTrue();
            assertThat(call.video()).isTrue();
        });
        var seen = oracle().call(BaileysOracle.request("baileysAwaitCall").put("id", session).put("callId", second)
                .put("status", "reject").put("timeoutMs", TIMEOUT_MS));
        assertThat(seen.path("calls").get(0).path("from").asText()).isEqualTo(CAIO + "@s.whatsapp.net");
        assertThat(sandbox.phones().signals(CAIO)).anySatisfy(signal -> {
            assertThat(signal.callId()).isEqualTo(second);
            assertThat(signal.type()).isEqualTo("reject");
        });
        assertThat(engine.reject(id, "0123456789ABCDEF")).isEmpty();
    }

    private void linkBaileysTo(String phone) throws Exception {
        String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(phone, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
    }

    private com.fasterxml.jackson.databind.JsonNode awaitBaileysPresence(String from, String presence)
            throws Exception {
        return oracle().call(BaileysOracle.request("baileysAwaitPresence").put("id", session)
                .put("participant", from + "@s.whatsapp.net").put("presence", presence).put("timeoutMs", TIMEOUT_MS));
    }

    private ContactPresence awaitOurView(String person, String state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<ContactPresence> seen = Optional.empty();
        while (System.nanoTime() < deadline) {
            seen = engine.presence(id, Jid.phone(person));
            if (seen.isPresent() && seen.get().state().equals(state)) {
                return seen.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("we never heard " + state + " from " + person + "; last " + seen);
    }

    /** Our call.update of {@code callId} with {@code type}. */
    private Map<String, Object> awaitOurs(String callId, String type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var data : reports.received()) {
                if (callId.equals(data.get("call_id")) && type.equals(data.get("type"))) {
                    return data;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type + " of " + callId + " in " + reports.received());
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
