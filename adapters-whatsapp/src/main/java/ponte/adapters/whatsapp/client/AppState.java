package ponte.adapters.whatsapp.client;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.appstate.CollectionState;
import ponte.adapters.whatsapp.appstate.SyncdCodec;
import ponte.adapters.whatsapp.appstate.SyncdException;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncActionValue;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation.SyncdOperation;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdPatch;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdSnapshot;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.store.AppStateStore;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * The feature that keeps the account's app state (protocol.md §1.17; whatsmeow appstate.go FetchAppState): the keys
 * our primary shares ({@code AppStateSyncKeyShare}, stored sealed), and the five collections fetched with
 * {@code <iq xmlns="w:sync:app:state" type="set"><sync><collection name version [return_snapshot]/></sync></iq>},
 * all of them once the keys arrive and at each login, and the ones a {@code <notification type="server_sync">}
 * names.
 *
 * <p>Every answer is verified as a whole before any of it is applied ({@link SyncdCodec}: value, index, patch and
 * snapshot MACs over the LTHash). A mismatch, or a version the server refuses (409), applies nothing and fetches the
 * collection's snapshot instead; a snapshot that fails too is given up until the next notification or login. A
 * record sealed with a key we lack waits for it: the phone is asked for it ({@code AppStateSyncKeyRequest}, a peer
 * message), and the key share it answers with syncs everything again. The changes of each verified step are handed to
 * the listener ({@link CompanionEvent.AppStateSynced}) and only then is the collection's new state stored.
 *
 * <p>Snapshots arrive inline, or (as WhatsApp sends them) as an {@code ExternalBlobReference} to an md-app-state
 * media blob, downloaded and checked before it is read; patches' mutations likewise. A blob that cannot be had
 * fails the sync like a MAC that does not verify. Syncs run
 * one at a time on their own virtual thread, never on the inbox (their IQ answers arrive through it).
 */
final class AppState {

    private static final System.Logger LOG = System.getLogger(AppState.class.getName());
    static final List<String> COLLECTIONS = List.of("critical_block", "critical_unblock_low", "regular_high",
            "regular_low", "regular");
    /** What a snapshot of each collection replaces (whatsmeow appstate/encode.go puts each action there). */
    private static final Map<String, Set<AppStateChange.Kind>> RESETS = Map.of(
            "critical_unblock_low", Set.of(AppStateChange.Kind.CONTACT_NAMES),
            "regular_low", Set.of(AppStateChange.Kind.CHAT_ARCHIVED, AppStateChange.Kind.CHAT_PINNED),
            "regular_high", Set.of(AppStateChange.Kind.CHAT_MUTED),
            "regular", Set.of(AppStateChange.Kind.LABELS));
    /** Answers fetched for one collection in one sync, so a server that always has more cannot hold us for ever. */
    private static final int MAX_ROUNDS = 100;

