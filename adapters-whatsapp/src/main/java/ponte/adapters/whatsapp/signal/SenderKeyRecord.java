package ponte.adapters.whatsapp.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import ponte.adapters.whatsapp.signal.proto.SignalProto.MessageKeyData;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SenderKeyRecordData;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SenderKeyStateData;

/**
 * A sender's group keys, as an immutable value with a byte form for storage: up to {@link #MAX_STATES} sender-key
 * states, newest first, each with its id, chain position, chain key, signing key (private only for our own) and
 * up to 2,000 skipped message keys (libsignal {@code SenderKeyRecord}/{@code SenderKeyState}: 5 states, 2,000 keys;
 * Baileys {@code sender-key-record.js}). The byte form is Ponte's own protobuf.
 */
public final class SenderKeyRecord {

    static final int MAX_STATES = 5;

    private final SenderKeyRecordData data;

    private SenderKeyRecord(SenderKeyRecordData data) {
        this.data = data;
    }

    public static SenderKeyRecord empty() {
        return new SenderKeyRecord(SenderKeyRecordData.getDefaultInstance());
    }

    /** Reads the form {@link #serialize()} wrote; throws {@link IllegalArgumentException} on other bytes. */
    public static SenderKeyRecord parse(byte[] bytes) {
        try {
            return new SenderKeyRecord(SenderKeyRecordData.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a serialized sender key record", e);
        }
    }

    public byte[] serialize() {
        return data.toByteArray();
    }

    public boolean isEmpty() {
        return data.getStatesCount() == 0;
    }

    List<State> states() {
        List<State> states = new ArrayList<>();
        data.getStatesList().forEach(state -> states.add(State.fromData(state)));
        return states;
    }

    /** This record with {@code state} first; an older state with the same id is replaced. */
    SenderKeyRecord with(State state) {
        var builder = SenderKeyRecordData.newBuilder().addStates(state.toData());
        for (SenderKeyStateData old : data.getStatesList()) {
            if (old.getId() != state.id && builder.getStatesCount() < MAX_STATES) {
                builder.addStates(old);
            }
        }
        return new SenderKeyRecord(builder.build());
    }

    @Override
    public String toString() {
        return "SenderKeyRecord[states=" + data.getStatesCount() + "]";
    }

    /** One sender-key chain, mutable while a call works on it. */
    static final class State {
        final int id;
        final Chain chain;
        final byte[] signingPublic;
        final byte[] signingPrivate;

        State(int id, Chain chain, byte[] signingPublic, byte[] signingPrivate) {
            this.id = id;
            this.chain = chain;
            this.signingPublic = signingPublic;
            this.signingPrivate = signingPrivate;
        }

        SenderKeyStateData toData() {
            var data = SenderKeyStateData.newBuilder().setId(id).setIteration(chain.nextIndex)
                    .setChainKey(ByteString.copyFrom(chain.chainKey))
                    .setSigningPublic(ByteString.copyFrom(signingPublic));
            if (signingPrivate != null) {
                data.setSigningPrivate(ByteString.copyFrom(signingPrivate));
            }
            chain.skipped.forEach((index, seed) -> data.addSkippedKeys(
                    MessageKeyData.newBuilder().setIndex(index).setSeed(ByteString.copyFrom(seed))));
            return data.build();
        }

        static State fromData(SenderKeyStateData data) {
            Chain chain = new Chain(new byte[0], data.getIteration(), data.getChainKey().toByteArray());
            data.getSkippedKeysList().forEach(key -> chain.skipped.put(key.getIndex(), key.getSeed().toByteArray()));
            return new State(data.getId(), chain, data.getSigningPublic().toByteArray(),
                    data.hasSigningPrivate() ? data.getSigningPrivate().toByteArray() : null);
        }
    }
}
