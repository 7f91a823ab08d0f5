package ponte.adapters.whatsapp.appstate;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import ponte.adapters.whatsapp.proto.AppStateProto.KeyId;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncActionData;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncActionValue;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdIndex;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation.SyncdOperation;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdPatch;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdRecord;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdSnapshot;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdValue;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdVersion;

/**
 * Turns a collection's snapshots and patches into verified mutations, and mutations into patches and snapshots
 * (protocol.md §1.17; whatsmeow appstate/decode.go and encode.go). A record's value blob is {@code IV(16) ‖
 * AES-256-CBC(SyncActionData) ‖ valueMac(32)}, its index blob the index MAC.
 *
 * <p>Decoding checks everything before it returns anything: the patch MAC over the value MACs, every value MAC and
 * index MAC, and the snapshot MAC of the resulting LTHash and version. Any mismatch is a {@link SyncdException} and
 * the caller's state is unchanged; a key this device lacks is a {@link SyncdException.MissingKey}.
 */
public final class SyncdCodec {

    private static final int MAC_LENGTH = 32;
    private static final int IV_LENGTH = 16;

    private SyncdCodec() {
    }

    /** Finds an app-state sync key's data by its id. */
    @FunctionalInterface
    public interface KeyLookup {
        Optional<byte[]> keyData(byte[] keyId);
    }

    /**
     * One decoded mutation: SET or REMOVE, the index (JSON strings, e.g. {@code ["mute","<jid>"]}) and the action.
     */
    public record Mutation(SyncdOperation operation, List<String> index, SyncActionValue value) {
        public Mutation {
            index = List.copyOf(index);
        }
    }

    /** A verified step: the collection's new state and the mutations that led to it, in order. */
    public record Applied(CollectionState state, List<Mutation> mutations) {
        public Applied {
            mutations = List.copyOf(mutations);
        }
    }

    /** A patch or snapshot this side produced, and the collection's state after it. */
    public record Encoded<T>(T message, CollectionState state) {
    }

    /** A full snapshot: replaces whatever state the collection had; its records are all SETs. */
    public static Applied snapshot(String name, SyncdSnapshot snapshot, KeyLookup keys) throws SyncdException {
        long version = snapshot.getVersion().getVersion();
        var mixer = new Mixer(CollectionState.empty(name));
        List<Mutation> mutations = new ArrayList<>();
        for (SyncdRecord record : snapshot.getRecordsList()) {
            mutations.add(open(SyncdOperation.SET, record, keys, mixer));
        }
        MutationKeys main = keys(snapshot.getKeyId().getId().toByteArray(), keys);
        byte[] hash = mixer.finish();
        byte[] expected = SyncdMacs.snapshotMac(hash, version, name, main.snapshotMac());
        if (!MessageDigest.isEqual(expected, snapshot.getMac().toByteArray())) {
            throw new SyncdException(name + " snapshot v" + version + ": the snapshot MAC does not match");
        }
        return new Applied(new CollectionState(name, version, hash, mixer.valueMacs), mutations);
    }

    /** One patch on top of {@code state}: it must be newer than the state. */
    public static Applied patch(CollectionState state, SyncdPatch patch, KeyLookup keys) throws SyncdException {
        String name = state.name();
        long version = patch.getVersion().getVersion();
        if (version <= state.version()) {
            throw new SyncdException(name + " patch v" + version + " is not newer than v" + state.version());
        }
        if (patch.hasExternalMutations()) {
            throw new SyncdException(name + " patch v" + version + ": external mutations are not supported");
        }
        MutationKeys main = keys(patch.getKeyId().getId().toByteArray(), keys);
        List<byte[]> valueMacs = new ArrayList<>();
        for (SyncdMutation mutation : patch.getMutationsList()) {
            byte[] blob = mutation.getRecord().getValue().getBlob().toByteArray();
            if (blob.length < MAC_LENGTH) {
                throw new SyncdException(name + " patch v" + version + ": a value is shorter than its MAC");
            }
            valueMacs.add(Arrays.copyOfRange(blob, blob.length - MAC_LENGTH, blob.length));
        }
        byte[] patchMac = SyncdMacs.patchMac(patch.getSnapshotMac().toByteArray(), valueMacs, version, name,
                main.patchMac());
        if (!MessageDigest.isEqual(patchMac, patch.getPatchMac().toByteArray())) {
            throw new SyncdException(name + " patch v" + version + ": the patch MAC does not match");
        }
        var mixer = new Mixer(state);
        List<Mutation> mutations = new ArrayList<>();
        for (SyncdMutation mutation : patch.getMutationsList()) {
            mutations.add(open(mutation.getOperation(), mutation.getRecord(), keys, mixer));
        }
        byte[] hash = mixer.finish();
        byte[] snapshotMac = SyncdMacs.snapshotMac(hash, version, name, main.snapshotMac());
        if (!MessageDigest.isEqual(snapshotMac, patch.getSnapshotMac().toByteArray())) {
            throw new SyncdException(name + " patch v" + version + ": the LTHash does not match its snapshot MAC");
        }
        return new Applied(new CollectionState(name, version, hash, mixer.valueMacs), mutations);
    }

