package ponte.adapters.whatsapp.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.Curve25519;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.LinkCode;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * Linking by a typed code, the server's and the phone's sides: a registering companion says hello for a number and
 * shows a code; the phone's user types it, the phone answers with its own ephemeral key wrapped by the code; the
 * companion's key bundle then proves both sides hold the same code, and both derive the ADV secret that
 * {@link DeviceLinking} signs pair-success with.
 */
final class CodeLinking {

    private final SandboxPhoneStore store;
    private final DeviceLinking linking;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, CodeHello> hellos = new ConcurrentHashMap<>();
    private final Map<SandboxEndpoint, CodeExchange> exchanges = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    CodeLinking(SandboxPhoneStore store, DeviceLinking linking, Clock clock, SecureRandom random) {
        this.store = store;
        this.linking = linking;
        this.clock = clock;
        this.random = random;
    }

    /** The phone's user types {@code code} on {@code account}'s phone. Completes when linked, fails on a wrong code. */
    CompletableFuture<LinkedDevice> typed(VirtualPhone account, String code) {
        String typed = LinkCode.normalize(code);
        if (!LinkCode.isWellFormed(typed)) {
            throw new IllegalArgumentException("a pairing code is 8 characters: digits 1-9 and letters other than I, O and U");
        }
        CodeHello hello = hellos.remove(account.phone());
        if (hello == null) {
            throw new NoSuchElementException("no companion asked to link " + account.phone() + " by code");
        }
        byte[] companionEphemeral = LinkCode.unwrap(typed, hello.wrappedEphemeral());
        KeyPair primaryEphemeral = KeyPair.generate(random);
        var exchange = new CodeExchange(account, hello, primaryEphemeral, companionEphemeral,
                new CompletableFuture<>());
        exchanges.put(hello.registration().endpoint(), exchange);
        hello.registration().endpoint().send(Node.withChildren("notification", Node.attrs("from", Stanzas.SERVER,
                "type", "link_code_companion_reg", "id", "sbx-code-" + ids.incrementAndGet(),
                "t", Long.toString(clock.instant().getEpochSecond())), List.of(Node.withChildren(
                "link_code_companion_reg", Map.of(), List.of(
                        Node.withBytes("link_code_pairing_ref", Map.of(), hello.ref().getBytes(StandardCharsets.UTF_8)),
                        Node.withBytes("primary_identity_pub", Map.of(), account.identity().publicKey()),
                        Node.withBytes("link_code_pairing_wrapped_primary_ephemeral_pub", Map.of(),
                                LinkCode.wrap(typed, primaryEphemeral.publicKey(), random)))))));
        return exchange.linked().orTimeout(DeviceLinking.LINK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Handles a {@code link_code_companion_reg} IQ of a companion; false when {@code node} is not one. */
    boolean receive(SandboxEndpoint endpoint, String id, String type, Node node) {
        Optional<Node> codeLink = node.child("link_code_companion_reg");
        if (codeLink.isEmpty() || !type.equals("set")) {
            return false;
        }
        switch (codeLink.get().attributeOr("stage", "")) {
            case "companion_hello" -> hello(endpoint, id, codeLink.get());
            case "companion_finish" -> finish(endpoint, id, codeLink.get());
            default -> endpoint.send(Stanzas.error(id, 400, "bad-request"));
        }
        return true;
    }

    void closed(SandboxEndpoint endpoint) {
        hellos.values().removeIf(hello -> hello.registration().endpoint() == endpoint);
        Optional.ofNullable(exchanges.remove(endpoint)).ifPresent(exchange -> exchange.linked()
                .completeExceptionally(new IllegalStateException("the companion disconnected")));
    }

    private void hello(SandboxEndpoint endpoint, String id, Node hello) {
        Optional<DeviceLinking.Registration> registration = linking.registration(endpoint);
        Optional<String> phone = hello.attribute("jid").flatMap(Jid::parse).map(Jid::user);
        Optional<byte[]> wrapped = hello.child("link_code_pairing_wrapped_companion_ephemeral_pub")
                .flatMap(Node::bytes).filter(bytes -> bytes.length == LinkCode.WRAPPED_LENGTH);
        if (registration.isEmpty() || phone.isEmpty() || wrapped.isEmpty()) {
            endpoint.send(Stanzas.error(id, 400, "bad-request"));
            return;
        }
        if (store.phone(phone.get()).isEmpty()) {
            endpoint.send(Stanzas.error(id, 404, "item-not-found"));
            return;
        }
        String platform = hello.child("companion_platform_id").flatMap(Node::text).map(DeviceLinking::platformName)
                .orElse("unknown");
        byte[] refBytes = new byte[24];
        random.nextBytes(refBytes);
        String ref = "2@" + Base64.getEncoder().encodeToString(refBytes);
        hellos.put(phone.get(), new CodeHello(registration.get(), wrapped.get(), platform, ref));
        endpoint.send(Stanzas.result(id, List.of(Node.withChildren("link_code_companion_reg", Map.of(),
                List.of(Node.withBytes("link_code_pairing_ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8)))))));
    }

    private void finish(SandboxEndpoint endpoint, String id, Node finish) {
        CodeExchange exchange = exchanges.remove(endpoint);
        Optional<byte[]> bundle = finish.child("link_code_pairing_wrapped_key_bundle").flatMap(Node::bytes);
        if (exchange == null || bundle.isEmpty()) {
            endpoint.send(Stanzas.error(id, 400, "bad-request"));
            return;
        }
        DeviceLinking.Registration registration = exchange.hello().registration();
        byte[] phoneIdentity = exchange.account().identity().publicKey();
        byte[] opened;
        byte[] ephemeralShared;
        try {
            ephemeralShared = Curve25519.agree(exchange.primaryEphemeral().privateKey(),
                    exchange.companionEphemeral());
            opened = LinkCode.openBundle(ephemeralShared, bundle.get());
        } catch (CryptoException e) {
            // a wrong code leaves the two sides with different keys, and the bundle does not open
            endpoint.send(Stanzas.error(id, 400, "bad-request"));
            exchange.linked().completeExceptionally(new IllegalArgumentException("the code does not match"));
            return;
        }
        if (opened.length != 96 || !MessageDigest.isEqual(Arrays.copyOfRange(opened, 0, 32),
                registration.identityPublic())
                || !MessageDigest.isEqual(Arrays.copyOfRange(opened, 32, 64), phoneIdentity)) {
            endpoint.send(Stanzas.error(id, 400, "bad-request"));
            exchange.linked().completeExceptionally(new IllegalArgumentException("the key bundle names other keys"));
            return;
        }
        byte[] identityShared = Curve25519.agree(exchange.account().identity().privateKey(),
                registration.identityPublic());
        byte[] advSecret = LinkCode.advSecret(ephemeralShared, identityShared, Arrays.copyOfRange(opened, 64, 96));
        endpoint.send(Stanzas.result(id, List.of()));
        linking.link(exchange.account(), registration, advSecret, exchange.hello().platform())
                .whenComplete((linked, failure) -> {
                    if (failure != null) {
                        exchange.linked().completeExceptionally(failure);
                    } else {
                        exchange.linked().complete(linked);
                    }
                });
    }

    /** A companion's companion_hello, waiting for the phone's user to type the code. */
    private record CodeHello(DeviceLinking.Registration registration, byte[] wrappedEphemeral, String platform,
            String ref) {
    }

    /** The phone answered a hello and waits for the companion's key bundle. */
    private record CodeExchange(VirtualPhone account, CodeHello hello, KeyPair primaryEphemeral,
            byte[] companionEphemeral, CompletableFuture<LinkedDevice> linked) {
    }
}
