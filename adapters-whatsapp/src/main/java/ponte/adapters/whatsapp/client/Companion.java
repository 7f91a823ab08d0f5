package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.LinkCode;
import ponte.adapters.whatsapp.proto.Wire.ClientPayload;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.LinkedAccount;
import ponte.adapters.whatsapp.store.StoredDevice;

/**
 * One companion device, as the engine runs it for one instance: its stored credentials, its connection, and the
 * features that turn a fresh device into a linked one (QR and code pairing) and keep it usable (prekeys). It
 * reports through {@link CompanionEvent}s; a device without an account registers and shows QR codes, a device
 * with one logs in.
 */
public final class Companion implements AutoCloseable {

    /** Receives the device's events on the connection's threads; must not block for long. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(CompanionEvent event);
    }

    private static final System.Logger LOG = System.getLogger(Companion.class.getName());
    /** How long a pairing-code request waits for the registration connection to be up. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(30);

    private final UUID deviceId;
    private final DeviceStores stores;
    private final Listener listener;
    private final Clock clock;
    private final SecureRandom random;
    private final WireClient connection;
    private final PreKeys preKeys;
    private final CompletableFuture<Void> registrationOpen = new CompletableFuture<>();
    private volatile DeviceCredentials credentials;
    private volatile Optional<LinkedAccount> account;
    private volatile PairCode.Pending pendingCode;
    private volatile boolean wiped;

    private Companion(ClientSettings settings, StoredDevice device, DeviceStores stores, Listener listener,
            Clock clock, SecureRandom random) {
        this.deviceId = device.id();
        this.stores = stores;
        this.listener = listener;
        this.clock = clock;
        this.random = random;
        this.credentials = device.credentials();
        this.account = device.account();
        this.connection = new WireClient(settings, keys(device.credentials()), new Hooks(), new Events(), clock,
                random);
        this.preKeys = new PreKeys(deviceId, stores.preKeys(), () -> credentials, connection::sendIq, random);
    }

    /** The device's stored credentials, or new ones stored now; does not connect yet. */
    public static Companion open(ClientSettings settings, DeviceStores stores, UUID deviceId, Listener listener,
            Clock clock, SecureRandom random) {
        StoredDevice device = stores.devices().load(deviceId).orElseGet(() -> {
            DeviceCredentials fresh = DeviceCredentials.generate(random);
            stores.devices().create(deviceId, fresh);
            return new StoredDevice(deviceId, fresh, Optional.empty());
        });
        return new Companion(settings, device, stores, listener, clock, random);
    }

    public UUID deviceId() {
        return deviceId;
    }

    /** The linked account, once paired. */
    public Optional<LinkedAccount> account() {
        return account;
    }

    public ConnectionStatus status() {
        return connection.status();
    }

    /** Connects; a device whose credentials were wiped (logged out) cannot, and a new companion must be opened. */
    public void connect() {
        if (wiped) {
            throw new IllegalStateException("the device was logged out and its credentials wiped; open a new one");
        }
        connection.connect();
    }

    /**
     * Asks the server for a code-link with the phone number (international, digits only); completes with the code
     * to type on the phone, {@code ABCD-EFGH}. Waits for the registration connection to be up first.
     */
    public CompletableFuture<String> requestPairingCode(String phone) {
        String phoneJid = PairCode.phoneJid(phone);
        if (account.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the device is already paired"));
        }
        String code = LinkCode.newCode(random);
        KeyPair ephemeral = KeyPair.generate(random);
        return registrationOpen.copy().orTimeout(REGISTRATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(ready -> connection.sendIq("md", "set", List.of(PairCode.hello(phoneJid, code,
                        ephemeral, credentials.noiseKey().publicKey(), random))))
                .thenApply(result -> {
                    pendingCode = new PairCode.Pending(code, ephemeral, phoneJid, PairCode.ref(result));
                    return LinkCode.display(code);
                });
    }

    /**
     * Unlinks the device on the server (the phone's device list drops it), then wipes its credentials and closes.
     * The wipe happens even when the server cannot be reached; the future then fails to say the unlink did not.
     */
    public CompletableFuture<Void> logout() {
        CompletableFuture<Node> unlinked = account.map(linked -> connection.sendIq("md", "set", List.of(Node.of(
                "remove-companion-device", Node.attrs("jid", linked.jid(), "reason", "user_initiated")))))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
        return unlinked.handle((answer, error) -> {
            wipe();
            connection.close();
            if (error != null) {
                throw new IllegalStateException("the server did not confirm the unlink", error);
            }
            return null;
        });
    }

    @Override
    public void close() {
        connection.close();
    }

    private void wipe() {
        wiped = true;
        stores.devices().delete(deviceId);
        account = Optional.empty();
    }

    private void onPairSuccess(Node iq) {
        PairSuccess.Decision decision = PairSuccess.decide(iq, credentials, random);
        if (decision instanceof PairSuccess.Accepted accepted) {
            try {
                stores.devices().replaceAdvSecret(deviceId, credentials.advSecret());
                stores.accounts().saveAccount(deviceId, accepted.account());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the paired account could not be stored", e);
                send(PairSuccess.reject(iq.attributeOr("id", ""), 500, "internal-error").reply());
                emit(new CompanionEvent.PairingFailed("the account could not be stored"));
                return;
            }
            account = Optional.of(accepted.account());
            send(accepted.reply());
            LinkedAccount linked = accepted.account();
            emit(new CompanionEvent.Paired(linked.jid(), linked.lid(), linked.platform(), linked.businessName()));
        } else if (decision instanceof PairSuccess.Rejected rejected) {
            send(rejected.reply());
            emit(new CompanionEvent.PairingFailed(rejected.text()));
        }
    }

    private void onCodeNotification(Node notification) {
        PairCode.Pending pending = pendingCode;
        Optional<Node> registration = notification.child("link_code_companion_reg");
        if (pending == null || registration.isEmpty()) {
            return;
        }
        // a code answers one phone once; another attempt needs another code
        pendingCode = null;
        Thread.ofVirtual().name("wa-pair-code").start(() -> {
            DeviceCredentials before = credentials;
            try {
                PairCode.Finish finish = PairCode.finish(pending, registration.get(), before, random);
                // adopted before the answer goes out: the pair-success it leads to is checked against it
                credentials = before.withAdvSecret(finish.advSecret());
                connection.sendIq("md", "set", finish.request()).join();
            } catch (RuntimeException e) {
                // the QR codes still carry the original secret, so a scan after a failed code must work
                credentials = before;
                LOG.log(System.Logger.Level.INFO, "code pairing failed", e);
                emit(new CompanionEvent.PairingCodeRejected());
            }
        });
    }

    private void onEncryptNotification(Node notification) {
        Optional<Integer> count = notification.child("count").map(c -> c.attributeOr("value", ""))
                .flatMap(Companion::parseInt);
        count.ifPresent(serverCount -> Thread.ofVirtual().name("wa-prekeys").start(() -> {
            try {
                preKeys.refillFrom(serverCount);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "prekey top-up failed", e);
            }
        }));
    }

