package ponte.adapters.whatsapp.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import ponte.adapters.whatsapp.crypto.Bytes;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.signal.SignalException.Reason;
import ponte.adapters.whatsapp.signal.proto.SignalProto.PreKeyWhisperMessage;
import ponte.adapters.whatsapp.signal.proto.SignalProto.WhisperMessage;

/**
 * 1:1 Signal sessions as WhatsApp runs them: X3DH from a prekey bundle (no PQXDH) and the Double Ratchet with
 * message version 3, {@code pkmsg} and {@code msg} (protocol.md §1.12). Every derivation follows libsignal, whose
 * node port Baileys uses and our oracle tests run against (libsignal-node {@code session_builder.js},
 * {@code session_cipher.js}, {@code crypto.js}):
 * <ul>
 * <li>X3DH secret = 32 × 0xFF ‖ DH(IKa, SPKb) ‖ DH(EKa, IKb) ‖ DH(EKa, SPKb) [‖ DH(EKa, OPKb)]; root key = first
 * 32 bytes of HKDF-SHA256(secret, salt 32 × 0, "WhisperText").</li>
 * <li>Ratchet step: HKDF(DH(their ratchet, our ratchet), salt root key, "WhisperRatchet") → new root key ‖ chain
 * key. The initiator sends first on a chain from its fresh ratchet key and the signed prekey; the responder's
 * first chain comes from the first message it receives.</li>
 * <li>Message keys: HKDF(HMAC(chain key, 0x01), salt 32 × 0, "WhisperMessageKeys") → AES-256-CBC key ‖ HMAC key ‖
 * IV (first 16 bytes); the MAC is HMAC-SHA256(mac key, sender identity ‖ receiver identity ‖ 0x33 ‖ message),
 * truncated to 8 bytes.</li>
 * <li>Up to 2,000 skipped message keys are kept per chain; a key is used once, so a replay is refused.</li>
 * </ul>
 * Nothing is written to the store unless the whole call succeeds, and then only at its end.
 */
public final class SessionCipher {

    private static final int MAC_LENGTH = 8;
    private static final byte[] FF32 = filled(32, (byte) 0xff);

    private final SignalStore store;
    private final SecureRandom random;

    public SessionCipher(SignalStore store, SecureRandom random) {
        this.store = Objects.requireNonNull(store);
        this.random = Objects.requireNonNull(random);
    }

    /**
     * Starts a session with a peer device from its prekey bundle (X3DH, initiator side): checks the signed
     * prekey's XEdDSA signature, makes the new session current (archiving any earlier one) and stores the peer's
     * identity. The next {@link #encrypt} produces a {@code pkmsg}.
     */
    public IdentityChange process(SignalAddress address, PreKeyBundle bundle) throws SignalException {
        byte[] signedPreKey = Keys.prefixed(bundle.signedPreKey());
        if (!XEdDsa.verify(bundle.identityKey().publicKey(), signedPreKey, bundle.signedPreKeySignature())) {
            throw new SignalException(Reason.INVALID_SIGNATURE, "the signed prekey's signature does not verify");
        }
        IdentityChange change = identityChange(address, bundle.identityKey());
        SessionRecord record = change == IdentityChange.CHANGED ? SessionRecord.empty() : session(address);

        KeyPair ours = store.identityKeyPair();
        KeyPair base = KeyPair.generate(random);
        byte[] secret = Bytes.concat(FF32,
                Keys.agree(ours.privateKey(), bundle.signedPreKey()),
                Keys.agree(base.privateKey(), bundle.identityKey().publicKey()),
                Keys.agree(base.privateKey(), bundle.signedPreKey()),
                bundle.preKey() == null ? new byte[0] : Keys.agree(base.privateKey(), bundle.preKey()));

        SessionState state = new SessionState();
        state.remoteRegistrationId = bundle.registrationId();
        state.remoteIdentity = bundle.identityKey();
        state.baseKey = Keys.prefixed(base.publicKey());
        state.baseKeyOurs = true;
        state.rootKey = Keys.derive(secret, Keys.ZERO_SALT, "WhisperText", 1)[0];
        state.theirRatchetKey = signedPreKey;
        state.ratchet = KeyPair.generate(random);
        state.sendingChain = ratchetStep(state, signedPreKey, state.ratchet, true);
        state.pendingPreKey = new SessionState.PendingPreKey(
                bundle.preKeyId().isPresent() ? bundle.preKeyId().getAsInt() : null, bundle.signedPreKeyId(),
                state.baseKey);

        store.storeIdentity(address, bundle.identityKey());
        store.storeSession(address, record.withCurrent(state));
        return change;
    }

