package ponte.adapters.whatsapp.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Optional;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.message.MessageExchanged;

/**
 * Records what the engine reports and hands over, in order, as the application would receive it; its store of
 * received events can be made to fail, as a database that is down does.
 */
final class RecordedReports implements SessionEventsUseCase, InboundEventUseCase, InboundMessagesUseCase {
    record Report(UUID instanceId, String what, Object detail) {}

    private final List<Report> reports = new ArrayList<>();
    private final List<Instant> qrExpiries = new ArrayList<>();
    private final List<Map<String, Object>> received = new ArrayList<>();
    private final List<Receipt> receipts = new ArrayList<>();
    private final List<MessageExchanged> handedOver = new ArrayList<>();
    private int lostAfterStoring;
    private int failuresLeft;
    private int failedAttempts;

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
    public synchronized void accountUpdated(UUID instanceId, LinkedAccount account) {
        add(instanceId, "account", account);
    }

    @Override
    public synchronized void disconnected(UUID instanceId, DisconnectReason reason) {
        add(instanceId, "disconnected", reason);
    }

    @Override
    public synchronized void failed(UUID instanceId) {
        add(instanceId, "failed", null);
    }

    @Override
    public synchronized Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data,
                                                        Instant occurredAt) {
        if (failuresLeft > 0) {
            failuresLeft--;
            failedAttempts++;
            notifyAll();
            throw new IllegalStateException("the event store is down");
        }
        var copy = new java.util.LinkedHashMap<String, Object>(data);
        copy.put("event", type.wireName());
        received.add(java.util.Collections.unmodifiableMap(copy));
        add(instanceId, "received(" + type.wireName() + ")", data);
        return Optional.empty();
    }

    /**
     * Kept as the application's message.exchange event would be, through the same store (so it can fail alike);
     * every call is new: de-duplication by id is the core's, and the tests here count the engine's hand-overs.
     */
    @Override
    public boolean exchanged(UUID instanceId, MessageExchanged exchanged) {
        synchronized (this) {
            handedOver.add(exchanged);
            if (lostAfterStoring > 0) {
                lostAfterStoring--;
                notifyAll();
                throw new IllegalStateException("stored, but the answer was lost (a crash before the ack)");
            }
        }
        receive(instanceId, EventType.MESSAGE_EXCHANGE, exchanged.data(), exchanged.message().timestamp());
        return true;
    }

    private final Map<String, HandedFile> media = new java.util.concurrent.ConcurrentHashMap<>();

    /** A received file as the application would ask the media port for it: its kind, reference and message. */
    record HandedFile(ponte.application.port.out.MediaTransferPort.MediaKind kind,
                      ponte.application.port.out.MediaTransferPort.MediaRef ref,
                      ponte.application.port.out.MediaTransferPort.MessageKey key) {
    }

    /** As the two-argument form, keeping the received file's reference by message id. */
    @Override
    public boolean exchanged(UUID instanceId, MessageExchanged exchanged, java.util.Optional<ReceivedMedia> file) {
        var message = exchanged.message();
        file.ifPresent(f -> media.put(message.id().value(), new HandedFile(
                ponte.application.port.out.MediaTransferPort.MediaKind.valueOf(f.kind().name()),
                new ponte.application.port.out.MediaTransferPort.MediaRef(f.directPath(), f.url(), f.mediaKey(),
                        f.fileSha256(), f.fileEncSha256(), f.fileLength()),
                new ponte.application.port.out.MediaTransferPort.MessageKey(message.id(), message.chatJid(),
                        message.fromMe(), message.participant()))));
        return exchanged(instanceId, exchanged);
    }

    /** The file reference a received media message came with. */
    java.util.Optional<HandedFile> media(String messageId) {
        return java.util.Optional.ofNullable(media.get(messageId));
    }

    /** The next {@code count} hand-overs are kept as handed over, then fail as a crash before the ack would. */
    synchronized void loseAnswerAfterStoring(int count) {
        lostAfterStoring = count;
    }

    /** Every message the engine handed over, in order, the failed ones included. */
    synchronized List<MessageExchanged> handedOver() {
        return List.copyOf(handedOver);
    }

    @Override
    public synchronized void receipt(UUID instanceId, Receipt receipt) {
        receipts.add(receipt);
        add(instanceId, "receipt", receipt);
    }

    synchronized List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    private final List<History> histories = new ArrayList<>();
    private volatile long historyMillis;

    /** Each chunk of history takes this long to keep from now on (a slow store), outside the recorder's lock. */
    void slowHistory(long millis) {
        historyMillis = millis;
    }

    @Override
    public int history(UUID instanceId, History history) {
        if (historyMillis > 0) {
            try {
                Thread.sleep(historyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            histories.add(history);
            add(instanceId, "history", history);
            return history.messages().size();
        }
    }

    /** Every chunk of history the engine handed over, in order. */
    synchronized List<History> histories() {
        return List.copyOf(histories);
    }

    /** The next {@code count} received events fail to be stored. */
    synchronized void failNextReceived(int count) {
        failuresLeft = count;
    }

    synchronized int failedAttempts() {
        return failedAttempts;
    }

    synchronized List<Map<String, Object>> received() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code count} attempts to store a received event have failed. */
    synchronized void awaitFailedAttempts(int count, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (failedAttempts < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + failedAttempts + " failed attempts within " + wait);
            }
            wait(Math.max(1, left / 1_000_000));
        }
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
