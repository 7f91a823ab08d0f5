package ponte.adapters.whatsapp.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Keeps every event a companion reported and lets a test wait for the first of a kind. */
final class CompanionRecorder implements Companion.Listener {

    final List<CompanionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void onEvent(CompanionEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized <E extends CompanionEvent> E await(Class<E> kind, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (CompanionEvent event : events) {
                if (kind.isInstance(event)) {
                    return kind.cast(event);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + kind.getSimpleName() + " within " + timeout + "; saw " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized ConnectionStatus awaitState(ConnectionState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (CompanionEvent event : events) {
                if (event instanceof CompanionEvent.StatusChanged(ConnectionStatus status) && status.state() == state) {
                    return status;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + state + " within " + timeout + "; saw " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    <E extends CompanionEvent> List<E> all(Class<E> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
