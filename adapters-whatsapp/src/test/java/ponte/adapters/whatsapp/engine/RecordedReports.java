package ponte.adapters.whatsapp.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;

/** Records what the engine reports, in order, as the application would receive it. */
final class RecordedReports implements SessionEventsUseCase {
    record Report(UUID instanceId, String what, Object detail) {}

    private final List<Report> reports = new ArrayList<>();
    private final List<Instant> qrExpiries = new ArrayList<>();

    @Override
    public synchronized void connecting(UUID instanceId) {
        add(instanceId, "connecting", null);
    }

    @Override
    public synchronized void qrShown(UUID instanceId, String qr, Instant expiresAt) {
        qrExpiries.add(expiresAt);
        add(instanceId, "qr", qr);
    }

    @Override
    public synchronized void connected(UUID instanceId, LinkedAccount account) {
        add(instanceId, "connected", account);
    }

    @Override
    public synchronized void disconnected(UUID instanceId, DisconnectReason reason) {
        add(instanceId, "disconnected", reason);
    }

    @Override
    public synchronized void failed(UUID instanceId) {
        add(instanceId, "failed", null);
    }

    private void add(UUID instanceId, String what, Object detail) {
        reports.add(new Report(instanceId, what, detail));
        notifyAll();
    }

    /** Waits for the first report of this kind after {@code from} reports; returns it. */
    synchronized Report await(String what, int from, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            for (int i = from; i < reports.size(); i++) {
                if (reports.get(i).what().equals(what)) {
                    return reports.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no '" + what + "' report within " + wait + "; got " + reports);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized List<Instant> qrExpiries() {
        return List.copyOf(qrExpiries);
    }

    synchronized List<Report> all() {
        return List.copyOf(reports);
    }

    synchronized int size() {
        return reports.size();
    }

    synchronized List<String> kinds() {
        return reports.stream().map(r -> r.detail() instanceof DisconnectReason reason
                ? r.what() + "(" + reason.wireName() + ")" : r.what()).toList();
    }
}
