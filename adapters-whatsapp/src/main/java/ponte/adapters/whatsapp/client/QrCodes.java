package ponte.adapters.whatsapp.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/**
 * Turns the server's pair-device refs into QR texts and shows them in turn: the first for 60 seconds, each
 * later one for 20 (Baileys socket.ts qrTimeout, whatsmeow qrchan.go). When the last one's time is up the codes
 * have run out: {@code onRunOut} is told once, and the pairing attempt is over (the server hangs up too).
 */
final class QrCodes {

    /** Companion platform id in the QR text: 1 is Chrome (whatsmeow pair-code.go PairClientChrome). */
    private static final String PLATFORM_CHROME = "1";
    static final Duration FIRST = Duration.ofSeconds(60);
    static final Duration LATER = Duration.ofSeconds(20);

    private final Timers timers;
    private final BiConsumer<String, Duration> display;
    private final Runnable onRunOut;
    private final Duration first;
    private final Duration later;
    private ScheduledFuture<?> next;
    private long sequence;
    private boolean showingLast;

    QrCodes(Timers timers, BiConsumer<String, Duration> display, Runnable onRunOut, Duration first, Duration later) {
        this.timers = timers;
        this.display = display;
        this.onRunOut = onRunOut;
        this.first = first;
        this.later = later;
    }

    static String text(String ref, DeviceCredentials keys) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "https://wa.me/settings/linked_devices#" + String.join(",", ref,
                b64.encodeToString(keys.noiseKey().publicKey()),
                b64.encodeToString(keys.identityKey().publicKey()),
                b64.encodeToString(keys.advSecret()),
                PLATFORM_CHROME);
    }

    /** Starts a new sequence with these refs, replacing any running one. */
    void show(List<String> refs, DeviceCredentials keys) {
        long current;
        synchronized (this) {
            stop();
            current = sequence;
        }
        showNext(current, new ArrayDeque<>(refs), keys, first);
    }

    synchronized void stop() {
        sequence++;
        showingLast = false;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    /** Whether the code on display is the last of its sequence: once it expires, pairing is over. */
    synchronized boolean showingLast() {
        return showingLast;
    }

    private void showNext(long expected, Deque<String> queue, DeviceCredentials keys, Duration lifetime) {
        String ref;
        synchronized (this) {
            if (expected != sequence) {
                return;
            }
            ref = queue.poll();
            showingLast = ref != null && queue.isEmpty();
            if (ref == null) {
                next = null;
                sequence++;
            }
        }
        if (ref == null) {
            onRunOut.run();
            return;
        }
        display.accept(text(ref, keys), lifetime);
        synchronized (this) {
            // scheduled once this code is out, so the next one never overtakes it
            if (expected == sequence) {
                next = timers.after(lifetime, () -> showNext(expected, queue, keys, later));
            }
        }
    }
}
