package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every non-media message type end to end through the API (issue 11): a real gateway whose instance is linked to a
 * sandbox phone (Carla), another sandbox phone (Davi) on the other side, and a real webhook receiver. Locations,
 * contact cards, reactions, polls and their votes, replies, edits and revokes go both ways, and the webhook and the
 * store show each type's fields.
 */
class MessageTypesEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String CARLA = "5511987653001";
    private static final String DAVI = "5511987653002";
    private static final String DAVI_JID = DAVI + "@s.whatsapp.net";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static String base;

    @BeforeAll
    static void linkTheShopToCarlasPhone() throws InterruptedException {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("types");
        phone(CARLA, "Carla");
        phone(DAVI, "Davi");
        shop = gateway.newInstance(tenant, "shop");
        base = "/v1/instances/" + shop.id();
        var hook = http.post(base + "/webhooks", tenant.token(), "{\"label\":\"types\",\"url\":\""
                + receiver.url("/hook") + "\",\"events\":[\"message.exchange\",\"message.status\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        link(shop, CARLA);
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    @Test
    void aLocationContactsAndAPollGoOutAndThePhoneReadsEach() throws InterruptedException {
        String location = accepted(http.post(base + "/messages/location", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"latitude\": -23.5613, \"longitude\": -46.6565, \"name\": \"MASP\"}"), "location");
        String contact = accepted(http.post(base + "/messages/contact", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"contacts\": [{\"name\": \"Ana Souza\", \"phones\": [\"+5511987650003\"], "
                + "\"org\": \"Loja\"}]}"), "contact");
        String poll = accepted(http.post(base + "/messages/poll", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"question\": \"Entrega?\", \"options\": [\"Manhã\", \"Tarde\"]}"), "poll");

        var atDavi = awaitInbox(DAVI, m -> m.get("id").asText().equals(location));
        assertThat(atDavi.get("type").asText()).isEqualTo("location");
        assertThat(atDavi.at("/location/latitude").asDouble()).isEqualTo(-23.5613);
        assertThat(atDavi.at("/location/name").asText()).isEqualTo("MASP");
        var card = awaitInbox(DAVI, m -> m.get("id").asText().equals(contact));
        assertThat(card.at("/contacts/0/name").asText()).isEqualTo("Ana Souza");
        assertThat(card.at("/contacts/0/phones/0").asText()).isEqualTo("+5511987650003");
        assertThat(card.at("/contacts/0/org").asText()).isEqualTo("Loja");
        var poll1 = awaitInbox(DAVI, m -> m.get("id").asText().equals(poll));
        assertThat(poll1.at("/poll/question").asText()).isEqualTo("Entrega?");
        assertThat(poll1.at("/poll/multiple").asBoolean()).isFalse();

        var sent = awaitEvent(e -> e.at("/data/message/id").asText().equals(location));
        assertThat(sent.at("/data/type").asText()).isEqualTo("sent");
        assertThat(sent.at("/data/message/location/longitude").asDouble()).isEqualTo(-46.6565);
        var stored = http.get(base + "/messages/" + contact, tenant.token()).json().get("message");
        assertThat(stored.get("type").asText()).isEqualTo("contact");
        assertThat(stored.at("/contacts/0/phones/0").asText()).isEqualTo("+5511987650003");

        // the phone's user votes: the vote is opened with the poll's secret and names the options
        var vote = http.post("/v1/sandbox/phones/" + DAVI + "/messages", ADMIN, "{\"to\": \"" + CARLA
                + "\", \"type\": \"poll_vote\", \"message_id\": \"" + poll + "\", \"options\": [\"Tarde\"]}");
        assertThat(vote.status()).as(vote.toString()).isEqualTo(200);
        var voted = awaitEvent(e -> e.at("/data/type").asText().equals("poll_vote")
                && e.at("/data/message/poll_vote/message_id").asText().equals(poll));
        assertThat(voted.at("/data/message/poll_vote/options")).extracting(JsonNode::asText).containsExactly("Tarde");
        assertThat(voted.at("/data/message/sender/jid").asText()).isEqualTo(DAVI_JID);
    }

    @Test
    void aReactionToAPhonesMessageGoesOutAndOneToAnUnknownMessageIsRefused() throws InterruptedException {
        String theirs = phoneSends("{\"to\": \"" + CARLA + "\", \"text\": \"Chegou?\"}");
        awaitEvent(e -> e.at("/data/message/id").asText().equals(theirs));

        String reaction = accepted(http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"message_id\": \"" + theirs + "\", \"emoji\": \"👍\"}"), "reaction");
        var atDavi = awaitInbox(DAVI, m -> m.get("id").asText().equals(reaction));
        assertThat(atDavi.at("/reaction/message_id").asText()).isEqualTo(theirs);
        assertThat(atDavi.at("/reaction/emoji").asText()).isEqualTo("👍");
        // a reaction is a protocol message: no reply to it, no reaction to it; it is removed by an empty emoji,
        // never deleted for everyone or edited
        var quoteReaction = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"text\": \"?\", \"reply_to\": \"" + reaction + "\"}");
        assertEnvelope(quoteReaction, 400, "VALIDATION_ERROR");
        assertThat(quoteReaction.body()).contains("reply_to");
        var reactToReaction = http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"message_id\": \"" + reaction + "\", \"emoji\": \"👍\"}");
        assertEnvelope(reactToReaction, 400, "VALIDATION_ERROR");
        assertThat(reactToReaction.body()).contains("message_id");
        var deleteReaction = http.delete(base + "/messages/" + reaction, tenant.token());
        assertEnvelope(deleteReaction, 400, "VALIDATION_ERROR");
        assertThat(deleteReaction.body()).contains("message_id", "emoji");
        assertEnvelope(http.send("PATCH", base + "/messages/" + reaction, tenant.token(), "{\"text\": \"x\"}",
                Map.of()), 400, "VALIDATION_ERROR");

        var unknown = http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"message_id\": \"3EB0000000000000000000\", \"emoji\": \"👍\"}");
        assertEnvelope(unknown, 404, "NOT_FOUND");
        var onePoll = http.post(base + "/messages/poll", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"question\": \"?\", \"options\": [\"só uma\"]}");
        assertEnvelope(onePoll, 400, "VALIDATION_ERROR");
        assertThat(onePoll.body()).contains("options");
        var thirteen = http.post(base + "/messages/poll", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"question\": \"?\", \"options\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\","
                + "\"10\",\"11\",\"12\",\"13\"]}");
        assertEnvelope(thirteen, 400, "VALIDATION_ERROR");
    }

    @Test
    void thePhonesLocationContactReactionPollReplyEditAndRevokeArriveAsTheirEvents() throws InterruptedException {
        String ours = accepted(http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"text\": \"Pedido 4711 saiu\"}"), "text");
        awaitInbox(DAVI, m -> m.get("id").asText().equals(ours));

        String location = phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"location\", \"latitude\": "
                + "-22.9519, \"longitude\": -43.2105, \"name\": \"Cristo\", \"reply_to\": \"" + ours + "\"}");
        var located = awaitEvent(e -> e.at("/data/message/id").asText().equals(location)).at("/data/message");
        assertThat(located.get("type").asText()).isEqualTo("location");
        assertThat(located.at("/location/name").asText()).isEqualTo("Cristo");
        assertThat(located.at("/quoted/id").asText()).isEqualTo(ours);

        String contact = phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"contact\", \"contacts\": "
                + "[{\"name\": \"Caio\", \"phones\": [\"5511987650005\"]}, {\"name\": \"Duda\", "
                + "\"phones\": [\"5511987650006\"], \"email\": \"duda@example.com\"}]}");
        var cards = awaitEvent(e -> e.at("/data/message/id").asText().equals(contact)).at("/data/message");
        assertThat(cards.at("/contacts/1/email").asText()).isEqualTo("duda@example.com");

        String reaction = phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"reaction\", \"message_id\": \""
                + ours + "\", \"emoji\": \"❤️\"}");
        var reacted = awaitEvent(e -> e.at("/data/message/id").asText().equals(reaction));
        assertThat(reacted.at("/data/type").asText()).isEqualTo("reaction");
        assertThat(reacted.at("/data/message/reaction/message_id").asText()).isEqualTo(ours);

        String poll = phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"poll\", \"question\": \"Cor?\", "
                + "\"options\": [\"Azul\", \"Verde\"], \"multiple\": true}");
        var polled = awaitEvent(e -> e.at("/data/message/id").asText().equals(poll)).at("/data/message");
        assertThat(polled.at("/poll/options")).extracting(JsonNode::asText).containsExactly("Azul", "Verde");
        assertThat(polled.at("/poll/multiple").asBoolean()).isTrue();

        String text = phoneSends("{\"to\": \"" + CARLA + "\", \"text\": \"Oi\"}");
        awaitEvent(e -> e.at("/data/message/id").asText().equals(text));
        phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"edit\", \"message_id\": \"" + text
                + "\", \"text\": \"Olá\"}");
        var edited = awaitEvent(e -> e.at("/data/type").asText().equals("edited")
                && e.at("/data/message/id").asText().equals(text)).at("/data/message");
        assertThat(edited.get("text").asText()).isEqualTo("Olá");
        assertThat(edited.has("edited_at")).isTrue();
        phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"revoke\", \"message_id\": \"" + text + "\"}");
        var revoked = awaitEvent(e -> e.at("/data/type").asText().equals("revoked")
                && e.at("/data/message/id").asText().equals(text)).at("/data/message");
        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        var stored = http.get(base + "/messages/" + text, tenant.token()).json().get("message");
        assertThat(stored.has("text")).as("a deleted message keeps no text: " + stored).isFalse();
        assertThat(stored.get("type").asText()).isEqualTo("revoked");
        assertThat(stored.get("revoked").asBoolean()).isTrue();
        assertThat(stored.has("edited_at")).isTrue();
        assertThat(revoked.has("text")).isFalse();
        // a late edit of the deleted message changes nothing
        phoneSends("{\"to\": \"" + CARLA + "\", \"type\": \"edit\", \"message_id\": \"" + text
                + "\", \"text\": \"de novo\"}");
        Thread.sleep(500);
        assertThat(http.get(base + "/messages/" + text, tenant.token()).json().at("/message/revoked").asBoolean())
                .isTrue();
        // nobody reacts to or quotes a deleted message
        var reactToDeleted = http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"message_id\": \"" + text + "\", \"emoji\": \"👍\"}");
        assertEnvelope(reactToDeleted, 400, "VALIDATION_ERROR");
        assertThat(reactToDeleted.body()).contains("message_id");
        var quoteDeleted = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"text\": \"?\", \"reply_to\": \"" + text + "\"}");
        assertEnvelope(quoteDeleted, 400, "VALIDATION_ERROR");
        assertThat(quoteDeleted.body()).contains("reply_to");
        // the chat's history shows the messages, not the reaction, edit and revoke that changed them
        var history = http.get(base + "/chats/" + DAVI_JID + "/messages?limit=100", tenant.token());
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        var listed = StreamSupport.stream(history.json().get("data").spliterator(), false).toList();
        assertThat(listed).extracting(m -> m.get("id").asText()).contains(text, location).doesNotContain(reaction);
        assertThat(listed).extracting(m -> m.get("type").asText()).doesNotContain("reaction", "poll_vote");
    }

    @Test
    void ourOwnMessageIsEditedAndRevokedThroughTheApi() throws InterruptedException {
        String ours = accepted(http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"text\": \"Entrega às 10h\"}"), "text");
        awaitInbox(DAVI, m -> m.get("id").asText().equals(ours));

        var edit = http.send("PATCH", base + "/messages/" + ours, tenant.token(), "{\"text\": \"Entrega às 11h\"}",
                Map.of());
        assertThat(edit.status()).as(edit.toString()).isEqualTo(202);
        String editId = edit.json().at("/message/id").asText();
        var atDavi = awaitInbox(DAVI, m -> m.get("id").asText().equals(editId));
        assertThat(atDavi.get("text").asText()).isEqualTo("Entrega às 11h");
        var stored = http.get(base + "/messages/" + ours, tenant.token()).json().get("message");
        assertThat(stored.get("text").asText()).isEqualTo("Entrega às 11h");
        assertThat(stored.has("edited_at")).isTrue();

        var announced = awaitEvent(e -> e.at("/data/type").asText().equals("edited")
                && e.at("/data/message/id").asText().equals(ours)).at("/data/message");
        assertThat(announced.get("text").asText()).isEqualTo("Entrega às 11h");
        assertThat(announced.get("from_me").asBoolean()).isTrue();
        assertThat(events(e -> e.at("/data/message/id").asText().equals(editId))).as("the edit's own message is "
                + "not announced as a text of its own").isEmpty();

        var revoke = http.delete(base + "/messages/" + ours, tenant.token());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(202);
        String revokeId = revoke.json().at("/message/id").asText();
        var gone = awaitInbox(DAVI, m -> m.get("id").asText().equals(revokeId));
        assertThat(gone.get("type").asText()).isEqualTo("revoked");
        assertThat(http.get(base + "/messages/" + ours, tenant.token()).json().at("/message/revoked").asBoolean())
                .isTrue();
        assertThat(awaitEvent(e -> e.at("/data/type").asText().equals("revoked")
                && e.at("/data/message/id").asText().equals(ours)).at("/data/message/revoked").asBoolean()).isTrue();

        String theirs = phoneSends("{\"to\": \"" + CARLA + "\", \"text\": \"não é seu\"}");
        awaitEvent(e -> e.at("/data/message/id").asText().equals(theirs));
        assertEnvelope(http.send("PATCH", base + "/messages/" + theirs, tenant.token(), "{\"text\": \"x\"}",
                Map.of()), 400, "VALIDATION_ERROR");
        assertEnvelope(http.send("PATCH", base + "/messages/3EB0000000000000000001", tenant.token(),
                "{\"text\": \"x\"}", Map.of()), 404, "NOT_FOUND");
        // only our own messages are deleted for everyone, each once, and a deletion is not itself deleted
        assertEnvelope(http.delete(base + "/messages/" + theirs, tenant.token()), 400, "VALIDATION_ERROR");
        assertThat(http.get(base + "/messages/" + theirs, tenant.token()).json().at("/message/revoked")
                .asBoolean()).isFalse();
        assertEnvelope(http.delete(base + "/messages/" + ours, tenant.token()), 400, "VALIDATION_ERROR");
        assertEnvelope(http.delete(base + "/messages/" + revokeId, tenant.token()), 400, "VALIDATION_ERROR");
        // the edit's and the deletion's own messages are neither replied to nor reacted to
        for (String change : List.of(editId, revokeId)) {
            var quote = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                    + "\", \"text\": \"?\", \"reply_to\": \"" + change + "\"}");
            assertEnvelope(quote, 400, "VALIDATION_ERROR");
            assertThat(quote.body()).contains("reply_to");
            var react = http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                    + "\", \"message_id\": \"" + change + "\", \"emoji\": \"👍\"}");
            assertEnvelope(react, 400, "VALIDATION_ERROR");
            assertThat(react.body()).contains("message_id");
        }
        // neither the edit nor the revoke is a message of the chat's history; the revoked one keeps no text
        var history = StreamSupport.stream(http.get(base + "/chats/" + DAVI_JID + "/messages?limit=100",
                tenant.token()).json().get("data").spliterator(), false).toList();
        assertThat(history).extracting(m -> m.get("id").asText()).contains(ours).doesNotContain(editId, revokeId);
        var deleted = history.stream().filter(m -> m.get("id").asText().equals(ours)).findFirst().orElseThrow();
        assertThat(deleted.has("text")).as(deleted.toString()).isFalse();
    }

    @Test
    void parallelDeletesQueueOneDeletionAndAnEditRacingADeleteNeverLosesIt() throws Exception {
        String ours = accepted(http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"text\": \"apagar já\"}"), "text");
        awaitInbox(DAVI, m -> m.get("id").asText().equals(ours));
        var deletes = race(5, i -> http.delete(base + "/messages/" + ours, tenant.token()));
        assertThat(deletes).extracting(Http.Response::status).as(deletes.toString())
                .containsOnlyOnce(202).containsOnly(202, 400);
        assertThat(http.get(base + "/messages/" + ours, tenant.token()).json().at("/message/revoked").asBoolean())
                .isTrue();

        // an edit and a delete of one message at once, a few times: whoever wins, the message ends revoked
        for (int round = 0; round < 3; round++) {
            String target = accepted(http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + DAVI
                    + "\", \"text\": \"rodada " + round + "\"}"), "text");
            awaitInbox(DAVI, m -> m.get("id").asText().equals(target));
            var both = race(2, i -> i == 0 ? http.delete(base + "/messages/" + target, tenant.token())
                    : http.send("PATCH", base + "/messages/" + target, tenant.token(), "{\"text\": \"editado\"}",
                    Map.of()));
            assertThat(both.getFirst().status()).as(both.toString()).isEqualTo(202);
            assertThat(both.getLast().status()).as(both.toString()).isIn(202, 400);
            var after = http.get(base + "/messages/" + target, tenant.token()).json().get("message");
            assertThat(after.get("revoked").asBoolean()).as(after.toString()).isTrue();
            assertThat(after.has("text")).as(after.toString()).isFalse();
            var late = http.send("PATCH", base + "/messages/" + target, tenant.token(), "{\"text\": \"tarde\"}",
                    Map.of());
            assertEnvelope(late, 400, "VALIDATION_ERROR");
        }
    }

    @Test
    void aReactionMustBeOneEmoji() throws InterruptedException {
        String theirs = phoneSends("{\"to\": \"" + CARLA + "\", \"text\": \"reaja\"}");
        awaitEvent(e -> e.at("/data/message/id").asText().equals(theirs));
        for (var bad : List.of("ok", "👍👍", "a", "1")) {
            var refused = http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                    + "\", \"message_id\": \"" + theirs + "\", \"emoji\": \"" + bad + "\"}");
            assertEnvelope(refused, 400, "VALIDATION_ERROR");
            assertThat(refused.body()).as(bad).contains("emoji");
        }
        accepted(http.post(base + "/messages/reaction", tenant.token(), "{\"to\": \"" + DAVI
                + "\", \"message_id\": \"" + theirs + "\", \"emoji\": \"\"}"), "reaction");
    }

    /** Runs {@code n} requests at once (released together), returning their answers in order. */
    private static List<Http.Response> race(int n, java.util.function.IntFunction<Http.Response> request)
            throws Exception {
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Http.Response>>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.apply(index);
                }));
            }
            start.countDown();
            var answers = new java.util.ArrayList<Http.Response>();
            for (var future : futures) {
                answers.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String accepted(Http.Response response, String type) {
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.json().at("/message/type").asText()).isEqualTo(type);
        return response.json().at("/message/id").asText();
    }

    private static String phoneSends(String json) {
        var sent = http.post("/v1/sandbox/phones/" + DAVI + "/messages", ADMIN, json);
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        return sent.json().at("/message/id").asText();
    }

    private static JsonNode awaitInbox(String number, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var found = StreamSupport.stream(inbox(number).get("messages").spliterator(), false).filter(wanted)
                    .toList();
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing matching at " + number + " within " + PATIENCE + ": " + inbox(number));
    }

    private static JsonNode inbox(String number) {
        var response = http.get("/v1/sandbox/phones/" + number + "/messages", ADMIN);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The message.exchange webhook events that match, so far. */
    private static List<JsonNode> events(Predicate<JsonNode> wanted) {
        return receiver.requests().stream().map(r -> r.json())
                .filter(event -> event.get("event").asText().equals("message.exchange") && wanted.test(event))
                .toList();
    }

    /** The first message.exchange webhook event that matches. */
    private static JsonNode awaitEvent(Predicate<JsonNode> wanted) {
        receiver.await(1, r -> {
            var event = r.json();
            return event.get("event").asText().equals("message.exchange") && wanted.test(event);
        }, PATIENCE);
        for (var request : receiver.requests()) {
            var event = request.json();
            if (event.get("event").asText().equals("message.exchange") && wanted.test(event)) {
                return event;
            }
        }
        throw new AssertionError("no event");
    }

    /** Creates a sandbox phone; returns its LID user. */
    static String phone(String number, String name) {
        var created = http.post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().at("/phone/lid").asText();
    }

    static void link(GatewayFixture.Instance instance, String phone) throws InterruptedException {
        var raw = http.post("/v1/instances/" + instance.id() + "/connect", tenant.token(), null).json()
                .at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        awaitInstance(instance, "connected");
    }

    private static void awaitInstance(GatewayFixture.Instance instance, String status) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode current = null;
        while (System.nanoTime() < deadline) {
            current = http.get("/v1/instances/" + instance.id(), tenant.token()).json().get("instance");
            if (current.get("status").asText().equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(instance.name() + " never got " + status + "; last seen " + current);
    }

}
