package ponte.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.out.InboundStanzas;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/**
 * The engine's way in for events that are not messages: call signals go to {@link CallService} (which may reject
 * the call), and the events of one notification are stored once per the notification's id, in one transaction with
 * the id ({@link InboundStanzas}), so a notification WhatsApp delivers again — a {@code w:gp2} group change whose
 * acknowledgement was lost — is not a second {@code group.flow} event.
 */
final class InboundEvents implements InboundEventUseCase {

    private final CallService calls;
    private final EventIngestService events;
    private final InboundStanzas stanzas;
    private final SessionDirectory directory;
    private final Transactions transactions;
    private final Clock clock;

    InboundEvents(CallService calls, EventIngestService events, InboundStanzas stanzas, SessionDirectory directory,
                  Transactions transactions, Clock clock) {
        this.calls = calls;
        this.events = events;
        this.stanzas = stanzas;
        this.directory = directory;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data,
                                           Instant occurredAt) {
        return calls.receive(instanceId, type, data, occurredAt);
    }

    @Override
    public void callUpdated(UUID instanceId, CallUpdate update) {
        calls.callUpdated(instanceId, update);
    }

    @Override
    public void receiveOnce(UUID instanceId, String stanzaId, EventType type, List<Map<String, Object>> data,
                            Instant occurredAt) {
        transactions.run(() -> directory.findLive(instanceId).ifPresent(instance -> {
            if (stanzaId.isEmpty() || stanzas.firstTime(instanceId, stanzaId, clock.instant())) {
                data.forEach(one -> events.append(instance, type, one, occurredAt));
            }
        }));
    }
}
