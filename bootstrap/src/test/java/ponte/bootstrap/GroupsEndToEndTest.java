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
 * Groups through the gateway, end to end (issue 12 §3): an instance linked to the sandbox phone Ana creates and
 * manages groups over HTTP (every response validated against /openapi.json), sandbox phones and an unmodified Baileys
 * client (a second WhatsApp implementation, linked to Bruno's phone) join, rename and leave, and every change
 * reaches a real webhook receiver as a {@code group.flow} event. Bad input is a clear 4xx that changes nothing.
 */
class GroupsEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ANA = "5511987654101";
    private static final String BRUNO = "5511987654102";
    private static final String CARLA = "5511987654103";
    private static final String DAVI = "5511987654104";
    private static final String EVA = "5511987654105";
    private static final String NOBODY = "5511987654199";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    private static String base;

    @BeforeAll
    static void linkTheShopToAnasPhone() throws InterruptedException {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("groups");
        for (var phone : Map.of(ANA, "Ana", BRUNO, "Bruno", CARLA, "Carla", DAVI, "Davi", EVA, "Eva").entrySet()) {
            var created = http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\": \"" + phone.getKey()
                    + "\", \"push_name\": \"" + phone.getValue() + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        var shop = gateway.newInstance(tenant, "shop");
        base = "/v1/instances/" + shop.id();
        var hook = http.post(base + "/webhooks", tenant.token(), "{\"label\":\"groups\",\"url\":\""
                + receiver.url("/hook") + "\",\"events\":[\"group.flow\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await(() -> http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected"),
                "the shop to connect");
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    /** Issue 12's done-when: a group created from the API that Baileys joins by code, renames and leaves. */
    @Test
    void aGroupCreatedFromTheApiThatBaileysJoinsRenamesAndLeavesIsToldAsGroupFlowEvents() throws Exception {
        try (var baileys = BaileysProcess.start()) {
            var created = http.post(base + "/groups", tenant.token(),
                    "{\"subject\": \"Clientes VIP\", \"participants\": [\"+" + CARLA + "\"]}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            var group = created.json().at("/group/jid").asText();
            var invite = http.get(base + "/groups/" + group + "/invite", tenant.token());
            assertThat(invite.status()).as(invite.toString()).isEqualTo(200);
            var code = invite.json().get("code").asText();
            assertThat(invite.json().get("url").asText()).isEqualTo("https://chat.whatsapp.com/" + code);
            var event = awaitEvent(group, "created");
            assertThat(event.at("/data/subject").asText()).isEqualTo("Clientes VIP");
            assertThat(event.at("/data/by/phone_number").asText()).isEqualTo(ANA);
            assertThat(phones(event)).containsExactly(ANA, CARLA);

            String session = baileys.link(http, ADMIN, BRUNO);

            var joinedJid = baileys.call(BaileysProcess.request("baileysGroupJoin").put("id", session)
                    .put("code", code)).get("jid").asText();
            assertThat(joinedJid).isEqualTo(group);
            var joined = awaitEvent(group, "joined");
            assertThat(phones(joined)).containsExactly(BRUNO);
            assertThat(joined.at("/data/by/jid").asText()).isEqualTo(BRUNO + "@s.whatsapp.net");

            baileys.call(BaileysProcess.request("baileysGroupSubject").put("id", session).put("jid", group)
                    .put("subject", "VIP — renomeado pelo Baileys"));
            var renamed = awaitEvent(group, "subject");
            assertThat(renamed.at("/data/subject").asText()).isEqualTo("VIP — renomeado pelo Baileys");
            assertThat(renamed.at("/data/by/phone_number").asText()).isEqualTo(BRUNO);

            baileys.call(BaileysProcess.request("baileysGroupLeave").put("id", session).put("jid", group));
            var left = awaitEvent(group, "left");
            assertThat(phones(left)).containsExactly(BRUNO);
            assertThat(left.at("/data/by/phone_number").asText()).isEqualTo(BRUNO);

            var now = http.get(base + "/groups/" + group, tenant.token());
            assertThat(now.status()).as(now.toString()).isEqualTo(200);
            assertThat(now.json().at("/group/subject").asText()).isEqualTo("VIP — renomeado pelo Baileys");
            assertThat(StreamSupport.stream(now.json().at("/group/participants").spliterator(), false)
                    .map(p -> p.get("phone_number").asText()).toList()).containsExactly(ANA, CARLA);
            assertThat(events(group, e -> true)).extracting(e -> e.at("/data/type").asText())
                    .containsExactly("created", "joined", "subject", "left");
            baileys.call(BaileysProcess.request("baileysEnd").put("id", session));
        }
    }

    @Test
    void theApiManagesAGroupAndANewMemberReadsTheNextMessage() throws InterruptedException {
        var created = http.post(base + "/groups", tenant.token(),
                "{\"subject\": \"Entregas\", \"participants\": [\"" + CARLA + "@s.whatsapp.net\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var group = created.json().get("group");
        var jid = group.get("jid").asText();
        assertThat(group.get("owner").asText()).isEqualTo(ANA + "@s.whatsapp.net");
        assertThat(group.get("announce").asBoolean()).isFalse();
        var ana = group.at("/participants/0");
        assertThat(ana.get("phone_number").asText()).isEqualTo(ANA);
        assertThat(ana.get("lid").asText()).endsWith("@lid");
        assertThat(ana.get("admin").asBoolean()).isTrue();
        assertThat(group.at("/participants/1/admin").asBoolean()).isFalse();
        var first = http.post(base + "/messages/text?wait=true", tenant.token(),
                "{\"to\": \"" + jid + "\", \"text\": \"antes do Davi\"}");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);

        var privacy = http.put("/v1/sandbox/phones/" + EVA + "/privacy", ADMIN, "{\"groupadd\": \"none\"}");
        assertThat(privacy.status()).as(privacy.toString()).isEqualTo(200);
        var added = http.post(base + "/groups/" + jid + "/participants", tenant.token(),
                "{\"action\": \"add\", \"participants\": [\"" + DAVI + "\", \"" + NOBODY + "\", \"" + CARLA + "\", \""
                        + EVA + "\"]}");
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        var results = added.json().get("data");
        assertThat(results.at("/0/status").asInt()).isEqualTo(200);
        assertThat(results.at("/0/jid").asText()).isEqualTo(DAVI + "@s.whatsapp.net");
        assertThat(results.at("/1/status").asInt()).isEqualTo(404);
        assertThat(results.at("/1/jid").isNull()).isTrue();
        assertThat(results.at("/1/error").asText()).contains("not on WhatsApp");
        assertThat(results.at("/2/status").asInt()).isEqualTo(409);
        assertThat(results.at("/3/status").asInt()).isEqualTo(403);
        assertThat(results.at("/3/error").asText()).contains("invite link");
        assertThat(phones(awaitEvent(jid, "added"))).containsExactly(DAVI);

        var sent = http.post(base + "/messages/text?wait=true", tenant.token(),
                "{\"to\": \"" + jid + "\", \"text\": \"bem-vindo, Davi\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        var id = sent.json().at("/message/id").asText();
        await(() -> StreamSupport.stream(http.get("/v1/sandbox/phones/" + DAVI + "/messages", ADMIN).json()
                .get("messages").spliterator(), false).anyMatch(m -> m.get("id").asText().equals(id)),
                "Davi to read the first message sent after he was added");

        var patched = http.send("PATCH", base + "/groups/" + jid, tenant.token(),
                "{\"subject\": \"Entregas — dezembro\", \"description\": \"Rotas e horários\", \"announce\": true, "
                        + "\"locked\": true}", Map.of());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        var changed = patched.json().get("group");
        assertThat(changed.get("subject").asText()).isEqualTo("Entregas — dezembro");
        assertThat(changed.get("description").asText()).isEqualTo("Rotas e horários");
        assertThat(changed.get("announce").asBoolean()).isTrue();
        assertThat(changed.get("locked").asBoolean()).isTrue();
        assertThat(awaitEvent(jid, "subject").at("/data/subject").asText()).isEqualTo("Entregas — dezembro");
        assertThat(awaitEvent(jid, "description").at("/data/description").asText()).isEqualTo("Rotas e horários");
        await(() -> events(jid, e -> e.at("/data/type").asText().equals("settings")).size() == 2, "two settings");

        var promoted = http.post(base + "/groups/" + jid + "/participants", tenant.token(),
                "{\"action\": \"promote\", \"participants\": [\"" + CARLA + "\"]}");
        assertThat(promoted.json().at("/data/0/status").asInt()).isEqualTo(200);
        assertThat(phones(awaitEvent(jid, "promoted"))).containsExactly(CARLA);
        var listed = http.get(base + "/groups", tenant.token());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(StreamSupport.stream(listed.json().get("data").spliterator(), false)
                .map(g -> g.get("jid").asText()).toList()).contains(jid);

        var left = http.post(base + "/groups/" + jid + "/leave", tenant.token(), null);
        assertThat(left.status()).as(left.toString()).isEqualTo(200);
        assertThat(left.json().get("jid").asText()).isEqualTo(jid);
        assertThat(phones(awaitEvent(jid, "left"))).containsExactly(ANA);
        assertEnvelope(http.get(base + "/groups/" + jid, tenant.token()), 404, "NOT_FOUND");
    }

    @Test
    void aCreateReportsEachParticipantAndLeavesOutOneWhosePrivacyLetsNobodyAddThem() {
        var fabio = "5511987654106";
        assertThat(http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\": \"" + fabio
                + "\", \"push_name\": \"Fábio\"}").status()).isEqualTo(201);
        assertThat(http.put("/v1/sandbox/phones/" + fabio + "/privacy", ADMIN, "{\"groupadd\": \"none\"}")
                .status()).isEqualTo(200);
        var created = http.post(base + "/groups", tenant.token(), "{\"subject\": \"Vizinhos\", \"participants\": [\""
                + DAVI + "\", \"+" + fabio + "\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(StreamSupport.stream(created.json().at("/group/participants").spliterator(), false)
                .map(p -> p.get("phone_number").asText()).toList()).containsExactly(ANA, DAVI);
        var results = created.json().get("participants");
        assertThat(results.size()).isEqualTo(2);
        assertThat(results.at("/0/participant").asText()).isEqualTo(DAVI);
        assertThat(results.at("/0/status").asInt()).isEqualTo(200);
        assertThat(results.at("/1/participant").asText()).isEqualTo("+" + fabio);
        assertThat(results.at("/1/jid").asText()).isEqualTo(fabio + "@s.whatsapp.net");
        assertThat(results.at("/1/status").asInt()).isEqualTo(403);
        assertThat(results.at("/1/error").asText()).contains("invite link");
    }

    @Test
    void badInputIsAClearErrorThatChangesNothing() throws InterruptedException {
        var before = groupCount();
        var longSubject = "x".repeat(101);
        assertField(http.post(base + "/groups", tenant.token(), "{\"subject\": \"" + longSubject
                + "\", \"participants\": [\"" + CARLA + "\"]}"), "subject");
        assertField(http.post(base + "/groups", tenant.token(), "{\"subject\": \"Vazio\", \"participants\": []}"),
                "participants");
        assertField(http.post(base + "/groups", tenant.token(), "{\"subject\": \"Só eu\", \"participants\": [\""
                + ANA + "\"]}"), "participants");
        assertField(http.post(base + "/groups", tenant.token(), "{\"subject\": \" \"}"), "subject");
        var notOnWhatsApp = http.post(base + "/groups", tenant.token(),
                "{\"subject\": \"Não\", \"participants\": [\"" + CARLA + "\", \"" + NOBODY + "\"]}");
        assertField(notOnWhatsApp, "participants[1]");
        // a LID is checked as a number is: one nobody has was once dropped silently and the group created
        assertField(http.post(base + "/groups", tenant.token(), "{\"subject\": \"Não\", \"participants\": [\""
                + CARLA + "\", \"207777777777777@lid\"]}"), "participants[1]");
        assertField(http.post(base + "/groups", tenant.token(),
                "{\"subject\": \"Grupo\", \"participants\": [\"120363000000000001@g.us\"]}"), "participants[0]");
        assertThat(groupCount()).as("nothing was created").isEqualTo(before);

        // a group the shop's account is not in
        var carlas = http.post("/v1/sandbox/phones/" + CARLA + "/groups", ADMIN,
                "{\"subject\": \"Da Carla\", \"participants\": [\"" + DAVI + "\"]}").json().at("/group/jid").asText();
        assertEnvelope(http.get(base + "/groups/" + carlas, tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.send("PATCH", base + "/groups/" + carlas, tenant.token(), "{\"subject\": \"Minha\"}",
                Map.of()), 404, "NOT_FOUND");
        assertEnvelope(http.post(base + "/groups/" + carlas + "/participants", tenant.token(),
                "{\"action\": \"add\", \"participants\": [\"" + ANA + "\"]}"), 404, "NOT_FOUND");
        assertEnvelope(http.get(base + "/groups/" + carlas + "/invite", tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.post(base + "/groups/" + carlas + "/leave", tenant.token(), null), 404, "NOT_FOUND");
        assertField(http.get(base + "/groups/not-a-group", tenant.token()), "jid");

        // a group the shop is in but does not administer: Carla's, which she locks
        var withAna = http.post("/v1/sandbox/phones/" + CARLA + "/groups", ADMIN,
                "{\"subject\": \"Família\", \"participants\": [\"" + ANA + "\"]}").json().at("/group/jid").asText();
        var locked = http.send("PATCH", "/v1/sandbox/phones/" + CARLA + "/groups/" + withAna, ADMIN,
                "{\"locked\": true}", Map.of());
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
        assertEnvelope(http.send("PATCH", base + "/groups/" + withAna, tenant.token(), "{\"announce\": true}",
                Map.of()), 403, "FORBIDDEN");
        assertEnvelope(http.send("PATCH", base + "/groups/" + withAna, tenant.token(), "{\"subject\": \"Nossa\"}",
                Map.of()), 403, "FORBIDDEN");
        assertEnvelope(http.post(base + "/groups/" + withAna + "/participants", tenant.token(),
                "{\"action\": \"remove\", \"participants\": [\"" + CARLA + "\"]}"), 403, "FORBIDDEN");
        assertEnvelope(http.get(base + "/groups/" + withAna + "/invite", tenant.token()), 403, "FORBIDDEN");
        var unchanged = http.get(base + "/groups/" + withAna, tenant.token()).json().get("group");
        assertThat(unchanged.get("subject").asText()).isEqualTo("Família");
        assertThat(unchanged.get("announce").asBoolean()).isFalse();
        assertThat(unchanged.get("participants")).hasSize(2);
        assertField(http.send("PATCH", base + "/groups/" + withAna, tenant.token(), "{}", Map.of()), "body");
        assertField(http.send("PATCH", base + "/groups/" + withAna, tenant.token(),
                "{\"subject\": \"" + longSubject + "\"}", Map.of()), "subject");
        assertField(http.post(base + "/groups/" + withAna + "/participants", tenant.token(),
                "{\"action\": \"kick\", \"participants\": [\"" + CARLA + "\"]}"), "action");
        assertField(http.post(base + "/groups/" + withAna + "/participants", tenant.token(),
                "{\"action\": \"add\", \"participants\": []}"), "participants");

        // the shop's own account is not removed or demoted through participants: it leaves with /leave
        var ours = http.post(base + "/groups", tenant.token(), "{\"subject\": \"Nosso\", \"participants\": [\""
                + CARLA + "\"]}").json().at("/group/jid").asText();
        assertField(http.post(base + "/groups/" + ours + "/participants", tenant.token(),
                "{\"action\": \"remove\", \"participants\": [\"" + ANA + "\"]}"), "participants[0]");
        assertField(http.post(base + "/groups/" + ours + "/participants", tenant.token(),
                "{\"action\": \"demote\", \"participants\": [\"" + CARLA + "\", \"" + ANA + "\"]}"),
                "participants[1]");
        assertThat(http.get(base + "/groups/" + ours, tenant.token()).json().at("/group/participants")).hasSize(2);

        assertEnvelope(http.post(base + "/groups/join", tenant.token(), "{\"code\": \"NoSuchInviteCode12345\"}"),
                404, "NOT_FOUND");
        assertField(http.post(base + "/groups/join", tenant.token(), "{\"code\": \"not a code!\"}"), "code");

        var other = gateway.newTenant("outsider");
        assertEnvelope(http.get(base + "/groups", other.token()), 404, "NOT_FOUND");
        var never = gateway.newInstance(tenant, "never-paired");
        assertEnvelope(http.get("/v1/instances/" + never.id() + "/groups", tenant.token()), 409, "NOT_CONNECTED");
        assertEnvelope(http.post("/v1/instances/" + never.id() + "/groups", tenant.token(),
                "{\"subject\": \"Offline\", \"participants\": [\"" + CARLA + "\"]}"), 409, "NOT_CONNECTED");
    }

    // --- helpers ---

    private static int groupCount() {
        var listed = http.get(base + "/groups", tenant.token());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().get("data").size();
    }

    private static void assertField(Http.Response response, String field) {
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(StreamSupport.stream(response.json().get("details").spliterator(), false)
                .map(d -> d.get("field").asText()).toList()).as(response.toString()).contains(field);
    }

    private static List<Object> phones(JsonNode event) {
        return StreamSupport.stream(event.at("/data/participants").spliterator(), false)
                .map(p -> (Object) p.get("phone_number").asText()).toList();
    }

    /** The group.flow events of a group that match, each once (delivery is at least once: deduped on event_id). */
    private static List<JsonNode> events(String group, Predicate<JsonNode> wanted) {
        var seen = new java.util.LinkedHashMap<String, JsonNode>();
        for (var request : receiver.requests()) {
            var event = request.json();
            if (event.get("event").asText().equals("group.flow")
                    && event.at("/data/group_jid").asText().equals(group) && wanted.test(event)) {
                seen.putIfAbsent(event.get("event_id").asText(), event);
            }
        }
        return List.copyOf(seen.values());
    }

    private static JsonNode awaitEvent(String group, String type) throws InterruptedException {
        Predicate<JsonNode> wanted = e -> e.at("/data/type").asText().equals(type);
        await(() -> !events(group, wanted).isEmpty(), "a group.flow " + type + " event of " + group);
        return events(group, wanted).getFirst();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + PATIENCE + "; events: " + receiver.bodies());
            }
            Thread.sleep(50);
        }
    }
}
