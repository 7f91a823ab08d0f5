package ponte.application.port.in;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/**
 * How the WhatsApp engine hands over what an instance received that is not a message or receipt (call signals,
 * and the events other features add). The engine knows instances by id only; the gateway finds the tenant. When
 * this returns, the event and its deliveries are committed, and only then may the engine acknowledge the stanza to
 * WhatsApp; when it throws, nothing was stored, the engine does not acknowledge, and WhatsApp delivers the stanza
 * again on the next connection.
 */
public interface InboundEventUseCase {

    /**
     * Stores one event of {@code type} for the instance; {@code data} is the event's {@code data} object as the API
     * documents it, {@code occurredAt} when WhatsApp says it happened. Empty when the instance no longer exists
     * (nothing to keep: the stanza may be acknowledged).
     */
    Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data, Instant occurredAt);

    /**
     * Stores the events of one stanza WhatsApp identifies by {@code stanzaId} (a notification), in order, once: when
     * the same id was stored before (WhatsApp delivered it again), nothing is stored. An empty id is stored every
     * time. Same contract as {@link #receive}. By default nothing is remembered: each is {@link #receive}d.
     */
    default void receiveOnce(UUID instanceId, String stanzaId, EventType type,
                             java.util.List<Map<String, Object>> data, Instant occurredAt) {
        data.forEach(one -> receive(instanceId, type, one, occurredAt));
    }

    /**
     * A call to the instance moved ({@link CallUpdate}): stored as a {@code call.update} event, and with the setting
     * {@code reject_calls} an offer is turned down at once and {@code reject_call_message} queued to the caller. Same
     * contract as {@link #receive}: when this returns, the stanza may be acknowledged. By default only the event is
     * stored.
     */
    default void callUpdated(UUID instanceId, CallUpdate update) {
        receive(instanceId, EventType.CALL_UPDATE, update.data(), update.at().orElse(null));
    }

    /**
     * One call signal as the API's {@code call.update} data names it (API.md "Events"): {@code type} is
     * {@code offer}, {@code accepted}, {@code rejected}, {@code terminated} or {@code missed} (a call that ended
     * while still ringing), {@code from} the caller's JID, {@code at} the signal's time when WhatsApp gave one.
     */
    record CallUpdate(String type, String callId, String from, boolean video, Optional<Instant> at) {
        public static final String OFFER = "offer";
        public static final String REJECTED = "rejected";

        /** The event's {@code data}: {@code {type, call_id, from, video, at}}. */
        public Map<String, Object> data() {
            var data = new LinkedHashMap<String, Object>();
            data.put("type", type);
            data.put("call_id", callId);
            data.put("from", from);
            data.put("video", video);
            data.put("at", at.map(Instant::toString).orElse(null));
            return data;
        }
    }
}
