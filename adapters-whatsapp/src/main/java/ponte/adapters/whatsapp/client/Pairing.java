package ponte.adapters.whatsapp.client;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.LinkCode;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.DeviceAccount;

/**
 * The feature that links a fresh device: it handles the phone's {@code pair-success} (after a QR scan or a code),
 * asks for a pairing code and answers the phone's {@code link_code_companion_reg} notification. Its handlers run on
 * the connection's inbox; only the server speaks for the phone, so a stanza from anyone else pairs nothing.
 */
final class Pairing {

    private static final System.Logger LOG = System.getLogger(Pairing.class.getName());
    /** How long a pairing-code request waits for the registration connection to be up. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(30);

    private final UUID deviceId;
    private final DeviceStores stores;
    private final DeviceState device;
    private final WireClient connection;
    private final Consumer<CompanionEvent> emit;
    private final SecureRandom random;
    private final CompletableFuture<Void> registrationOpen = new CompletableFuture<>();
    private volatile PairCode.Pending pendingCode;

    Pairing(UUID deviceId, DeviceStores stores, DeviceState device, WireClient connection,
            Consumer<CompanionEvent> emit, SecureRandom random) {
        this.deviceId = deviceId;
        this.stores = stores;
        this.device = device;
        this.connection = connection;
        this.emit = emit;
        this.random = random;
    }

    void register(NodeHandlers handlers) {
        handlers.on("iq", "pair-success", this::onPairSuccess);
        handlers.on("notification", "link_code_companion_reg", this::onCodeNotification);
    }

    /** The registration connection showed its first QR: a pairing code may be asked for now. */
    void registrationOpen() {
        registrationOpen.complete(null);
    }

    CompletableFuture<String> requestPairingCode(String phone) {
        String phoneJid = PairCode.phoneJid(phone);
        if (device.account().isPresent()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the device is already paired"));
        }
        String code = LinkCode.newCode(random);
        KeyPair ephemeral = KeyPair.generate(random);
        return registrationOpen.copy().orTimeout(REGISTRATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(ready -> connection.sendIq("md", "set", List.of(PairCode.hello(phoneJid, code,
                        ephemeral, device.credentials().noiseKey().publicKey(), random))))
                .thenApply(result -> {
                    pendingCode = new PairCode.Pending(code, ephemeral, phoneJid, PairCode.ref(result));
                    return LinkCode.display(code);
                });
    }

    private void onPairSuccess(Node iq) {
        if (!fromServer(iq)) {
            return;
        }
        DeviceCredentials credentials = device.credentials();
        PairSuccess.Decision decision = PairSuccess.decide(iq, credentials, random);
        if (decision instanceof PairSuccess.Accepted accepted) {
            try {
                stores.devices().replaceAdvSecret(deviceId, credentials.advSecret());
                stores.accounts().saveAccount(deviceId, accepted.account());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the paired account could not be stored", e);
                send(PairSuccess.reject(iq.attributeOr("id", ""), 500, "internal-error").reply());
                emit.accept(new CompanionEvent.PairingFailed("the account could not be stored"));
                return;
            }
            device.account(java.util.Optional.of(accepted.account()));
            send(accepted.reply());
            DeviceAccount linked = accepted.account();
            emit.accept(new CompanionEvent.Paired(linked.jid(), linked.lid(), linked.platform(),
                    linked.businessName()));
        } else if (decision instanceof PairSuccess.Rejected rejected) {
            send(rejected.reply());
            emit.accept(new CompanionEvent.PairingFailed(rejected.text()));
        }
    }

    private void onCodeNotification(Node notification) {
        PairCode.Pending pending = pendingCode;
        var registration = notification.child("link_code_companion_reg");
        if (!fromServer(notification) || pending == null || registration.isEmpty()) {
            return;
        }
        // a code answers one phone once; another attempt needs another code
        pendingCode = null;
        DeviceCredentials before = device.credentials();
        try {
            PairCode.Finish finish = PairCode.finish(pending, registration.get(), before, random);
            // adopted before the answer goes out: the pair-success it leads to is checked against it
            device.credentials(before.withAdvSecret(finish.advSecret()));
            connection.sendIq("md", "set", finish.request()).join();
        } catch (RuntimeException e) {
            // the QR codes still carry the original secret, so a scan after a failed code must work
            device.credentials(before);
            LOG.log(System.Logger.Level.INFO, "code pairing failed", e);
            emit.accept(new CompanionEvent.PairingCodeRejected());
        }
    }

    private static boolean fromServer(Node node) {
        return node.attributeOr("from", "").equals(Jid.USER_SERVER);
    }

    private void send(Node node) {
        try {
            connection.send(node);
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not send " + node.tag(), e);
        }
    }
}
