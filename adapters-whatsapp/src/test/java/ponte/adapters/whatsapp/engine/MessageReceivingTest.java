package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.SeenReceipt;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Receiving 1:1 text through the engine and the real sandbox: an instance linked to phone A by QR scan gets what
 * phone B sends (and what A's own phone sends, as {@code sent}), decrypted, as one {@code message.exchange} event,
 * before the server hears it arrived.
 */
class MessageReceivingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = "5511987650142";
    private static final String PEER = "5511987650177";

    private final RecordedReports reports = new RecordedReports();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private SqlDeviceStore store;
    private WhatsAppEngine engine;
    private UUID id;
    private String ourDevice;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        sandbox.phones().create(PEER, "Bia");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        id = UUID.randomUUID();
        pairByQr();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void aTextFromAnotherPhoneIsOneReceivedEventWithSenderNamesAndTheSenderSeesItDelivered() throws Exception {
        int before = reports.size();

        String messageId = sandbox.phones().sendText(PEER, PHONE, "Oi Ana, tudo bem?");

        var data = data(reports.await("received(message.exchange)", before, WAIT));
        assertThat(data).containsEntry("type", "received");
        var message = message(data);
        String peerLid = sandbox.phones().phone(PEER).orElseThrow().lid() + "@lid";
        assertThat(message).containsEntry("id", messageId).containsEntry("chat_jid", PEER + "@s.whatsapp.net")
                .containsEntry("from_me", false).containsEntry("type", "text")
                .containsEntry("text", "Oi Ana, tudo bem?").containsEntry("status", "delivered")
                .containsEntry("is_group", false)
                .containsEntry("sender", Map.of("jid", PEER + "@s.whatsapp.net", "lid", peerLid, "push_name", "Bia"));
        awaitUntil(() -> ourReceipts(messageId) == 1);
        awaitUnacknowledged(0);

        // the server has nothing more to deliver after a reconnect: still one event
        engine.reconnect(id, EffectiveProxy.NONE);
        awaitUntil(() -> engine.isOnline(id));
        Thread.sleep(500);
        assertThat(reports.received()).hasSize(1);
        assertThat(ourReceipts(messageId)).isEqualTo(1);
    }

    @Test
    void thePhonesHistoryBootstrapGivesTheLinkedAccountItsPushNameOnceAndIsReceipted() throws Exception {
        // pairByQr waited for the account report: the phone's push name, which pair-success does not carry
        var connected = (LinkedAccount) reports.await("connected", 0, WAIT).detail();
        // connected follows the prekey upload, which the history bootstrap may beat: the push name may be known
        assertThat(connected.pushName()).as("pair-success does not carry it").isIn(null, "Ana");
        var updated = (LinkedAccount) reports.await("account", 0, WAIT).detail();
        assertThat(updated).isEqualTo(new LinkedAccount(PHONE, connected.lid(), "Ana", connected.platform()));
        assertThat(store.load(id).orElseThrow().account().orElseThrow().pushName()).isEqualTo("Ana");
        assertThat(engine.isOnline(id)).isTrue();
        // the bootstrap is a protocol message: no message.exchange event; receipted as a peer and history message
        assertThat(reports.received()).isEmpty();
        awaitUntil(() -> sandbox.phones().receipts(PHONE).stream().filter(r -> r.from().equals(ourDevice))
                .map(SeenReceipt::type).toList().containsAll(java.util.List.of("peer_msg", "hist_sync")));

        // a later login brings no second bootstrap (the phone sends it once per linked device)
        int before = reports.size();
        engine.reconnect(id, EffectiveProxy.NONE);
        awaitUntil(() -> engine.isOnline(id));
        Thread.sleep(500);
        assertThat(reports.all().subList(before, reports.size()).stream().filter(r -> r.what().equals("account"))).isEmpty();
    }

    @Test
    void aMessageTheIngestFailedToStoreStaysUnackedAndIsHandedOnOnceFromTheKeptPlaintext() throws Exception {
        reports.failNextReceived(1);

        String messageId = sandbox.phones().sendText(PEER, PHONE, "segunda vez");

        reports.awaitFailedAttempts(1, WAIT);
        Thread.sleep(500); // an ack or a receipt, had one been sent, would have reached the sandbox by now
        assertThat(sandbox.phones().unacknowledged(PHONE)).isEqualTo(1);
        assertThat(reports.received()).isEmpty();
        assertThat(ourReceipts(messageId)).as("no delivery receipt from our device yet").isZero();

        int before = reports.size();
        engine.reconnect(id, EffectiveProxy.NONE);

        // the redelivered stanza cannot be decrypted again (its ratchet step is spent): the kept plaintext is used
        reports.await("received(message.exchange)", before, WAIT);
        awaitUnacknowledged(0);
        awaitUntil(() -> ourReceipts(messageId) == 1);
        Thread.sleep(300);
        assertThat(reports.received()).singleElement().satisfies(data -> assertThat(message(data))
                .containsEntry("id", messageId).containsEntry("text", "segunda vez"));
    }

    @Test
    void aRedeliveryAfterTheCoreStoredButBeforeTheAckReachesTheCoreAgainUnderTheSameIdFromThePlaintextDecryptedOnce()
            throws Exception {
        reports.loseAnswerAfterStoring(1);
        int before = reports.size();

        String messageId = sandbox.phones().sendText(PEER, PHONE, "uma vez só");

        awaitUntil(() -> reports.handedOver().size() == 1);
        Thread.sleep(500);
        assertThat(sandbox.phones().unacknowledged(PHONE)).as("not acked: the answer was lost").isEqualTo(1);
        engine.reconnect(id, EffectiveProxy.NONE);

        // the server redelivers; the stanza is not decrypted again (its ratchet step is spent, which would make it
        // undecryptable): the core gets the kept plaintext under the same id, and dedups it by that id
        reports.await("received(message.exchange)", before, WAIT);
        awaitUnacknowledged(0);
        assertThat(reports.handedOver()).hasSize(2).allSatisfy(exchanged -> {
            assertThat(exchanged.message().id().value()).isEqualTo(messageId);
            assertThat(exchanged.message().body()).isEqualTo(new ponte.domain.message.Message.Text("uma vez só"));
        });
        // and once acked, a further reconnect brings nothing more
        engine.reconnect(id, EffectiveProxy.NONE);
        awaitUntil(() -> engine.isOnline(id));
        Thread.sleep(500);
        assertThat(reports.handedOver()).hasSize(2);
    }

    @Test
    void aTextOurOwnPhoneSendsIsASentEventInTheRecipientsChat() throws Exception {
        int before = reports.size();

        String messageId = sandbox.phones().sendText(PHONE, PEER, "enviado do celular");

        var data = data(reports.await("received(message.exchange)", before, WAIT));
        assertThat(data).containsEntry("type", "sent");
        var message = message(data);
        assertThat(message).containsEntry("id", messageId).containsEntry("chat_jid", PEER + "@s.whatsapp.net")
                .containsEntry("from_me", true).containsEntry("text", "enviado do celular")
                .containsEntry("status", "sent");
        @SuppressWarnings("unchecked")
        var sender = (Map<String, Object>) message.get("sender");
        assertThat(sender).containsEntry("jid", PHONE + "@s.whatsapp.net");
        awaitUnacknowledged(0);
        // the peer's phone decrypts on the sandbox's own thread, independently of our device
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(received -> received.id()
                .equals(messageId)));
    }

    @Test
    void aMessageOnALostSessionIsAskedForAgainWithRetryReceiptsAndArrivesDecrypted() throws Exception {
        int before = reports.size();
        sandbox.phones().sendText(PEER, PHONE, "primeira");
        reports.await("received(message.exchange)", before, WAIT);
        awaitUnacknowledged(0);
        // our side loses the session (kept under the peer's LID address, learnt from the stanza); the phone keeps it
        // and sends the next message on it (a msg, not a pkmsg)
        store.forgetPeer(id, sandbox.phones().phone(PEER).orElseThrow().lid() + "_1");
        before = reports.size();

        String messageId = sandbox.phones().sendText(PEER, PHONE, "de novo");

        // try 1 without keys (the phone answers on the same session, which fails again), try 2 with our keys
        var message = message(data(reports.await("received(message.exchange)", before, WAIT)));
        assertThat(message).containsEntry("id", messageId).containsEntry("text", "de novo")
                .doesNotContainKey("undecryptable");
        assertThat(sandbox.phones().receipts(PEER).stream().filter(r -> r.id().equals(messageId))
                .filter(r -> r.type().equals("retry")).count()).isEqualTo(2);
        awaitUntil(() -> ourReceipts(messageId) == 1);
        awaitUnacknowledged(0);
        Thread.sleep(300);
        assertThat(reports.received()).hasSize(2);
    }

    private void pairByQr() throws Exception {
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(PHONE).getFirst().device();
        ourDevice = PHONE + ":" + device + "@s.whatsapp.net";
        // then the phone hands the new companion its history bootstrap (our push name); done once it is acked
        reports.await("account", before, WAIT);
        awaitUnacknowledged(0);
    }

    /** The delivery receipts phone B saw from our device (A's phone sends its own) for this message. */
    private long ourReceipts(String messageId) {
        return sandbox.phones().receipts(PEER).stream().filter(r -> r.id().equals(messageId))
                .filter(SeenReceipt::delivery).filter(r -> r.from().equals(ourDevice)).count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(RecordedReports.Report report) {
        return (Map<String, Object>) report.detail();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> message(Map<String, Object> data) {
        return (Map<String, Object>) data.get("message");
    }

    private void awaitUnacknowledged(int expected) throws InterruptedException {
        awaitUntil(() -> sandbox.phones().unacknowledged(PHONE) == expected);
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
