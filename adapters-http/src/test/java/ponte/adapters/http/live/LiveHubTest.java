package ponte.adapters.http.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

class LiveHubTest {
    private final AtomicInteger serialised = new AtomicInteger();
    private final AtomicInteger fetched = new AtomicInteger();
    private final ObjectMapper counting = new ObjectMapper() {
        @Override
        public String writeValueAsString(Object value) throws JsonProcessingException {
            serialised.incrementAndGet();
            return super.writeValueAsString(value);
        }
    };
    private final LiveHub hub = new LiveHub(counting, eventId -> {
        fetched.incrementAndGet();
        return Optional.of("{}");
    }, null, 100);

    @Test
    void nothingIsSerialisedOrFetchedForAnInstanceNobodyListensTo() {
        var instance = UUID.randomUUID();
        for (int i = 0; i < 100; i++) {
            hub.published(event(instance), true);
            hub.remote(instance, UUID.randomUUID(), "message.exchange");
        }
        assertThat(serialised).hasValue(0);
        assertThat(fetched).hasValue(0);
        assertThat(hub.listeners(instance)).isZero();
        hub.close();
    }

    @Test
    void anEventIsSerialisedOnceHoweverManyClientsListen() throws Exception {
        var instance = UUID.randomUUID();
        var clients = new ArrayList<Recording>();
        for (int i = 0; i < 5; i++) {
            var client = new Recording();
            clients.add(client);
            hub.register(instance, client);
        }
        hub.published(event(instance), false);
        assertThat(serialised).hasValue(1);
        for (var client : clients) {
            client.awaitFrames(1);
        }
        hub.close();
    }

    private static EventEnvelope event(UUID instance) {
        return new EventEnvelope(UUID.randomUUID(), EventType.MESSAGE_EXCHANGE, UUID.randomUUID(), instance, "i",
                Instant.now(), Map.of("type", "text"));
    }

    /** A client that keeps what it is sent. */
    private static final class Recording extends LiveClient {
        private final List<Frame> frames = new java.util.concurrent.CopyOnWriteArrayList<>();

        Recording() {
            super(ponte.domain.event.EventFilter.ALL);
        }

        @Override
        void send(Frame frame) {
            frames.add(frame);
        }

        @Override
        void ping() {
            // nothing to keep alive
        }

        @Override
        void terminate(boolean fellBehind) {
            // nothing to close
        }

        void awaitFrames(int count) throws InterruptedException {
            for (int i = 0; i < 200 && frames.size() < count; i++) {
                Thread.sleep(10);
            }
            assertThat(frames).hasSize(count);
        }
    }
}
