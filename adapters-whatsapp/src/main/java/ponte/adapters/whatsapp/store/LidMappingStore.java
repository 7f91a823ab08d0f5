package ponte.adapters.whatsapp.store;

import java.util.Optional;
import java.util.UUID;

/**
 * What a device learnt about the two names of its peers' accounts: the phone-number user (digits, as in
 * {@code user@s.whatsapp.net}) and the LID user ({@code user@lid}), protocol.md §1.13. One account has one of each,
 * so a newer mapping for either side replaces the older one.
 */
public interface LidMappingStore {

    /** Keeps that {@code pnUser} and {@code lidUser} name the same account; idempotent. */
    void saveLidMapping(UUID deviceId, String pnUser, String lidUser);

    /** The LID user of a phone number, when known. */
    Optional<String> lidOf(UUID deviceId, String pnUser);

    /** The phone number of a LID user, when known. */
    Optional<String> phoneOf(UUID deviceId, String lidUser);
}
