package ponte.adapters.whatsapp.sandbox;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.sandbox.store.KeyBundle;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.UploadedKeys;

/**
 * The server's prekey directory ({@code xmlns="encrypt"}): devices upload their keys and ask how many are left;
 * senders fetch a bundle, which consumes one one-time prekey; a device left with fewer than five is told so.
 */
final class KeyDirectory {

    /** Below this many one-time prekeys the server asks a device for more (whatsmeow MinPreKeyCount). */
    private static final int LOW_PREKEYS = 5;
    private static final String SERVER = Stanzas.SERVER;

    private final VirtualPhones phones;
    private final SandboxPhoneStore store;
    private final Clock clock;
    private final Map<String, SandboxEndpoint> online;
    private final AtomicLong ids = new AtomicLong();

    KeyDirectory(VirtualPhones phones, SandboxPhoneStore store, Clock clock, Map<String, SandboxEndpoint> online) {
        this.phones = phones;
        this.store = store;
        this.clock = clock;
        this.online = online;
    }

    /**
     * Handles an {@code encrypt} IQ of the logged-in device {@code self}; false when it is not one it knows. After
     * an upload is stored and before it is answered, {@code uploaded} runs (with the keys already fetchable).
     */
    boolean receive(SandboxEndpoint endpoint, Jid self, String id, String type, Node node, Runnable uploaded) {
        if (type.equals("get") && node.child("key").isPresent()) {
            List<Node> users = node.child("key").get().children().stream()
                    .map(user -> bundle(user.attributeOr("jid", ""))).toList();
            endpoint.send(Stanzas.result(id, List.of(Node.withChildren("list", Map.of(), users))));
            return true;
        }
        if (type.equals("get") && node.child("count").isPresent()) {
            int count = store.preKeyCount(self.user(), self.device());
            endpoint.send(Stanzas.result(id, List.of(Node.of("count", Node.attrs("value", Integer.toString(count))))));
            return true;
        }
        Optional<Node> list = node.child("list");
        Optional<Node> skey = node.child("skey");
        if (!type.equals("set") || list.isEmpty() || skey.isEmpty()) {
            return false;
        }
        Map<Integer, byte[]> keys = new LinkedHashMap<>();
        for (Node key : list.get().children()) {
            keys.put(number(key.child("id").flatMap(Node::bytes).orElse(new byte[0])),
                    key.child("value").flatMap(Node::bytes).orElse(new byte[0]));
        }
        byte[] registration = node.child("registration").flatMap(Node::bytes).orElse(new byte[4]);
        store.saveKeys(self.user(), self.device(), new UploadedKeys(number(registration),
                number(skey.get().child("id").flatMap(Node::bytes).orElse(new byte[0])),
                skey.get().child("value").flatMap(Node::bytes).orElse(new byte[0]),
                skey.get().child("signature").flatMap(Node::bytes).orElse(new byte[0]), keys));
        uploaded.run();
        endpoint.send(Stanzas.result(id, List.of()));
        return true;
    }

    /** One user of a key fetch; a device running low on prekeys is told, so that it uploads more. */
    private Node bundle(String jidText) {
        // asked by PN or by LID, as senders that address by LID do; the bundle is the same device's
        Optional<Jid> jid = Jid.parse(jidText).flatMap(asked -> phones.account(asked)
                .map(account -> Jid.device(account.phone(), asked.device(), SERVER)));
        Optional<KeyBundle> found = jid.flatMap(j -> phones.takeBundle(j.user(), j.device()));
        if (found.isEmpty()) {
            return Node.withChildren("user", Node.attrs("jid", jidText),
                    List.of(Node.of("error", Node.attrs("code", "404", "text", "item-not-found"))));
        }
        KeyBundle bundle = found.get();
        List<Node> content = new ArrayList<>(List.of(
                Node.withBytes("registration", Map.of(),
                        ByteBuffer.allocate(4).putInt(bundle.registrationId()).array()),
                Node.withBytes("type", Map.of(), new byte[] {5}),
                Node.withBytes("identity", Map.of(), bundle.identity())));
        bundle.preKey().ifPresent(key -> content.add(Node.withChildren("key", Map.of(), List.of(
                Node.withBytes("id", Map.of(), threeBytes(key.id())),
                Node.withBytes("value", Map.of(), key.publicKey())))));
        content.add(Node.withChildren("skey", Map.of(), List.of(
                Node.withBytes("id", Map.of(), threeBytes(bundle.signedPreKeyId())),
                Node.withBytes("value", Map.of(), bundle.signedPreKey()),
                Node.withBytes("signature", Map.of(), bundle.signedPreKeySignature()))));
        if (bundle.preKey().isPresent() && bundle.remaining() < LOW_PREKEYS) {
            SandboxEndpoint owner = online.get(Jid.device(jid.get().user(), jid.get().device(), SERVER).toString());
            if (owner != null) {
                owner.send(Node.withChildren("notification", Node.attrs("from", SERVER, "type", "encrypt",
                        "id", nextId(), "t", now()), List.of(Node.of("count",
                        Node.attrs("value", Integer.toString(bundle.remaining()))))));
            }
        }
        return Node.withChildren("user", Node.attrs("jid", jidText), content);
    }

    private static byte[] threeBytes(int value) {
        return new byte[] {(byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static int number(byte[] bigEndian) {
        int value = 0;
        for (byte b : bigEndian) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }

    private String now() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    private String nextId() {
        return "sbx-keys-" + ids.incrementAndGet();
    }
}
