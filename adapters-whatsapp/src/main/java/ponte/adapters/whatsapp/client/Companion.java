package ponte.adapters.whatsapp.client;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.Wire.ClientPayload;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.StoredDevice;

/**
 * One companion device, as the engine runs it for one instance: its stored credentials and its connection's
 * lifecycle (connect, log out, close). The features register their nodes in the connection's handler table:
 * {@link Pairing} turns a fresh device into a linked one (QR and code), {@link PreKeys} keeps it usable,
 * {@link DeviceLists} and {@link Sending} send 1:1 text (with {@link PrivacyTokens} and {@link LidMappings}),
 * {@link RetryAnswers} sends it again to a device that could not decrypt it, {@link Messages} decrypts and hands
 * over messages, {@link AppState} keeps the phone's app state (contact names, chat settings, labels),
 * {@link Receipts} reads and sends receipts, {@link Contacts} looks numbers up, {@link Calls} hands call signals
 * over to be kept and rejects calls, {@link Presence} sends and hears presence and chat states, and {@link Groups}
 * reads, creates and changes groups and hands over their {@code w:gp2} changes. It reports
 * through {@link CompanionEvent}s; a device without an account registers and shows QR codes, one with an account
 * logs in.
 */
public final class Companion implements AutoCloseable {

    /** Receives the device's events on the connection's threads; must not block for long. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(CompanionEvent event);

        /**
         * Keeps what was received, synchronously, on the connection's inbox: when it returns the stanza is
         * acknowledged; when it throws it is not, and the server delivers it again on the next connection. By
         * default it is only reported, like any event (nothing is kept, so the stanza is acknowledged).
         */
        default void onReceived(CompanionEvent.Received received) {
            onEvent(received);
        }
    }

    private static final System.Logger LOG = System.getLogger(Companion.class.getName());

    private final UUID deviceId;
    private final DeviceStores stores;
    private final Listener listener;
    private final Clock clock;
    private final DeviceState device;
    private final WireClient connection;
    private final Pairing pairing;
    private final PreKeys preKeys;
    private final Calls calls;
    private final Presence presence;
    private final DeviceLists deviceLists;
    private final Sending sending;
    private final Groups groups;
    private final GroupSending groupSending;
    private final Messages messages;
    private final HistorySync history;
    private final Contacts contacts;
    private final LidMappings lids;
    private final PrivacyTokens privacyTokens;
    private final RetryAnswers retryAnswers;
    private final Receipts receipts;
    private final AppState appState;
    private final ponte.adapters.whatsapp.media.MediaClient media;
    private final MediaRetries mediaRetries;
    private volatile boolean wiped;

    private final Polls polls;

    private Companion(ClientSettings settings, StoredDevice stored, DeviceStores stores, Listener listener,
            Clock clock, SecureRandom random) {
        this.deviceId = stored.id();
        this.stores = stores;
        this.listener = listener;
        this.clock = clock;
        this.device = new DeviceState(stored.credentials(), stored.account());
        this.connection = new WireClient(settings, stored.credentials(), new Hooks(), new Events(), clock,
                random);
        this.pairing = new Pairing(deviceId, stores, device, connection, this::emit, random);
        this.preKeys = new PreKeys(deviceId, stores.preKeys(), device::credentials, connection::sendIq, random);
        this.calls = new Calls(listener::onReceived, connection::send, device::account, random);
        this.presence = new Presence(connection::send, device::account, clock);
        presence.register(connection.handlers());
        this.lids = new LidMappings(deviceId, stores.lids());
        // 1:1 sessions live under LID addresses once the peer's LID is known, for every feature alike
        SignalStateStore signal = new LidSessions(stores.signal(), lids::lidOf, lids::phoneOf);
        this.deviceLists = new DeviceLists(connection::sendIq, lids);
        this.privacyTokens = new PrivacyTokens(deviceId, stores.tokens(), connection::sendIq, lids, clock);
        privacyTokens.register(connection.handlers());
        this.retryAnswers = new RetryAnswers(deviceId, signal, device::account, lids, connection::send,
                random);
        retryAnswers.register(connection.handlers());
        this.sending = new Sending(deviceId, signal, device, connection::sendIq, connection::send,
                deviceLists, privacyTokens, retryAnswers, random, settings.iqTimeout());
        pairing.register(connection.handlers());
        preKeys.register(connection.handlers());
        calls.register(connection.handlers());
        deviceLists.register(connection.handlers());
        sending.register(connection.handlers());
        this.groups = new Groups(connection::sendIq, this::participantsRemoved, listener::onReceived, random, lids);
        this.groupSending = new GroupSending(deviceId, signal, device, groups, deviceLists, sending, retryAnswers,
                random);
        groups.register(connection.handlers());
        this.appState = new AppState(deviceId, stores.appState(), connection::sendIq, listener::onReceived,
                settings.iqTimeout(), clock, keyIds -> askPhoneForKeys(keyIds, random), this::media);
        appState.register(connection.handlers());
        this.history = new HistorySync(deviceId, signal, device::account, listener::onReceived,
                this::ownPushName, connection::send, lids, privacyTokens,
                salt -> stores.accounts().saveNctSalt(deviceId, salt), this::media);
        this.polls = new Polls(deviceId, stores.polls(), () -> {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            return secret;
        });
        this.messages = new Messages(deviceId, signal, device::account, device::credentials,
                listener::onReceived, history, connection::deferAck, connection::send, lids, random,
                appState::ownProtocolMessage, polls);
        messages.register(connection.handlers());
        this.contacts = new Contacts(connection::sendIq, lids);
        this.receipts = new Receipts(connection::send, clock, device::account, listener::onReceived);
        receipts.register(connection.handlers());
        this.media = new ponte.adapters.whatsapp.media.MediaClient(
                () -> connection.sendIq("w:m", "set", List.of(Node.of("media_conn"))),
                new ponte.adapters.whatsapp.media.MediaHttp(settings.socket().mediaOpener(),
                        ponte.adapters.whatsapp.media.MediaTls.shared(settings.socket().trustRoot())), clock, random,
                ponte.adapters.whatsapp.media.MediaClient.Retry.DEFAULT, settings.iqTimeout());
        this.mediaRetries = new MediaRetries(device::account, connection::send, () -> media, random);
        mediaRetries.register(connection.handlers(), connection.answers());
    }

    /** Media uploads and downloads through the host the server names ({@code media_conn}). */
    public ponte.adapters.whatsapp.media.MediaClient media() {
        return media;
    }

    /** Media-retry requests for files the host no longer has, and answers to peers' requests. */
    public MediaRetries mediaRetries() {
        return mediaRetries;
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

    /** Keeps the push name our primary told us, in the store and in the account the device runs with. */
    private void ownPushName(String pushName) {
        stores.accounts().savePushName(deviceId, pushName);
        device.account(device.account().map(account -> new DeviceAccount(account.jid(), account.lid(),
                account.platform(), account.businessName(), pushName, account.signedIdentity())));
    }

    /** Asks our own phone for app-state keys we lack ({@link AppState}); waits for the server's ack. */
    private void askPhoneForKeys(List<byte[]> keyIds, SecureRandom random) throws Exception {
        var request = ponte.adapters.whatsapp.proto.E2e.AppStateSyncKeyRequest.newBuilder();
        keyIds.forEach(id -> request.addKeyIds(ponte.adapters.whatsapp.proto.E2e.AppStateSyncKeyId.newBuilder()
                .setKeyId(com.google.protobuf.ByteString.copyFrom(id))));
        byte[] id = new byte[16];
        random.nextBytes(id);
        sending.sendToOwnPhone(ponte.adapters.whatsapp.proto.E2e.ProtocolMessage.newBuilder()
                .setType(ponte.adapters.whatsapp.proto.E2e.ProtocolMessage.Type.APP_STATE_SYNC_KEY_REQUEST)
                .setAppStateSyncKeyRequest(request).build(), java.util.HexFormat.of().withUpperCase().formatHex(id))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Participants left a group: our sender key there is replaced, so they cannot read what we send next. */
    private void participantsRemoved(String groupJid) {
        groupSending.rotate(groupJid);
    }

    /** The linked account, once paired. */
    public Optional<DeviceAccount> account() {
        return device.account();
    }

    public ConnectionStatus status() {
        return connection.status();
    }

    /** When the registration ends because its last QR code expires: a pairing code is useless after that. */
    public Optional<java.time.Instant> pairingEndsAt() {
        return connection.pairingEndsAt();
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
        return pairing.requestPairingCode(phone);
    }

    /**
     * Sends a 1:1 text to {@code to} (digits, PN JID or {@code @lid} JID) under {@code messageId}, which the caller
     * fixes before the first try so that a resend is the same message; completes once the server acknowledged it
     * ({@link Sending} has the flow and the failures, {@link SendFailedException} the refusals).
     */
    public CompletableFuture<SentMessage> sendText(String to, String text, String messageId) {
        return sendText(OutgoingText.plain(to, text, messageId));
    }

    /** Sends a 1:1 text with its reply and mentions ({@link OutgoingText}); as {@link #sendText(String, String, String)}. */
    public CompletableFuture<SentMessage> sendText(OutgoingText outgoing) {
        return sending.sendText(withPollSecret(outgoing));
    }

    /** A poll we send gets its secret here, kept for its votes; anything else passes unchanged. */
    private OutgoingText withPollSecret(OutgoingText outgoing) {
        var self = device.account().flatMap(account -> ponte.domain.message.Jid.parse(account.jid()));
        return self.isPresent() ? polls.withSecret(outgoing, self.get()) : outgoing;
    }

    /**
     * Asks the server which of these phone numbers (digits) are WhatsApp accounts ({@link Contacts}); one answer per
     * number, in the order asked.
     */
    public CompletableFuture<List<Contacts.Contact>> lookup(List<String> phoneNumbers) {
        return contacts.lookup(phoneNumbers);
    }

    /**
     * Asks the server whether these LIDs ({@code digits@lid}) are accounts: a LID has no usync {@code contact}
     * answer, so it counts as one when the server lists at least one device for it ({@link DeviceLists}, the query
     * a send makes anyway, whose answer stays cached for it). One answer per LID, in the order asked, {@code asked}
     * being the LID's user part, {@code lid} the LID itself when it exists; fails as {@link #lookup} does, and with an
     * {@link IllegalArgumentException} for text that is not a LID.
     */
    public CompletableFuture<List<Contacts.Contact>> lookupLids(List<String> lids) {
        List<Jid> users = lids.stream().map(text -> Jid.parse(text).filter(jid -> jid.server().equals(Jid.LID_SERVER))
                .map(jid -> Jid.device(jid.user(), 0, Jid.LID_SERVER))
                .orElseThrow(() -> new IllegalArgumentException("not a LID: " + text))).toList();
        return deviceLists.devices(users).thenApply(found -> users.stream().map(user -> {
            boolean exists = !found.getOrDefault(user, new DeviceLists.Devices(user, Optional.empty(), List.of()))
                    .ids().isEmpty();
            return new Contacts.Contact(user.user(), exists, Optional.empty(),
                    exists ? Optional.of(user) : Optional.empty());
        }).toList());
    }

    /**
     * Sends a read receipt for received messages of {@code chat} ({@link Receipts}); {@code participant} is their
     * sender in a group, else null.
     */
    public void markRead(String chat, String participant, List<String> ids) throws java.io.IOException {
        receipts.markRead(chat, participant, ids);
    }

    /**
     * The group's metadata (subject, addressing mode, participants), cached until a {@code w:gp2} notification
     * about it; empty when the group does not exist or we are not in it ({@link Groups}). Fails with
     * {@link IllegalArgumentException} for a JID that is not a group's.
     */
    public CompletableFuture<Optional<GroupInfo>> groupInfo(String groupJid) {
        return groups.info(groupJid);
    }

    /** The groups the account is in, as the server lists them now ({@link Groups}). */
    public CompletableFuture<List<GroupInfo>> joinedGroups() {
        return groups.joined();
    }

    /**
     * Creates a group named {@code subject} with these accounts (JIDs); the account is its superadmin. Completes with
     * the group as the server describes it; fails with {@link IqErrorException} when the server refuses.
     */
    public CompletableFuture<GroupInfo> createGroup(String subject, List<String> participants) {
        return groups.create(subject, participants);
    }

    /** Renames the group; fails with {@link IqErrorException} (403 not allowed, 404 unknown group). */
    public CompletableFuture<Void> setGroupSubject(String groupJid, String subject) {
        return groups.setSubject(groupJid, subject);
    }

    /** Sets the group's description, or deletes it when empty; fails as {@link #setGroupSubject}. */
    public CompletableFuture<Void> setGroupDescription(String groupJid, String description) {
        return groups.setDescription(groupJid, description);
    }

    /** Only admins may send ({@code true}) or everyone may; fails as {@link #setGroupSubject}. */
    public CompletableFuture<Void> setGroupAnnounce(String groupJid, boolean announce) {
        return groups.setAnnounce(groupJid, announce);
    }

    /** Only admins may edit the group's info ({@code true}) or everyone may; fails as {@link #setGroupSubject}. */
    public CompletableFuture<Void> setGroupLocked(String groupJid, boolean locked) {
        return groups.setLocked(groupJid, locked);
    }

    /**
     * Adds, removes, promotes or demotes ({@code action}) these accounts (JIDs) in the group: one outcome per
     * participant, as the server answered; fails as {@link #setGroupSubject} when the whole request is refused.
     */
    public CompletableFuture<List<ParticipantOutcome>> changeGroupParticipants(String groupJid, String action,
            List<String> participants) {
        return groups.changeParticipants(groupJid, action, participants);
    }

    /** The group's invite code; fails as {@link #setGroupSubject} (403 also when only admins may see it). */
    public CompletableFuture<String> groupInviteCode(String groupJid) {
        return groups.inviteCode(groupJid);
    }

    /** Joins by invite code; completes with the group's JID, fails with {@link IqErrorException} (406/410/404). */
    public CompletableFuture<String> joinGroup(String code) {
        return groups.join(code);
    }

    /** Leaves the group; fails with {@link IqErrorException} (404 not in it). */
    public CompletableFuture<Void> leaveGroup(String groupJid) {
        return groups.leave(groupJid);
    }

    /**
     * Sends a text to a group ({@code …@g.us}) under {@code messageId}: our sender key to the participants' devices
     * that lack it, then one {@code skmsg} ({@link GroupSending}); completes once the server acked it.
     */
    public CompletableFuture<SentMessage> sendGroupText(String groupJid, String text, String messageId) {
        return sendGroupText(OutgoingText.plain(groupJid, text, messageId));
    }

    /** As {@link #sendGroupText(String, String, String)}, with a reply and mentions ({@code to} is the group). */
    public CompletableFuture<SentMessage> sendGroupText(OutgoingText outgoing) {
        return groupSending.sendText(withPollSecret(outgoing));
    }

    /**
     * Turns down a call this device was offered ({@link Calls#reject}): empty when it never was; the call as it
     * stood before otherwise (only a ringing call is rejected).
     *
     * @throws java.io.IOException the connection is down: nothing was sent
     */
    public Optional<Calls.Call> rejectCall(String callId) throws java.io.IOException {
        return calls.reject(callId);
    }

    /** Our own presence, available or not, with the push name ({@link Presence#announce}). */
    public void announcePresence(boolean available) throws java.io.IOException {
        presence.announce(available);
    }

    /** {@code composing}, {@code recording} or {@code paused} to a chat ({@link Presence#chatState}). */
    public void sendChatState(String to, String state) throws java.io.IOException {
        presence.chatState(to, state);
    }

    /** Subscribes to a person's presence ({@link Presence#subscribe}). */
    public void subscribePresence(String to) throws java.io.IOException {
        presence.subscribe(to);
    }

    /** What was last heard of a person's presence or chat state ({@code jid} without device). */
    public Optional<Presence.Seen> presenceOf(String jid) {
        return presence.seen(jid);
    }

    /**
     * Unlinks the device on the server (the phone's device list drops it), then wipes its credentials and closes.
     * The wipe happens even when the server cannot be reached; the future then fails to say the unlink did not.
     */
    public CompletableFuture<Void> logout() {
        CompletableFuture<Node> unlinked = device.account().map(linked -> connection.sendIq("md", "set",
                List.of(Node.of("remove-companion-device", Node.attrs("jid", linked.jid(),
                        "reason", "user_initiated")))))
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
        appState.close();
        connection.close();
        history.close();
    }

    private void wipe() {
        wiped = true;
        stores.devices().delete(deviceId);
        device.account(Optional.empty());
    }

    private void emit(CompanionEvent event) {
        if (event instanceof CompanionEvent.Paired paired) {
            lids.learn(paired.jid(), paired.lid());
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a companion listener failed", e);
        }
    }

    /** What the connection asks of the device: the payload of each attempt, and what follows a login. */
    private final class Hooks implements ConnectionHooks {
        @Override
        public ClientPayload payload(WaVersion version) {
            return device.account().flatMap(linked -> Jid.parse(linked.jid()))
                    .map(jid -> ClientPayloads.login(jid, version))
                    .orElseGet(() -> ClientPayloads.registration(device.credentials(), version, "Ponte"));
        }

        @Override
        public void onLoggedIn(Node success) {
            DeviceAccount linked = device.account().orElse(null);
            if (linked == null) {
                return;
            }
            String lid = success.attributeOr("lid", linked.lid());
            lids.learn(linked.jid(), lid);
            // off the inbox: the upload waits for the server, and the stanzas behind the login should not
            Thread.ofVirtual().name("wa-prekeys").start(() -> {
                try {
                    preKeys.refill();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "prekey upload after login failed", e);
                }
                // logged in for the application only once peers can reach us: a sender's phone encrypts for the
                // devices whose prekeys it can fetch and skips the others, so a text sent to a new device before
                // its first upload went to the phone alone, and came back only inside the phone's history (whatsmeow
                // and Baileys, too, report the connection only after the upload)
                if (connection.status().state() == ConnectionState.CONNECTED) {
                    emit(new CompanionEvent.LoggedIn(linked.jid(), lid));
                }
            });
            appState.loggedIn();
            // what a crash left decrypted but not handed on
            Thread.ofVirtual().name("wa-kept-messages").start(() -> {
                try {
                    messages.drain();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "handing on kept messages after login failed", e);
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
            pairing.registrationOpen();
            emit(new CompanionEvent.QrCode(qrText, clock.instant().plus(lifetime)));
        }
    }
}
