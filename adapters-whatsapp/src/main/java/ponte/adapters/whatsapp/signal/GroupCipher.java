package ponte.adapters.whatsapp.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import ponte.adapters.whatsapp.crypto.Bytes;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.signal.SenderKeyRecord.State;
import ponte.adapters.whatsapp.signal.SignalException.Reason;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SenderKeyDistributionMessage;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SenderKeyMessage;

/**
 * Group messages under sender keys, as WhatsApp sends them to groups (protocol.md §1.12, §1.14): each member
 * hands its sender key to the others once in a sender-key distribution message (SKDM, carried inside a 1:1
 * {@code pkmsg}/{@code msg}), then encrypts each group message once as an {@code skmsg}. Facts from libsignal's
 * group cipher as Baileys runs it ({@code src/Signal/Group}):
 * <ul>
 * <li>SKDM = 0x33 ‖ protobuf {id, iteration, chain key, signing key (0x05 ‖ 32 bytes)}.</li>
 * <li>skmsg = 0x33 ‖ protobuf {id, iteration, ciphertext} ‖ XEdDSA signature (64 bytes) over everything before
 * it, by the sender's signing key.</li>
 * <li>Chain: message key seed = HMAC-SHA256(chain key, 0x01), next chain key = HMAC-SHA256(chain key, 0x02);
 * HKDF-SHA256(seed, salt 32 × 0, "WhisperGroup", 64 bytes) → IV (16 bytes) ‖ AES-256-CBC key (32 bytes).</li>
 * <li>Messages may arrive out of order: up to 2,000 skipped keys are kept, a used key is gone (a replay is
 * refused), and a message more than 2,000 iterations ahead is refused.</li>
 * </ul>
 * Nothing is written to the store unless the whole call succeeds, and then only at its end.
 */
public final class GroupCipher {

    private static final int SIGNATURE_LENGTH = 64;

    private final SignalStore store;
    private final SecureRandom random;

    public GroupCipher(SignalStore store, SecureRandom random) {
        this.store = Objects.requireNonNull(store);
        this.random = Objects.requireNonNull(random);
    }

    /**
     * Our SKDM for a group, {@code name} being (group, our own address; never a peer's): creates our sender key on
     * first use (the only case that writes), else describes the current one at its present iteration. To rotate
     * the key (a member left), the caller stores {@link SenderKeyRecord#empty()} under our name first.
     */
    public byte[] distributionMessage(SenderKeyName name) {
        SenderKeyRecord record = store.senderKey(name).orElseGet(SenderKeyRecord::empty);
        State state = own(record);
        if (state == null) {
            byte[] chainKey = new byte[32];
            random.nextBytes(chainKey);
            KeyPair signing = KeyPair.generate(random);
            state = new State(random.nextInt(Integer.MAX_VALUE), new Chain(new byte[0], 0, chainKey),
                    signing.publicKey(), signing.privateKey());
            store.storeSenderKey(name, record.with(state));
        }
        SenderKeyDistributionMessage message = SenderKeyDistributionMessage.newBuilder()
                .setId(state.id)
                .setIteration(state.chain.nextIndex)
                .setChainKey(ByteString.copyFrom(state.chain.chainKey))
                .setSigningKey(ByteString.copyFrom(Keys.prefixed(state.signingPublic)))
                .build();
        return Bytes.concat(new byte[] {Keys.VERSION_BYTE}, message.toByteArray());
    }

    /**
     * Takes in a peer's SKDM for a group, {@code name} being (group, the sender's address). An SKDM repeating a
     * key we hold (same id and signing key) changes nothing, so messages skipped on it still decrypt.
     */
    public void process(SenderKeyName name, byte[] distributionMessage) throws SignalException {
        if (distributionMessage == null || distributionMessage.length < 2
                || (distributionMessage[0] & 0xff) >> 4 != Keys.VERSION) {
            throw new SignalException(Reason.INVALID_MESSAGE, "not a version 3 sender key distribution message");
        }
        SenderKeyDistributionMessage message;
        try {
            message = SenderKeyDistributionMessage.parseFrom(
                    Arrays.copyOfRange(distributionMessage, 1, distributionMessage.length));
        } catch (InvalidProtocolBufferException e) {
            throw new SignalException(Reason.INVALID_MESSAGE, "malformed sender key distribution message", e);
        }
        if (!message.hasId() || !message.hasIteration() || message.getChainKey().size() != 32) {
            throw new SignalException(Reason.INVALID_MESSAGE, "a sender key distribution message lacks its key");
        }
        byte[] signing = Keys.unprefixed(message.getSigningKey().toByteArray());
        SenderKeyRecord record = store.senderKey(name).orElseGet(SenderKeyRecord::empty);
        for (State known : record.states()) {
            if (known.id == message.getId() && Keys.equal(known.signingPublic, signing)) {
                return;
            }
        }
        State state = new State(message.getId(),
                new Chain(new byte[0], message.getIteration(), message.getChainKey().toByteArray()), signing, null);
        store.storeSenderKey(name, record.with(state));
    }

