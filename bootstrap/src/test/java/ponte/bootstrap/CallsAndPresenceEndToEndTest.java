package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls and presence end to end (API.md "Calls", "Settings in force"): instances linked to sandbox phones through the
 * real wire client; sandbox phones call them, answer or hang up, type and come online; the instances' events reach a
 * real webhook receiver, and what the instances send (rejects, replies, presence, chat states) is read back from the
 * phones.
 */
class CallsAndPresenceEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The accounts the instances are linked to. */
    private static final String DESK = "5511987654001";
    private static final String GUARD = "5511987654002";
    private static final String LOBBY = "5511987654003";
    /** People who call and type. */
    private static final String CAIO = "5511987654011";
    private static final String DORA = "5511987654012";
    private static final String CAIO_JID = CAIO + "@s.whatsapp.net";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    /** Takes calls by hand. */
    private static GatewayFixture.Instance desk;
    /** Rejects every call with a message. */
    private static GatewayFixture.Instance guard;
    /** Shows always_online. */
    private static GatewayFixture.Instance lobby;

    @BeforeAll
    static void linkTheInstances() throws InterruptedException {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("calls");
        for (var phone : List.of(DESK, GUARD, LOBBY, CAIO, DORA)) {
            phone(phone, phone.equals(CAIO) ? "Caio" : phone.equals(DORA) ? "Dora" : "Loja " + phone.substring(10));
        }
        desk = gateway.newInstance(tenant, "desk");
        guard = gateway.newInstance(tenant, "guard");
        lobby = gateway.newInstance(tenant, "lobby");
        for (var instance : List.of(desk, guard, lobby)) {
            var hook = http.post(path(instance) + "/webhooks", tenant.token(), "{\"label\":\"calls\",\"url\":\""
                    + receiver.url("/" + instance.name()) + "\",\"events\":[\"call.update\",\"message.exchange\"]}");
            assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        }
        var settings = http.put(path(guard) + "/settings", tenant.token(),
                "{\"reject_calls\": true, \"reject_call_message\": \"Não atendemos ligações; mande uma mensagem 🙂\"}");
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        link(desk, DESK);
        link(guard, GUARD);
        link(lobby, LOBBY);
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    @Test
    void withRejectCallsACallIsTurnedDownAtOnceAndTheCallerGetsTheMessage() throws InterruptedException {
        String callId = call(DORA, GUARD);

        var offer = awaitCall(guard, callId, "offer");
        assertThat(offer.at("/data/from").asText()).isEqualTo(DORA + "@s.whatsapp.net");
        assertThat(offer.at("/data/video").asBoolean()).isFalse();
        var rejected = awaitCall(guard, callId, "rejected");
        assertThat(rejected.at("/data/from").asText()).isEqualTo(DORA + "@s.whatsapp.net");
        assertThat(rejected.at("/data/at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        var reject = awaitSignal(DORA, callId, "reject");
        assertThat(reject.get("from").asText()).as("the instance's device sent it").startsWith(GUARD + ":");
        var text = awaitInbox(DORA, m -> m.get("text").asText().equals("Não atendemos ligações; mande uma mensagem 🙂"));
        assertThat(text.at("/sender/jid").asText()).isEqualTo(GUARD + "@s.whatsapp.net");
        String id = text.get("id").asText();
        // it went through the durable queue: stored as our message, with its status machine
        await(() -> http.get(path(guard) + "/messages/" + id, tenant.token()).json().at("/message/status")
                .asText().matches("sent|delivered|read"), "the reply to be stored as sent");

        Thread.sleep(500);
        assertThat(calls(guard, callId, "rejected")).as("rejected once").hasSize(1);
        assertThat(StreamSupport.stream(inbox(DORA).get("messages").spliterator(), false)
                .filter(m -> m.get("id").asText().equals(id)).count()).as("one reply").isOne();
        assertEnvelope(http.post(path(guard) + "/calls/" + callId + "/reject", tenant.token(), null), 409,
                "CONFLICT");
    }

    @Test
    void aCallIsRejectedThroughTheApiOnceAndNotAgain() throws InterruptedException {
        String callId = call(CAIO, DESK);
        awaitCall(desk, callId, "offer");

        var reject = http.post(path(desk) + "/calls/" + callId + "/reject", tenant.token(), null);
        assertThat(reject.status()).as(reject.toString()).isEqualTo(200);
        assertThat(reject.json().at("/call/call_id").asText()).isEqualTo(callId);
        assertThat(reject.json().at("/call/from").asText()).isEqualTo(CAIO_JID);
        assertThat(reject.json().at("/call/status").asText()).isEqualTo("rejected");
        awaitSignal(CAIO, callId, "reject");
        awaitCall(desk, callId, "rejected");

        assertEnvelope(http.post(path(desk) + "/calls/" + callId + "/reject", tenant.token(), null), 409, "CONFLICT");
        assertEnvelope(http.post(path(desk) + "/calls/0123456789ABCDEF0123456789ABCDEF/reject", tenant.token(), null),
                404, "NOT_FOUND");
        // the caller hangs up after the reject: that end was already told
        assertThat(http.post("/v1/sandbox/phones/" + CAIO + "/calls/" + callId + "/terminate", ADMIN, null).status())
                .isEqualTo(200);
        Thread.sleep(500);
        assertThat(calls(desk, callId, null)).extracting(e -> e.at("/data/type").asText())
                .containsExactly("offer", "rejected");
        assertThat(StreamSupport.stream(inbox(CAIO).get("messages").spliterator(), false)
                .filter(m -> m.at("/sender/jid").asText().equals(DESK + "@s.whatsapp.net")).count())
                .as("no reply without reject_calls").isZero();
    }

    @Test
    void aCallerWhoHangsUpBeforeAnyoneAnswersIsAMissedCall() {
        String callId = call(CAIO, DESK);
        awaitCall(desk, callId, "offer");

        assertThat(http.post("/v1/sandbox/phones/" + CAIO + "/calls/" + callId + "/terminate", ADMIN, null).status())
                .isEqualTo(200);

        var missed = awaitCall(desk, callId, "missed");
        assertThat(missed.at("/data/from").asText()).isEqualTo(CAIO_JID);
        assertEnvelope(http.post(path(desk) + "/calls/" + callId + "/reject", tenant.token(), null), 409, "CONFLICT");
    }

    @Test
    void aCallTheAccountsPhoneAnswersIsAcceptedThenTerminated() {
        String callId = call(DORA, DESK);
        awaitCall(desk, callId, "offer");

        var accept = http.post("/v1/sandbox/phones/" + DESK + "/calls/" + callId + "/accept", ADMIN, null);
        assertThat(accept.status()).as(accept.toString()).isEqualTo(200);
        awaitCall(desk, callId, "accepted");
        awaitSignal(DORA, callId, "accept");
        assertThat(http.post("/v1/sandbox/phones/" + DORA + "/calls/" + callId + "/terminate", ADMIN, null).status())
                .isEqualTo(200);
        awaitCall(desk, callId, "terminated");

        assertThat(calls(desk, callId, null)).extracting(e -> e.at("/data/type").asText())
                .containsExactly("offer", "accepted", "terminated");
    }

    @Test
    void theAccountsPhoneRejectingIsARejectedEvent() {
        String callId = call(CAIO, DESK);
        awaitCall(desk, callId, "offer");

        assertThat(http.post("/v1/sandbox/phones/" + DESK + "/calls/" + callId + "/reject", ADMIN, null).status())
                .isEqualTo(200);

        awaitCall(desk, callId, "rejected");
        awaitSignal(CAIO, callId, "reject");
    }

    @Test
    void ourPresenceAndChatStatesReachThePhone() throws InterruptedException {
        var online = http.post(path(desk) + "/presence", tenant.token(), "{\"state\": \"available\"}");
        assertThat(online.status()).as(online.toString()).isEqualTo(200);
        await(() -> "available".equals(networkPresence(CAIO, DESK)), "the network to show the desk available");

        var typing = http.post(path(desk) + "/presence", tenant.token(),
                "{\"to\": \"" + CAIO + "\", \"state\": \"composing\"}");
        assertThat(typing.status()).as(typing.toString()).isEqualTo(200);
        var composing = awaitChatState(CAIO, "composing");
        assertThat(composing.get("from").asText()).isEqualTo(DESK + "@s.whatsapp.net");
        assertThat(http.post(path(desk) + "/presence", tenant.token(),
                "{\"to\": \"" + CAIO_JID + "\", \"state\": \"recording\"}").status()).isEqualTo(200);
        awaitChatState(CAIO, "recording");
        assertThat(http.post(path(desk) + "/presence", tenant.token(),
                "{\"to\": \"" + CAIO + "\", \"state\": \"paused\"}").status()).isEqualTo(200);
        awaitChatState(CAIO, "paused");

        var away = http.post(path(desk) + "/presence", tenant.token(), "{\"state\": \"unavailable\"}");
        assertThat(away.status()).as(away.toString()).isEqualTo(200);
        await(() -> "unavailable".equals(networkPresence(CAIO, DESK)), "the network to show the desk away");
    }

    @Test
    void aPhonesPresenceAndTypingShowInTheContact() throws InterruptedException {
        assertEnvelope(http.get(path(desk) + "/contacts/" + DORA, tenant.token()), 404, "NOT_FOUND");
        var subscribe = http.post(path(desk) + "/presence", tenant.token(),
                "{\"to\": \"" + DORA + "\", \"state\": \"available\"}");
        assertThat(subscribe.status()).as(subscribe.toString()).isEqualTo(200);
        assertThat(http.post("/v1/sandbox/phones/" + DORA + "/presence", ADMIN, "{\"state\": \"available\"}").status())
                .isEqualTo(200);
        var available = awaitContactPresence(DORA, "available");
        assertThat(available.at("/contact/jid").asText()).isEqualTo(DORA + "@s.whatsapp.net");
        assertThat(available.at("/contact/presence/updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        assertThat(http.post("/v1/sandbox/phones/" + DORA + "/presence", ADMIN,
                "{\"to\": \"" + DESK + "\", \"state\": \"composing\"}").status()).isEqualTo(200);
        awaitContactPresence(DORA, "composing");
        assertThat(http.post("/v1/sandbox/phones/" + DORA + "/presence", ADMIN, "{\"state\": \"unavailable\"}").status())
                .isEqualTo(200);
        var away = awaitContactPresence(DORA, "unavailable");
        assertThat(away.at("/contact/presence/last_seen").asText()).as("the sandbox shares last seen")
                .matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void alwaysOnlineKeepsTheInstanceAvailableWhileWithoutItItIsUnavailable() throws InterruptedException {
        // connected without always_online: unavailable (the phone keeps its notifications), with the push name sent
        await(() -> "unavailable".equals(networkPresence(CAIO, LOBBY)), "the lobby to connect unavailable");

        var on = http.put(path(lobby) + "/settings", tenant.token(), "{\"always_online\": true}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        await(() -> "available".equals(networkPresence(CAIO, LOBBY)), "always_online to make the lobby available");

        // a reconnect sends it again
        assertThat(http.post("/v1/sandbox/phones/" + CAIO + "/presence", ADMIN, "{\"state\": \"available\"}")
                .status()).isEqualTo(200);
        var restart = http.post(path(lobby) + "/restart", tenant.token(), null);
        assertThat(restart.status()).as(restart.toString()).isEqualTo(200);
        await(() -> http.get(path(lobby), tenant.token()).json().at("/instance/status").asText().equals("connected"),
                "the lobby to reconnect");
        await(() -> "available".equals(networkPresence(CAIO, LOBBY)), "the lobby to be available after reconnect");

        var off = http.put(path(lobby) + "/settings", tenant.token(), "{\"always_online\": false}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        await(() -> "unavailable".equals(networkPresence(CAIO, LOBBY)), "the lobby to go unavailable");
    }

    @Test
    void badPresenceAndRejectRequestsAreRefusedAndAnOfflineInstanceSaysSo() throws InterruptedException {
        assertField(http.post(path(desk) + "/presence", tenant.token(), "{\"state\": \"dancing\"}"), "state");
        assertField(http.post(path(desk) + "/presence", tenant.token(), "{}"), "state");
        assertField(http.post(path(desk) + "/presence", tenant.token(), "{\"state\": \"composing\"}"), "to");
        assertField(http.post(path(desk) + "/presence", tenant.token(),
                "{\"to\": \"" + CAIO + "\", \"state\": \"unavailable\"}"), "to");
        assertField(http.post(path(desk) + "/presence", tenant.token(),
                "{\"to\": \"status@broadcast\", \"state\": \"composing\"}"), "to");
        // checked with the server as a send's number is: nobody has these
        for (var nobody : List.of("447700900999", "207777777777777@lid")) {
            for (var state : List.of("available", "composing")) {
                var refused = http.post(path(desk) + "/presence", tenant.token(),
                        "{\"to\": \"" + nobody + "\", \"state\": \"" + state + "\"}");
                assertField(refused, "to");
                assertThat(refused.json().at("/details/0/problem").asText()).as(refused.toString())
                        .contains("is not on WhatsApp");
            }
        }
        var selfCall = http.post("/v1/sandbox/phones/" + CAIO + "/calls", ADMIN, "{\"to\": \"" + CAIO + "\"}");
        assertField(selfCall, "to");
        assertThat(selfCall.json().at("/details/0/problem").asText()).contains("its own number");
        var other = gateway.newTenant("calls-stranger");
        assertEnvelope(http.post(path(desk) + "/calls/ABC/reject", other.token(), null), 404, "NOT_FOUND");
        assertEnvelope(http.post(path(desk) + "/presence", other.token(), "{\"state\": \"available\"}"), 404,
                "NOT_FOUND");

        var never = gateway.newInstance(tenant, "never-linked");
        assertEnvelope(http.post(path(never) + "/calls/ABC/reject", tenant.token(), null), 409, "NOT_CONNECTED");
        assertEnvelope(http.post(path(never) + "/presence", tenant.token(), "{\"state\": \"available\"}"), 409,
                "NOT_CONNECTED");
    }

    @Test
    void aStatusUpdateArrivesAsAMessageUnlessIgnoreStatusDropsItStillReceipted() throws InterruptedException {
        var ignore = http.put(path(guard) + "/settings", tenant.token(), "{\"ignore_status\": true}");
        assertThat(ignore.status()).as(ignore.toString()).isEqualTo(200);

        String kept = postStatus(CAIO, DESK, "Bom dia ☀️");
        receiver.await(1, r -> r.json().get("event").asText().equals("message.exchange")
                && r.json().at("/data/message/id").asText().equals(kept), PATIENCE);
        var event = receiver.requests().stream().map(Receiver.Request::json)
                .filter(e -> e.at("/data/message/id").asText().equals(kept)).findFirst().orElseThrow();
        assertThat(event.get("instance_id").asText()).isEqualTo(desk.id());
        assertThat(event.at("/data/type").asText()).isEqualTo("received");
        var message = event.at("/data/message");
        assertThat(message.get("chat_jid").asText()).isEqualTo("status@broadcast");
        assertThat(message.get("text").asText()).isEqualTo("Bom dia ☀️");
        assertThat(message.get("participant").asText()).isEqualTo(CAIO_JID);
        assertThat(message.at("/sender/jid").asText()).isEqualTo(CAIO_JID);
        assertThat(message.get("is_group").asBoolean()).isFalse();
        assertThat(http.get(path(desk) + "/messages/" + kept, tenant.token()).status()).isEqualTo(200);
        // the chat GET /chats lists opens and reads like any other, the receipt going to the status's author
        var statuses = http.get(path(desk) + "/chats/status@broadcast/messages", tenant.token());
        assertThat(statuses.status()).as(statuses.toString()).isEqualTo(200);
        assertThat(statuses.json().get("data")).extracting(m -> m.get("id").asText()).contains(kept);
        var read = http.post(path(desk) + "/chats/status@broadcast/read", tenant.token(), null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("marked").asInt()).isGreaterThanOrEqualTo(1);
        awaitEntry(() -> inbox(CAIO).get("receipts"), r -> r.get("message_id").asText().equals(kept)
                && r.get("type").asText().equals("read") && r.get("from").asText().startsWith(DESK + ":"),
                "the desk's read receipt of the status update");

        String dropped = postStatus(CAIO, GUARD, "Boa noite 🌙");
        // receipted all the same: the phone sees the guard's delivery receipt
        awaitEntry(() -> inbox(CAIO).get("receipts"), r -> r.get("message_id").asText().equals(dropped)
                && r.get("type").asText().equals("delivered") && r.get("from").asText().startsWith(GUARD + ":"),
                "the guard instance's receipt of the status update");
        Thread.sleep(500);
        assertThat(receiver.requests().stream().map(Receiver.Request::json)
                .filter(e -> e.at("/data/message/id").asText().equals(dropped)).toList()).as("no event").isEmpty();
        assertEnvelope(http.get(path(guard) + "/messages/" + dropped, tenant.token()), 404, "NOT_FOUND");
    }

    // --- helpers ---

    private static String postStatus(String phone, String to, String text) {
        var posted = http.post("/v1/sandbox/phones/" + phone + "/status", ADMIN,
                "{\"to\": [\"" + to + "\"], \"text\": \"" + text + "\"}");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        return posted.json().at("/message/id").asText();
    }

    private static String path(GatewayFixture.Instance instance) {
        return "/v1/instances/" + instance.id();
    }

    private static void phone(String number, String name) {
        var created = http.post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static void link(GatewayFixture.Instance instance, String phone) throws InterruptedException {
        var raw = http.post(path(instance) + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await(() -> http.get(path(instance), tenant.token()).json().at("/instance/status").asText()
                .equals("connected"), instance.name() + " to connect");
    }

    private static String call(String from, String to) {
        var call = http.post("/v1/sandbox/phones/" + from + "/calls", ADMIN, "{\"to\": \"" + to + "\"}");
        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        return call.json().at("/call/id").asText();
    }

    /** The call.update events of an instance's call (of {@code type}, or all when null), each once, in order. */
    private static List<JsonNode> calls(GatewayFixture.Instance instance, String callId, String type) {
        var seen = new LinkedHashMap<String, JsonNode>();
        for (var request : receiver.requests()) {
            var event = request.json();
            if (event.get("event").asText().equals("call.update")
                    && event.get("instance_id").asText().equals(instance.id())
                    && event.at("/data/call_id").asText().equals(callId)
                    && (type == null || event.at("/data/type").asText().equals(type))) {
                seen.putIfAbsent(event.get("event_id").asText(), event);
            }
        }
        return List.copyOf(seen.values());
    }

    private static JsonNode awaitCall(GatewayFixture.Instance instance, String callId, String type) {
        receiver.await(1, r -> {
            var event = r.json();
            return event.get("event").asText().equals("call.update")
                    && event.get("instance_id").asText().equals(instance.id())
                    && event.at("/data/call_id").asText().equals(callId)
                    && event.at("/data/type").asText().equals(type);
        }, PATIENCE);
        return calls(instance, callId, type).getFirst();
    }

    private static JsonNode awaitSignal(String phone, String callId, String type) {
        return awaitEntry(() -> http.get("/v1/sandbox/phones/" + phone + "/calls", ADMIN).json().get("calls"),
                s -> s.get("call_id").asText().equals(callId) && s.get("type").asText().equals(type),
                phone + " to see " + type + " of " + callId);
    }

    private static JsonNode awaitChatState(String phone, String state) {
        long since = System.currentTimeMillis() - 5_000;
        return awaitEntry(() -> http.get("/v1/sandbox/phones/" + phone + "/presence", ADMIN).json()
                        .get("chat_states"),
                s -> s.get("type").asText().equals(state)
                        && java.time.Instant.parse(s.get("at").asText()).toEpochMilli() >= since,
                phone + " to see " + state);
    }

    private static String networkPresence(String phone, String of) {
        var seen = http.get("/v1/sandbox/phones/" + phone + "/presence?of=" + of, ADMIN);
        assertThat(seen.status()).as(seen.toString()).isEqualTo(200);
        var state = seen.json().at("/presence/state");
        return state.isNull() ? null : state.asText();
    }

    private static JsonNode awaitContactPresence(String phone, String state) throws InterruptedException {
        JsonNode[] last = {null};
        await(() -> {
            var contact = http.get(path(desk) + "/contacts/" + phone, tenant.token());
            last[0] = contact.json();
            return contact.status() == 200 && contact.json().at("/contact/presence/state").asText().equals(state);
        }, "the contact " + phone + " to show " + state);
        return last[0];
    }

    private static JsonNode inbox(String number) {
        var response = http.get("/v1/sandbox/phones/" + number + "/messages", ADMIN);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode awaitInbox(String number, Predicate<JsonNode> wanted) {
        return awaitEntry(() -> inbox(number).get("messages"), wanted, number + " to receive the message");
    }

    private static JsonNode awaitEntry(java.util.function.Supplier<JsonNode> list, Predicate<JsonNode> wanted,
                                       String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = list.get();
            for (var entry : last) {
                if (wanted.test(entry)) {
                    return entry;
                }
            }
            Receiver.sleep(50);
        }
        throw new AssertionError("waited " + PATIENCE + " for " + what + "; last seen " + last);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + PATIENCE + " for " + what);
    }

    private static void assertField(Http.Response response, String field) {
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).as(response.toString()).isEqualTo(field);
    }
}
