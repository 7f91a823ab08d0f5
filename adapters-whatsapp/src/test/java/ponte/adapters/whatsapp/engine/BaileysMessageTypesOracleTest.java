package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
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
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.ContactCard;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Every non-media type between an unmodified Baileys client (linked to phone B) and our instance (linked to A),
 * through the sandbox: what Baileys' own sendMessage builds, our engine reads with its kind; what our engine builds,
 * Baileys decodes; a vote Baileys casts on our poll (sealed by the driver with Node's crypto) opens with our secret.
 */
class BaileysMessageTypesOracleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955550341";
    private static final String BRUNO = "5511955550342";

    private final RecordedReports reports = new RecordedReports();
    private final String session = UUID.randomUUID().toString();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private WhatsAppEngine engine;
    private final UUID id = UUID.randomUUID();

    @BeforeEach
    void linkBoth() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
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
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        engine.close();
        sandbox.close();
    }

    @Test
    void baileysLocationContactsReactionPollEditAndRevokeReachTheEngineWithTheirKinds() throws Exception {
        var ours = send(new MessagingPort.WireContent.Text("Pedido saiu", false));
        awaitBaileys(ours.value());
        String to = ANA + "@s.whatsapp.net";
        String location = baileys(to, "{\"location\": {\"degreesLatitude\": -23.5613, \"degreesLongitude\": "
                + "-46.6565, \"name\": \"MASP\"}}");
        String contact = baileys(to, "{\"contacts\": {\"displayName\": \"Caio\", \"contacts\": [{\"vcard\": "
                + "\"BEGIN:VCARD\\nVERSION:3.0\\nFN:Caio\\nTEL;type=CELL;waid=5511987650005:+55 11 98765-0005\\n"
                + "END:VCARD\"}]}}");
        String reaction = baileys(to, "{\"react\": {\"text\": \"👍\", \"key\": {\"remoteJid\": \"" + to
                + "\", \"fromMe\": false, \"id\": \"" + ours.value() + "\"}}}");
        String poll = baileys(to, "{\"poll\": {\"name\": \"Cor?\", \"values\": [\"Azul\", \"Verde\"], "
                + "\"selectableCount\": 1}}");
        String text = baileys(to, "{\"text\": \"Oi\"}");
        baileys(to, "{\"text\": \"Olá\", \"edit\": {\"remoteJid\": \"" + to + "\", \"fromMe\": true, "
                + "\"id\": \"" + text + "\"}}");
        baileys(to, "{\"delete\": {\"remoteJid\": \"" + to + "\", \"fromMe\": true, \"id\": \"" + text
                + "\"}}");

        awaitUntil(() -> reports.handedOver().stream().anyMatch(e -> e.kind() == MessageExchanged.Kind.REVOKED));
        var handed = reports.handedOver();
        assertThat(one(handed, location).message().body()).isEqualTo(new Message.Location(-23.5613, -46.6565,
                Optional.of("MASP"), Optional.empty()));
        assertThat(one(handed, contact).message().body()).isEqualTo(new Message.Contacts(List.of(new ContactCard(
                "Caio", List.of("+5511987650005"), Optional.empty(), Optional.empty()))));
        assertThat(one(handed, reaction).kind()).isEqualTo(MessageExchanged.Kind.REACTION);
        assertThat(one(handed, reaction).message().body()).isEqualTo(new Message.Reaction(ours, "👍"));
        assertThat(one(handed, poll).message().body()).isEqualTo(new Message.Poll("Cor?", List.of("Azul", "Verde"),
                false));
        assertThat(handed.stream().filter(e -> e.message().id().value().equals(text)))
                .extracting(MessageExchanged::kind).containsExactly(MessageExchanged.Kind.RECEIVED,
                        MessageExchanged.Kind.EDITED, MessageExchanged.Kind.REVOKED);
        assertThat(handed.stream().filter(e -> e.kind() == MessageExchanged.Kind.EDITED).findFirst().orElseThrow()
                .message().body()).isEqualTo(new Message.Text("Olá"));
    }

    @Test
    void ourLocationContactsPollReactionEditAndRevokeAreDecodedByBaileys() throws Exception {
        String asked = baileys(ANA + "@s.whatsapp.net", "{\"text\": \"Onde fica?\"}");
        awaitUntil(() -> reports.handedOver().stream().anyMatch(e -> e.message().id().value().equals(asked)));
        var location = send(new MessagingPort.WireContent.Location(new Message.Location(-22.9519, -43.2105,
                Optional.of("Cristo"), Optional.of("Rio"))));
        var contacts = send(new MessagingPort.WireContent.Contacts(List.of(new ContactCard("Ana", List.of(
                "+" + ANA), Optional.empty(), Optional.empty()), new ContactCard("Bia", List.of("5511987650004"),
                Optional.empty(), Optional.empty()))));
        var poll = send(new MessagingPort.WireContent.Poll("Quando?", List.of("Hoje", "Amanhã"), true));
        var reaction = send(new MessagingPort.WireContent.Reaction(new MessagingPort.Target(new MessageId(asked),
                false, Optional.empty()), "❤️"));
        var text = send(new MessagingPort.WireContent.Text("versão 1", false));
        var edit = send(new MessagingPort.WireContent.Edit(text, "versão 2"));

        var at = awaitBaileys(location.value());
        assertThat(at.at("/content/locationMessage/degreesLatitude").asDouble()).isEqualTo(-22.9519);
        assertThat(at.at("/content/locationMessage/name").asText()).isEqualTo("Cristo");
        var cards = awaitBaileys(contacts.value()).at("/content/contactsArrayMessage/contacts");
        assertThat(cards.size()).isEqualTo(2);
        assertThat(cards.get(1).path("vcard").asText()).contains("FN:Bia").contains("waid=5511987650004");
        var created = awaitBaileys(poll.value()).path("content");
        assertThat(created.at("/pollCreationMessage/name").asText()).isEqualTo("Quando?");
        assertThat(created.at("/pollCreationMessage/options/1/optionName").asText()).isEqualTo("Amanhã");
        assertThat(created.at("/messageContextInfo/messageSecret").asText()).isNotEmpty();
        var reacted = awaitBaileys(reaction.value()).path("content");
        assertThat(reacted.at("/reactionMessage/key/id").asText()).isEqualTo(asked);
        assertThat(reacted.at("/reactionMessage/text").asText()).isEqualTo("❤️");
        var edited = awaitBaileys(edit.value()).path("content");
        assertThat(edited.toString()).contains("versão 2").contains(text.value());
    }

    @Test
    void aTextWithALinkPreviewReachesBaileysWithItsTitleDescriptionAndThumbnail() throws Exception {
        String asked = baileys(ANA + "@s.whatsapp.net", "{\"text\": \"Tem site?\"}");
        awaitUntil(() -> reports.handedOver().stream().anyMatch(e -> e.message().id().value().equals(asked)));
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, 4, (byte) 0xff, (byte) 0xd9};
        var preview = new ponte.application.model.LinkPreview("https://loja.example/menu", Optional.of("Cardápio"),
                Optional.of("Pratos do dia"), "https://loja.example/menu", Optional.of(jpeg));
        var sent = send(new MessagingPort.WireContent.Text("Veja https://loja.example/menu", true)
                .withPreview(preview));
        var text = awaitBaileys(sent.value()).at("/content/extendedTextMessage");
        assertThat(text.path("text").asText()).isEqualTo("Veja https://loja.example/menu");
        assertThat(text.path("matchedText").asText()).isEqualTo("https://loja.example/menu");
        assertThat(text.path("title").asText()).isEqualTo("Cardápio");
        assertThat(text.path("description").asText()).isEqualTo("Pratos do dia");
        assertThat(java.util.Base64.getDecoder().decode(text.path("jpegThumbnail").asText())).isEqualTo(jpeg);
        // a text without a preview still goes as a plain conversation
        var plain = send(new MessagingPort.WireContent.Text("sem link", true));
        assertThat(awaitBaileys(plain.value()).at("/content/conversation").asText()).isEqualTo("sem link");
    }

    @Test
    void aVoteBaileysCastsOnOurPollOpensWithOurSecret() throws Exception {
        var poll = send(new MessagingPort.WireContent.Poll("Entrega?", List.of("Manhã", "Tarde", "Noite"), true));
        var created = awaitBaileys(poll.value()).path("content");
        String secret = created.at("/messageContextInfo/messageSecret").asText();

        String vote = oracle().call(BaileysOracle.request("baileysVote").put("id", session)
                .put("to", ANA + "@s.whatsapp.net").put("pollId", poll.value())
                .put("creator", ANA + "@s.whatsapp.net").put("voter", BRUNO + "@s.whatsapp.net")
                .put("secret", secret).set("options", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add("Tarde").add("Noite")))
                .path("messageId").asText();

        awaitUntil(() -> reports.handedOver().stream().anyMatch(e -> e.message().id().value().equals(vote)));
        var handed = one(reports.handedOver(), vote);
        assertThat(handed.kind()).isEqualTo(MessageExchanged.Kind.POLL_VOTE);
        assertThat(handed.message().body()).isEqualTo(new Message.PollVote(poll, List.of("Tarde", "Noite")));
    }

    private MessageId send(MessagingPort.WireContent content) throws Exception {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        new SecureRandom().nextBytes(bytes);
        var message = new MessagingPort.WireMessage(MessageId.generate(Instant.now(), Jid.phone(ANA), bytes),
                Jid.phone(BRUNO), content, Optional.empty(), List.of());
        engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return message.id();
    }

    private String baileys(String to, String content) throws Exception {
        var request = BaileysOracle.request("baileysSend").put("id", session).put("to", to);
        request.set("content", new com.fasterxml.jackson.databind.ObjectMapper().readTree(content));
        return oracle().call(request).path("messageId").asText();
    }

    private JsonNode awaitBaileys(String messageId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var m : oracle().call(BaileysOracle.request("baileysMessages").put("id", session).put("count", 0)
                    .put("timeoutMs", TIMEOUT_MS)).path("messages")) {
                if (m.path("id").asText().equals(messageId)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Baileys never upserted " + messageId);
    }

    private static MessageExchanged one(List<MessageExchanged> handed, String messageId) {
        return handed.stream().filter(e -> e.message().id().value().equals(messageId)).findFirst().orElseThrow(
                () -> new AssertionError("not handed over: " + messageId));
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