    /** Notifications are acknowledged whatever they say, or the server sends them again. */
    private void acknowledge(Node notification) {
        notification.attribute("id").ifPresent(id -> {
            var attrs = Node.attrs("class", "notification", "id", id,
                    "to", notification.attributeOr("from", Jid.USER_SERVER));
            notification.attribute("type").ifPresent(type -> attrs.put("type", type));
            send(Node.of("ack", attrs));
        });
    }

    private void send(Node node) {
        try {
            connection.send(node);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not send " + node.tag(), e);
        }
    }

    private void emit(CompanionEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a companion listener failed", e);
        }
    }

    private static Optional<Integer> parseInt(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static DeviceKeys keys(DeviceCredentials credentials) {
        return new DeviceKeys(credentials.noiseKey(), credentials.identityKey(), credentials.signedPreKey().id(),
                credentials.signedPreKey().keyPair(), credentials.signedPreKey().signature(),
                credentials.registrationId(), credentials.advSecret());
    }

    /** What the connection asks of the device and hands up to it. */
    private final class Hooks implements ConnectionHooks {
        @Override
        public ClientPayload payload(WaVersion version) {
            return account.flatMap(linked -> Jid.parse(linked.jid()))
                    .map(jid -> ClientPayloads.login(jid, version))
                    .orElseGet(() -> ClientPayloads.registration(keys(credentials), version, "Ponte"));
        }

        @Override
        public void onNode(Node node) {
            // only the server speaks for the phone; a stanza from anyone else never pairs or tops up
            boolean fromServer = node.attributeOr("from", "").equals(Jid.USER_SERVER);
            if (node.tag().equals("iq") && node.child("pair-success").isPresent() && fromServer) {
                onPairSuccess(node);
            } else if (node.tag().equals("notification")) {
                acknowledge(node);
                switch (fromServer ? node.attributeOr("type", "") : "") {
                    case "link_code_companion_reg" -> onCodeNotification(node);
                    case "encrypt" -> onEncryptNotification(node);
                    default -> {
                        // other notifications belong to features not built yet; the ack is all they need now
                    }
                }
            }
        }

        @Override
        public void onLoggedIn(Node success) {
            LinkedAccount linked = account.orElse(null);
            if (linked == null) {
                return;
            }
            emit(new CompanionEvent.LoggedIn(linked.jid(), success.attributeOr("lid", linked.lid())));
            Thread.ofVirtual().name("wa-prekeys").start(() -> {
                try {
                    preKeys.refill();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "prekey upload after login failed", e);
                }
            });
        }
    }

    /** Connection status and QR texts, translated into the device's events. */
    private final class Events implements WireClient.Listener {
        @Override
        public void onStatus(ConnectionStatus status) {
            if (status.state() == ConnectionState.LOGGED_OUT) {
                wipe();
            }
            emit(new CompanionEvent.StatusChanged(status));
        }

        @Override
        public void onQr(String qrText) {
            onQr(qrText, QrCodes.LATER);
        }

        @Override
        public void onQr(String qrText, Duration lifetime) {
            registrationOpen.complete(null);
            emit(new CompanionEvent.QrCode(qrText, clock.instant().plus(lifetime)));
        }
    }
}
