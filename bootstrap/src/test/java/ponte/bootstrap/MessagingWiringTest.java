package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.domain.auth.Principal;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingMessage;

/**
 * The messaging core as the gateway wires it, driven in-process beneath the HTTP routes: the real engine as the
 * MessagingPort, the PostgreSQL queue and the sender loop the gateway starts. A send is checked with the sandbox
 * server, acked, and decrypted by the recipient phone; a send while the instance is offline waits in the queue and
 * goes out, once, when it is back.
 */
class MessagingWiringTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));

    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String OURS = "5511987652001";
    private static final String PEER = "5511987652002";

    private static GatewayFixture.Tenant tenant;
    private static Principal caller;

    @BeforeAll
    static void linkAnInstance() throws InterruptedException {
        var http = gateway.http();
        tenant = gateway.newTenant("messaging");
        gateway.newInstance(tenant, "shop");
        phone(OURS, "Shop");
        phone(PEER, "Peer");
        var raw = http.post("/v1/instances/shop/connect", tenant.token(), null).json().at("/qr/raw").asText();
        assertThat(http.post("/v1/sandbox/phones/" + OURS + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}").status())
                .isEqualTo(200);
        awaitStatus("connected");
        caller = gateway.gateway().useCases().authenticate().authenticate(tenant.token());
    }

    @Test
    void aSendIsCheckedAckedAndDecryptedByTheRecipient() throws InterruptedException {
        var messages = gateway.gateway().useCases().messages();
        var sent = messages.send(caller, "shop", OutgoingMessage.text("+" + PEER, "Olá from the queue", null, null,
                null, "wiring-1"), Optional.of(WAIT));

        // acked; the peer's delivery receipt, a few milliseconds behind the ack, may already have moved it on
        assertThat(sent.status()).as(sent.toString()).isIn(MessageStatus.SENT, MessageStatus.DELIVERED);
        assertThat(sent.chatJid().toString()).isEqualTo(PEER + "@s.whatsapp.net");
        var atPeer = awaitReceived(sent.id().value());
        assertThat(atPeer.get("text").asText()).isEqualTo("Olá from the queue");
        assertThat(atPeer.at("/sender/jid").asText()).isEqualTo(OURS + "@s.whatsapp.net");

        var stored = messages.get(caller, "shop", sent.id().value());
        assertThat(stored.history()).extracting(c -> c.status()).startsWith(MessageStatus.QUEUED, MessageStatus.SENT);
        var again = messages.send(caller, "shop", OutgoingMessage.text("+" + PEER, "Olá from the queue", null, null,
                null, "wiring-1"), Optional.empty());
        assertThat(again.id()).as("same idempotency key, same message").isEqualTo(sent.id());
    }

    @Test
    void aSendWhileOfflineWaitsInTheQueueAndGoesOutOnceWhenBack() throws InterruptedException {
        var http = gateway.http();
        assertThat(http.post("/v1/instances/shop/disconnect", tenant.token(), null).status()).isEqualTo(200);
        awaitStatus("disconnected");
        var messages = gateway.gateway().useCases().messages();
        var queued = messages.send(caller, "shop", OutgoingMessage.text(PEER, "sent while offline", null, null,
                null, null), Optional.of(Duration.ofMillis(1500)));
        assertThat(queued.status()).isEqualTo(MessageStatus.QUEUED);

        assertThat(http.post("/v1/instances/shop/connect", tenant.token(), null).status()).isEqualTo(200);
        awaitStatus("connected");
        awaitReceived(queued.id().value());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (messages.get(caller, "shop", queued.id().value()).message().status() == MessageStatus.QUEUED
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(messages.get(caller, "shop", queued.id().value()).message().status())
                .isIn(MessageStatus.SENT, MessageStatus.DELIVERED);
        Thread.sleep(1500);
        assertThat(StreamSupport.stream(inbox().spliterator(), false)
                .filter(m -> m.get("id").asText().equals(queued.id().value())).count()).as("exactly once")
                .isOne();
    }

    private static void phone(String number, String name) {
        var created = gateway.http().post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + number
                + "\",\"push_name\":\"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static JsonNode inbox() {
        return gateway.http().get("/v1/sandbox/phones/" + PEER + "/messages", ADMIN).json().get("messages");
    }

    private static JsonNode awaitReceived(String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : inbox()) {
                if (message.get("id").asText().equals(id)) {
                    return message;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the peer never received " + id + "; it has " + inbox());
    }

    private static void awaitStatus(String status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode current = null;
        while (System.nanoTime() < deadline) {
            current = gateway.http().get("/v1/instances/shop", tenant.token()).json().get("instance");
            if (current.get("status").asText().equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("shop never got " + status + "; last seen " + current);
    }
}
