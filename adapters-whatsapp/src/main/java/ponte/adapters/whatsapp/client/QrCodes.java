package ponte.adapters.whatsapp.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/**
 * Turns the server's pair-device refs into QR texts and shows them in turn: the first for 60 seconds, each
 * later one for 20 (Baileys socket.ts qrTimeout, whatsmeow qrchan.go). The server hangs up after the last.
 */
final class QrCodes {

    /** Companion platform id in the QR text: 1 is Chrome (whatsmeow pair-code.go PairClientChrome). */
    private static final String PLATFORM_CHROME = "1";
    static final Duration FIRST = Duration.ofSeconds(60);
    static final Duration LATER = Duration.ofSeconds(20);

    private final ScheduledExecutorService timers;
    private final BiConsumer<String, Duration> display;
    private final Duration first;
    private final Duration later;
    private ScheduledFuture<?> next;

    QrCodes(ScheduledExecutorService timers, BiConsumer<String, Duration> display, Duration first, Duration later) {
        this.timers = timers;
        this.display = display;
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

    synchronized void show(List<String> refs, DeviceCredentials keys) {
        stop();
        Deque<String> queue = new ArrayDeque<>(refs);
        showNext(queue, keys, first);
    }

    synchronized void stop() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private synchronized void showNext(Deque<String> queue, DeviceCredentials keys, Duration lifetime) {
        String ref = queue.poll();
        if (ref == null) {
            return;
        }
        display.accept(text(ref, keys), lifetime);
        next = timers.schedule(() -> showNext(queue, keys, later), lifetime.toMillis(), TimeUnit.MILLISECONDS);
    }
}
