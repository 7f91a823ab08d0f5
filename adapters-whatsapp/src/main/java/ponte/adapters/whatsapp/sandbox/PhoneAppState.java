package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ponte.adapters.whatsapp.appstate.CollectionState;
import ponte.adapters.whatsapp.appstate.SyncdCodec;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.AppStateProto.ArchiveChatAction;
import ponte.adapters.whatsapp.proto.AppStateProto.ContactAction;
import ponte.adapters.whatsapp.proto.AppStateProto.LabelAssociationAction;
import ponte.adapters.whatsapp.proto.AppStateProto.LabelEditAction;
import ponte.adapters.whatsapp.proto.AppStateProto.MuteAction;
import ponte.adapters.whatsapp.proto.AppStateProto.PinAction;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncActionValue;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation.SyncdOperation;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdPatch;

/**
 * One virtual phone's app state as the server holds it (protocol.md §1.17): its address book, chat settings and
 * labels, kept per collection as the chain of encrypted patches the phone uploaded (each with real value, index,
 * snapshot and patch MACs over the LTHash) and the live records as those patches sealed them, which a snapshot
 * hands out unchanged (inline in the answer; WhatsApp serves it as a media blob instead). The phone's single app-state
 * sync key is what it shares with its companions. In memory only: a sandbox restart starts every collection anew.
 *
 * <p>The collections follow WhatsApp's (whatsmeow appstate/encode.go): contacts in {@code critical_unblock_low},
 * mutes in {@code regular_high}, pins and archives in {@code regular_low}, labels and their associations in
 * {@code regular}.
 */
final class PhoneAppState {

    static final Set<String> COLLECTIONS = Set.of("critical_block", "critical_unblock_low", "regular_high",
            "regular_low", "regular");
    /** Patches one answer carries at most; more are announced with {@code has_more_patches}. */
    static final int PATCHES_PER_ANSWER = 50;

    private final SecureRandom random;
    private final Clock clock;
    private final byte[] keyId;
    private final byte[] keyData;
    private final long keyTimestamp;
    private final Map<String, Collection> collections = new LinkedHashMap<>();

    /** When set, snapshots and patches' mutations are served as md-app-state blobs it uploads. */
    private volatile java.util.function.Function<byte[], ponte.adapters.whatsapp.proto.AppStateProto.ExternalBlobReference>
            externalBlobs;

    /** Serves snapshots and patches' mutations as external blobs uploaded by {@code upload} (null: inline). */
    void externalBlobs(java.util.function.Function<byte[], ponte.adapters.whatsapp.proto.AppStateProto.ExternalBlobReference>
            upload) {
        this.externalBlobs = upload;
    }

    PhoneAppState(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
        this.keyId = new byte[6];
        this.keyData = new byte[32];
        random.nextBytes(keyId);
        random.nextBytes(keyData);
        this.keyTimestamp = clock.millis();
        COLLECTIONS.forEach(name -> collections.put(name, new Collection(name)));
    }

    byte[] keyId() {
        return keyId.clone();
    }

    byte[] keyData() {
        return keyData.clone();
    }

    long keyTimestamp() {
        return keyTimestamp;
    }

    /** A contact saved in the address book, or renamed; returns the collection and its new version. */
    synchronized Change saveContact(String jid, String fullName) {
        String first = fullName.strip().split("\\s+")[0];
        return set("critical_unblock_low", List.of("contact", jid), value().setContactAction(ContactAction
                .newBuilder().setFullName(fullName).setFirstName(first).setSaveOnPrimaryAddressbook(true)).build());
    }

    /** A contact deleted from the address book: a REMOVE of its record; empty when it was not saved. */
    synchronized Optional<Change> deleteContact(String jid) {
        return remove("critical_unblock_low", List.of("contact", jid));
    }

    synchronized Change archive(String chat, boolean archived) {
        return set("regular_low", List.of("archive", chat),
                value().setArchiveChatAction(ArchiveChatAction.newBuilder().setArchived(archived)).build());
    }

    synchronized Change pin(String chat, boolean pinned) {
        return set("regular_low", List.of("pin_v1", chat),
                value().setPinAction(PinAction.newBuilder().setPinned(pinned)).build());
    }

    /** Mutes until {@code untilMillis} (-1: always), or unmutes when {@code untilMillis} is 0. */
    synchronized Change mute(String chat, long untilMillis) {
        MuteAction.Builder mute = MuteAction.newBuilder().setMuted(untilMillis != 0);
        if (untilMillis != 0) {
            mute.setMuteEndTimestamp(untilMillis);
        }
        return set("regular_high", List.of("mute", chat), value().setMuteAction(mute).build());
    }

    synchronized Change editLabel(String id, String name, int color, boolean deleted) {
        return set("regular", List.of("label_edit", id), value().setLabelEditAction(LabelEditAction.newBuilder()
                .setName(name).setColor(color).setDeleted(deleted)).build());
    }

    synchronized Change labelChat(String id, String chat, boolean labeled) {
        return set("regular", List.of("label_jid", id, chat), value().setLabelAssociationAction(
                LabelAssociationAction.newBuilder().setLabeled(labeled)).build());
    }

    synchronized Change labelMessage(String id, String chat, String messageId, boolean labeled) {
        return set("regular", List.of("label_message", id, chat, messageId, "0", "0"), value()
                .setLabelAssociationAction(LabelAssociationAction.newBuilder().setLabeled(labeled)).build());
    }

