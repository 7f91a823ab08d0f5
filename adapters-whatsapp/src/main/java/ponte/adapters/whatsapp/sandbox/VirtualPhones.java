package ponte.adapters.whatsapp.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.Curve25519;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.LinkCode;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentity;
import ponte.adapters.whatsapp.store.LinkedDevice;
import ponte.adapters.whatsapp.store.SandboxDevice;
import ponte.adapters.whatsapp.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.store.VirtualPhone;

/**
 * The sandbox's phones: simulated accounts whose primary device links companions as a real phone does, by
 * scanning a QR or by a typed code, keeps their device list, and removes them again. The registering companion
 * waits on its connection; the phone's actions reach it there as pair-success and code-link notifications.
 */
public final class VirtualPhones {

    /** The primary's platform as pair-success names it. */
    static final String PRIMARY_PLATFORM = "android";
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESTART_GRACE = Duration.ofSeconds(2);
    private static final String QR_PREFIX = "https://wa.me/settings/linked_devices#";
    private static final String SERVER = Jid.USER_SERVER;

    private final SandboxPhoneStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, SandboxEndpoint> online;
    private final ScheduledExecutorService timers;
    private final KeyDirectory keys;
    private final Map<SandboxEndpoint, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<String, CodeHello> codeHellos = new ConcurrentHashMap<>();
    private final Map<SandboxEndpoint, CodeExchange> codeExchanges = new ConcurrentHashMap<>();
    private final Map<SandboxEndpoint, PendingLink> pendingLinks = new ConcurrentHashMap<>();
    private final OfflineQueue offline = new OfflineQueue();
    private final AtomicLong ids = new AtomicLong();

