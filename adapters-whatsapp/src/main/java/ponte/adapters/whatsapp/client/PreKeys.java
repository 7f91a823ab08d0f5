package ponte.adapters.whatsapp.client;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.PreKey;
import ponte.adapters.whatsapp.store.PreKeyStore;

/**
 * Keeps the server stocked with one-time prekeys, which peers consume to start sessions with us while we are
 * offline: 812 at the first login, then 50 more whenever the server holds fewer than 5 (whatsmeow prekeys.go,
 * Baileys INITIAL_PREKEY_COUNT and MIN_PREKEY_COUNT). Runs off the reader thread because it waits for answers.
 */
final class PreKeys {

    static final int INITIAL_COUNT = 812;
    static final int TOP_UP_COUNT = 50;
    static final int MINIMUM_COUNT = 5;

    private final UUID deviceId;
    private final PreKeyStore store;
    private final Supplier<DeviceCredentials> credentials;
    private final IqSender iqs;
    private final SecureRandom random;

    PreKeys(UUID deviceId, PreKeyStore store, Supplier<DeviceCredentials> credentials, IqSender iqs,
            SecureRandom random) {
        this.deviceId = deviceId;
        this.store = store;
        this.credentials = credentials;
        this.iqs = iqs;
        this.random = random;
    }

    /** Handles the server's {@code encrypt} notifications: the upload runs before the notification is acked. */
    void register(NodeHandlers handlers) {
        handlers.on("notification", "encrypt", notification -> {
            if (!notification.attributeOr("from", "").equals(ponte.adapters.whatsapp.binary.Jid.USER_SERVER)) {
                return;
            }
            notification.child("count").map(c -> c.attributeOr("value", "")).flatMap(PreKeys::parseCount)
                    .ifPresent(this::refillFrom);
        });
    }

    private static java.util.Optional<Integer> parseCount(String text) {
        try {
            return java.util.Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** After login: asks the server how many it holds and uploads when they run low. */
    synchronized void refill() {
        Node answer = iqs.sendIq("encrypt", "get", List.of(Node.of("count"))).join();
        int serverCount = answer.child("count").map(c -> c.attributeOr("value", "0")).map(Integer::parseInt)
                .orElse(0);
        refillFrom(serverCount);
    }

    /** The server's {@code encrypt} notification says how many it still holds. */
    synchronized void refillFrom(int serverCount) {
        if (serverCount >= MINIMUM_COUNT) {
            return;
        }
        upload(store.uploadedPreKeyCount(deviceId) == 0 ? INITIAL_COUNT : TOP_UP_COUNT);
    }

    private void upload(int count) {
        List<PreKey> keys = new ArrayList<>(store.unuploadedPreKeys(deviceId, count));
        if (keys.size() < count) {
            List<PreKey> fresh = new ArrayList<>();
            int next = store.lastPreKeyId(deviceId) + 1;
            for (int i = keys.size(); i < count; i++) {
                // ids wrap within 24 bits; by then the keys of the first round were long consumed
                fresh.add(new PreKey((next++ - 1) % PreKey.MAX_ID + 1, KeyPair.generate(random)));
            }
            store.savePreKeys(deviceId, fresh);
            keys.addAll(fresh);
        }
        try {
            iqs.sendIq("encrypt", "set", uploadContent(credentials.get(), keys)).join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the server refused the prekey upload", e.getCause());
        }
        store.markUploaded(deviceId, keys.getLast().id());
    }

    static List<Node> uploadContent(DeviceCredentials credentials, List<PreKey> keys) {
        List<Node> list = keys.stream().map(key -> Node.withChildren("key", Map.of(), List.of(
                Node.withBytes("id", Map.of(), threeBytes(key.id())),
                Node.withBytes("value", Map.of(), key.keyPair().publicKey())))).toList();
        var signed = credentials.signedPreKey();
        return List.of(
                Node.withBytes("registration", Map.of(),
                        ByteBuffer.allocate(4).putInt(credentials.registrationId()).array()),
                Node.withBytes("type", Map.of(), new byte[] {5}),
                Node.withBytes("identity", Map.of(), credentials.identityKey().publicKey()),
                Node.withChildren("list", Map.of(), list),
                Node.withChildren("skey", Map.of(), List.of(
                        Node.withBytes("id", Map.of(), threeBytes(signed.id())),
                        Node.withBytes("value", Map.of(), signed.keyPair().publicKey()),
                        Node.withBytes("signature", Map.of(), signed.signature()))));
    }

    static byte[] threeBytes(int value) {
        return new byte[] {(byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
