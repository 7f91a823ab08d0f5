package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.Sender;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The phone's history through the engine and the real sandbox (protocol.md §1.18): a phone that exchanged texts and
 * holds seeded chats hands them to the instance it links, in inline chunks; the engine reads them streamed, hands
 * them over in batches of at most 500 (messages {@code fromHistory}, senders with both PN and LID, contacts with
 * push names), keeps the PN↔LID mappings in the device store, and receipts and acks every chunk.
 */
class HistorySyncTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PHONE = "5511987650242";
    private static final String PEER = "5511987650277";

    private final RecordedReports reports = new RecordedReports();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private SqlDeviceStore store;
    private WhatsAppEngine engine;
    private UUID id;

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
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void thePhonesChatsComeOverOnLinkInBatchesWithBothNamesOfEverySenderAndAreReceiptedAndAcked() throws Exception {
        // before the link: Bia writes to Ana's phone, Ana answers, and the phone holds 2,500 seeded messages
        String fromBia = sandbox.phones().sendText(PEER, PHONE, "Oi Ana");
        awaitUntil(() -> !sandbox.phones().received(PHONE).isEmpty());
        String toBia = sandbox.phones().sendText(PHONE, PEER, "Oi Bia");
        int seeded = 2_500;
        assertThat(sandbox.phones().seedHistory(PHONE, seeded, 5)).isEqualTo(seeded + 2);
        Instant beforeLink = Instant.now();
        // a slow store: the history takes seconds to keep, and live traffic must not wait for it
        reports.slowHistory(300);

        pairByQr();
        // connected means reachable: the peer's text comes live at once, while the history is still going in
        String live = sandbox.phones().sendText(PEER, PHONE, "ao vivo");
        awaitUntil(() -> reports.received().size() == 1);
        assertThat(messages().size()).as("the live message was kept while the history was still going in")
                .isLessThan(seeded + 2);
        awaitUntil(() -> messages().size() == seeded + 2);

        var histories = reports.histories();
        assertThat(histories).allSatisfy(chunk -> {
            assertThat(chunk.messages().size()).isLessThanOrEqualTo(500);
            assertThat(chunk.contacts().size()).isLessThanOrEqualTo(500);
            assertThat(chunk.linkedAt()).isAfterOrEqualTo(beforeLink.minusSeconds(1));
        });
        assertThat(histories.size()).as("2,502 messages in batches of 500, in two notifications")
                .isGreaterThanOrEqualTo(6);
        var all = messages();
        assertThat(all).allMatch(Message::fromHistory);
        assertThat(all).extracting(m -> m.id().value()).doesNotHaveDuplicates().contains(fromBia, toBia);
        var bia = all.stream().filter(m -> m.id().value().equals(fromBia)).findFirst().orElseThrow();
        String biaLid = sandbox.phones().phone(PEER).orElseThrow().lid();
        assertThat(bia.chatJid()).isEqualTo(Jid.phone(PEER));
        assertThat(bia.fromMe()).isFalse();
        assertThat(bia.sender()).isEqualTo(new Sender(Optional.of(Jid.phone(PEER)), Optional.of(Jid.lid(biaLid)),
                Optional.of("Bia")));
        assertThat(bia.body()).isEqualTo(new Message.Text("Oi Ana"));
        var answer = all.stream().filter(m -> m.id().value().equals(toBia)).findFirst().orElseThrow();
        assertThat(answer.fromMe()).isTrue();
        assertThat(answer.chatJid()).isEqualTo(Jid.phone(PEER));
        assertThat(answer.timestamp()).isBefore(beforeLink.plusSeconds(1));
        // a seeded chat's person: push name, and a LID the mapping paired with the number
        var seededOne = all.stream().filter(m -> m.chatJid().equals(Jid.phone("15550000001")) && !m.fromMe())
                .findFirst().orElseThrow();
        assertThat(seededOne.sender().lid()).contains(Jid.lid("915550000001"));
        assertThat(seededOne.sender().pushName()).contains("History contact 1");

        var contacts = histories.stream().flatMap(chunk -> chunk.contacts().stream()).toList();
        assertThat(contacts).contains(new Sender(Optional.of(Jid.phone(PEER)), Optional.of(Jid.lid(biaLid)),
                        Optional.of("Bia")),
                new Sender(Optional.of(Jid.phone("15550000005")), Optional.of(Jid.lid("915550000005")),
                        Optional.of("History contact 5")));
        assertThat(contacts).as("our own push name is the account's, not a contact")
                .noneMatch(contact -> contact.jid().equals(Optional.of(Jid.phone(PHONE))));
        assertThat(store.lidOf(id, "15550000003")).contains("915550000003");
        assertThat(store.nctSalt(id)).as("the NCT salt of the bootstrap").hasValueSatisfying(
                salt -> assertThat(salt).hasSize(32));

        // every notification receipted as history and acked once it was handed over
        String ourDevice = PHONE + ":" + sandbox.phones().devices(PHONE).getFirst().device() + "@s.whatsapp.net";
        awaitUntil(() -> sandbox.phones().receipts(PHONE).stream().filter(r -> r.from().equals(ourDevice))
                .filter(r -> r.type().equals("hist_sync")).count() == 2);
        awaitUntil(() -> sandbox.phones().unacknowledged(PHONE) == 0);
        assertThat(reports.received()).as("the live message is no history, and the history no live message")
                .hasSize(1);
        assertThat(all).extracting(m -> m.id().value()).doesNotContain(live);
    }

    private List<Message> messages() {
        return reports.histories().stream().flatMap(chunk -> chunk.messages().stream())
                .map(MessageExchanged::message).toList();
    }

    private void pairByQr() throws Exception {
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);
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
