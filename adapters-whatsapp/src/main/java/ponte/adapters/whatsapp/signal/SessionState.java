package ponte.adapters.whatsapp.signal;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.signal.proto.SignalProto.PendingPreKeyData;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SessionStateData;

/**
 * One Double Ratchet session with a peer device, mutable while a call works on it and saved as
 * {@link SessionStateData}. Public keys are kept in their 33-byte {@code 0x05} form, as they travel.
 */
final class SessionState {

    /** libsignal keeps the chains of the last few peer ratchet keys so late messages on them still decrypt. */
    static final int MAX_RECEIVING_CHAINS = 5;

    int remoteRegistrationId;
    IdentityKey remoteIdentity;
    byte[] baseKey;
    boolean baseKeyOurs;
    byte[] rootKey;
    KeyPair ratchet;
    byte[] theirRatchetKey;
    int previousCounter;
    Chain sendingChain;
    final List<Chain> receivingChains = new ArrayList<>();
    PendingPreKey pendingPreKey;

    /** The X3DH parameters a pkmsg repeats until the peer answers: which prekeys we used, and our base key. */
    record PendingPreKey(Integer preKeyId, int signedPreKeyId, byte[] baseKey) {
    }

    Chain receivingChain(byte[] ratchetKey) {
        for (Chain chain : receivingChains) {
            if (Keys.equal(chain.ratchetKey, ratchetKey)) {
                return chain;
            }
        }
        return null;
    }

    void addReceivingChain(Chain chain) {
        receivingChains.add(chain);
        while (receivingChains.size() > MAX_RECEIVING_CHAINS) {
            receivingChains.removeFirst();
        }
    }

    SessionStateData toData() {
        var data = SessionStateData.newBuilder()
                .setRemoteRegistrationId(remoteRegistrationId)
                .setRemoteIdentity(ByteString.copyFrom(remoteIdentity.serialize()))
                .setBaseKey(ByteString.copyFrom(baseKey))
                .setBaseKeyOurs(baseKeyOurs)
                .setRootKey(ByteString.copyFrom(rootKey))
                .setRatchetPrivate(ByteString.copyFrom(ratchet.privateKey()))
                .setRatchetPublic(ByteString.copyFrom(ratchet.publicKey()))
                .setTheirRatchetKey(ByteString.copyFrom(theirRatchetKey))
                .setPreviousCounter(previousCounter);
        if (sendingChain != null) {
            data.setSendingChain(sendingChain.toData());
        }
        receivingChains.forEach(chain -> data.addReceivingChains(chain.toData()));
        if (pendingPreKey != null) {
            var pending = PendingPreKeyData.newBuilder().setSignedPreKeyId(pendingPreKey.signedPreKeyId())
                    .setBaseKey(ByteString.copyFrom(pendingPreKey.baseKey()))
                    .setHasPreKey(pendingPreKey.preKeyId() != null);
            if (pendingPreKey.preKeyId() != null) {
                pending.setPreKeyId(pendingPreKey.preKeyId());
            }
            data.setPendingPreKey(pending);
        }
        return data.build();
    }

    static SessionState fromData(SessionStateData data) {
        SessionState state = new SessionState();
        state.remoteRegistrationId = data.getRemoteRegistrationId();
        try {
            state.remoteIdentity = IdentityKey.parse(data.getRemoteIdentity().toByteArray());
        } catch (SignalException e) {
            throw new IllegalArgumentException("a stored session has a malformed identity", e);
        }
        state.baseKey = data.getBaseKey().toByteArray();
        state.baseKeyOurs = data.getBaseKeyOurs();
        state.rootKey = data.getRootKey().toByteArray();
        state.ratchet = new KeyPair(data.getRatchetPrivate().toByteArray(), data.getRatchetPublic().toByteArray());
        state.theirRatchetKey = data.getTheirRatchetKey().toByteArray();
        state.previousCounter = data.getPreviousCounter();
        if (data.hasSendingChain()) {
            state.sendingChain = Chain.fromData(data.getSendingChain());
        }
        data.getReceivingChainsList().forEach(chain -> state.receivingChains.add(Chain.fromData(chain)));
        if (data.hasPendingPreKey()) {
            PendingPreKeyData pending = data.getPendingPreKey();
            state.pendingPreKey = new PendingPreKey(pending.getHasPreKey() ? pending.getPreKeyId() : null,
                    pending.getSignedPreKeyId(), pending.getBaseKey().toByteArray());
        }
        return state;
    }
}