    /** Encrypts mutations into the next patch of {@code state} (version + 1), sealed with one key. */
    public static Encoded<SyncdPatch> encodePatch(CollectionState state, List<Mutation> mutations, byte[] keyId,
            byte[] keyData, SecureRandom random) {
        MutationKeys keys = MutationKeys.expand(keyData);
        var mixer = new Mixer(state);
        long version = state.version() + 1;
        List<SyncdMutation> sealed = new ArrayList<>();
        List<byte[]> valueMacs = new ArrayList<>();
        for (Mutation mutation : mutations) {
            SyncdRecord record = seal(mutation, keyId, keys, random);
            byte[] blob = record.getValue().getBlob().toByteArray();
            byte[] valueMac = Arrays.copyOfRange(blob, blob.length - MAC_LENGTH, blob.length);
            valueMacs.add(valueMac);
            mixer.mix(mutation.operation(), record.getIndex().getBlob().toByteArray(), valueMac);
            sealed.add(SyncdMutation.newBuilder().setOperation(mutation.operation()).setRecord(record).build());
        }
        byte[] hash = mixer.finish();
        byte[] snapshotMac = SyncdMacs.snapshotMac(hash, version, state.name(), keys.snapshotMac());
        SyncdPatch patch = SyncdPatch.newBuilder()
                .setVersion(SyncdVersion.newBuilder().setVersion(version))
                .addAllMutations(sealed)
                .setSnapshotMac(ByteString.copyFrom(snapshotMac))
                .setPatchMac(ByteString.copyFrom(SyncdMacs.patchMac(snapshotMac, valueMacs, version, state.name(),
                        keys.patchMac())))
                .setKeyId(KeyId.newBuilder().setId(ByteString.copyFrom(keyId)))
                .build();
        return new Encoded<>(patch, new CollectionState(state.name(), version, hash, mixer.valueMacs));
    }

    /**
     * The snapshot of a collection whose live records are {@code records}, exactly as its patches sealed them (a
     * snapshot re-encrypting them would have other value MACs, hence another LTHash than the patches led to), at
     * {@code state}'s version and with the MAC of its LTHash.
     */
    public static SyncdSnapshot snapshotOf(CollectionState state, List<SyncdRecord> records, byte[] keyId,
            byte[] keyData) {
        MutationKeys keys = MutationKeys.expand(keyData);
        return SyncdSnapshot.newBuilder().setVersion(SyncdVersion.newBuilder().setVersion(state.version()))
                .addAllRecords(records)
                .setMac(ByteString.copyFrom(SyncdMacs.snapshotMac(state.hash(), state.version(), state.name(),
                        keys.snapshotMac())))
                .setKeyId(KeyId.newBuilder().setId(ByteString.copyFrom(keyId)))
                .build();
    }

