package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.domain.event.EventType;

/** Webhook delivery end to end: the gateway on a real database POSTing to a real HTTP receiver. */
class WebhookDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of(
            "PONTE_WEBHOOK_RETRY_SCHEDULE", "0s,400ms,800ms",
            "PONTE_WEBHOOK_RETRY_WINDOW", "0s",
            "PONTE_WEBHOOK_POLL_MS", "50",
            "PONTE_WEBHOOK_CIRCUIT_MIN_CALLS", "1000"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("delivery");
    }

    @Test
    void anEventArrivesSignedWithItsHeadersAuthorizationAndEnvelope() throws Exception {
        try (var receiver = Receiver.start()) {
            var instance = gateway.newInstance(tenant, "signed");
            var webhook = http.post(path(instance, "/webhooks"), tenant.token(), """
                    {"label":"crm","url":"%s","authorization":"Bearer receiver-token",
                     "headers":{"X-Tenant-Ref":"acme"}}""".formatted(receiver.url("/hook")));
            var secret = webhook.json().at("/webhook/secret").asText();
            var event = Events.message(gateway, tenant, instance, "hello");

            var request = receiver.await(1, WAIT).getFirst();
            assertThat(request.path()).isEqualTo("/hook");
            assertThat(request.header("X-Ponte-Event")).isEqualTo("message.exchange");
            assertThat(request.header("X-Ponte-Event-Id")).isEqualTo(event.eventId().toString());
            assertThat(request.header("X-Ponte-Delivery-Id")).isNotBlank();
            assertThat(request.header("Authorization")).isEqualTo("Bearer receiver-token");
            assertThat(request.header("X-Tenant-Ref")).isEqualTo("acme");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            var signature = request.header("X-Ponte-Signature");
            assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(Events.signatureValid(signature, secret, request.body())).isTrue();
            assertThat(Events.signatureValid(signature, secret, request.body() + " ")).isFalse();
            long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
            assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(60);

            var envelope = request.json();
            assertThat(envelope.get("event_id").asText()).isEqualTo(event.eventId().toString());
            assertThat(envelope.get("event").asText()).isEqualTo("message.exchange");
            assertThat(envelope.get("api_version").asText()).isEqualTo("1");
            assertThat(envelope.get("tenant_id").asText()).isEqualTo(tenant.id());
            assertThat(envelope.get("instance_id").asText()).isEqualTo(instance.id());
            assertThat(envelope.get("instance_name").asText()).isEqualTo("signed");
            assertThat(envelope.get("occurred_at").asText()).matches("\\d{4}-.*Z");
            assertThat(envelope.at("/data/type").asText()).isEqualTo("text");
            assertThat(envelope.at("/data/text").asText()).isEqualTo("hello");
            assertThat(request.body()).doesNotContain(instance.token()).doesNotContain(tenant.token())
                    .doesNotContain(secret).doesNotContain("receiver-token");
        }
    }

    @Test
    void byEventsAppendsTheEventNameToTheUrl() {
        try (var receiver = Receiver.start()) {
            var instance = gateway.newInstance(tenant, "by-events");
            http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"split\",\"url\":\"" + receiver.url("/in/") + "\",\"by_events\":true}");
            Events.message(gateway, tenant, instance, "x");
            Events.ingest(gateway, tenant, instance, EventType.CALL_UPDATE, Map.of("type", "offer"));
            var paths = receiver.await(2, WAIT).stream().map(Receiver.Request::path).toList();
            assertThat(paths).containsExactlyInAnyOrder("/in/message.exchange", "/in/call.update");
        }
    }

    @Test
    void aWebhookReceivesOnlyTheEventTypesItFiltersFor() {
        try (var receiver = Receiver.start()) {
            var instance = gateway.newInstance(tenant, "filtered");
            http.post(path(instance, "/webhooks"), tenant.token(), "{\"label\":\"status-only\",\"url\":\""
                    + receiver.url("/s") + "\",\"events\":[\"message.status\"]}");
            http.post(path(instance, "/webhooks"), tenant.token(), "{\"label\":\"off\",\"url\":\""
                    + receiver.url("/off") + "\",\"enabled\":false}");
            Events.message(gateway, tenant, instance, "not wanted");
            var wanted = Events.ingest(gateway, tenant, instance, EventType.MESSAGE_STATUS,
                    Map.of("type", "delivered", "message_id", "ABC"));
            var requests = receiver.await(1, WAIT);
            Receiver.sleep(500);
            assertThat(receiver.requests()).hasSize(1);
            assertThat(requests.getFirst().eventId()).isEqualTo(wanted.eventId().toString());
            var log = http.get("/v1/webhook-deliveries?instance=" + instance.id(), tenant.token()).json().get("data");
            assertThat(log).hasSize(1);
            assertThat(log.get(0).get("label").asText()).isEqualTo("status-only");
        }
    }

    @Test
    void aFailingReceiverIsRetriedByTheScheduleThenTheDeliveryIsDeadLettered() {
        try (var receiver = Receiver.start().answer(503)) {
            var instance = gateway.newInstance(tenant, "dead");
            http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"down\",\"url\":\"" + receiver.url("/down") + "\"}");
            Events.message(gateway, tenant, instance, "lost?");
            var attempts = receiver.await(3, WAIT);
            var delivery = awaitStatus(instance, "failed");
            Receiver.sleep(1200);
            assertThat(receiver.requests()).hasSize(3);
            assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.get("last_status_code").asInt()).isEqualTo(503);
            assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
            var detail = http.get("/v1/webhook-deliveries/" + delivery.get("id").asText(), tenant.token())
                    .json().get("delivery");
            assertThat(detail.get("attempts")).hasSize(3);
            assertThat(detail.at("/attempts/0/status_code").asInt()).isEqualTo(503);
            assertThat(detail.at("/attempts/0/error").asText()).contains("503");
            assertThat(detail.at("/attempts/0/duration_ms").isNumber()).isTrue();
            assertThat(detail.at("/payload/data/text").asText()).isEqualTo("lost?");
        }
    }

    @Test
    void aReceiverThatRecoversGetsTheDeliveryOnALaterAttempt() {
        var calls = new AtomicInteger();
        try (var receiver = Receiver.start().answer(request -> calls.incrementAndGet() < 3 ? 500 : 204)) {
            var instance = gateway.newInstance(tenant, "recovers");
            http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"flaky\",\"url\":\"" + receiver.url("/flaky") + "\"}");
            var event = Events.message(gateway, tenant, instance, "eventually");
            var delivery = awaitStatus(instance, "succeeded");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.get("last_status_code").asInt()).isEqualTo(204);
            assertThat(receiver.requests()).extracting(Receiver.Request::eventId)
                    .containsOnly(event.eventId().toString());
        }
    }

    @Test
    void anUnreachableReceiverIsRecordedWithTheConnectionError() {
        var instance = gateway.newInstance(tenant, "unreachable");
        http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"nobody\",\"url\":\"http://127.0.0.1:9/nobody-listens\"}");
        Events.message(gateway, tenant, instance, "void");
        var delivery = awaitStatus(instance, "failed");
        assertThat(delivery.get("last_status_code").isNull()).isTrue();
        assertThat(delivery.get("last_error").asText()).containsIgnoringCase("connect");
    }

    /**
     * A host name passes registration (only DNS knows where it points); at delivery it resolves to this machine, a
     * private or loopback address a strict gateway does not reach: the delivery log says so and nothing is sent.
     */
    @Test
    void aNameThatResolvesToAPrivateAddressIsRefusedAtDeliveryWithTheReasonInTheLog() throws Exception {
        var name = java.net.InetAddress.getLocalHost().getHostName();
        var resolved = java.net.InetAddress.getAllByName(name);
        org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Arrays.stream(resolved).allMatch(
                a -> ponte.domain.egress.EgressPolicy.STRICT.refuses(a)), name + " resolves to a public address");
        try (var strict = GatewayFixture.start(Map.of("PONTE_EGRESS_ALLOW_PRIVATE", "false",
                "PONTE_WEBHOOK_RETRY_SCHEDULE", "0s", "PONTE_WEBHOOK_RETRY_WINDOW", "0s",
                "PONTE_WEBHOOK_POLL_MS", "50"));
             var receiver = Receiver.start()) {
            var owner = strict.newTenant("strict");
            var instance = strict.newInstance(owner, "rebound");
            var url = receiver.url("/hook").replace("127.0.0.1", name);
            assertThat(strict.http().post(path(instance, "/webhooks"), owner.token(),
                    "{\"label\":\"named\",\"url\":\"" + url + "\"}").status()).isEqualTo(201);
            Events.message(strict, owner, instance, "never sent");
            long deadline = System.nanoTime() + WAIT.toNanos();
            com.fasterxml.jackson.databind.JsonNode failed = null;
            while (failed == null && System.nanoTime() < deadline) {
                var data = strict.http().get("/v1/webhook-deliveries?instance=" + instance.id() + "&status=failed",
                        owner.token()).json().get("data");
                failed = data.isEmpty() ? null : data.get(0);
                Receiver.sleep(50);
            }
            assertThat(failed).as("a failed delivery").isNotNull();
            assertThat(failed.get("last_status_code").isNull()).isTrue();
            assertThat(failed.get("last_error").asText()).startsWith("refused: " + name + " resolves to ")
                    .contains("PONTE_EGRESS_ALLOW_PRIVATE=true");
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void redeliverySendsTheSameEventAgainAndLogsTheNewAttempt() {
        try (var receiver = Receiver.start()) {
            var instance = gateway.newInstance(tenant, "again");
            http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"r\",\"url\":\"" + receiver.url("/r") + "\"}");
            var event = Events.message(gateway, tenant, instance, "twice");
            var delivery = awaitStatus(instance, "succeeded");
            var redeliver = http.post("/v1/webhook-deliveries/" + delivery.get("id").asText() + "/redeliver",
                    tenant.token(), null);
            assertThat(redeliver.status()).as(redeliver.toString()).isEqualTo(202);
            var requests = receiver.await(2, WAIT);
            assertThat(requests).extracting(Receiver.Request::eventId).containsOnly(event.eventId().toString());
            assertThat(requests).extracting(r -> r.header("X-Ponte-Delivery-Id"))
                    .containsOnly(delivery.get("id").asText());
            awaitAttempts(delivery.get("id").asText(), 2);
        }
    }

    @Test
    void theLogFiltersByStatusEventAndInstanceAndHidesOtherTenantsAndSiblings() {
        try (var receiver = Receiver.start()) {
            var first = gateway.newInstance(tenant, "log-a");
            var second = gateway.newInstance(tenant, "log-b");
            for (var instance : new GatewayFixture.Instance[] {first, second}) {
                http.post(path(instance, "/webhooks"), tenant.token(),
                        "{\"label\":\"l\",\"url\":\"" + receiver.url("/l") + "\"}");
            }
            Events.message(gateway, tenant, first, "a");
            Events.ingest(gateway, tenant, first, EventType.GROUP_FLOW, Map.of("type", "joined"));
            Events.message(gateway, tenant, second, "b");
            receiver.await(3, WAIT);
            awaitStatus(first, "succeeded");
            var byEvent = http.get("/v1/webhook-deliveries?instance=log-a&event=group.flow", tenant.token());
            assertThat(byEvent.json().get("data")).hasSize(1);
            assertThat(byEvent.json().at("/data/0/event").asText()).isEqualTo("group.flow");
            assertThat(http.get("/v1/webhook-deliveries?instance=log-a&status=failed", tenant.token()).json()
                    .get("data")).isEmpty();
            var ownOnly = http.get("/v1/webhook-deliveries", first.token()).json().get("data");
            assertThat(ownOnly).hasSize(2).allMatch(d -> d.get("instance_id").asText().equals(first.id()));
            var siblingId = http.get("/v1/webhook-deliveries?instance=log-b", tenant.token()).json()
                    .at("/data/0/id").asText();
            ErrorEnvelopeTest.assertEnvelope(http.get("/v1/webhook-deliveries/" + siblingId, first.token()), 404,
                    "NOT_FOUND");
            var stranger = gateway.newTenant("log-stranger");
            ErrorEnvelopeTest.assertEnvelope(http.get("/v1/webhook-deliveries/" + siblingId, stranger.token()),
                    404, "NOT_FOUND");
            assertThat(http.get("/v1/webhook-deliveries", stranger.token()).json().get("data")).isEmpty();
            ErrorEnvelopeTest.assertEnvelope(http.get("/v1/webhook-deliveries?status=lost", tenant.token()), 400,
                    "VALIDATION_ERROR");
        }
    }

    @Test
    void deletingAnInstanceDeliversItsDeletedEventAndKeepsTheLog() {
        try (var receiver = Receiver.start()) {
            var instance = gateway.newInstance(tenant, "goes-away");
            http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"l\",\"url\":\"" + receiver.url("/gone") + "\"}");
            Events.message(gateway, tenant, instance, "before");
            assertThat(http.delete("/v1/instances/" + instance.id(), tenant.token()).status()).isEqualTo(204);
            var requests = receiver.await(2, WAIT);
            var deleted = requests.stream().filter(r -> r.header("X-Ponte-Event").equals("instance.state"))
                    .findFirst().orElseThrow().json();
            assertThat(deleted.at("/data/type").asText()).isEqualTo("deleted");
            assertThat(deleted.get("instance_name").asText()).isEqualTo("goes-away");
            var log = http.get("/v1/webhook-deliveries?instance=" + instance.id(), tenant.token()).json().get("data");
            assertThat(log).hasSize(2);
        }
    }

    @Test
    void creatingAnInstanceStoresItsCreatedEvent() throws Exception {
        var instance = gateway.newInstance(tenant, "born");
        try (var connection = gateway.database().dataSource().getConnection();
             var statement = connection.prepareStatement(
                     "select event, payload from events where instance_id = ?::uuid")) {
            statement.setString(1, instance.id());
            var rows = statement.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("event")).isEqualTo("instance.state");
            assertThat(rows.getString("payload")).contains("\"type\":\"created\"").contains("\"status\":\"pending\"")
                    .doesNotContain(instance.token());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode awaitStatus(GatewayFixture.Instance instance,
                                                                        String status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var data = http.get("/v1/webhook-deliveries?instance=" + instance.id() + "&status=" + status,
                    tenant.token()).json().get("data");
            if (!data.isEmpty()) {
                return data.get(0);
            }
            Receiver.sleep(50);
        }
        throw new AssertionError("no " + status + " delivery for " + instance.name() + ": "
                + http.get("/v1/webhook-deliveries?instance=" + instance.id(), tenant.token()));
    }

    private static void awaitAttempts(String deliveryId, int attempts) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var delivery = http.get("/v1/webhook-deliveries/" + deliveryId, tenant.token()).json().get("delivery");
            if (delivery.get("attempts").size() >= attempts && delivery.get("status").asText().equals("succeeded")) {
                return;
            }
            Receiver.sleep(50);
        }
        throw new AssertionError("delivery " + deliveryId + " never reached " + attempts + " attempts");
    }

    static String path(GatewayFixture.Instance instance, String rest) {
        return "/v1/instances/" + instance.id() + rest;
    }
}