    /** The labels the phone has now (not deleted), by id: {@code [name, color]}. */
    synchronized Map<String, LabelEditAction> labels() {
        Map<String, LabelEditAction> labels = new LinkedHashMap<>();
        collections.get("regular").records.forEach((index, record) -> {
            if (index.getFirst().equals("label_edit") && !record.value().getLabelEditAction().getDeleted()) {
                labels.put(index.get(1), record.value().getLabelEditAction());
            }
        });
        return labels;
    }

    /** The address book now: full name by JID. */
    synchronized Map<String, String> contacts() {
        Map<String, String> contacts = new LinkedHashMap<>();
        collections.get("critical_unblock_low").records.forEach((index, record) -> {
            if (index.getFirst().equals("contact")) {
                contacts.put(index.get(1), record.value().getContactAction().getFullName());
            }
        });
        return contacts;
    }

    /**
     * Answers one {@code <collection name version [return_snapshot]/>} of a {@code w:sync:app:state} query: the
     * snapshot at the current version when asked for (whatever version the device names, as a device that is ahead of
     * the server needs it), or when the device has nothing yet, else the patches after
     * {@code version}, at most {@link #PATCHES_PER_ANSWER} with {@code has_more_patches}. An unknown collection is
     * refused with 400, a version the server never had (ahead of it) with 409, each as
     * {@code <collection name type="error"><error code/></collection>}.
     */
    synchronized Node answer(Node request) {
        String name = request.attributeOr("name", "");
        Collection collection = collections.get(name);
        if (collection == null) {
            return refusal(name, 400);
        }
        long version;
        try {
            version = Long.parseLong(request.attributeOr("version", "0"));
        } catch (NumberFormatException e) {
            return refusal(name, 400);
        }
        long current = collection.state.version();
        boolean snapshot = request.attributeOr("return_snapshot", "false").equals("true");
        // patches after a version the server never had cannot be answered; the snapshot, at the current version, can
        if (version < 0 || version > current && !snapshot) {
            return refusal(name, 409);
        }
        if (snapshot) {
            if (current == 0) {
                return Node.of("collection", Node.attrs("name", name, "version", "0"));
            }
            var encoded = SyncdCodec.snapshotOf(collection.state, List.copyOf(collection.sealed.values()), keyId,
                    keyData);
            var blobs = externalBlobs;
            byte[] snapshotBytes = blobs == null ? encoded.toByteArray() : blobs.apply(encoded.toByteArray())
                    .toByteArray();
            return Node.withChildren("collection", Node.attrs("name", name, "version", Long.toString(current)),
                    List.of(Node.withBytes("snapshot", Map.of(), snapshotBytes)));
        }
        List<Node> patches = new ArrayList<>();
        long upTo = Math.min(current, version + PATCHES_PER_ANSWER);
        var blobs = externalBlobs;
        for (long v = version + 1; v <= upTo; v++) {
            var patch = collection.patches.get((int) (v - 1));
            if (blobs != null) {
                // the mutations travel as an external blob, as WhatsApp sends large patches
                patch = patch.toBuilder().clearMutations().setExternalMutations(blobs.apply(
                        ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutations.newBuilder()
                                .addAllMutations(patch.getMutationsList()).build().toByteArray())).build();
            }
            patches.add(Node.withBytes("patch", Map.of(), patch.toByteArray()));
        }
        var attrs = Node.attrs("name", name, "version", Long.toString(upTo));
        if (upTo < current) {
            attrs.put("has_more_patches", "true");
        }
        return patches.isEmpty() ? Node.of("collection", attrs)
                : Node.withChildren("collection", attrs, List.of(Node.withChildren("patches", Map.of(), patches)));
    }

    private static Node refusal(String name, int code) {
        return Node.withChildren("collection", Node.attrs("name", name, "type", "error"),
                List.of(Node.of("error", Node.attrs("code", Integer.toString(code)))));
    }

    private SyncActionValue.Builder value() {
        return SyncActionValue.newBuilder().setTimestamp(clock.millis());
    }

    private Change set(String name, List<String> index, SyncActionValue value) {
        Collection collection = collections.get(name);
        var mutation = new SyncdCodec.Mutation(SyncdOperation.SET, index, value);
        collection.append(mutation);
        collection.records.put(index, mutation);
        return new Change(name, collection.state.version());
    }

    private Optional<Change> remove(String name, List<String> index) {
        Collection collection = collections.get(name);
        SyncdCodec.Mutation live = collection.records.remove(index);
        if (live == null) {
            return Optional.empty();
        }
        collection.append(new SyncdCodec.Mutation(SyncdOperation.REMOVE, index, live.value()));
        return Optional.of(new Change(name, collection.state.version()));
    }

    /** A collection moved to {@code version}; its companions are told with a {@code server_sync} notification. */
    record Change(String collection, long version) {
    }

    private final class Collection {
        private CollectionState state;
        private final List<SyncdPatch> patches = new ArrayList<>();
        private final Map<List<String>, SyncdCodec.Mutation> records = new LinkedHashMap<>();
        /** The live records as their patches sealed them, which a snapshot hands out unchanged. */
        private final Map<List<String>, ponte.adapters.whatsapp.proto.AppStateProto.SyncdRecord> sealed =
                new LinkedHashMap<>();

        Collection(String name) {
            this.state = CollectionState.empty(name);
        }

        void append(SyncdCodec.Mutation mutation) {
            var encoded = SyncdCodec.encodePatch(state, List.of(mutation), keyId, keyData, random);
            patches.add(encoded.message());
            state = encoded.state();
            if (mutation.operation() == SyncdOperation.REMOVE) {
                sealed.remove(mutation.index());
            } else {
                sealed.put(mutation.index(), encoded.message().getMutations(0).getRecord());
            }
        }
    }
}
