package ponte.adapters.whatsapp.signal;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import ponte.adapters.whatsapp.signal.proto.SignalProto.ChainData;
import ponte.adapters.whatsapp.signal.proto.SignalProto.MessageKeyData;

/**
 * One symmetric chain: the chain key, the index of the next message key it yields, and the keys skipped on the way
 * (kept so late messages still decrypt, at most {@link #MAX_SKIPPED}, oldest dropped first). The chain step is
 * libsignal's: message key seed = HMAC-SHA256(chain key, 0x01), next chain key = HMAC-SHA256(chain key, 0x02)
 * (libsignal-node {@code session_cipher.js fillMessageKeys}, Baileys {@code sender-chain-key.js}).
 */
final class Chain {

    /** libsignal refuses to derive more than this many keys ahead and keeps at most this many skipped keys. */
    static final int MAX_SKIPPED = 2000;
    private static final byte[] MESSAGE_KEY_SEED = {1};
    private static final byte[] CHAIN_KEY_SEED = {2};

    final byte[] ratchetKey;
    int nextIndex;
    byte[] chainKey;
    final LinkedHashMap<Integer, byte[]> skipped = new LinkedHashMap<>();

    Chain(byte[] ratchetKey, int nextIndex, byte[] chainKey) {
        this.ratchetKey = ratchetKey;
        this.nextIndex = nextIndex;
        this.chainKey = chainKey;
    }

    /** The seed of the next message key, advancing the chain. */
    byte[] next() {
        byte[] seed = Keys.hmac(chainKey, MESSAGE_KEY_SEED);
        chainKey = Keys.hmac(chainKey, CHAIN_KEY_SEED);
        nextIndex++;
        return seed;
    }

    /** Derives and keeps the keys below {@code index}, so the chain's next key is {@code index}. */
    void skipTo(int index) throws SignalException {
        if (index <= nextIndex) {
            return;
        }
        if (chainKey == null) {
            throw new SignalException(SignalException.Reason.INVALID_MESSAGE, "the chain was closed");
        }
        if ((long) index - nextIndex >= MAX_SKIPPED) {
            throw new SignalException(SignalException.Reason.TOO_FAR_AHEAD,
                    "message " + index + " is over " + MAX_SKIPPED + " keys ahead of " + nextIndex);
        }
        while (nextIndex < index) {
            int at = nextIndex;
            skipped.put(at, next());
        }
        Iterator<Map.Entry<Integer, byte[]>> oldest = skipped.entrySet().iterator();
        while (skipped.size() > MAX_SKIPPED) {
            oldest.next();
            oldest.remove();
        }
    }

    /** The message key seed for {@code index}: a kept skipped key, or the chain's next one after skipping. */
    byte[] keyFor(int index) throws SignalException {
        if (index < nextIndex) {
            byte[] seed = skipped.remove(index);
            if (seed == null) {
                throw new SignalException(SignalException.Reason.DUPLICATE,
                        "message key " + index + " was already used");
            }
            return seed;
        }
        skipTo(index);
        if (chainKey == null) {
            throw new SignalException(SignalException.Reason.INVALID_MESSAGE, "the chain was closed");
        }
        return next();
    }

    ChainData toData() {
        var data = ChainData.newBuilder().setRatchetKey(ByteString.copyFrom(ratchetKey)).setNextIndex(nextIndex);
        if (chainKey != null) {
            data.setChainKey(ByteString.copyFrom(chainKey));
        }
        skipped.forEach((index, seed) -> data.addSkippedKeys(
                MessageKeyData.newBuilder().setIndex(index).setSeed(ByteString.copyFrom(seed))));
        return data.build();
    }

    static Chain fromData(ChainData data) {
        Chain chain = new Chain(data.getRatchetKey().toByteArray(), data.getNextIndex(),
                data.hasChainKey() ? data.getChainKey().toByteArray() : null);
        data.getSkippedKeysList().forEach(key -> chain.skipped.put(key.getIndex(), key.getSeed().toByteArray()));
        return chain;
    }
}
