package ponte.adapters.whatsapp.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a client reports, and waits for a state or a QR text. */
final class StatusRecorder implements WireClient.Listener {

    final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<String> qrCodes = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<ConnectionStatus> changes = new LinkedBlockingQueue<>();

    @Override
    public void onStatus(ConnectionStatus status) {
        statuses.add(status);
        changes.add(status);
    }

    @Override
    public void onQr(String qrText) {
        qrCodes.add(qrText);
    }

    ConnectionStatus await(ConnectionState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ConnectionStatus next = changes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + state + " within " + timeout + "; saw " + statuses);
            }
            if (next.state() == state) {
                return next;
            }
        }
    }

    List<ConnectionState> states() {
        return statuses.stream().map(ConnectionStatus::state).toList();
    }

    String awaitQr(Duration timeout) throws InterruptedException {
        String qr = qrCodes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (qr == null) {
            throw new AssertionError("no QR within " + timeout + "; saw " + statuses);
        }
        return qr;
    }
}
