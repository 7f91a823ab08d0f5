package ponte.application.port.out;

import java.util.Optional;
import java.util.UUID;
import ponte.domain.appstate.AppStateChange;

/**
 * What app-state sync keeps per instance (issue 12 §8): saved contact names, the archive/pin/mute setting of each
 * chat (both keyed by JID, read by {@link MessageStore#contacts} and {@link MessageStore#chats}) and the labels, whose
 * name and colour the events of their associations carry. Calls join the caller's transaction.
 */
public interface ChatStateStore {

    /**
     * Applies one change: a contact name saved or forgotten, a chat flag set, a label kept (a deleted one is kept
     * as deleted), or a {@link AppStateChange.Reset} that forgets every name or turns every flag of its kinds off.
     * Label associations are not stored (they only become events).
     */
    void apply(UUID instanceId, AppStateChange change);

    /** A label as last edited, deleted ones included. */
    Optional<Label> label(UUID instanceId, String labelId);

    /** A label (business accounts): its id, name, WhatsApp colour index, and whether it was deleted. */
    record Label(String id, String name, int color, boolean deleted) {}
}
