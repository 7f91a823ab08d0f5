package ponte.adapters.whatsapp.wiring;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import ponte.adapters.whatsapp.sandbox.SandboxOptions;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxSignal;
import ponte.application.port.out.SandboxPort;

/**
 * The simulated WhatsApp network, started by bootstrap when {@code PONTE_WHATSAPP=sandbox}. Its keys and devices
 * live in the gateway's database, so its root (and thus every client's trust in it) survives restarts; so do its
 * media host's files when {@link SandboxSettings#mediaFolder} names a folder under the data folder.
 */
public final class SandboxNetwork implements SandboxPort, AutoCloseable {

    private final SandboxServer server;
    private final SandboxPhoneOperations phones;

    private SandboxNetwork(SandboxServer server) {
        this.server = server;
        this.phones = new SandboxPhoneOperations(server.phones());
    }

    /** Migrates the sandbox tables and starts listening; fails when the port is taken. */
    public static SandboxNetwork start(DataSource dataSource, SandboxSettings settings) {
        try {
            SandboxStore store = SqlSandboxStore.migrateAndOpen(dataSource);
            var options = SandboxOptions.defaults(settings.host(), settings.port());
            options = settings.mediaFolder().map(options::withMediaFolder).orElse(options);
            return new SandboxNetwork(SandboxServer.start(store, options, Clock.systemUTC(), new SecureRandom()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the sandbox network could not start on " + settings, e);
        }
    }

    /** {@code ws://host:port/ws/chat}. */
    public String wsUrl() {
        return server.wsUrl().toString();
    }

    /** The 32-byte Curve25519 public key of the sandbox's certificate root. */
    public byte[] rootPublicKey() {
        return server.trustRoot().publicKey();
    }

    /** Engines whose clients dial this sandbox and trust its root instead of WhatsApp's. */
    public WireClientFactory clientFactory(String waVersion) {
        return WireClientFactory.sandbox(wsUrl(), rootPublicKey(), waVersion);
    }

    @Override
    public Optional<SandboxInfo> info() {
        return Optional.of(new SandboxInfo(wsUrl(), rootPublicKey(),
                Optional.of(server.media().certificate().rootPem()), server.replacedConnections()));
    }

    @Override
    public SandboxPhone createPhone(String phoneNumber, String pushName) {
        return phones.createPhone(phoneNumber, pushName);
    }

    @Override
    public List<SandboxPhone> phones() {
        return phones.phones();
    }

    @Override
    public SandboxLinkedDevice scan(String phoneNumber, String qr) {
        return phones.scan(phoneNumber, qr);
    }

    @Override
    public SandboxLinkedDevice linkCode(String phoneNumber, String code) {
        return phones.linkCode(phoneNumber, code);
    }

    @Override
    public List<SandboxLinkedDevice> devices(String phoneNumber) {
        return phones.devices(phoneNumber);
    }

    @Override
    public boolean unlink(String phoneNumber, int device) {
        return phones.unlink(phoneNumber, device);
    }

    @Override
    public String sendText(String phoneNumber, String to, String text) {
        return phones.sendText(phoneNumber, to, text);
    }

    @Override
    public String send(String phoneNumber, String to, ponte.domain.message.OutgoingContent content,
                       java.util.Optional<String> replyTo) {
        return phones.send(phoneNumber, to, content, replyTo);
    }

    @Override
    public String vote(String phoneNumber, String to, String pollId, List<String> options) {
        return phones.vote(phoneNumber, to, pollId, options);
    }

    @Override
    public SandboxGroup createGroup(String phoneNumber, String subject, List<String> participants) {
        return phones.createGroup(phoneNumber, subject, participants);
    }

    @Override
    public List<SandboxGroup> groups(String phoneNumber) {
        return phones.groups(phoneNumber);
    }

    @Override
    public SandboxGroup updateGroup(String phoneNumber, String groupJid, String subject, String description,
            Boolean announce, Boolean locked) {
        return phones.updateGroup(phoneNumber, groupJid, subject, description, announce, locked);
    }

    @Override
    public List<Integer> changeGroupParticipants(String phoneNumber, String groupJid, String action,
            List<String> participants) {
        return phones.changeGroupParticipants(phoneNumber, groupJid, action, participants);
    }

    @Override
    public String groupInviteCode(String phoneNumber, String groupJid) {
        return phones.groupInviteCode(phoneNumber, groupJid);
    }

    @Override
    public SandboxGroup joinGroup(String phoneNumber, String code) {
        return phones.joinGroup(phoneNumber, code);
    }

    @Override
    public void allowGroupAdds(String phoneNumber, boolean everyone) {
        phones.allowGroupAdds(phoneNumber, everyone);
    }

    @Override
    public void leaveGroup(String phoneNumber, String groupJid) {
        phones.leaveGroup(phoneNumber, groupJid);
    }

    @Override
    public void saveContact(String phoneNumber, String jid, String name) {
        phones.saveContact(phoneNumber, jid, name);
    }

    @Override
    public boolean deleteContact(String phoneNumber, String jid) {
        return phones.deleteContact(phoneNumber, jid);
    }

    @Override
    public List<ponte.application.model.SandboxAppState.Contact> contacts(String phoneNumber) {
        return phones.contacts(phoneNumber);
    }

    @Override
    public void changeChat(String phoneNumber, String chat,
                           ponte.application.model.SandboxAppState.ChatFlagsChange change) {
        phones.changeChat(phoneNumber, chat, change);
    }

    @Override
    public void editLabel(String phoneNumber, String id, String name, int color) {
        phones.editLabel(phoneNumber, id, name, color);
    }

    @Override
    public boolean deleteLabel(String phoneNumber, String id) {
        return phones.deleteLabel(phoneNumber, id);
    }

    @Override
    public List<ponte.application.model.SandboxAppState.Label> labels(String phoneNumber) {
        return phones.labels(phoneNumber);
    }

    @Override
    public void labelChat(String phoneNumber, String id, String chat, java.util.Optional<String> messageId,
                          boolean labeled) {
        phones.labelChat(phoneNumber, id, chat, messageId, labeled);
    }

    @Override
    public List<SandboxMessage> received(String phoneNumber) {
        return phones.received(phoneNumber);
    }

    @Override
    public int seedHistory(String phoneNumber, int count, int chats) {
        return phones.seedHistory(phoneNumber, count, chats);
    }

    @Override
    public String sendMedia(String phoneNumber, String to, String type, byte[] file, String mimeType,
                            Optional<String> caption, Optional<String> fileName, boolean expired) {
        var wire = ponte.adapters.whatsapp.media.MediaType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        return phones.sendMedia(phoneNumber, to, wire, file, mimeType, caption, fileName, expired);
    }

    @Override
    public Optional<byte[]> receivedMedia(String phoneNumber, String messageId) {
        return phones.receivedMedia(phoneNumber, messageId, RECEIVED_MEDIA_WAIT);
    }

    /** How long a phone waits for a sender to upload an expired file again. */
    private static final java.time.Duration RECEIVED_MEDIA_WAIT = java.time.Duration.ofSeconds(20);

    @Override
    public int expireMedia(Optional<String> directPath, Optional<String> phoneNumber) {
        int expired = directPath.map(path -> server.media().expire(path) ? 1 : 0).orElse(0);
        if (phoneNumber.isPresent()) {
            String phone = phoneNumber.get();
            phones.phones().stream().filter(p -> p.phoneNumber().equals(phone)).findFirst()
                    .orElseThrow(() -> new ponte.application.error.NotFoundException("no sandbox phone " + phone));
            expired += server.media().expireUploadsOf(phone + "@s.whatsapp.net");
        }
        return expired;
    }

    @Override
    public List<SandboxReceipt> receipts(String phoneNumber) {
        return phones.receipts(phoneNumber);
    }

    @Override
    public void markRead(String phoneNumber, String chat, List<String> messageIds) {
        phones.markRead(phoneNumber, chat, messageIds);
    }

    @Override
    public String call(String phoneNumber, String to, boolean video) {
        return phones.call(phoneNumber, to, video);
    }

    @Override
    public String postStatus(String phoneNumber, List<String> audience, String text) {
        return phones.postStatus(phoneNumber, audience, text);
    }

    @Override
    public void callAction(String phoneNumber, String callId, String action) {
        phones.callAction(phoneNumber, callId, action);
    }

    @Override
    public List<SandboxSignal> signals(String phoneNumber) {
        return phones.signals(phoneNumber);
    }

    @Override
    public void announcePresence(String phoneNumber, boolean available) {
        phones.announcePresence(phoneNumber, available);
    }

    @Override
    public void chatState(String phoneNumber, String to, String state) {
        phones.chatState(phoneNumber, to, state);
    }

    @Override
    public java.util.Optional<Boolean> presenceOf(String phoneNumber) {
        return phones.presenceOf(phoneNumber);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("the sandbox network did not stop cleanly", e);
        }
    }
}