    /**
     * Encrypts for a peer device with the current session: a {@code pkmsg} until the peer answers, then a
     * {@code msg}.
     */
    public Encrypted encrypt(SignalAddress address, byte[] plaintext) throws SignalException {
        SessionRecord record = session(address);
        SessionState state = record.current();
        if (state == null || state.sendingChain == null) {
            throw new SignalException(Reason.NO_SESSION, "no session with " + address);
        }
        Chain chain = state.sendingChain;
        int counter = chain.nextIndex;
        MessageKeys keys = MessageKeys.of(chain.next());
        WhisperMessage message = WhisperMessage.newBuilder()
                .setRatchetKey(ByteString.copyFrom(Keys.prefixed(state.ratchet.publicKey())))
                .setCounter(counter)
                .setPreviousCounter(state.previousCounter)
                .setCiphertext(ByteString.copyFrom(Keys.cbcEncrypt(keys.cipherKey, keys.iv, plaintext)))
                .build();
        byte[] serialized = Bytes.concat(new byte[] {Keys.VERSION_BYTE}, message.toByteArray());
        byte[] mac = mac(keys.macKey, identity(), state.remoteIdentity.serialize(), serialized);
        byte[] whisper = Bytes.concat(serialized, mac);

        Encrypted result;
        if (state.pendingPreKey != null) {
            var preKeyMessage = PreKeyWhisperMessage.newBuilder()
                    .setBaseKey(ByteString.copyFrom(state.pendingPreKey.baseKey()))
                    .setIdentityKey(ByteString.copyFrom(identity()))
                    .setMessage(ByteString.copyFrom(whisper))
                    .setRegistrationId(store.registrationId())
                    .setSignedPreKeyId(state.pendingPreKey.signedPreKeyId());
            if (state.pendingPreKey.preKeyId() != null) {
                preKeyMessage.setPreKeyId(state.pendingPreKey.preKeyId());
            }
            result = new Encrypted(MessageType.PKMSG,
                    Bytes.concat(new byte[] {Keys.VERSION_BYTE}, preKeyMessage.build().toByteArray()));
        } else {
            result = new Encrypted(MessageType.MSG, whisper);
        }
        store.storeSession(address, record.withCurrent(state));
        return result;
    }

    /** Decrypts a {@code pkmsg} or {@code msg} from a peer device; the plaintext is still padded. */
    public Decrypted decrypt(SignalAddress address, MessageType type, byte[] body) throws SignalException {
        return switch (type) {
            case PKMSG -> decryptPreKeyMessage(address, body);
            case MSG -> decryptMessage(address, body);
            case SKMSG -> throw new IllegalArgumentException("skmsg is decrypted by GroupCipher");
        };
    }

