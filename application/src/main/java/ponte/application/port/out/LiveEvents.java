package ponte.application.port.out;

import ponte.domain.event.EventEnvelope;

/** Hears of every event this node stored, once its transaction committed: the live hub and the dispatcher. */
public interface LiveEvents {
    void published(EventEnvelope event, boolean deliveriesQueued);
}