    /** Encrypts one group message with our sender key (create it first with {@link #distributionMessage}). */
    public byte[] encrypt(SenderKeyName name, byte[] plaintext) throws SignalException {
        SenderKeyRecord record = store.senderKey(name).orElseGet(SenderKeyRecord::empty);
        State state = own(record);
        if (state == null) {
            throw new SignalException(Reason.NO_SESSION, "no sender key of ours for " + name);
        }
        int iteration = state.chain.nextIndex;
        byte[][] keys = messageKeys(state.chain.next());
        byte[] serialized = Bytes.concat(new byte[] {Keys.VERSION_BYTE}, SenderKeyMessage.newBuilder()
                .setId(state.id)
                .setIteration(iteration)
                .setCiphertext(ByteString.copyFrom(Keys.cbcEncrypt(keys[1], keys[0], plaintext)))
                .build().toByteArray());
        byte[] signature = XEdDsa.sign(state.signingPrivate, serialized, random);
        store.storeSenderKey(name, record.with(state));
        return Bytes.concat(serialized, signature);
    }

    /** Decrypts a peer's {@code skmsg}; the plaintext is still padded. */
    public byte[] decrypt(SenderKeyName name, byte[] body) throws SignalException {
        if (body == null || body.length < 2 + SIGNATURE_LENGTH || (body[0] & 0xff) >> 4 != Keys.VERSION) {
            throw new SignalException(Reason.INVALID_MESSAGE, "not a version 3 skmsg");
        }
        byte[] signed = Arrays.copyOfRange(body, 0, body.length - SIGNATURE_LENGTH);
        SenderKeyMessage message;
        try {
            message = SenderKeyMessage.parseFrom(Arrays.copyOfRange(signed, 1, signed.length));
        } catch (InvalidProtocolBufferException e) {
            throw new SignalException(Reason.INVALID_MESSAGE, "malformed skmsg", e);
        }
        SenderKeyRecord record = store.senderKey(name).orElseGet(SenderKeyRecord::empty);
        State state = null;
        for (State known : record.states()) {
            if (known.id == message.getId()) {
                state = known;
                break;
            }
        }
        if (state == null) {
            throw new SignalException(Reason.NO_SESSION, "no sender key " + message.getId() + " for " + name);
        }
        if (!XEdDsa.verify(state.signingPublic, signed,
                Arrays.copyOfRange(body, body.length - SIGNATURE_LENGTH, body.length))) {
            throw new SignalException(Reason.INVALID_SIGNATURE, "the skmsg signature does not verify");
        }
        byte[][] keys = messageKeys(state.chain.keyFor(message.getIteration()));
        byte[] plaintext = Keys.cbcDecrypt(keys[1], keys[0], message.getCiphertext().toByteArray());
        store.storeSenderKey(name, record.with(state));
        return plaintext;
    }

    /** Our own state: the newest, if it carries a private signing key. */
    private static State own(SenderKeyRecord record) {
        var states = record.states();
        return states.isEmpty() || states.getFirst().signingPrivate == null ? null : states.getFirst();
    }

    /** IV and AES key of one sender message key. */
    private static byte[][] messageKeys(byte[] seed) {
        byte[] expanded = Bytes.concat(Keys.derive(seed, Keys.ZERO_SALT, "WhisperGroup", 2));
        return new byte[][] {Arrays.copyOf(expanded, 16), Arrays.copyOfRange(expanded, 16, 48)};
    }
}
