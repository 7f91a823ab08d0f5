package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.ContactCard;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.OutgoingContent;
import ponte.domain.message.TextContent;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Every non-media message type both ways between the engine (an instance linked to phone A) and a sandbox phone B,
 * through the real sandbox: what the instance sends, the phone's own reader finds; what the phone's user sends, the
 * engine hands over with its body, kind (reaction, poll vote, edit, revoke) and reply.
 */
class MessageTypesSandboxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = "5511987650342";
    private static final String PEER = "5511987650377";

    private final RecordedReports reports = new RecordedReports();
    private final SecureRandom random = new SecureRandom();
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
                Clock.systemUTC(), random);
        id = UUID.randomUUID();
        pairByQr();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void theInstanceSendsEveryNonMediaTypeAndThePhoneReadsEach() throws Exception {
        String theirs = sandbox.phones().sendText(PEER, PHONE, "Qual o endereço?");
        var location = send(new MessagingPort.WireContent.Location(new Message.Location(-23.5613, -46.6565,
                Optional.of("MASP"), Optional.of("Av. Paulista, 1578"))), Optional.of(quote(theirs)));
        var cards = List.of(new ContactCard("Ana Souza", List.of("+5511987650003"), Optional.of("Loja"),
                Optional.empty()), new ContactCard("Bia", List.of("5511987650004"), Optional.empty(),
                Optional.of("bia@example.com")));
        var contacts = send(new MessagingPort.WireContent.Contacts(cards), Optional.empty());
        var poll = send(new MessagingPort.WireContent.Poll("Entrega?", List.of("Manhã", "Tarde"), false),
                Optional.empty());
        var reaction = send(new MessagingPort.WireContent.Reaction(new MessagingPort.Target(new MessageId(theirs),
                false, Optional.empty()), "👍"), Optional.empty());
        var text = send(new MessagingPort.WireContent.Text("primeira versão", false), Optional.empty());
        var edit = send(new MessagingPort.WireContent.Edit(text, "segunda versão"), Optional.empty());
        var revoke = send(new MessagingPort.WireContent.Revoke(new MessagingPort.Target(text, true,
                Optional.empty())), Optional.empty());

        awaitUntil(() -> bodyOf(revoke).isPresent());
        assertThat(bodyOf(location)).contains(new Message.Location(-23.5613, -46.6565, Optional.of("MASP"),
                Optional.of("Av. Paulista, 1578")));
        assertThat(bodyOf(contacts)).contains(new Message.Contacts(List.of(
                new ContactCard("Ana Souza", List.of("+5511987650003"), Optional.of("Loja"), Optional.empty()),
                new ContactCard("Bia", List.of("+5511987650004"), Optional.empty(),
                        Optional.of("bia@example.com")))));
        assertThat(bodyOf(poll)).contains(new Message.Poll("Entrega?", List.of("Manhã", "Tarde"), false));
        assertThat(bodyOf(reaction)).contains(new Message.Reaction(new MessageId(theirs), "👍"));
        assertThat(bodyOf(edit)).contains(new Message.Text("segunda versão"));
        assertThat(bodyOf(revoke)).contains(new Message.Revoked());
    }

    @Test
    void thePhoneSendsEveryNonMediaTypeAndTheEngineHandsEachOverWithItsKind() throws Exception {
        var ours = send(new MessagingPort.WireContent.Text("Pedido 4711 saiu", false), Optional.empty());
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(ours.value())));
        var phones = sandbox.phones();
        String location = phones.send(PEER, PHONE, new Message.Location(-22.9519, -43.2105, Optional.of("Cristo"),
                Optional.empty()), Optional.of(ours.value()));
        String contact = phones.send(PEER, PHONE, new Message.Contacts(List.of(new ContactCard("Caio",
                List.of("+5511987650005"), Optional.empty(), Optional.empty()))), Optional.empty());
        String reaction = phones.send(PEER, PHONE, new Message.Reaction(ours, "❤️"), Optional.empty());
        String poll = phones.send(PEER, PHONE, new Message.Poll("Cor?", List.of("Azul", "Verde", "Rosa"), true),
                Optional.empty());
        String text = phones.send(PEER, PHONE, new TextContent("Oi", true), Optional.empty());
        phones.send(PEER, PHONE, new OutgoingContent.Edit(new MessageId(text), "Olá"), Optional.empty());
        phones.send(PEER, PHONE, new OutgoingContent.Revoke(new MessageId(text)), Optional.empty());

        awaitUntil(() -> reports.handedOver().stream().anyMatch(e -> e.kind() == MessageExchanged.Kind.REVOKED));
        var handed = reports.handedOver();
        assertThat(one(handed, location).message().body()).isEqualTo(new Message.Location(-22.9519, -43.2105,
                Optional.of("Cristo"), Optional.empty()));
        assertThat(one(handed, location).message().quoted()).contains(new Message.Quoted(ours, Jid.phone(PHONE)));
        assertThat(one(handed, contact).message().body()).isEqualTo(new Message.Contacts(List.of(
                new ContactCard("Caio", List.of("+5511987650005"), Optional.empty(), Optional.empty()))));
        assertThat(one(handed, reaction).kind()).isEqualTo(MessageExchanged.Kind.REACTION);
        assertThat(one(handed, reaction).message().body()).isEqualTo(new Message.Reaction(ours, "❤️"));
        assertThat(one(handed, poll).message().body()).isEqualTo(new Message.Poll("Cor?",
                List.of("Azul", "Verde", "Rosa"), true));
        assertThat(handed.stream().filter(e -> e.message().id().value().equals(text)))
                .extracting(MessageExchanged::kind).containsExactly(MessageExchanged.Kind.RECEIVED,
                        MessageExchanged.Kind.EDITED, MessageExchanged.Kind.REVOKED);
        var edited = handed.stream().filter(e -> e.kind() == MessageExchanged.Kind.EDITED).findFirst().orElseThrow();
        assertThat(edited.message().body()).isEqualTo(new Message.Text("Olá"));
        assertThat(edited.message().editedAt()).isPresent();
        var revoked = handed.stream().filter(e -> e.kind() == MessageExchanged.Kind.REVOKED).findFirst().orElseThrow();
        assertThat(revoked.message().revoked()).isTrue();
    }

    @Test
    void aVoteOnOurPollIsOpenedWithThePollsSecretAndNamesTheVotersOptions() throws Exception {
        var poll = send(new MessagingPort.WireContent.Poll("Quando?", List.of("Hoje", "Amanhã", "Depois"), true),
                Optional.empty());
        awaitUntil(() -> bodyOf(poll).isPresent());

        String vote = sandbox.phones().vote(PEER, PHONE, poll.value(), List.of("Amanhã", "Depois"));

        awaitUntil(() -> reports.handedOver().stream().anyMatch(e -> e.message().id().value().equals(vote)));
        var handed = one(reports.handedOver(), vote);
        assertThat(handed.kind()).isEqualTo(MessageExchanged.Kind.POLL_VOTE);
        assertThat(handed.message().body()).isEqualTo(new Message.PollVote(poll, List.of("Amanhã", "Depois")));
        assertThat(handed.data()).containsEntry("type", "poll_vote");
    }

    private MessageId send(MessagingPort.WireContent content, Optional<MessagingPort.Quote> quoted) throws Exception {
        var message = new MessagingPort.WireMessage(newId(), Jid.phone(PEER), content, quoted, List.of());
        engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return message.id();
    }

    private MessagingPort.Quote quote(String theirs) {
        return new MessagingPort.Quote(new MessageId(theirs), Jid.phone(PEER), Optional.empty());
    }

    private Optional<Message.Body> bodyOf(MessageId messageId) {
        return sandbox.phones().received(PEER).stream().filter(r -> r.id().equals(messageId.value())).findFirst()
                .flatMap(ReceivedMessage::body);
    }

    private static MessageExchanged one(List<MessageExchanged> handed, String messageId) {
        return handed.stream().filter(e -> e.message().id().value().equals(messageId)).findFirst().orElseThrow(
                () -> new AssertionError("not handed over: " + messageId));
    }

    private MessageId newId() {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        random.nextBytes(bytes);
        return MessageId.generate(Instant.now(), Jid.phone(PHONE), bytes);
    }

    private void pairByQr() throws Exception {
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(PHONE).getFirst().device();
        ourDevice = PHONE + ":" + device + "@s.whatsapp.net";
        reports.await("account", before, WAIT);
        awaitUntil(() -> sandbox.phones().unacknowledged(PHONE) == 0);
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
