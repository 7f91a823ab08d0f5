package ponte.bootstrap;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import ponte.application.port.in.IngestEventUseCase.IngestEventCommand;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/** Puts events in through the ingest use case, as the WhatsApp client will; and checks signatures as a receiver. */
final class Events {
    private Events() {}

    static EventEnvelope ingest(GatewayFixture gateway, GatewayFixture.Tenant tenant,
                                GatewayFixture.Instance instance, EventType type, Map<String, Object> data) {
        return gateway.gateway().ingest().ingest(new IngestEventCommand(UUID.fromString(tenant.id()),
                UUID.fromString(instance.id()), type, data, null));
    }

    static EventEnvelope message(GatewayFixture gateway, GatewayFixture.Tenant tenant,
                                 GatewayFixture.Instance instance, String text) {
        return ingest(gateway, tenant, instance, EventType.MESSAGE_EXCHANGE, Map.of("type", "text", "text", text));
    }

    /** What a receiver does: recompute the HMAC of "t.body" and compare with v1. */
    static boolean signatureValid(String header, String secret, String body) throws Exception {
        var parts = header.split(",");
        var t = parts[0].substring("t=".length());
        var v1 = parts[1].substring("v1=".length());
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        var expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                v1.getBytes(StandardCharsets.US_ASCII));
    }
}
