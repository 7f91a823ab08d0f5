package ponte.domain.appstate;

import java.time.Instant;
import java.util.Optional;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * One thing the account's own phone changed and app-state sync told us (issue 12 §8, protocol.md §1.17): a saved
 * contact name, a chat's archive, pin or mute setting, or a label (business accounts) and what it is attached to.
 * {@link #at()} is when the phone made the change (the action's timestamp).
 */
public sealed interface AppStateChange {

    Instant at();

    /** What a {@link Reset} clears. */
    enum Kind {
        CONTACT_NAMES, CHAT_ARCHIVED, CHAT_PINNED, CHAT_MUTED,
        /** Labels and their associations: those the snapshot does not hold again are deleted and removed. */
        LABELS
    }

    /**
     * A full snapshot follows: everything of these kinds that it does not set again is gone (names forgotten,
     * flags off, labels deleted and taken off). Comes first in its list, which holds the whole snapshot.
     */
    record Reset(java.util.Set<Kind> kinds, Instant at) implements AppStateChange {
        public Reset {
            kinds = java.util.Set.copyOf(kinds);
        }
    }

    /** A contact saved under {@code name} in the address book; empty when deleted from it. */
    record ContactName(Jid jid, Optional<String> name, Instant at) implements AppStateChange {
    }

    /** A chat archived or taken out of the archive. */
    record ChatArchived(Jid chat, boolean archived, Instant at) implements AppStateChange {
    }

    /** A chat pinned to the top of the list, or unpinned. */
    record ChatPinned(Jid chat, boolean pinned, Instant at) implements AppStateChange {
    }

    /** A chat muted (until {@code until}, or for ever when empty), or unmuted ({@code muted} false). */
    record ChatMuted(Jid chat, boolean muted, Optional<Instant> until, Instant at) implements AppStateChange {
    }

    /**
     * A label created or edited ({@code deleted} false) or deleted. {@code color} is WhatsApp's palette index
     * (0-19).
     */
    record LabelEdited(String labelId, String name, int color, boolean deleted, Instant at)
            implements AppStateChange {
    }

    /**
     * A label put on ({@code labeled}) or taken off a chat, or one message of it when {@code message} is present.
     */
    record LabelAssociated(String labelId, Jid chat, Optional<MessageId> message, boolean labeled, Instant at)
            implements AppStateChange {
    }
}
