package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chatwoot both ways (issue 13) with nothing simulated but WhatsApp and Chatwoot: a real gateway whose instance is
 * linked to a sandbox phone, mirrored into the stand-in Chatwoot ({@link FakeChatwoot}, every request checked against
 * Chatwoot's schema), which calls the gateway's webhook as Chatwoot does when an agent replies or reads.
 */
class ChatwootSyncEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /**
     * How long Chatwoot is down in the outage test: 60 s is the minute; the default is 5 s because the
     * mechanism (the webhook retry schedule holding the chat's queue until Chatwoot answers) is the same for a
     * minute or an hour, and the machine is shared. {@code -Dponte.chatwoot.outage=60} runs the full minute.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("ponte.chatwoot.outage", 5));
    private static final String TOKEN = "cw-e2e-token-51c2";
    private static final long ACCOUNT = 9;
    private static final String SHOP_PHONE = "5511987655001";
    private static final String CARLA = "5511987655002";
    private static final String DAVI = "5511987655003";
    private static final String ELISA = "5511987655004";
    private static final String FABIO = "5511987655005";
    private static final String GABI = "5511987655006";
    private static final String HUGO = "5511987655007";
    private static final String IARA = "5511987655008";
    private static final String JOAO = "5511987655009";
    private static final String KIKA = "5511987655010";
    private static final String LUIZ = "5511987655011";
    private static final String MARI = "5511987655012";

    /** Chatwoot calls the gateway at its public URL, so the gateway listens on a port known before it starts. */
    private static final int PORT = freePort();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_PORT", Integer.toString(PORT), "PONTE_PUBLIC_URL", "http://127.0.0.1:" + PORT,
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50", "PONTE_MEDIA_ALLOW_PRIVATE_URLS", "true",
            "PONTE_WEBHOOK_RETRY_SCHEDULE", "0s,200ms,500ms,1s", "PONTE_SEND_RATE_PER_CHAT", "50",
            "PONTE_SEND_RATE_PER_INSTANCE", "100"));
    private static FakeChatwoot chatwoot;
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static String webhookUrl;
    private static String luizLid;

    @BeforeAll
    static void linkAndActivate() throws InterruptedException {
        chatwoot = new FakeChatwoot(TOKEN, ACCOUNT);
        http = gateway.http();
        tenant = gateway.newTenant("chatwoot-sync");
        for (var phone : new String[][] {{SHOP_PHONE, "Shop"}, {CARLA, "Carla"}, {DAVI, "Davi"}, {ELISA, "Elisa"},
                {FABIO, "Fabio"}, {GABI, "Gabi"}, {HUGO, "Hugo"}, {IARA, "Iara"}, {JOAO, "Joao"},
                {KIKA, "Kika"}, {LUIZ, "Luiz"}, {MARI, "Mari"}}) {
            var created = http.post("/v1/sandbox/phones", ADMIN,
                    "{\"phone_number\": \"" + phone[0] + "\", \"push_name\": \"" + phone[1] + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            if (phone[0].equals(LUIZ)) {
                luizLid = created.json().at("/phone/lid").asText() + "@lid";
            }
        }
        shop = gateway.newInstance(tenant, "cw-shop");
        var raw = http.post("/v1/instances/" + shop.id() + "/connect", tenant.token(), null).json().at("/qr/raw")
                .asText();
        var scan = http.post("/v1/sandbox/phones/" + SHOP_PHONE + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await("connected", () -> http.get("/v1/instances/" + shop.id(), tenant.token()).json()
                .at("/instance/status").asText().equals("connected"));
        var activated = http.put("/v1/instances/" + shop.id() + "/chatwoot", tenant.token(), """
                {"base_url": "%s", "account_id": %d, "api_token": "%s", "inbox_name": "WhatsApp shop",
                 "sign_messages": true, "reopen_resolved": true}""".formatted(chatwoot.baseUrl(), ACCOUNT, TOKEN));
        assertThat(activated.json().at("/chatwoot/status").asText()).as(activated.toString()).isEqualTo("ok");
        webhookUrl = chatwoot.inbox(activated.json().at("/chatwoot/inbox_id").asLong()).webhookUrl();
    }

    @AfterAll
    static void stop() {
        chatwoot.close();
    }

    @AfterEach
    void everyRequestFitChatwootsSchema() {
        assertThat(chatwoot.violations()).isEmpty();
    }

    @Test
    void theInboxWebhookCarriesAPerInstanceSecretThatIsNeverShown() {
        assertThat(webhookUrl).startsWith("http://127.0.0.1:" + PORT).contains("/v1/chatwoot/webhook/" + shop.id()
                + "?secret=cws_");
        var secret = webhookUrl.substring(webhookUrl.indexOf("secret=") + 7);
        var view = http.get("/v1/instances/" + shop.id() + "/chatwoot", tenant.token());
        assertThat(view.body()).doesNotContain(secret).doesNotContain(TOKEN);
        // activating again keeps the same URL: the inbox is reused, not re-pointed
        var again = http.put("/v1/instances/" + shop.id() + "/chatwoot", tenant.token(), "{}");
        assertThat(again.json().at("/chatwoot/status").asText()).isEqualTo("ok");
        assertThat(chatwoot.inbox(again.json().at("/chatwoot/inbox_id").asLong()).webhookUrl()).isEqualTo(webhookUrl);
        assertThat(chatwoot.inboxes().stream().filter(i -> i.name().equals("WhatsApp shop"))).hasSize(1);
    }

    @Test
    void aPhoneWritesAndOneContactWithOneConversationShowsEveryMessageOnce() throws InterruptedException {
        var ids = new ArrayList<String>();
        for (var text : List.of("Oi, vocês abrem sábado?", "E domingo?", "Obrigada")) {
            ids.add(phoneSends(CARLA, text));
        }
        var conversation = conversationOf(CARLA);
        Predicate<FakeChatwoot.Message> these = m -> ids.contains(String.valueOf(m.sourceId()).replace("WAID:", ""));
        await("three messages", () -> chatwoot.messages(conversation.id()).stream().filter(these).count() >= 3);
        var messages = chatwoot.messages(conversation.id()).stream().filter(these).toList();
        assertThat(messages).extracting(FakeChatwoot.Message::content)
                .containsExactly("Oi, vocês abrem sábado?", "E domingo?", "Obrigada");
        assertThat(messages).extracting(FakeChatwoot.Message::messageType).containsOnly(0);
        assertThat(messages).extracting(FakeChatwoot.Message::sourceId)
                .containsExactly(ids.stream().map(id -> "WAID:" + id).toArray(String[]::new));
        assertThat(chatwoot.contacts().stream().filter(c -> ("+" + CARLA).equals(c.phoneNumber()))).hasSize(1);
        var contact = chatwoot.contacts().stream().filter(c -> ("+" + CARLA).equals(c.phoneNumber())).findFirst()
                .orElseThrow();
        assertThat(contact.name()).isEqualTo("Carla");
        assertThat(chatwoot.conversations().stream().filter(c -> c.contactId() == contact.id())).hasSize(1);
        // Chatwoot announced our own messages back to the webhook: each was answered and none was sent anywhere
        await("the echoes answered", () -> chatwoot.webhookCalls().stream()
                .filter(c -> ids.contains(c.payload().path("source_id").asText().replace("WAID:", ""))).count() == 3);
        assertThat(chatwoot.webhookCalls().stream().filter(c -> c.payload().path("source_id").asText()
                .startsWith("WAID:")).filter(c -> ids.contains(c.payload().path("source_id").asText().substring(5))))
                .allSatisfy(c -> {
                    assertThat(c.status()).isEqualTo(200);
                    assertThat(c.answer()).contains("\"acted\":false");
                });
    }

    @Test
    void anAgentsTextAndFileReachThePhoneOnceSignedAndAreNotCreatedAgain() throws Exception {
        phoneSends(DAVI, "Quero o cardápio");
        var conversation = conversationOf(DAVI);
        await("the question", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "Quero o cardápio".equals(m.content())));
        var pdf = MediaIntakeTest.pdf();
        var text = chatwoot.agentReply(conversation.id(), "Marta", "Claro! Segue o cardápio.");
        var file = chatwoot.agentReply(conversation.id(), "Marta", "Cardápio",
                new FakeChatwoot.Attachment("menu.pdf", "application/pdf", pdf));
        chatwoot.agentNote(conversation.id(), "Marta", "cliente antigo, dar desconto");

        var textAtPhone = awaitInbox(DAVI, m -> m.path("text").asText().contains("Segue o cardápio"));
        assertThat(textAtPhone.get("text").asText()).isEqualTo("*Marta:*\nClaro! Segue o cardápio.");
        var fileAtPhone = awaitInbox(DAVI, m -> m.path("type").asText().equals("document"));
        assertThat(phoneFile(DAVI, fileAtPhone.get("id").asText())).isEqualTo(pdf);

        // WhatsApp's echo of both sends (message.exchange sent) must not become Chatwoot messages again
        var mirrored = http.get("/v1/instances/" + shop.id() + "/messages/" + textAtPhone.get("id").asText(),
                tenant.token());
        assertThat(mirrored.status()).isEqualTo(200);
        Thread.sleep(1500);
        var messages = chatwoot.messages(conversation.id());
        assertThat(messages.stream().filter(m -> m.content() != null && m.content().contains("Segue o cardápio")))
                .hasSize(1);
        assertThat(messages).extracting(FakeChatwoot.Message::id).contains(text.id(), file.id());
        // what the agent made, once each; and no outgoing copy of them came back from WhatsApp
        assertThat(messages.stream().filter(m -> m.sourceId() == null)).hasSize(3);
        assertThat(messages.stream().filter(m -> m.messageType() == 1 && m.sourceId() != null)).isEmpty();
        assertThat(inbox(DAVI).stream().filter(m -> m.path("text").asText().contains("desconto"))).isEmpty();
    }

    @Test
    void aPhotoFromThePhoneShowsAsAnImageAttachment() throws Exception {
        var picture = MediaIntakeTest.picture("png", 32, 24);
        var sent = http.post("/v1/sandbox/phones/" + ELISA + "/media", ADMIN, "{\"to\":\"" + SHOP_PHONE
                + "\",\"type\":\"image\",\"mime_type\":\"image/png\",\"caption\":\"a mesa\",\"base64\":\""
                + Base64.getEncoder().encodeToString(picture) + "\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        var conversation = conversationOf(ELISA);
        await("the photo", () -> !chatwoot.messages(conversation.id()).isEmpty());
        var message = chatwoot.messages(conversation.id()).getFirst();
        assertThat(message.content()).isEqualTo("a mesa");
        assertThat(message.attachments()).hasSize(1);
        assertThat(message.attachments().getFirst().fileType()).isEqualTo("image");
        assertThat(chatwoot.file(message.attachments().getFirst().id())).isEqualTo(picture);
    }

    @Test
    void repliesEditsReactionsAndDeletionsAreShownLinkedToTheirMessage() throws InterruptedException {
        var original = phoneSends(ELISA, "pedido 42 pronto?");
        var conversation = conversationOf(ELISA);
        // each change waits for its message to be shown first (the mirror shows a message as it is when it is sent)
        await("the original", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "pedido 42 pronto?".equals(m.content())));
        // a reply, as the sandbox phone quotes a message: a location sent in reply
        var reply = sandboxSend(ELISA, "{\"to\":\"" + SHOP_PHONE + "\",\"type\":\"location\",\"latitude\":"
                + "-22.9519,\"longitude\":-43.2105,\"name\":\"Loja 43\",\"reply_to\":\"" + original + "\"}");
        await("the reply", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> String.valueOf(m.content()).contains("Loja 43")));
        sandboxSend(ELISA, "{\"to\":\"" + SHOP_PHONE + "\",\"type\":\"edit\",\"message_id\":\"" + original
                + "\",\"text\":\"pedido 44 pronto?\"}");
        sandboxSend(ELISA, "{\"to\":\"" + SHOP_PHONE + "\",\"type\":\"reaction\",\"message_id\":\"" + reply
                + "\",\"emoji\":\"👍\"}");
        sandboxSend(ELISA, "{\"to\":\"" + SHOP_PHONE + "\",\"type\":\"revoke\",\"message_id\":\"" + reply + "\"}");
        await("all five", () -> chatwoot.messages(conversation.id()).stream()
                .filter(m -> String.valueOf(m.content()).contains("deleted")).count() == 1);
        var messages = chatwoot.messages(conversation.id());
        var originalId = byContent(messages, "pedido 42 pronto?").id();
        var replyId = byContent(messages, "Loja 43").id();
        assertThat(byContent(messages, "Loja 43").content()).startsWith("📍 Loja 43")
                .contains("-22.9519,-43.2105");
        assertThat(byContent(messages, "Loja 43").contentAttributes().get("in_reply_to")).isEqualTo((int) originalId);
        assertThat(byContent(messages, "pedido 44 pronto?").content()).startsWith("✏️");
        assertThat(byContent(messages, "pedido 44 pronto?").contentAttributes().get("in_reply_to"))
                .isEqualTo((int) originalId);
        assertThat(byContent(messages, "👍").contentAttributes().get("in_reply_to")).isEqualTo((int) replyId);
        assertThat(byContent(messages, "deleted").contentAttributes().get("in_reply_to")).isEqualTo((int) replyId);
    }

    @Test
    void groupMessagesHaveTheirOwnConversationWithTheSendersName() throws InterruptedException {
        var group = http.post("/v1/sandbox/phones/" + CARLA + "/groups", ADMIN, "{\"subject\":\"Vizinhos\","
                + "\"participants\":[\"" + SHOP_PHONE + "\",\"" + DAVI + "\"]}");
        assertThat(group.status()).as(group.toString()).isIn(200, 201);
        var jid = group.json().at("/group/jid").asText();
        sandboxSend(DAVI, "{\"to\":\"" + jid + "\",\"text\":\"alguém tem escada?\"}");
        await("the group's conversation", () -> chatwoot.conversations().stream()
                .anyMatch(c -> c.sourceId().equals(jid) && !chatwoot.messages(c.id()).isEmpty()));
        var conversation = chatwoot.conversations().stream().filter(c -> c.sourceId().equals(jid)).toList();
        assertThat(conversation).hasSize(1);
        var message = chatwoot.messages(conversation.getFirst().id()).getFirst();
        assertThat(message.content()).isEqualTo("**Davi (+" + DAVI + "):**\nalguém tem escada?");
        assertThat(chatwoot.contacts().stream().filter(c -> c.id() == conversation.getFirst().contactId()))
                .singleElement().satisfies(c -> assertThat(c.phoneNumber()).isNull());
    }

    @Test
    void whileChatwootIsDownNothingIsLostAndEverythingArrivesInOrder() throws InterruptedException {
        phoneSends(FABIO, "antes");
        var conversation = conversationOf(FABIO);
        chatwoot.stop();
        var texts = new ArrayList<String>();
        try {
            for (int i = 1; i <= 8; i++) {
                texts.add("durante " + i);
                phoneSends(FABIO, "durante " + i);
            }
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            chatwoot.restart();
        }
        await("everything after the outage", () -> chatwoot.messages(conversation.id()).size() >= 9);
        var contents = chatwoot.messages(conversation.id()).stream().map(FakeChatwoot.Message::content).toList();
        var expected = new ArrayList<String>(List.of("antes"));
        expected.addAll(texts);
        assertThat(contents).containsExactlyElementsOf(expected);
    }

    @Test
    void theDeliveryLogShowsAMirroredMessageDeliveredAndWhileChatwootIsDownItsAttemptsAndError()
            throws InterruptedException {
        var log = "/v1/instances/" + shop.id() + "/chatwoot/deliveries";
        var delivered = phoneSends(MARI, "registrado");
        await("the delivered row", () -> logged(log + "?status=succeeded", delivered) != null);
        var row = logged(log + "?status=succeeded", delivered);
        assertThat(row.get("kind").asText()).isEqualTo("received");
        assertThat(row.get("attempts").asInt()).isEqualTo(1);
        assertThat(row.get("last_error").isNull()).isTrue();
        assertThat(row.get("delivered_at").isNull()).isFalse();
        assertThat(row.get("next_attempt_at").isNull()).isTrue();
        chatwoot.stop();
        var waiting = new String[1];
        try {
            waiting[0] = phoneSends(MARI, "na fila");
            await("a failed attempt", () -> {
                var pending = logged(log + "?status=pending", waiting[0]);
                return pending != null && pending.get("attempts").asInt() >= 1 && !pending.get("last_error").isNull()
                        && !pending.get("next_attempt_at").isNull();
            });
            assertThat(logged(log + "?status=succeeded", waiting[0])).isNull();
        } finally {
            chatwoot.restart();
        }
        await("delivered after the outage", () -> logged(log + "?status=succeeded", waiting[0]) != null);
        assertThat(http.get(log, gateway.newTenant("cw-stranger").token()).status()).isEqualTo(404);
        assertThat(http.get(log + "?status=sideways", tenant.token()).status()).isEqualTo(400);
    }

    /** The delivery of this WhatsApp message on the log's first page, or null. */
    private static JsonNode logged(String path, String messageId) {
        var listed = http.get(path, tenant.token());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        for (var row : listed.json().get("data")) {
            if (row.get("message_id").asText().equals(messageId)) {
                return row;
            }
        }
        return null;
    }

    @Test
    void aResolvedConversationReopensOnTheNextMessage() throws InterruptedException {
        phoneSends(ELISA, "primeira");
        var conversation = conversationOf(ELISA);
        await("the first", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "primeira".equals(m.content())));
        chatwoot.resolve(conversation.id());
        phoneSends(ELISA, "voltei");
        await("the reopened conversation", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "voltei".equals(m.content())));
        assertThat(chatwoot.conversation(conversation.id()).status()).isEqualTo("open");
        assertThat(chatwoot.conversations().stream().filter(c -> c.contactId() == conversation.contactId()))
                .hasSize(1);
    }

    @Test
    void badWebhookCallsAreRefusedOrIgnoredAndNothingIsSent() throws InterruptedException {
        phoneSends(CARLA, "oi de novo");
        var conversation = conversationOf(CARLA);
        var before = inbox(CARLA).size();
        var base = "/v1/chatwoot/webhook/" + shop.id();
        var secret = webhookUrl.substring(webhookUrl.indexOf("secret=") + 7);
        var agent = """
                {"event":"message_created","id":990001,"content":"nunca","message_type":"outgoing","private":false,
                 "sender":{"name":"X","type":"user"},"conversation":{"id":%d}}""".formatted(conversation.id());
        assertThat(http.post(base, null, agent).status()).isEqualTo(401);
        assertThat(http.post(base + "?secret=wrong", null, agent).status()).isEqualTo(401);
        assertThat(http.post("/v1/chatwoot/webhook/00000000-0000-0000-0000-000000000000?secret=" + secret, null,
                agent).status()).isEqualTo(404);
        for (var ignored : List.of(agent.replace("\"private\":false", "\"private\":true"),
                agent.replace("\"outgoing\"", "\"incoming\""), agent.replace("message_created", "contact_updated"))) {
            var answer = http.post(base + "?secret=" + secret, null, ignored);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("acted").asBoolean()).isFalse();
        }
        Thread.sleep(1000);
        assertThat(inbox(CARLA)).hasSize(before);
        // a conversation whose contact has no phone number: a private note says why nothing was sent
        var inboxId = http.get("/v1/instances/" + shop.id() + "/chatwoot", tenant.token()).json()
                .at("/chatwoot/inbox_id").asLong();
        var anonymous = chatwoot.startConversation(inboxId, "Visitante", null);
        var unsent = chatwoot.agentReply(anonymous.id(), "Marta", "Olá!");
        await("the note", () -> chatwoot.messages(anonymous.id()).size() == 2);
        var note = chatwoot.messages(anonymous.id()).get(1);
        assertThat(note.privateNote()).isTrue();
        assertThat(note.content()).contains("no phone number");
        assertThat(note.contentAttributes().get("in_reply_to")).isEqualTo((int) unsent.id());
    }

    @Test
    void aSendThatCannotGoOutIsPostedBackAsAPrivateNote() throws InterruptedException {
        var inboxId = http.get("/v1/instances/" + shop.id() + "/chatwoot", tenant.token()).json()
                .at("/chatwoot/inbox_id").asLong();
        // a contact typed into Chatwoot by hand, whose number is not on WhatsApp
        var conversation = chatwoot.startConversation(inboxId, "Número errado", "+5511900009999");
        var unsent = chatwoot.agentReply(conversation.id(), "Marta", "Olá!");
        await("the note", () -> chatwoot.messages(conversation.id()).size() == 2);
        var note = chatwoot.messages(conversation.id()).get(1);
        assertThat(note.privateNote()).isTrue();
        assertThat(note.content()).startsWith("Not sent to WhatsApp:").contains("WhatsApp");
        assertThat(note.contentAttributes().get("in_reply_to")).isEqualTo((int) unsent.id());
    }

    @Test
    void theAgentReadingTheConversationMarksTheChatRead() throws InterruptedException {
        phoneSends(DAVI, "tem alguém aí?");
        var conversation = conversationOf(DAVI);
        await("the question", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "tem alguém aí?".equals(m.content())));
        chatwoot.markRead(conversation.id());
        await("the chat read", () -> {
            for (var chat : http.get("/v1/instances/" + shop.id() + "/chats", tenant.token()).json().get("data")) {
                if (chat.get("jid").asText().startsWith(DAVI) || chat.path("name").asText().equals("Davi")) {
                    return chat.get("unread_count").asInt() == 0;
                }
            }
            return false;
        });
    }

    @Test
    void noDuplicatesEitherWayAcross200MessagesWithRetriesOnBothSides() throws InterruptedException {
        phoneSends(FABIO, "começo");
        var conversation = conversationOf(FABIO);
        await("the start", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "começo".equals(m.content())));
        chatwoot.webhookCopies(2);
        chatwoot.loseAnswers(10);
        try {
            var agentIds = new ArrayList<Long>();
            for (int i = 0; i < 100; i++) {
                phoneSends(FABIO, "cliente " + i);
                agentIds.add(chatwoot.agentReply(conversation.id(), "Marta", "agente " + i).id());
            }
            await("100 agent messages at the phone", () -> inbox(FABIO).stream()
                    .filter(m -> m.path("text").asText().startsWith("*Marta:*\nagente ")).count() >= 100);
            await("100 phone messages in Chatwoot", () -> chatwoot.messages(conversation.id()).stream()
                    .filter(m -> m.content() != null && m.content().startsWith("cliente ")).count() >= 100);
            Thread.sleep(2000);
            var atPhone = inbox(FABIO).stream().map(m -> m.path("text").asText())
                    .filter(t -> t.startsWith("*Marta:*\nagente ")).toList();
            assertThat(atPhone).hasSize(100).doesNotHaveDuplicates();
            var inChatwoot = chatwoot.messages(conversation.id()).stream().map(FakeChatwoot.Message::content)
                    .filter(c -> c != null && (c.startsWith("cliente ") || c.startsWith("agente "))).toList();
            assertThat(inChatwoot).hasSize(200).doesNotHaveDuplicates();
            var clientOrder = inChatwoot.stream().filter(c -> c.startsWith("cliente ")).toList();
            assertThat(clientOrder).isSortedAccordingTo(java.util.Comparator.comparingInt(
                    c -> Integer.parseInt(c.substring("cliente ".length()))));
        } finally {
            chatwoot.webhookCopies(1);
            chatwoot.loseAnswers(0);
        }
    }

    @Test
    void whatThePhoneItselfAndTheApiSendShowsAsOutgoingOnce() throws InterruptedException {
        // the shop's own phone writes: the linked instance gets the copy as from-me
        var fromPhone = sandboxSend(SHOP_PHONE, "{\"to\":\"" + GABI + "\",\"text\":\"enviado do celular\"}");
        var fromApi = http.post("/v1/instances/" + shop.id() + "/messages/text", tenant.token(),
                "{\"to\":\"" + GABI + "\",\"text\":\"enviado pela API\"}");
        assertThat(fromApi.status()).as(fromApi.toString()).isIn(201, 202);
        var conversation = conversationOf(GABI);
        await("both sends", () -> chatwoot.messages(conversation.id()).stream()
                .filter(m -> m.content() != null && m.content().startsWith("enviado ")).count() >= 2);
        // the API send's sent echo (and any receipt) comes after it was created: give it time to double it
        awaitInbox(GABI, m -> m.path("text").asText().equals("enviado pela API"));
        Thread.sleep(1500);
        var sends = chatwoot.messages(conversation.id()).stream()
                .filter(m -> m.content() != null && m.content().startsWith("enviado ")).toList();
        assertThat(sends).extracting(FakeChatwoot.Message::content)
                .containsExactlyInAnyOrder("enviado do celular", "enviado pela API");
        assertThat(sends).extracting(FakeChatwoot.Message::messageType).containsOnly(1);
        assertThat(sends).extracting(FakeChatwoot.Message::sourceId).contains("WAID:" + fromPhone,
                "WAID:" + fromApi.json().at("/message/id").asText());
        // nothing the shop sent was announced back to WhatsApp
        Thread.sleep(500);
        assertThat(inbox(GABI).stream().filter(m -> m.path("text").asText().startsWith("enviado "))).hasSize(2);
    }

    @Test
    void withIgnoreGroupsAGroupMessageCreatesNothing() throws InterruptedException {
        configure("{\"ignore_groups\": true}");
        try {
            var group = http.post("/v1/sandbox/phones/" + HUGO + "/groups", ADMIN, "{\"subject\":\"Calados\","
                    + "\"participants\":[\"" + SHOP_PHONE + "\",\"" + IARA + "\"]}");
            assertThat(group.status()).as(group.toString()).isIn(200, 201);
            var jid = group.json().at("/group/jid").asText();
            var id = sandboxSend(IARA, "{\"to\":\"" + jid + "\",\"text\":\"ninguém vê\"}");
            await("the group message at the gateway", () -> http.get("/v1/instances/" + shop.id() + "/messages/"
                    + id, tenant.token()).status() == 200);
            Thread.sleep(1500);
            assertThat(chatwoot.conversations().stream().filter(c -> c.sourceId().equals(jid))).isEmpty();
            assertThat(chatwoot.contacts().stream().filter(c -> jid.equals(c.identifier()))).isEmpty();
        } finally {
            configure("{\"ignore_groups\": false}");
        }
    }

    @Test
    void withConversationPendingANewConversationIsPending() throws InterruptedException {
        configure("{\"conversation_pending\": true}");
        try {
            phoneSends(HUGO, "alguém?");
            var conversation = conversationOf(HUGO);
            await("the message", () -> chatwoot.messages(conversation.id()).stream()
                    .anyMatch(m -> "alguém?".equals(m.content())));
            assertThat(chatwoot.conversation(conversation.id()).status()).isEqualTo("pending");
        } finally {
            configure("{\"conversation_pending\": false}");
        }
    }

    @Test
    void withoutReopenResolvedAMessageAfterResolutionOpensANewConversation() throws InterruptedException {
        configure("{\"reopen_resolved\": false}");
        try {
            phoneSends(IARA, "primeira vez");
            var first = conversationOf(IARA);
            await("the first", () -> chatwoot.messages(first.id()).stream()
                    .anyMatch(m -> "primeira vez".equals(m.content())));
            chatwoot.resolve(first.id());
            phoneSends(IARA, "outra coisa");
            await("a second conversation", () -> chatwoot.conversations().stream()
                    .filter(c -> c.contactId() == first.contactId()).count() == 2);
            var second = chatwoot.conversations().stream().filter(c -> c.contactId() == first.contactId())
                    .filter(c -> c.id() != first.id()).findFirst().orElseThrow();
            await("the new message", () -> chatwoot.messages(second.id()).stream()
                    .anyMatch(m -> "outra coisa".equals(m.content())));
            assertThat(chatwoot.conversation(first.id()).status()).isEqualTo("resolved");
            assertThat(chatwoot.conversation(second.id()).status()).isEqualTo("open");
            assertThat(chatwoot.messages(first.id()).stream().map(FakeChatwoot.Message::content))
                    .doesNotContain("outra coisa");
        } finally {
            configure("{\"reopen_resolved\": true}");
        }
    }

    @Test
    void aSendThatFailsAfterItWasQueuedBecomesAPrivateNote() throws InterruptedException {
        var inboxId = http.get("/v1/instances/" + shop.id() + "/chatwoot", tenant.token()).json()
                .at("/chatwoot/inbox_id").asLong();
        // offline, a number cannot be checked: the send is queued, and fails when the instance is back
        var path = "/v1/instances/" + shop.id();
        assertThat(http.post(path + "/disconnect", tenant.token(), null).status()).isEqualTo(200);
        try {
            await("disconnected", () -> http.get(path, tenant.token()).json().at("/instance/status").asText()
                    .equals("disconnected"));
            var conversation = chatwoot.startConversation(inboxId, "Ninguém", "+5511900008888");
            var unsent = chatwoot.agentReply(conversation.id(), "Marta", "Olá, tudo bem?");
            await("the send queued", () -> chatwoot.webhookCalls().stream()
                    .filter(c -> c.payload().path("id").asLong() == unsent.id())
                    .anyMatch(c -> c.answer().contains("\"acted\":true")));
            assertThat(chatwoot.messages(conversation.id())).hasSize(1);
            assertThat(http.post(path + "/restart", tenant.token(), null).status()).isEqualTo(200);
            await("the note", () -> chatwoot.messages(conversation.id()).stream()
                    .anyMatch(FakeChatwoot.Message::privateNote));
            assertThat(chatwoot.messages(conversation.id()).stream().filter(FakeChatwoot.Message::privateNote))
                    .singleElement().satisfies(note -> {
                        assertThat(note.content()).startsWith("WhatsApp did not deliver this message:")
                                .contains("not on WhatsApp");
                        assertThat(note.contentAttributes().get("in_reply_to")).isEqualTo((int) unsent.id());
                    });
        } finally {
            http.post(path + "/restart", tenant.token(), null);
            await("connected again", () -> http.get(path, tenant.token()).json().at("/instance/status").asText()
                    .equals("connected"));
        }
    }

    @Test
    void anAgentsReplyQuotingAWhatsAppMessageGoesOutQuotingIt() throws InterruptedException {
        var question = phoneSends(JOAO, "qual o horário?");
        var conversation = conversationOf(JOAO);
        await("the question", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "qual o horário?".equals(m.content())));
        var quoted = byContent(chatwoot.messages(conversation.id()), "qual o horário?");
        chatwoot.agentReplyQuoting(conversation.id(), "Marta", "Das 9h às 18h", quoted.id());
        var atPhone = awaitInbox(JOAO, m -> m.path("text").asText().endsWith("Das 9h às 18h"));
        assertThat(atPhone.path("reply_to").asText()).isEqualTo(question);
        var sent = http.get("/v1/instances/" + shop.id() + "/messages/" + atPhone.get("id").asText(),
                tenant.token());
        assertThat(sent.json().at("/message/quoted/id").asText()).as(sent.toString()).isEqualTo(question);
    }

    @Test
    void anAgentsMessageWithSeveralAttachmentsSendsEachToThePhoneOnce() throws Exception {
        phoneSends(KIKA, "manda as fotos");
        var conversation = conversationOf(KIKA);
        await("the ask", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "manda as fotos".equals(m.content())));
        var picture = MediaIntakeTest.picture("png", 20, 10);
        var pdf = MediaIntakeTest.pdf();
        var reply = chatwoot.agentReply(conversation.id(), "Marta", "Aqui estão",
                new FakeChatwoot.Attachment("foto.png", "image/png", picture),
                new FakeChatwoot.Attachment("lista.pdf", "application/pdf", pdf));
        var image = awaitInbox(KIKA, m -> m.path("type").asText().equals("image"));
        var document = awaitInbox(KIKA, m -> m.path("type").asText().equals("document"));
        assertThat(phoneFile(KIKA, image.get("id").asText())).isEqualTo(picture);
        assertThat(phoneFile(KIKA, document.get("id").asText())).isEqualTo(pdf);
        // the sent echo of either file is not created again in Chatwoot
        Thread.sleep(1500);
        var messages = chatwoot.messages(conversation.id());
        assertThat(messages).extracting(FakeChatwoot.Message::id).contains(reply.id());
        assertThat(messages.stream().filter(m -> m.messageType() == 1 && m.sourceId() != null)).isEmpty();
        assertThat(inbox(KIKA).stream().filter(m -> m.path("type").asText().equals("image"))).hasSize(1);
        assertThat(inbox(KIKA).stream().filter(m -> m.path("type").asText().equals("document"))).hasSize(1);
    }

    @Test
    void aPersonInAnLidAddressedChatAndByPhoneNumberIsOneContactAndOneConversation() throws InterruptedException {
        phoneSends(LUIZ, "pelo número");
        var conversation = conversationOf(LUIZ);
        await("the first", () -> chatwoot.messages(conversation.id()).stream()
                .anyMatch(m -> "pelo número".equals(m.content())));
        // the shop writes to Luiz's LID: the chat is LID-addressed
        var byLid = http.post("/v1/instances/" + shop.id() + "/messages/text", tenant.token(),
                "{\"to\":\"" + luizLid + "\",\"text\":\"pela LID\"}");
        assertThat(byLid.status()).as(byLid.toString()).isIn(201, 202);
        var id = byLid.json().at("/message/id").asText();
        await("the LID chat's message", () -> chatwoot.messages().stream()
                .anyMatch(m -> ("WAID:" + id).equals(m.sourceId())));
        var shown = chatwoot.messages().stream().filter(m -> ("WAID:" + id).equals(m.sourceId())).toList();
        assertThat(shown).singleElement().satisfies(m -> {
            assertThat(m.conversationId()).isEqualTo(conversation.id());
            assertThat(m.messageType()).isEqualTo(1);
        });
        assertThat(chatwoot.contacts().stream().filter(c -> ("+" + LUIZ).equals(c.phoneNumber())
                || "Luiz".equals(c.name()) || luizLid.startsWith(String.valueOf(c.phoneNumber())))).hasSize(1);
        assertThat(chatwoot.conversations().stream().filter(c -> c.contactId() == conversation.contactId()))
                .hasSize(1);
    }

    // ---- helpers

    private static void configure(String json) {
        var changed = http.put("/v1/instances/" + shop.id() + "/chatwoot", tenant.token(), json);
        assertThat(changed.json().at("/chatwoot/status").asText()).as(changed.toString()).isEqualTo("ok");
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sandboxSend(String phone, String json) {
        var sent = http.post("/v1/sandbox/phones/" + phone + "/messages", ADMIN, json);
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        return sent.json().at("/message/id").asText();
    }

    private static FakeChatwoot.Message byContent(List<FakeChatwoot.Message> messages, String part) {
        return messages.stream().filter(m -> m.content() != null && m.content().contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no message with " + part + " in " + messages));
    }

    private static String phoneSends(String phone, String text) {
        var sent = http.post("/v1/sandbox/phones/" + phone + "/messages", ADMIN,
                "{\"to\": \"" + SHOP_PHONE + "\", \"text\": \"" + text + "\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        return sent.json().at("/message/id").asText();
    }

    /** The one conversation of the phone's contact, once it exists. */
    private static FakeChatwoot.Conversation conversationOf(String phone) throws InterruptedException {
        await("a conversation for " + phone, () -> chatwoot.contacts().stream()
                .anyMatch(c -> ("+" + phone).equals(c.phoneNumber())
                        && chatwoot.conversations().stream().anyMatch(v -> v.contactId() == c.id())));
        var contact = chatwoot.contacts().stream().filter(c -> ("+" + phone).equals(c.phoneNumber())).findFirst()
                .orElseThrow();
        var conversations = chatwoot.conversations().stream().filter(v -> v.contactId() == contact.id()).toList();
        assertThat(conversations).hasSize(1);
        return conversations.getFirst();
    }

    private static List<JsonNode> inbox(String phone) {
        var list = new ArrayList<JsonNode>();
        http.get("/v1/sandbox/phones/" + phone + "/messages", ADMIN).json().get("messages").forEach(list::add);
        return list;
    }

    private static JsonNode awaitInbox(String phone, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : inbox(phone)) {
                if (wanted.test(message)) {
                    return message;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing matching at " + phone + " within " + PATIENCE + ": " + inbox(phone)
                + "; webhook answers " + chatwoot.webhookCalls().stream().filter(c -> c.payload().path("sender")
                .path("type").asText().equals("user")).map(c -> c.status() + " " + c.answer()).toList());
    }

    private static byte[] phoneFile(String phone, String id) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(http.base() + "/v1/sandbox/phones/" + phone + "/media/" + id))
                .header("Authorization", "Bearer " + ADMIN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what + "; violations " + chatwoot.violations());
            }
            Thread.sleep(100);
        }
    }
}