    private static SyncdRecord seal(Mutation mutation, byte[] keyId, MutationKeys keys, SecureRandom random) {
        byte[] index = ponte.adapters.whatsapp.appstate.SyncdIndex.encode(mutation.index());
        byte[] plaintext = SyncActionData.newBuilder().setIndex(ByteString.copyFrom(index))
                .setValue(mutation.value()).setPadding(ByteString.EMPTY).setVersion(2).build().toByteArray();
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        byte[] ciphertext = concat(iv, aes(Cipher.ENCRYPT_MODE, keys.valueEncryption(), iv, plaintext, 0,
                plaintext.length));
        byte[] valueMac = SyncdMacs.valueMac(mutation.operation(), ciphertext, keyId, keys.valueMac());
        return SyncdRecord.newBuilder()
                .setIndex(SyncdIndex.newBuilder().setBlob(ByteString.copyFrom(SyncdMacs.indexMac(index,
                        keys.index()))))
                .setValue(SyncdValue.newBuilder().setBlob(ByteString.copyFrom(concat(ciphertext, valueMac))))
                .setKeyId(KeyId.newBuilder().setId(ByteString.copyFrom(keyId)))
                .build();
    }

    /** Checks one record's value and index MACs, decrypts it and mixes it into the hash. */
    private static Mutation open(SyncdOperation operation, SyncdRecord record, KeyLookup lookup, Mixer mixer)
            throws SyncdException {
        byte[] keyId = record.getKeyId().getId().toByteArray();
        MutationKeys keys = keys(keyId, lookup);
        byte[] blob = record.getValue().getBlob().toByteArray();
        if (blob.length < IV_LENGTH + 16 + MAC_LENGTH) {
            throw new SyncdException("a record's value is too short");
        }
        byte[] ciphertext = Arrays.copyOf(blob, blob.length - MAC_LENGTH);
        byte[] valueMac = Arrays.copyOfRange(blob, blob.length - MAC_LENGTH, blob.length);
        if (!MessageDigest.isEqual(valueMac, SyncdMacs.valueMac(operation, ciphertext, keyId, keys.valueMac()))) {
            throw new SyncdException("a record's value MAC does not match");
        }
        SyncActionData data;
        try {
            byte[] plaintext = aes(Cipher.DECRYPT_MODE, keys.valueEncryption(), Arrays.copyOf(ciphertext, IV_LENGTH),
                    ciphertext, IV_LENGTH, ciphertext.length - IV_LENGTH);
            data = SyncActionData.parseFrom(plaintext);
        } catch (IllegalStateException | InvalidProtocolBufferException e) {
            throw new SyncdException("a record does not decrypt to a SyncActionData");
        }
        byte[] indexMac = record.getIndex().getBlob().toByteArray();
        if (!MessageDigest.isEqual(indexMac, SyncdMacs.indexMac(data.getIndex().toByteArray(), keys.index()))) {
            throw new SyncdException("a record's index MAC does not match");
        }
        List<String> index;
        try {
            index = ponte.adapters.whatsapp.appstate.SyncdIndex.decode(data.getIndex().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new SyncdException("a record's index is not a JSON array of strings");
        }
        mixer.mix(operation, indexMac, valueMac);
        return new Mutation(operation, index, data.getValue());
    }

    private static MutationKeys keys(byte[] keyId, KeyLookup lookup) throws SyncdException.MissingKey {
        return MutationKeys.expand(lookup.keyData(keyId).orElseThrow(() -> new SyncdException.MissingKey(keyId)));
    }

    private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] data, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(data, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC failed", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Collects a step's LTHash changes: a SET adds its value MAC and subtracts the one it overwrites, a REMOVE
     * subtracts the live one (whatsmeow appstate/hash.go updateHash).
     */
    private static final class Mixer {
        private final byte[] base;
        private final Map<String, byte[]> valueMacs;
        private final List<byte[]> removed = new ArrayList<>();
        private final List<byte[]> added = new ArrayList<>();

        Mixer(CollectionState state) {
            this.base = state.hash();
            this.valueMacs = new LinkedHashMap<>(state.valueMacs());
        }

        void mix(SyncdOperation operation, byte[] indexMac, byte[] valueMac) {
            String key = CollectionState.key(indexMac);
            byte[] previous = operation == SyncdOperation.REMOVE ? valueMacs.remove(key)
                    : valueMacs.put(key, valueMac);
            if (previous != null) {
                removed.add(previous);
            }
            if (operation != SyncdOperation.REMOVE) {
                added.add(valueMac);
            }
        }

        byte[] finish() {
            return LtHash.subtractThenAdd(base, removed, added);
        }
    }
}
