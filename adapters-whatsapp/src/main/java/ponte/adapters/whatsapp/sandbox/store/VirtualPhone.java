package ponte.adapters.whatsapp.sandbox.store;

import ponte.adapters.whatsapp.crypto.KeyPair;

/**
 * A simulated WhatsApp account with its primary phone: its number, the name it shows, its LID user, and the
 * identity key that signs every companion it links (the ADV account key).
 */
public record VirtualPhone(String phone, String pushName, String lid, KeyPair identity, int rawId) {

    @Override
    public String toString() {
        return "VirtualPhone[" + phone + ", " + pushName + "]";
    }
}
