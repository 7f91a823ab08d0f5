package ponte.adapters.http.live;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import ponte.domain.event.EventFilter;
import ponte.domain.event.EventType;

/**
 * One listening client with a bounded buffer and a writer (virtual) thread of its own. Publishing only offers to
 * the buffer, so a slow client never slows the publisher or the other clients; one whose buffer is full has
 * fallen behind and is closed.
 */
abstract class LiveClient {
    static final int BUFFER = 256;
    static final Frame PING = new Frame(null, null, null);

    private final EventFilter filter;
    private final BlockingQueue<Frame> buffer = new ArrayBlockingQueue<>(BUFFER);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private Runnable onClosed = () -> {};
    private Thread writer;

    LiveClient(EventFilter filter) {
        this.filter = filter;
    }

    void start(Runnable whenClosed) {
        this.onClosed = whenClosed;
        this.writer = Thread.ofVirtual().name("ponte-live-writer").start(this::write);
    }

    boolean wants(EventType type) {
        return filter.matches(type);
    }

    /** False when the client fell behind; it is being closed. */
    boolean offer(Frame frame) {
        if (closed.get()) {
            return false;
        }
        if (buffer.offer(frame)) {
            return true;
        }
        if (frame != PING) {
            close(true);
        }
        return false;
    }

    void close(boolean fellBehind) {
        if (closed.compareAndSet(false, true)) {
            onClosed.run();
            Thread.ofVirtual().name("ponte-live-close").start(() -> {
                try {
                    terminate(fellBehind);
                } finally {
                    if (writer != null) {
                        writer.interrupt();
                    }
                    ended.countDown();
                }
            });
        }
    }

    /** Blocks until the client is closed, by either side. */
    void awaitClosed() throws InterruptedException {
        ended.await();
    }

    private void write() {
        try {
            while (!closed.get()) {
                var frame = buffer.take();
                if (frame == PING) {
                    ping();
                } else {
                    send(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            close(false);
        }
    }

    /** Blocks until the frame is handed to the network: that is what lets the buffer fill up. */
    abstract void send(Frame frame) throws Exception;

    abstract void ping() throws Exception;

    /** Closes the connection; {@code fellBehind} with WebSocket code 1013 (try again later). */
    abstract void terminate(boolean fellBehind);

    /** One envelope as JSON text, with its type and id for SSE's {@code event:} and {@code id:} lines. */
    record Frame(String json, String event, String id) {}
}
