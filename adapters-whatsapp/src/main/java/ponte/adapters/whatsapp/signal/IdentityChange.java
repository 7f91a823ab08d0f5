package ponte.adapters.whatsapp.signal;

/**
 * What a session set-up learned about the peer's identity key, so the caller can act (record the identity, raise
 * an identity-change event, drop the user's other sessions). Trust is on first use and a changed key is accepted:
 * the old session is dropped and the new one replaces it, as WhatsApp clients do (protocol.md §1.12; Baileys
 * {@code saveIdentity}, whatsmeow {@code clearUntrustedIdentity}).
 */
public enum IdentityChange {
    /** No identity was stored for this address; the new one is now stored. */
    NEW,
    /** The stored identity matched. */
    UNCHANGED,
    /** A different identity was stored: its session was dropped and the new identity replaced it. */
    CHANGED
}
