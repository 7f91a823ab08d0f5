package ponte.adapters.whatsapp.signal;

import java.security.SecureRandom;
import java.util.OptionalInt;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;

/** A Signal party on our side of a test: an in-memory store with a signed prekey and a few one-time prekeys. */
final class JavaParty {

    static final SecureRandom RANDOM = new SecureRandom();
    static final int SIGNED_PRE_KEY_ID = 7;

    final InMemorySignalStore store;
    final SessionCipher sessions;
    final GroupCipher groups;
    final KeyPair signedPreKey = KeyPair.generate(RANDOM);
    final byte[] signature;
    final KeyPair[] preKeys = new KeyPair[10];

    JavaParty() {
        KeyPair identity = KeyPair.generate(RANDOM);
        store = new InMemorySignalStore(identity, 1 + RANDOM.nextInt(16380));
        signature = XEdDsa.sign(identity.privateKey(), Keys.prefixed(signedPreKey.publicKey()), RANDOM);
        store.addSignedPreKey(SIGNED_PRE_KEY_ID, signedPreKey);
        for (int i = 0; i < preKeys.length; i++) {
            preKeys[i] = KeyPair.generate(RANDOM);
            store.addPreKey(100 + i, preKeys[i]);
        }
        sessions = new SessionCipher(store, RANDOM);
        groups = new GroupCipher(store, RANDOM);
    }

    IdentityKey identity() {
        return new IdentityKey(store.identityKeyPair().publicKey());
    }

    /** The bundle with one-time prekey {@code 100 + index}, or none when index is negative. */
    PreKeyBundle bundle(int index) {
        if (index < 0) {
            return PreKeyBundle.withoutPreKey(store.registrationId(), identity(), SIGNED_PRE_KEY_ID,
                    signedPreKey.publicKey(), signature);
        }
        return new PreKeyBundle(store.registrationId(), identity(), SIGNED_PRE_KEY_ID, signedPreKey.publicKey(),
                signature, OptionalInt.of(100 + index), preKeys[index].publicKey());
    }
}
