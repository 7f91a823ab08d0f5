package ponte.application.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a sandbox phone's app state holds (issue 12 §8): its address book and its labels (business accounts). The
 * phone pushes every change to its linked companions as app-state patches.
 */
public final class SandboxAppState {
    private SandboxAppState() {}

    /** One address-book entry: the contact's PN JID and the full name saved for it. */
    public record Contact(String jid, String name) {}

    /** One label: WhatsApp's id, its name and colour index (0-19). */
    public record Label(String id, String name, int color) {}

    /**
     * A change of a chat's settings on the phone: each present field is set, absent ones are left as they are.
     * {@code muted} true with {@code mutedUntil} empty mutes for ever.
     */
    public record ChatFlagsChange(Optional<Boolean> archived, Optional<Boolean> pinned, Optional<Boolean> muted,
                                  Optional<Instant> mutedUntil) {}

    /** The phone's address book, in JID order. */
    public record AddressBook(List<Contact> contacts) {}
}
