package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * The sandbox's phones: simulated accounts whose primary device links companions as a real phone does, by
 * scanning a QR ({@link DeviceLinking}) or by a typed code ({@link CodeLinking}), keeps their device list, and
 * removes them again. It also routes a connection's phone-related stanzas to the part that handles them, the
 * prekey directory ({@link KeyDirectory}) included.
 */
public final class VirtualPhones {

    private static final String QR_PREFIX = "https://wa.me/settings/linked_devices#";

    private final SandboxPhoneStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, SandboxEndpoint> online;
    private final DeviceLinking linking;
    private final CodeLinking codes;
    private final KeyDirectory keys;
    private final OfflineQueue offline = new OfflineQueue();
    private final AtomicLong ids = new AtomicLong();

    VirtualPhones(SandboxPhoneStore store, Clock clock, SecureRandom random, Map<String, SandboxEndpoint> online,
            ScheduledExecutorService timers) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.online = online;
        this.linking = new DeviceLinking(store, clock, random, timers);
        this.codes = new CodeLinking(store, linking, clock, random);
        this.keys = new KeyDirectory(store, clock, online);
    }

    /** A new account; fails with {@link IllegalStateException} when the number already has one. */
    public VirtualPhone create(String phone, String pushName) {
        if (!phone.matches("[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("a phone number is 7 to 15 digits, international, without +");
        }
        String lid = Long.toString(100_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 900_000_000_000_000L);
        var created = new VirtualPhone(phone, pushName, lid, KeyPair.generate(random), 1 + random.nextInt(1 << 30));
        if (!store.createPhone(created, clock.instant())) {
            throw new IllegalStateException("the sandbox already has a phone " + phone);
        }
        return created;
    }

    public Optional<VirtualPhone> phone(String phone) {
        return store.phone(phone);
    }

    public List<VirtualPhone> phones() {
        return store.phones();
    }

    public List<LinkedDevice> devices(String phone) {
        return store.devices(existing(phone).phone());
    }

    /**
     * The phone's camera reads a companion's QR text: the companion whose current ref it shows is linked. Completes
     * when the companion has countersigned; fails when no connected companion shows this QR now.
     */
    public CompletableFuture<LinkedDevice> scan(String phone, String qrText) {
        VirtualPhone account = existing(phone);
        String[] parts = qrText.startsWith(QR_PREFIX) ? qrText.substring(QR_PREFIX.length()).split(",") : new String[0];
        if (parts.length < 4) {
            throw new IllegalArgumentException("not a WhatsApp linking QR text");
        }
        DeviceLinking.Registration registration = linking.showing(parts[0], clock.instant())
                .orElseThrow(() -> new NoSuchElementException("no connected companion shows this QR now"));
        Base64.Decoder b64 = Base64.getDecoder();
        if (!Arrays.equals(b64.decode(parts[1]), registration.noisePublic())
                || !Arrays.equals(b64.decode(parts[2]), registration.identityPublic())) {
            throw new IllegalArgumentException("the QR's keys are not the registering companion's");
        }
        String platform = parts.length > 4 ? DeviceLinking.platformName(parts[4]) : "unknown";
        return linking.link(account, registration, b64.decode(parts[3]), platform);
    }

    /**
     * The phone's user types the code a companion showed: the phone answers the companion's hello for this number
     * with its own ephemeral key wrapped by the code. Completes when linked; fails when the code was wrong.
     */
    public CompletableFuture<LinkedDevice> linkCode(String phone, String code) {
        return codes.typed(existing(phone), code);
    }

    /** The phone removes a companion from its device list; an online companion is told and disconnected. */
    public boolean unlink(String phone, int device) {
        boolean removed = store.unlink(existing(phone).phone(), device);
        disconnectRemoved(phone, device);
        return removed;
    }

    /**
     * {@code fromPhone} calls {@code toPhone}: every device linked to the callee is offered the call, at once when
     * online, otherwise when it next logs in, and again on every login until it acks the {@code <call>} stanza.
     * Returns the call's id.
     */
    public String call(String fromPhone, String toPhone, boolean video) {
        String caller = existing(fromPhone).phone() + "@" + Stanzas.SERVER;
        VirtualPhone callee = existing(toPhone);
        String callId = java.util.HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        for (LinkedDevice device : store.devices(callee.phone())) {
            String jid = Jid.device(callee.phone(), device.device(), Stanzas.SERVER).toString();
            List<Node> media = video ? List.of(Node.of("audio", Node.attrs("enc", "opus", "rate", "16000")),
                    Node.of("video", Node.attrs("enc", "vp8"))) : List.of(Node.of("audio",
                    Node.attrs("enc", "opus", "rate", "16000")));
            Node offer = Node.withChildren("call", Node.attrs("from", caller, "id", nextId(), "t", now()),
                    List.of(Node.withChildren("offer", Node.attrs("call-id", callId, "call-creator", caller),
                            media)));
            offline.owe(jid, offer);
            SandboxEndpoint connection = online.get(jid);
            if (connection != null) {
                connection.send(offer);
            }
        }
        return callId;
    }

    /** How many stanzas the phone's linked devices have not acknowledged yet. */
    public int unacknowledged(String phone) {
        VirtualPhone account = existing(phone);
        return store.devices(account.phone()).stream()
                .mapToInt(d -> offline.owedTo(Jid.device(account.phone(), d.device(), Stanzas.SERVER).toString()).size())
                .sum();
    }

    /** A device logged in: what it has not acknowledged yet is delivered again, oldest first. */
    void loggedIn(String deviceJid, SandboxEndpoint endpoint) {
        offline.owedTo(deviceJid).forEach(endpoint::send);
    }

    /** A registering companion was sent these refs; a phone may scan them while the connection lasts. */
    void awaitScan(SandboxEndpoint endpoint, PairingRefs refs, byte[] noisePublic, byte[] identityPublic) {
        linking.register(endpoint, refs, noisePublic, identityPublic);
    }

    void closed(SandboxEndpoint endpoint) {
        linking.closed(endpoint);
        codes.closed(endpoint);
    }

    /** Handles the phone-related stanzas of a connection; false when the node is someone else's business. */
    boolean receive(SandboxEndpoint endpoint, String onlineAs, Node node) {
        if (node.tag().equals("ack") && onlineAs != null) {
            offline.acked(onlineAs, node);
            return true;
        }
        if (!node.tag().equals("iq")) {
            return false;
        }
        String type = node.attributeOr("type", "");
        String id = node.attributeOr("id", "");
        if (linking.receive(endpoint, id, type, node) || codes.receive(endpoint, id, type, node)) {
            return true;
        }
        Optional<Jid> self = Optional.ofNullable(onlineAs).flatMap(Jid::parse);
        if (self.isPresent() && node.attributeOr("xmlns", "").equals("encrypt")) {
            return keys.receive(endpoint, self.get(), id, type, node);
        }
        if (self.isPresent() && node.child("remove-companion-device").isPresent() && type.equals("set")) {
            // removed before the answer, so that whoever reads the answer finds the device gone
            store.unlink(self.get().user(), self.get().device());
            endpoint.send(Stanzas.result(id, List.of()));
            disconnectRemoved(self.get().user(), self.get().device());
            return true;
        }
        return false;
    }

    /** A removed device that is still online hears it is logged out, as a real one does, and is cut off. */
    private void disconnectRemoved(String phone, int device) {
        offline.forget(Jid.device(phone, device, Stanzas.SERVER).toString());
        SandboxEndpoint connection = online.remove(Jid.device(phone, device, Stanzas.SERVER).toString());
        if (connection != null) {
            connection.send(Node.withChildren("stream:error", Node.attrs("code", "401"),
                    List.of(Node.of("conflict", Node.attrs("type", "device_removed")))));
            connection.hangUp();
        }
    }

    private String nextId() {
        return "sbx-phone-" + ids.incrementAndGet();
    }

    private String now() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private VirtualPhone existing(String phone) {
        return store.phone(phone).orElseThrow(() -> new NoSuchElementException("no sandbox phone " + phone));
    }
}
