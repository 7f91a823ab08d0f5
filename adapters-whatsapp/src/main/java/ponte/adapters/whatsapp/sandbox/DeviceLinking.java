package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentity;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * The end every way of linking shares: the companions waiting on their connections to be linked, and the
 * pair-success a phone sends one of them, which links it once the companion has countersigned. After that the
 * companion is told to log in again (stream error 515), as WhatsApp tells it.
 */
final class DeviceLinking {

    /** The primary's platform as pair-success names it. */
    static final String PRIMARY_PLATFORM = "android";
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESTART_GRACE = Duration.ofSeconds(2);

    private final SandboxPhoneStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final ScheduledExecutorService timers;
    private final Map<SandboxEndpoint, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<SandboxEndpoint, PendingLink> pendingLinks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<LinkedDevice> linked;

    DeviceLinking(SandboxPhoneStore store, Clock clock, SecureRandom random, ScheduledExecutorService timers,
            Consumer<LinkedDevice> linked) {
        this.linked = linked;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.timers = timers;
    }

    /** A registering companion was sent these refs; it may be linked while its connection lasts. */
    void register(SandboxEndpoint endpoint, PairingRefs refs, byte[] noisePublic, byte[] identityPublic) {
        registrations.put(endpoint, new Registration(endpoint, refs, noisePublic.clone(), identityPublic.clone()));
    }

    Optional<Registration> registration(SandboxEndpoint endpoint) {
        return Optional.ofNullable(registrations.get(endpoint));
    }

    /** The registering companion whose QR shows {@code ref} at {@code at}. */
    Optional<Registration> showing(String ref, Instant at) {
        return registrations.values().stream()
                .filter(r -> r.refs().activeAt(at).filter(ref::equals).isPresent())
                .findFirst();
    }

    /**
     * The phone vouches for the companion with pair-success, its HMAC keyed by {@code advSecret}. Completes with
     * the new device list entry once the companion countersigns, exceptionally when it refuses or disconnects.
     */
    CompletableFuture<LinkedDevice> link(VirtualPhone account, Registration registration, byte[] advSecret,
            String platform) {
        int device = store.allocateDevice(account.phone());
        AdvSignedDeviceIdentity vouched = AccountSigner.vouch(account, device, registration.identityPublic(), false,
                clock.instant(), random);
        String iqId = "sbx-link-" + ids.incrementAndGet();
        var pending = new PendingLink(iqId, account, device, platform, registration, vouched,
                new CompletableFuture<>());
        pendingLinks.put(registration.endpoint(), pending);
        registration.endpoint().send(Node.withChildren("iq", Node.attrs("from", Stanzas.SERVER, "type", "set",
                "id", iqId, "xmlns", "md"), List.of(Node.withChildren("pair-success", Map.of(), List.of(
                        Node.withBytes("device-identity", Map.of(),
                                AccountSigner.authenticate(vouched, advSecret, false)),
                        Node.of("platform", Node.attrs("name", PRIMARY_PLATFORM)),
                        Node.of("device", Node.attrs(
                                "jid", Jid.device(account.phone(), device, Stanzas.SERVER).toString(),
                                "lid", Jid.device(account.lid(), device, Jid.LID_SERVER).toString())))))));
        return pending.linked().orTimeout(LINK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes the companion's answer to pair-success; false when {@code node} is not that answer. */
    boolean receive(SandboxEndpoint endpoint, String id, String type, Node node) {
        PendingLink pending = pendingLinks.get(endpoint);
        if (pending == null || !pending.iqId().equals(id) || !(type.equals("result") || type.equals("error"))) {
            return false;
        }
        pendingLinks.remove(endpoint);
        finish(endpoint, pending, node);
        return true;
    }

    void closed(SandboxEndpoint endpoint) {
        registrations.remove(endpoint);
        Optional.ofNullable(pendingLinks.remove(endpoint)).ifPresent(link -> link.linked()
                .completeExceptionally(new IllegalStateException("the companion disconnected")));
    }

    private void finish(SandboxEndpoint endpoint, PendingLink pending, Node answer) {
        Optional<byte[]> reply = answer.child("pair-device-sign").flatMap(sign -> sign.child("device-identity"))
                .flatMap(Node::bytes);
        if (answer.attributeOr("type", "").equals("error") || reply.isEmpty()
                || !AccountSigner.countersigned(reply.get(), pending.vouched(),
                        pending.registration().identityPublic())) {
            String why = answer.child("error").map(e -> e.attributeOr("code", "") + " " + e.attributeOr("text", ""))
                    .orElse("no valid device signature");
            pending.linked().completeExceptionally(new IllegalStateException("the companion refused: " + why));
            return;
        }
        VirtualPhone account = pending.account();
        var device = new SandboxDevice(account.phone(), pending.device(), account.lid() + ":" + pending.device(),
                pending.registration().noisePublic(), pending.registration().identityPublic());
        store.link(device, pending.platform(), pending.device(), clock.instant());
        registrations.remove(endpoint);
        LinkedDevice entry = store.devices(account.phone()).stream()
                .filter(d -> d.device() == pending.device()).findFirst().orElseThrow();
        linked.accept(entry);
        pending.linked().complete(entry);
        // a linked companion must reconnect and log in, as WhatsApp makes it after pairing; the client closes on
        // its own, and hanging up at once could overtake the stream error in a client that decodes asynchronously
        endpoint.send(Node.of("stream:error", Node.attrs("code", "515")));
        timers.schedule(endpoint::hangUp, RESTART_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The companion platform ids of QR texts and code hellos (whatsmeow pair-code.go). */
    static String platformName(String id) {
        return switch (id) {
            case "1" -> "chrome";
            case "2" -> "edge";
            case "3" -> "firefox";
            case "4" -> "ie";
            case "5" -> "opera";
            case "6" -> "safari";
            case "7" -> "electron";
            case "8" -> "uwp";
            case "9" -> "web";
            case "c" -> "macos";
            case "e" -> "android";
            default -> "unknown";
        };
    }

    /** A connected companion that asked to register and was sent QR refs. */
    record Registration(SandboxEndpoint endpoint, PairingRefs refs, byte[] noisePublic, byte[] identityPublic) {
    }

    /** pair-success was sent; the companion's countersignature is awaited. */
    private record PendingLink(String iqId, VirtualPhone account, int device, String platform,
            Registration registration, AdvSignedDeviceIdentity vouched, CompletableFuture<LinkedDevice> linked) {
    }
}