    private final UUID deviceId;
    private final AppStateStore store;
    private final IqSender iq;
    private final Consumer<CompanionEvent.Received> keep;
    private final Duration timeout;
    private final java.time.Clock clock;
    private final KeyRequester keyRequester;
    /** When each missing key (hex id) was last asked for: asked again after {@link #ASK_AGAIN_AFTER} at most. */
    private final Map<String, Instant> asked = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Duration ASK_AGAIN_AFTER = Duration.ofMinutes(1);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("wa-app-state").factory());
    /** Collections that stopped at a key we lack; synced again when keys arrive. */
    private final Set<String> waitingForKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Asks our own phone for app-state keys (an {@code AppStateSyncKeyRequest} peer message); waits for the ack. */
    @FunctionalInterface
    interface KeyRequester {
        void request(List<byte[]> keyIds) throws Exception;
    }

    AppState(UUID deviceId, AppStateStore store, IqSender iq, Consumer<CompanionEvent.Received> keep,
            Duration timeout, java.time.Clock clock, KeyRequester keyRequester,
            java.util.function.Supplier<ponte.adapters.whatsapp.media.MediaClient> media) {
        this.media = media;
        this.keyRequester = keyRequester;
        this.clock = clock;
        this.deviceId = deviceId;
        this.store = store;
        this.iq = iq;
        this.keep = keep;
        this.timeout = timeout;
    }

    private final java.util.function.Supplier<ponte.adapters.whatsapp.media.MediaClient> media;

    void register(NodeHandlers handlers) {
        handlers.on("notification", "server_sync", this::onServerSync);
    }

    /** After login: catch up with what changed while we were away, once the phone has shared its keys. */
    void loggedIn() {
        if (store.hasSyncKeys(deviceId)) {
            syncLater(COLLECTIONS);
        }
    }

    /**
     * A protocol message from our own account: an {@code APP_STATE_SYNC_KEY_SHARE} keeps its keys (on the inbox,
     * before the ack) and syncs every collection; anything else is not ours.
     */
    void ownProtocolMessage(E2e.ProtocolMessage message) {
        if (message.getType() != E2e.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE) {
            return;
        }
        List<AppStateStore.SyncKey> keys = message.getAppStateSyncKeyShare().getKeysList().stream()
                .filter(key -> !key.getKeyId().getKeyId().isEmpty() && key.getKeyData().getKeyData().size() == 32)
                .map(key -> new AppStateStore.SyncKey(key.getKeyId().getKeyId().toByteArray(),
                        key.getKeyData().getKeyData().toByteArray(), key.getKeyData().getTimestamp()))
                .toList();
        if (keys.isEmpty()) {
            return;
        }
        store.saveSyncKeys(deviceId, keys);
        LOG.log(System.Logger.Level.INFO, "device {0}: {1} app-state key(s) shared by the phone", deviceId,
                keys.size());
        waitingForKeys.clear();
        syncLater(COLLECTIONS);
    }

    void close() {
        worker.shutdownNow();
    }

    private void onServerSync(Node notification) {
        List<String> names = notification.children().stream().filter(child -> child.tag().equals("collection"))
                .map(child -> child.attributeOr("name", "")).filter(COLLECTIONS::contains).toList();
        syncLater(names.isEmpty() ? COLLECTIONS : names);
    }

    private void syncLater(Collection<String> names) {
        Set<String> copy = new LinkedHashSet<>(names);
        try {
            worker.execute(() -> copy.forEach(this::syncQuietly));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the next connection syncs at login
        }
    }

    private void syncQuietly(String name) {
        try {
            sync(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "device " + deviceId + ": app-state sync of " + name + " failed", e);
        }
    }

    /** Fetches and applies one collection until the server has no more patches for it. */
    void sync(String name) throws Exception {
        boolean wantSnapshot = false;
        boolean snapshotTried = false;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            CollectionState state = store.collection(deviceId, name);
            boolean snapshot = wantSnapshot || state.version() == 0;
            Node answer = iq.sendIq("w:sync:app:state", "set", List.of(Node.withChildren("sync", Map.of(),
                    List.of(Node.of("collection", snapshot
                            ? Node.attrs("name", name, "version", Long.toString(state.version()),
                                    "return_snapshot", "true")
                            : Node.attrs("name", name, "version", Long.toString(state.version()),
                                    "return_snapshot", "false"))))))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Node collection = answer.child("sync").flatMap(sync -> sync.children().stream()
                    .filter(child -> child.tag().equals("collection") && child.attributeOr("name", "").equals(name))
                    .findFirst()).orElseThrow(() -> new IllegalStateException("no " + name + " in the answer"));
            if (collection.attributeOr("type", "").equals("error")) {
                String code = collection.child("error").map(error -> error.attributeOr("code", "")).orElse("");
                if (snapshotTried || !code.equals("409")) {
                    LOG.log(System.Logger.Level.WARNING, "device {0}: the server refused {1} ({2})", deviceId, name,
                            code);
                    return;
                }
                wantSnapshot = snapshotTried = true;
                continue;
            }
            List<SyncdCodec.Applied> steps;
            try {
                steps = verify(name, state, collection);
            } catch (SyncdException.MissingKey e) {
                waitingForKeys.add(name);
                LOG.log(System.Logger.Level.WARNING, "device {0}: {1} waits for a key: {2}", deviceId, name,
                        e.getMessage());
                askForKey(e.keyId());
                return;
            } catch (SyncdException e) {
                if (snapshot || snapshotTried) {
                    LOG.log(System.Logger.Level.ERROR, "device {0}: {1} does not verify, even as a snapshot: {2}",
                            deviceId, name, e.getMessage());
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "device {0}: {1} patches do not verify ({2}); fetching the "
                        + "snapshot", deviceId, name, e.getMessage());
                wantSnapshot = snapshotTried = true;
                continue;
            }
            for (int i = 0; i < steps.size(); i++) {
                SyncdCodec.Applied step = steps.get(i);
                List<AppStateChange> changes = new ArrayList<>();
                if (i == 0 && collection.child("snapshot").isPresent() && RESETS.containsKey(name)) {
                    // the snapshot is the whole collection: what it no longer holds is gone
                    changes.add(new AppStateChange.Reset(RESETS.get(name), clock.instant()));
                }
                step.mutations().stream().map(AppState::change).flatMap(Optional::stream).forEach(changes::add);
                if (!changes.isEmpty()) {
                    keep.accept(new CompanionEvent.AppStateSynced(name, changes));
                }
                store.saveCollection(deviceId, step.state());
            }
            wantSnapshot = false;
            if (!collection.attributeOr("has_more_patches", "false").equals("true")) {
                return;
            }
        }
    }

    /** Asks the phone for a key we lack, once a minute at most; its answer is a key share ({@link #ownProtocolMessage}). */
    private void askForKey(byte[] keyId) {
        String hex = java.util.HexFormat.of().formatHex(keyId);
        Instant now = clock.instant();
        Instant last = asked.get(hex);
        if (last != null && last.plus(ASK_AGAIN_AFTER).isAfter(now)) {
            return;
        }
        asked.put(hex, now);
        try {
            keyRequester.request(List.of(keyId));
            LOG.log(System.Logger.Level.INFO, "device {0}: asked the phone for app-state key {1}", deviceId, hex);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "device " + deviceId + ": could not ask the phone for a key", e);
        }
    }

    /** Every step of one answer (its snapshot, then its patches), each verified on top of the one before. */
    private List<SyncdCodec.Applied> verify(String name, CollectionState state, Node collection)
            throws SyncdException {
        SyncdCodec.KeyLookup keys = keyId -> store.syncKey(deviceId, keyId);
        List<SyncdCodec.Applied> steps = new ArrayList<>();
        CollectionState current = state;
        Optional<byte[]> snapshot = collection.child("snapshot").flatMap(Node::bytes);
        if (snapshot.isPresent()) {
            SyncdSnapshot parsed = snapshot(name, snapshot.get());
            SyncdCodec.Applied applied = SyncdCodec.snapshot(name, parsed, keys);
            steps.add(applied);
            current = applied.state();
        }
        List<Node> patches = collection.child("patches").map(Node::children).orElse(List.of());
        for (Node patchNode : patches) {
            if (!patchNode.tag().equals("patch") || patchNode.bytes().isEmpty()) {
                continue;
            }
            SyncdPatch patch;
            try {
                patch = SyncdPatch.parseFrom(patchNode.bytes().get());
            } catch (InvalidProtocolBufferException e) {
                throw new SyncdException(name + ": a patch is not a SyncdPatch");
            }
            if (patch.hasExternalMutations()) {
                // the mutations are an md-app-state blob; the patch MAC covers them as if they were inline
                try {
                    var mutations = ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutations.parseFrom(
                            blob(name, patch.getExternalMutations()));
                    patch = patch.toBuilder().clearExternalMutations().clearMutations()
                            .addAllMutations(mutations.getMutationsList()).build();
                } catch (InvalidProtocolBufferException e) {
                    throw new SyncdException(name + ": a patch's external mutations are not SyncdMutations");
                }
            }
            SyncdCodec.Applied applied = SyncdCodec.patch(current, patch, keys);
            steps.add(applied);
            current = applied.state();
        }
        return steps;
    }

    /** The snapshot inline, or else the ExternalBlobReference it is, downloaded. */
    private SyncdSnapshot snapshot(String name, byte[] bytes) throws SyncdException {
        try {
            SyncdSnapshot snapshot = SyncdSnapshot.parseFrom(bytes);
            if (snapshot.hasVersion() && snapshot.hasKeyId() && snapshot.getMac().size() == 32) {
                return snapshot;
            }
        } catch (InvalidProtocolBufferException e) {
            // not inline: an ExternalBlobReference, below
        }
        try {
            var reference = ponte.adapters.whatsapp.proto.AppStateProto.ExternalBlobReference.parseFrom(bytes);
            if (reference.getDirectPath().isEmpty()) {
                throw new SyncdException(name + ": the snapshot is neither inline nor an external blob");
            }
            return SyncdSnapshot.parseFrom(blob(name, reference));
        } catch (InvalidProtocolBufferException e) {
            throw new SyncdException(name + ": the snapshot is neither inline nor an external blob");
        }
    }

    /**
     * An external blob (media type md-app-state, "WhatsApp App State Keys"), downloaded and checked. App-state
     * blobs are small (a collection's records), so it is held in memory.
     */
    private byte[] blob(String name,
                        ponte.adapters.whatsapp.proto.AppStateProto.ExternalBlobReference reference)
            throws SyncdException {
        var out = new java.io.ByteArrayOutputStream();
        try {
            media.get().download(ponte.adapters.whatsapp.media.MediaType.APP_STATE, reference.getDirectPath(),
                    reference.getMediaKey().toByteArray(), reference.getFileEncSha256().toByteArray(),
                    reference.getFileSha256().toByteArray(), out);
        } catch (java.io.IOException | ponte.adapters.whatsapp.media.MediaTransferException e) {
            throw new SyncdException(name + ": an external blob could not be had: " + e.getMessage());
        }
        return out.toByteArray();
    }

    /** What a verified mutation means for the API; empty for actions Ponte does not read. */
    static Optional<AppStateChange> change(SyncdCodec.Mutation mutation) {
        List<String> index = mutation.index();
        SyncActionValue value = mutation.value();
        boolean set = mutation.operation() == SyncdOperation.SET;
        Instant at = Instant.ofEpochMilli(value.getTimestamp());
        if (index.size() < 2) {
            return Optional.empty();
        }
        Optional<Jid> jid = Jid.parse(index.get(1));
        return switch (index.getFirst()) {
            case "contact" -> jid.map(contact -> new AppStateChange.ContactName(contact, set
                    ? Optional.of(value.getContactAction().getFullName())
                            .filter(name -> !name.isBlank())
                            .or(() -> Optional.of(value.getContactAction().getFirstName())
                                    .filter(name -> !name.isBlank()))
                    : Optional.empty(), at));
            case "archive" -> jid.map(chat -> new AppStateChange.ChatArchived(chat,
                    set && value.getArchiveChatAction().getArchived(), at));
            case "pin_v1" -> jid.map(chat -> new AppStateChange.ChatPinned(chat, set && value.getPinAction()
                    .getPinned(), at));
            case "mute" -> jid.map(chat -> {
                boolean muted = set && value.getMuteAction().getMuted();
                long end = value.getMuteAction().getMuteEndTimestamp();
                return new AppStateChange.ChatMuted(chat, muted,
                        muted && end > 0 ? Optional.of(Instant.ofEpochMilli(end)) : Optional.empty(), at);
            });
            case "label_edit" -> Optional.of(new AppStateChange.LabelEdited(index.get(1),
                    value.getLabelEditAction().getName(), value.getLabelEditAction().getColor(),
                    !set || value.getLabelEditAction().getDeleted(), at));
            case "label_jid" -> index.size() < 3 ? Optional.empty() : Jid.parse(index.get(2)).map(chat ->
                    new AppStateChange.LabelAssociated(index.get(1), chat, Optional.empty(),
                            set && value.getLabelAssociationAction().getLabeled(), at));
            case "label_message" -> index.size() < 4 ? Optional.empty() : Jid.parse(index.get(2)).flatMap(chat ->
                    messageId(index.get(3)).map(id -> new AppStateChange.LabelAssociated(index.get(1), chat,
                            Optional.of(id), set && value.getLabelAssociationAction().getLabeled(), at)));
            default -> Optional.empty();
        };
    }

    private static Optional<MessageId> messageId(String text) {
        try {
            return Optional.of(new MessageId(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