    private Decrypted decryptMessage(SignalAddress address, byte[] body) throws SignalException {
        SessionRecord record = session(address);
        List<SessionState> candidates = new ArrayList<>();
        SessionState current = record.current();
        if (current != null) {
            candidates.add(current);
        }
        candidates.addAll(record.previous());
        if (candidates.isEmpty()) {
            throw new SignalException(Reason.NO_SESSION, "no session with " + address);
        }
        SignalException first = null;
        for (SessionState state : candidates) {
            try {
                byte[] plaintext = decryptWith(state, body);
                // a peer still writing on an older session gets our answers on it too (libsignal promotes it)
                store.storeSession(address, record.withCurrent(state));
                return new Decrypted(plaintext, IdentityChange.UNCHANGED, OptionalInt.empty());
            } catch (SignalException e) {
                // only a chain that knows the message's ratchet key can call it a replay; any other failure may
                // just mean the message belongs to another of the sessions
                if (e.reason() == Reason.DUPLICATE) {
                    throw e;
                }
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private Decrypted decryptPreKeyMessage(SignalAddress address, byte[] body) throws SignalException {
        if (body == null || body.length < 2 || (body[0] & 0xff) >> 4 != Keys.VERSION) {
            throw new SignalException(Reason.INVALID_MESSAGE, "not a version 3 pkmsg");
        }
        PreKeyWhisperMessage message;
        try {
            message = PreKeyWhisperMessage.parseFrom(Arrays.copyOfRange(body, 1, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw new SignalException(Reason.INVALID_MESSAGE, "malformed pkmsg", e);
        }
        if (!message.hasBaseKey() || !message.hasIdentityKey() || !message.hasMessage()
                || !message.hasSignedPreKeyId()) {
            throw new SignalException(Reason.INVALID_MESSAGE, "a pkmsg lacks its X3DH fields");
        }
        IdentityKey theirIdentity = IdentityKey.parse(message.getIdentityKey().toByteArray());
        byte[] baseKey = message.getBaseKey().toByteArray();
        byte[] theirBase = Keys.unprefixed(baseKey);
        IdentityChange change = identityChange(address, theirIdentity);
        SessionRecord record = change == IdentityChange.CHANGED ? SessionRecord.empty() : session(address);

        SessionState state = record.sessionWithTheirBaseKey(baseKey);
        OptionalInt consumed = OptionalInt.empty();
        if (state == null) {
            KeyPair signed = store.signedPreKey(message.getSignedPreKeyId()).orElseThrow(() -> new SignalException(
                    Reason.UNKNOWN_PRE_KEY, "no signed prekey " + message.getSignedPreKeyId()));
            KeyPair oneTime = null;
            if (message.hasPreKeyId()) {
                oneTime = store.preKey(message.getPreKeyId()).orElseThrow(() -> new SignalException(
                        Reason.UNKNOWN_PRE_KEY, "no one-time prekey " + message.getPreKeyId()));
                consumed = OptionalInt.of(message.getPreKeyId());
            }
            KeyPair ours = store.identityKeyPair();
            byte[] secret = Bytes.concat(FF32,
                    Keys.agree(signed.privateKey(), theirIdentity.publicKey()),
                    Keys.agree(ours.privateKey(), theirBase),
                    Keys.agree(signed.privateKey(), theirBase),
                    oneTime == null ? new byte[0] : Keys.agree(oneTime.privateKey(), theirBase));
            state = new SessionState();
            state.remoteRegistrationId = message.getRegistrationId();
            state.remoteIdentity = theirIdentity;
            state.baseKey = baseKey;
            state.baseKeyOurs = false;
            state.rootKey = Keys.derive(secret, Keys.ZERO_SALT, "WhisperText", 1)[0];
            state.ratchet = signed;
            state.theirRatchetKey = baseKey;
        } else if (!state.remoteIdentity.equals(theirIdentity)) {
            throw new SignalException(Reason.INVALID_MESSAGE, "a pkmsg reuses a base key under another identity");
        }
        byte[] plaintext = decryptWith(state, message.getMessage().toByteArray());

        if (change != IdentityChange.UNCHANGED) {
            store.storeIdentity(address, theirIdentity);
        }
        store.storeSession(address, record.withCurrent(state));
        if (consumed.isPresent()) {
            store.removePreKey(consumed.getAsInt());
        }
        return new Decrypted(plaintext, change, consumed);
    }

    /** Decrypts a serialized WhisperMessage with {@code state}, which it advances; throws leaving no trace. */
    private byte[] decryptWith(SessionState state, byte[] body) throws SignalException {
        if (body == null || body.length < 1 + MAC_LENGTH || (body[0] & 0xff) >> 4 != Keys.VERSION) {
            throw new SignalException(Reason.INVALID_MESSAGE, "not a version 3 msg");
        }
        byte[] serialized = Arrays.copyOfRange(body, 0, body.length - MAC_LENGTH);
        WhisperMessage message;
        try {
            message = WhisperMessage.parseFrom(Arrays.copyOfRange(serialized, 1, serialized.length));
        } catch (InvalidProtocolBufferException e) {
            throw new SignalException(Reason.INVALID_MESSAGE, "malformed msg", e);
        }
        if (!message.hasRatchetKey() || !message.hasCounter() || !message.hasCiphertext()) {
            throw new SignalException(Reason.INVALID_MESSAGE, "a msg lacks its ratchet fields");
        }
        byte[] theirRatchet = message.getRatchetKey().toByteArray();
        Keys.unprefixed(theirRatchet);
        Chain chain = state.receivingChain(theirRatchet);
        if (chain == null) {
            chain = stepRatchet(state, theirRatchet, message.getPreviousCounter());
        }
        MessageKeys keys = MessageKeys.of(chain.keyFor(message.getCounter()));
        byte[] expected = mac(keys.macKey, state.remoteIdentity.serialize(), identity(), serialized);
        if (!Keys.equal(expected, Arrays.copyOfRange(body, body.length - MAC_LENGTH, body.length))) {
            throw new SignalException(Reason.INVALID_MESSAGE, "bad MAC");
        }
        byte[] plaintext = Keys.cbcDecrypt(keys.cipherKey, keys.iv, message.getCiphertext().toByteArray());
        state.pendingPreKey = null;
        return plaintext;
    }

    /**
     * The peer moved to a new ratchet key: close the chain of its previous key after keeping its keys up to the
     * message's previous counter, derive the receiving chain for the new key, then a new key pair and sending chain.
     */
    private Chain stepRatchet(SessionState state, byte[] theirRatchet, int previousCounter) throws SignalException {
        Chain previous = state.receivingChain(state.theirRatchetKey);
        if (previous != null && previous.chainKey != null) {
            previous.skipTo(previousCounter + 1);
            previous.chainKey = null;
        }
        Chain receiving = ratchetStep(state, theirRatchet, state.ratchet, false);
        state.addReceivingChain(receiving);
        if (state.sendingChain != null) {
            state.previousCounter = Math.max(state.sendingChain.nextIndex - 1, 0);
        }
        KeyPair next = KeyPair.generate(random);
        state.ratchet = next;
        state.sendingChain = ratchetStep(state, theirRatchet, next, true);
        state.theirRatchetKey = theirRatchet;
        return receiving;
    }

    /**
     * One root-key step with DH(our key, their ratchet key): a sending chain named by our public key, or a
     * receiving chain named by theirs.
     */
    private static Chain ratchetStep(SessionState state, byte[] theirRatchet, KeyPair ours, boolean sending)
            throws SignalException {
        byte[] shared = Keys.agree(ours.privateKey(), Keys.unprefixed(theirRatchet));
        byte[][] derived = Keys.derive(shared, state.rootKey, "WhisperRatchet", 2);
        state.rootKey = derived[0];
        return new Chain(sending ? Keys.prefixed(ours.publicKey()) : theirRatchet, 0, derived[1]);
    }

    private IdentityChange identityChange(SignalAddress address, IdentityKey identity) {
        Optional<IdentityKey> known = store.identity(address);
        if (known.isEmpty()) {
            return IdentityChange.NEW;
        }
        return known.get().equals(identity) ? IdentityChange.UNCHANGED : IdentityChange.CHANGED;
    }

    private SessionRecord session(SignalAddress address) {
        return store.session(address).orElseGet(SessionRecord::empty);
    }

    private byte[] identity() {
        return Keys.prefixed(store.identityKeyPair().publicKey());
    }

    private static byte[] mac(byte[] key, byte[] senderIdentity, byte[] receiverIdentity, byte[] serialized) {
        return Arrays.copyOf(Keys.hmac(key, senderIdentity, receiverIdentity, serialized), MAC_LENGTH);
    }

    private static byte[] filled(int length, byte value) {
        byte[] out = new byte[length];
        Arrays.fill(out, value);
        return out;
    }

    /** The three keys HKDF expands a message key seed into. */
    private record MessageKeys(byte[] cipherKey, byte[] macKey, byte[] iv) {
        static MessageKeys of(byte[] seed) {
            byte[][] keys = Keys.derive(seed, Keys.ZERO_SALT, "WhisperMessageKeys", 3);
            return new MessageKeys(keys[0], keys[1], Arrays.copyOf(keys[2], 16));
        }
    }
}
