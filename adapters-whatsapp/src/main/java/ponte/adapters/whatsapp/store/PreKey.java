package ponte.adapters.whatsapp.store;

import ponte.adapters.whatsapp.crypto.KeyPair;

/** A one-time prekey; its id is 24 bits on the wire. */
public record PreKey(int id, KeyPair keyPair) {

    public static final int MAX_ID = (1 << 24) - 1;

    public PreKey {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("prekey ids are 1.." + MAX_ID + ", got " + id);
        }
    }
}