    VirtualPhones(SandboxPhoneStore store, Clock clock, SecureRandom random, Map<String, SandboxEndpoint> online,
            ScheduledExecutorService timers) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.online = online;
        this.timers = timers;
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
        Registration registration = registrations.values().stream()
                .filter(r -> r.refs().activeAt(clock.instant()).filter(parts[0]::equals).isPresent())
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no connected companion shows this QR now"));
        Base64.Decoder b64 = Base64.getDecoder();
        if (!Arrays.equals(b64.decode(parts[1]), registration.noisePublic())
                || !Arrays.equals(b64.decode(parts[2]), registration.identityPublic())) {
            throw new IllegalArgumentException("the QR's keys are not the registering companion's");
        }
        String platform = parts.length > 4 ? platformName(parts[4]) : "unknown";
        return link(account, registration, b64.decode(parts[3]), platform);
    }

    /**
     * The phone's user types the code a companion showed: the phone answers the companion's hello for this number
     * with its own ephemeral key wrapped by the code. Completes when linked; fails when the code was wrong.
     */
    public CompletableFuture<LinkedDevice> linkCode(String phone, String code) {
        VirtualPhone account = existing(phone);
        String typed = LinkCode.normalize(code);
        if (!LinkCode.isWellFormed(typed)) {
            throw new IllegalArgumentException("a pairing code is 8 characters: digits 1-9 and letters other than I, O and U");
        }
        CodeHello hello = codeHellos.remove(account.phone());
        if (hello == null) {
            throw new NoSuchElementException("no companion asked to link " + phone + " by code");
        }
        byte[] companionEphemeral = LinkCode.unwrap(typed, hello.wrappedEphemeral());
        KeyPair primaryEphemeral = KeyPair.generate(random);
        var exchange = new CodeExchange(account, hello, primaryEphemeral, companionEphemeral,
                new CompletableFuture<>());
        codeExchanges.put(hello.endpoint(), exchange);
        hello.endpoint().send(Node.withChildren("notification", Node.attrs("from", SERVER,
                "type", "link_code_companion_reg", "id", nextId(), "t", now()), List.of(Node.withChildren(
                "link_code_companion_reg", Map.of(), List.of(
                        Node.withBytes("link_code_pairing_ref", Map.of(), hello.ref().getBytes(StandardCharsets.UTF_8)),
                        Node.withBytes("primary_identity_pub", Map.of(), account.identity().publicKey()),
                        Node.withBytes("link_code_pairing_wrapped_primary_ephemeral_pub", Map.of(),
                                LinkCode.wrap(typed, primaryEphemeral.publicKey(), random)))))));
        return exchange.linked().orTimeout(LINK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
        String caller = existing(fromPhone).phone() + "@" + SERVER;
        VirtualPhone callee = existing(toPhone);
        String callId = java.util.HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        for (LinkedDevice device : store.devices(callee.phone())) {
            String jid = Jid.device(callee.phone(), device.device(), SERVER).toString();
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
                .mapToInt(d -> offline.owedTo(Jid.device(account.phone(), d.device(), SERVER).toString()).size())
                .sum();
    }

    /** A device logged in: what it has not acknowledged yet is delivered again, oldest first. */
    void loggedIn(String deviceJid, SandboxEndpoint endpoint) {
        offline.owedTo(deviceJid).forEach(endpoint::send);
    }

    /** A removed device that is still online hears it is logged out, as a real one does, and is cut off. */
    private void disconnectRemoved(String phone, int device) {
        offline.forget(Jid.device(phone, device, SERVER).toString());
        SandboxEndpoint connection = online.remove(Jid.device(phone, device, SERVER).toString());
        if (connection != null) {
            connection.send(Node.withChildren("stream:error", Node.attrs("code", "401"),
                    List.of(Node.of("conflict", Node.attrs("type", "device_removed")))));
            connection.hangUp();
        }
    }

    /** A registering companion was sent these refs; a phone may scan them while the connection lasts. */
    void awaitScan(SandboxEndpoint endpoint, PairingRefs refs, byte[] noisePublic, byte[] identityPublic) {
        registrations.put(endpoint, new Registration(endpoint, refs, noisePublic.clone(), identityPublic.clone()));
    }

    void closed(SandboxEndpoint endpoint) {
        registrations.remove(endpoint);
        codeHellos.values().removeIf(hello -> hello.endpoint() == endpoint);
        Optional.ofNullable(codeExchanges.remove(endpoint)).ifPresent(exchange -> exchange.linked()
                .completeExceptionally(new IllegalStateException("the companion disconnected")));
        Optional.ofNullable(pendingLinks.remove(endpoint)).ifPresent(link -> link.linked()
                .completeExceptionally(new IllegalStateException("the companion disconnected")));
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
        PendingLink pending = pendingLinks.get(endpoint);
        if (pending != null && pending.iqId().equals(id) && (type.equals("result") || type.equals("error"))) {
            pendingLinks.remove(endpoint);
            finishLink(endpoint, pending, node);
            return true;
        }
        Optional<Node> codeLink = node.child("link_code_companion_reg");
        if (codeLink.isPresent() && type.equals("set")) {
            String stage = codeLink.get().attributeOr("stage", "");
            if (stage.equals("companion_hello")) {
                codeHello(endpoint, id, codeLink.get());
            } else if (stage.equals("companion_finish")) {
                codeFinish(endpoint, id, codeLink.get());
            } else {
                endpoint.send(error(id, 400, "bad-request"));
            }
            return true;
        }
        Optional<Jid> self = Optional.ofNullable(onlineAs).flatMap(Jid::parse);
        if (self.isPresent() && node.attributeOr("xmlns", "").equals("encrypt")) {
            return keys.receive(endpoint, self.get(), id, type, node);
        }
        Optional<Node> removal = node.child("remove-companion-device");
        if (self.isPresent() && removal.isPresent() && type.equals("set")) {
            // removed before the answer, so that whoever reads the answer finds the device gone
            store.unlink(self.get().user(), self.get().device());
            endpoint.send(result(id, List.of()));
            disconnectRemoved(self.get().user(), self.get().device());
            return true;
        }
        return false;
    }

    private CompletableFuture<LinkedDevice> link(VirtualPhone account, Registration registration, byte[] advSecret,
            String platform) {
        int device = store.allocateDevice(account.phone());
        AdvSignedDeviceIdentity vouched = AccountSigner.vouch(account, device, registration.identityPublic(), false,
                clock.instant(), random);
        String iqId = nextId();
        var pending = new PendingLink(iqId, account, device, platform, registration, vouched,
                new CompletableFuture<>());
        pendingLinks.put(registration.endpoint(), pending);
        registration.endpoint().send(Node.withChildren("iq", Node.attrs("from", SERVER, "type", "set", "id", iqId,
                "xmlns", "md"), List.of(Node.withChildren("pair-success", Map.of(), List.of(
                        Node.withBytes("device-identity", Map.of(),
                                AccountSigner.authenticate(vouched, advSecret, false)),
                        Node.of("platform", Node.attrs("name", PRIMARY_PLATFORM)),
                        Node.of("device", Node.attrs(
                                "jid", Jid.device(account.phone(), device, SERVER).toString(),
                                "lid", Jid.device(account.lid(), device, Jid.LID_SERVER).toString())))))));
        return pending.linked().orTimeout(LINK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finishLink(SandboxEndpoint endpoint, PendingLink pending, Node answer) {
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
        pending.linked().complete(store.devices(account.phone()).stream()
                .filter(d -> d.device() == pending.device()).findFirst().orElseThrow());
        // a linked companion must reconnect and log in, as WhatsApp makes it after pairing; the client closes on
        // its own, and hanging up at once could overtake the stream error in a client that decodes asynchronously
        endpoint.send(Node.of("stream:error", Node.attrs("code", "515")));
        timers.schedule(endpoint::hangUp, RESTART_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void codeHello(SandboxEndpoint endpoint, String id, Node hello) {
        Registration registration = registrations.get(endpoint);
        Optional<String> phone = hello.attribute("jid").flatMap(Jid::parse).map(Jid::user);
        Optional<byte[]> wrapped = hello.child("link_code_pairing_wrapped_companion_ephemeral_pub")
                .flatMap(Node::bytes).filter(bytes -> bytes.length == LinkCode.WRAPPED_LENGTH);
        if (registration == null || phone.isEmpty() || wrapped.isEmpty()) {
            endpoint.send(error(id, 400, "bad-request"));
            return;
        }
        if (store.phone(phone.get()).isEmpty()) {
            endpoint.send(error(id, 404, "item-not-found"));
            return;
        }
        String platform = hello.child("companion_platform_id").flatMap(Node::text).map(VirtualPhones::platformName)
                .orElse("unknown");
        String ref = "2@" + Base64.getEncoder().encodeToString(randomBytes(24));
        codeHellos.put(phone.get(), new CodeHello(endpoint, registration, wrapped.get(), platform, ref));
        endpoint.send(result(id, List.of(Node.withChildren("link_code_companion_reg", Map.of(),
                List.of(Node.withBytes("link_code_pairing_ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8)))))));
    }

    private void codeFinish(SandboxEndpoint endpoint, String id, Node finish) {
        CodeExchange exchange = codeExchanges.remove(endpoint);
        Optional<byte[]> bundle = finish.child("link_code_pairing_wrapped_key_bundle").flatMap(Node::bytes);
        if (exchange == null || bundle.isEmpty()) {
            endpoint.send(error(id, 400, "bad-request"));
            return;
        }
        Registration registration = exchange.hello().registration();
        byte[] phoneIdentity = exchange.account().identity().publicKey();
        byte[] opened;
        byte[] ephemeralShared;
        try {
            ephemeralShared = Curve25519.agree(exchange.primaryEphemeral().privateKey(),
                    exchange.companionEphemeral());
            opened = LinkCode.openBundle(ephemeralShared, bundle.get());
        } catch (CryptoException e) {
            // a wrong code leaves the two sides with different keys, and the bundle does not open
            endpoint.send(error(id, 400, "bad-request"));
            exchange.linked().completeExceptionally(new IllegalArgumentException("the code does not match"));
            return;
        }
        if (opened.length != 96 || !MessageDigest.isEqual(Arrays.copyOfRange(opened, 0, 32),
                registration.identityPublic())
                || !MessageDigest.isEqual(Arrays.copyOfRange(opened, 32, 64), phoneIdentity)) {
            endpoint.send(error(id, 400, "bad-request"));
            exchange.linked().completeExceptionally(new IllegalArgumentException("the key bundle names other keys"));
            return;
        }
        byte[] identityShared = Curve25519.agree(exchange.account().identity().privateKey(),
                registration.identityPublic());
        byte[] advSecret = LinkCode.advSecret(ephemeralShared, identityShared, Arrays.copyOfRange(opened, 64, 96));
        endpoint.send(result(id, List.of()));
        link(exchange.account(), registration, advSecret, exchange.hello().platform())
                .whenComplete((linked, failure) -> {
                    if (failure != null) {
                        exchange.linked().completeExceptionally(failure);
                    } else {
                        exchange.linked().complete(linked);
                    }
                });
    }

    private VirtualPhone existing(String phone) {
        return store.phone(phone).orElseThrow(() -> new NoSuchElementException("no sandbox phone " + phone));
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

    private static Node result(String id, List<Node> children) {
        var attrs = Node.attrs("from", SERVER, "type", "result", "id", id);
        return children.isEmpty() ? Node.of("iq", attrs) : Node.withChildren("iq", attrs, children);
    }

    private static Node error(String id, int code, String text) {
        return Node.withChildren("iq", Node.attrs("from", SERVER, "type", "error", "id", id),
                List.of(Node.of("error", Node.attrs("code", Integer.toString(code), "text", text))));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private String now() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    private String nextId() {
        return "sbx-phone-" + ids.incrementAndGet();
    }

    /** A connected companion that asked to register and was sent QR refs. */
    private record Registration(SandboxEndpoint endpoint, PairingRefs refs, byte[] noisePublic,
            byte[] identityPublic) {
    }

    /** A companion's companion_hello, waiting for the phone's user to type the code. */
    private record CodeHello(SandboxEndpoint endpoint, Registration registration, byte[] wrappedEphemeral,
            String platform, String ref) {
    }

    /** The phone answered a hello and waits for the companion's key bundle. */
    private record CodeExchange(VirtualPhone account, CodeHello hello, KeyPair primaryEphemeral,
            byte[] companionEphemeral, CompletableFuture<LinkedDevice> linked) {
    }

    /** pair-success was sent; the companion's countersignature is awaited. */
    private record PendingLink(String iqId, VirtualPhone account, int device, String platform,
            Registration registration, AdvSignedDeviceIdentity vouched, CompletableFuture<LinkedDevice> linked) {
    }
}
