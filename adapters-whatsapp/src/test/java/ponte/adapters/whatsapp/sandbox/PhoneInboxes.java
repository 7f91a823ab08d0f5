package ponte.adapters.whatsapp.sandbox;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Notes when each text a watched sandbox phone decrypts (from another account: the copies of an account's own
 * messages that its phone gets as DeviceSentMessages are left out) shows up in its primary device's list of received
 * messages, by message id, in microseconds on {@link #nowMicros()}'s clock. A daemon thread looks at the in-memory
 * lists every half millisecond (a copy of a list, no database query), so a time is at most ~0.5 ms late plus
 * scheduling delay. For the messaging benchmark, whose latencies end at the recipient phone's decrypt.
 */
public final class PhoneInboxes implements AutoCloseable {
    private static final long EPOCH_MICROS = System.currentTimeMillis() * 1000;
    private static final long NANO_BASE = System.nanoTime();

    private final SandboxServer sandbox;
    private final Map<String, PhoneDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Long> arrivalsByPhone = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    public PhoneInboxes(SandboxServer sandbox) {
        this.sandbox = sandbox;
        this.poller = Thread.ofPlatform().daemon().name("bench-phone-inboxes").start(this::poll);
    }

    /**
     * Wall-clock time in microseconds since the epoch, advanced by {@link System#nanoTime()} from one reading taken
     * when this class loaded: monotonic, and comparable with another process's wall clock on this machine.
     */
    public static long nowMicros() {
        return EPOCH_MICROS + (System.nanoTime() - NANO_BASE) / 1000;
    }

    /** Starts watching a sandbox phone (an existing account's number); what it already received counts as seen. */
    public void watch(String phone) {
        var account = sandbox.phones().phone(phone).orElseThrow();
        var device = sandbox.phones().primary(account);
        seen.put(phone, device.received().size());
        devices.put(phone, device);
    }

    /** When the message with this id was first seen decrypted by its recipient, in {@link #nowMicros()} time. */
    public OptionalLong arrivedAt(String messageId) {
        Long at = arrivals.get(messageId);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /**
     * When watched phone {@code phone} first decrypted the message with this id, in {@link #nowMicros()} time: a
     * group message reaches every member, and {@link #arrivedAt(String)} keeps only the first of them.
     */
    public OptionalLong arrivedAt(String phone, String messageId) {
        Long at = arrivalsByPhone.get(phone + " " + messageId);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** Everything the watched phone decrypted, oldest first. */
    public List<ReceivedMessage> received(String phone) {
        return devices.get(phone).received();
    }

    private void poll() {
        while (running) {
            devices.forEach((phone, device) -> {
                int from = seen.get(phone);
                var list = device.received();
                if (list.size() > from) {
                    long now = nowMicros();
                    for (int i = from; i < list.size(); i++) {
                        if (!list.get(i).sentByMe()) {
                            arrivals.putIfAbsent(list.get(i).id(), now);
                            arrivalsByPhone.putIfAbsent(phone + " " + list.get(i).id(), now);
                        }
                    }
                    seen.put(phone, list.size());
                }
            });
            LockSupport.parkNanos(500_000);
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
