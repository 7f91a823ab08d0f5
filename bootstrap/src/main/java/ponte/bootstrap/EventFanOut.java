package ponte.bootstrap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.application.port.out.LiveEvents;
import ponte.domain.event.EventEnvelope;

/**
 * Hands each committed event to everything on this node that wants it: the live hub and the dispatcher. They are
 * built after the use cases that publish, hence registered later. One failing listener never stops the others,
 * and never fails the ingest that already committed.
 */
final class EventFanOut implements LiveEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanOut.class);
    private final List<LiveEvents> listeners = new CopyOnWriteArrayList<>();

    void register(LiveEvents listener) {
        listeners.add(listener);
    }

    @Override
    public void published(EventEnvelope event, boolean deliveriesQueued) {
        for (var listener : listeners) {
            try {
                listener.published(event, deliveriesQueued);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on event {}", event.eventId(), e);
            }
        }
    }
}
