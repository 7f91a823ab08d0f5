package ponte.domain.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.InstanceEvent;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.validation.ValidationException;

class EventEnvelopeTest {
    @Test
    void theWireFormHasTheContractsFieldsInOrderWithTheSubtypeFirst() {
        var envelope = new EventEnvelope(UUID.randomUUID(), EventType.MESSAGE_EXCHANGE, UUID.randomUUID(),
                UUID.randomUUID(), "sales", Instant.parse("2026-01-01T00:00:00Z"),
                Map.of("text", "hi", "type", "text"));
        var wire = envelope.wireForm();
        assertThat(wire.keySet()).containsExactly("event_id", "event", "api_version", "tenant_id", "instance_id",
                "instance_name", "occurred_at", "data");
        assertThat(wire.get("api_version")).isEqualTo("1");
        assertThat(((Map<?, ?>) wire.get("data")).keySet()).map(Object::toString).containsExactly("type", "text");
    }

    @Test
    void dataWithoutASubtypeIsRefused() {
        assertThatThrownBy(() -> new EventEnvelope(UUID.randomUUID(), EventType.CALL_UPDATE, UUID.randomUUID(),
                UUID.randomUUID(), "x", Instant.now(), Map.of("call", 1))).hasMessageContaining("type");
    }

    @Test
    void aStatusChangeCarriesItsStatusAndReason() {
        var data = InstanceStateData.of(new InstanceEvent.StatusChanged(UUID.randomUUID(), InstanceStatus.CONNECTED,
                InstanceStatus.DISCONNECTED, DisconnectReason.LOGGED_OUT, Instant.now()));
        assertThat(data).containsEntry("type", "status_changed").containsEntry("status", "disconnected")
                .containsEntry("status_reason", "logged_out").containsEntry("previous_status", "connected");
        var reconnect = new HashMap<>(InstanceStateData.of(new InstanceEvent.StatusChanged(UUID.randomUUID(),
                InstanceStatus.CONNECTING, InstanceStatus.CONNECTED, null, Instant.now())));
        assertThat(reconnect).containsEntry("status_reason", null);
        assertThat(new EventEnvelope(UUID.randomUUID(), EventType.INSTANCE_STATE, UUID.randomUUID(), UUID.randomUUID(),
                "x", Instant.now(), reconnect).data()).containsEntry("status_reason", null);
    }

    @Test
    void anEmptyFilterMatchesEveryTypeAndUnknownNamesAreRefused() {
        assertThat(EventFilter.parse("events", List.of()).matches(EventType.LABEL_UPDATE)).isTrue();
        var filter = EventFilter.parse("events", List.of("call.update"));
        assertThat(filter.matches(EventType.CALL_UPDATE)).isTrue();
        assertThat(filter.matches(EventType.MESSAGE_EXCHANGE)).isFalse();
        assertThatThrownBy(() -> EventFilter.parse("events", List.of("call.update", "CALL")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("events[1]");
    }
}
