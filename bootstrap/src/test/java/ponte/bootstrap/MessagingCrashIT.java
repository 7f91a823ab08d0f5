package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messaging survives {@code kill -9}: the packaged gateway is SIGKILLed, its embedded PostgreSQL with it, while
 * accepted sends are still going out; a phone texts the instance while the gateway is dead. The simulated WhatsApp
 * runs in a second gateway process that is never killed (the first dials it with {@code PONTE_SANDBOX_URL}), so its
 * phones keep what they received and its server keeps what it queued for the dead gateway's device, as WhatsApp's
 * would. After the restart every accepted message reaches the phone, each under the one id the API returned (a
 * resend after the crash is the same message to WhatsApp), and the phone's text reaches the webhook once.
 */
class MessagingCrashIT {
    private static final String ADMIN = "pta_crash-messaging-admin-token-0123";
    private static final String ANA = "5511987653001";
    private static final String BRUNO = "5511987653002";
    private static final int SENDS = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path networkData;

    @TempDir
    Path gatewayData;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(gatewayData);
        GatewayProcess.stopOrphanedPostgres(networkData);
    }

    @Test
    void everyAcceptedSendReachesThePhoneOnceAndThePhonesTextReachesTheWebhookAfterAKill() throws Exception {
        try (var receiver = Receiver.start();
             var whatsapp = GatewayProcess.start(networkData, Map.of("PONTE_ADMIN_TOKEN", ADMIN,
                     "PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"))) {
            whatsapp.awaitHealthy(Duration.ofSeconds(90));
            var network = whatsapp.http();
            var info = network.get("/v1/sandbox/info", ADMIN).json().get("sandbox");
            for (var phone : List.of(ANA, BRUNO)) {
                var created = network.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + phone
                        + "\",\"push_name\":\"p" + phone.substring(9) + "\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
            }
            var env = Map.of("PONTE_ADMIN_TOKEN", ADMIN, "PONTE_WHATSAPP", "sandbox",
                    "PONTE_SANDBOX_URL", info.get("ws_url").asText(),
                    "PONTE_SANDBOX_ROOT_KEY", info.get("root_public_key").asText(),
                    "PONTE_WEBHOOK_POLL_MS", "100");

            var accepted = new LinkedHashMap<String, String>(); // text -> id
            String token;
            String instanceId;
            try (var first = GatewayProcess.start(gatewayData, env)) {
                first.awaitHealthy(Duration.ofSeconds(90));
                var http = first.http();
                token = http.post("/v1/tenants", ADMIN, "{\"name\":\"crash\"}").json().get("token").asText();
                instanceId = http.post("/v1/instances", token, "{\"name\":\"crash-shop\",\"webhook\":{\"url\":\""
                        + receiver.url("/hook") + "\",\"events\":[\"message.exchange\",\"message.status\"]}}")
                        .json().at("/instance/id").asText();
                var raw = http.post("/v1/instances/" + instanceId + "/connect", token, null).json().at("/qr/raw")
                        .asText();
                var scan = network.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
                assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
                awaitConnected(http, token, instanceId);

                for (int i = 0; i < SENDS; i++) {
                    var text = "pedido " + i + " a caminho";
                    var send = http.post("/v1/instances/" + instanceId + "/messages/text", token,
                            "{\"to\":\"" + BRUNO + "\",\"text\":\"" + text + "\"}");
                    assertThat(send.status()).as(send.toString()).isEqualTo(202);
                    accepted.put(text, send.json().at("/message/id").asText());
                }
                // paced at one message a second per chat: the gateway dies with most of them still queued
                awaitReceived(network, 2);
                first.kill();
                assertThat(Files.exists(gatewayData.resolve("postgres/postmaster.pid"))).isTrue();
                GatewayProcess.killOrphanedPostgres(gatewayData);
            }
            int beforeRestart = received(network).size();
            assertThat(beforeRestart).as("the kill came before every send went out").isLessThan(SENDS);

            var whileDead = network.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                    "{\"to\":\"" + ANA + "\",\"text\":\"mandei com o gateway fora\"}");
            assertThat(whileDead.status()).as(whileDead.toString()).isEqualTo(200);
            String inboundId = whileDead.json().at("/message/id").asText();

            try (var second = GatewayProcess.start(gatewayData, env)) {
                second.awaitHealthy(Duration.ofSeconds(90));
                var http = second.http();
                awaitConnected(http, token, instanceId);

                var atBruno = awaitReceived(network, SENDS);
                // the copy in flight at the kill may arrive twice, so the count can be reached before the last send
                long allBy = System.nanoTime() + PATIENCE.toNanos();
                while (!atBruno.stream().map(m -> m.get("text").asText()).toList().containsAll(accepted.keySet())
                        && System.nanoTime() < allBy) {
                    Thread.sleep(50);
                    atBruno = received(network);
                }
                var idsByText = new HashMap<String, java.util.Set<String>>();
                for (var message : atBruno) {
                    idsByText.computeIfAbsent(message.get("text").asText(), t -> new HashSet<>())
                            .add(message.get("id").asText());
                }
                for (var sent : accepted.entrySet()) {
                    assertThat(idsByText.get(sent.getKey())).as("'" + sent.getKey() + "' reached the phone under "
                            + "the id the API returned, and only that one").containsExactly(sent.getValue());
                }
                assertThat(atBruno).as("nothing but the accepted sends, at most the one in flight at the kill "
                        + "twice (the same message to WhatsApp)").hasSizeBetween(SENDS, SENDS + 1);
                for (var id : accepted.values()) {
                    var status = http.get("/v1/instances/" + instanceId + "/messages/" + id, token).json()
                            .at("/message/status").asText();
                    assertThat(status).as(id).isIn("sent", "delivered", "read");
                }

                receiver.await(1, r -> isReceived(r.json(), inboundId), PATIENCE);
                Receiver.sleep(2000);
                var events = new HashSet<String>();
                receiver.requests().stream().map(Receiver.Request::json).filter(e -> isReceived(e, inboundId))
                        .forEach(e -> events.add(e.get("event_id").asText()));
                assertThat(events).as("the phone's text while the gateway was dead: one received event").hasSize(1);
                var stored = http.get("/v1/instances/" + instanceId + "/messages/" + inboundId, token).json();
                assertThat(stored.at("/message/text").asText()).isEqualTo("mandei com o gateway fora");
                assertThat(second.stop()).isIn(0, 143);
            }
        }
    }

    private static boolean isReceived(JsonNode event, String id) {
        return event.get("event").asText().equals("message.exchange")
                && event.at("/data/type").asText().equals("received")
                && event.at("/data/message/id").asText().equals(id);
    }

    private static List<JsonNode> received(Http network) {
        var inbox = network.get("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN).json().get("messages");
        return StreamSupport.stream(inbox.spliterator(), false)
                .filter(m -> m.get("chat_jid").asText().startsWith(ANA)).toList();
    }

    private static List<JsonNode> awaitReceived(Http network, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<JsonNode> now = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            now = received(network);
            if (now.size() >= count) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the phone got " + now.size() + " of " + count + " messages: " + now);
    }

    private static void awaitConnected(Http http, String token, String instanceId) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            status = http.get("/v1/instances/" + instanceId, token).json().at("/instance/status").asText();
            if (status.equals("connected")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the instance is " + status + ", not connected");
    }

}
