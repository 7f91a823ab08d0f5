package ponte.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * What app-state sync keeps per instance (issue 12 §8): saved contact names, the archive/pin/mute setting of each
 * chat (both keyed by JID, read by {@link MessageStore#contacts} and {@link MessageStore#chats}), the labels, whose
 * name and colour the events of their associations carry, and which labels are on which chats and messages (shown in
 * {@link MessageStore#chats}). Calls join the caller's transaction.
 */
public interface ChatStateStore {

    /**
     * Applies one change: a contact name saved or forgotten, a chat flag set, a label kept (a deleted one is kept
     * as deleted), a label association kept or dropped, or a {@link AppStateChange.Reset} that forgets every name or
     * turns every flag of its kinds off (a reset of {@link AppStateChange.Kind#LABELS} changes nothing here: what a
     * snapshot no longer holds is found by comparing with {@link #labels} and {@link #associations}). Returns whether
     * a label or association changed what was kept (a label edited to what it was, an association put on twice or
     * taken off when it was not on, is no change); true for the other kinds.
     */
    boolean apply(UUID instanceId, AppStateChange change);

    /** A label as last edited, deleted ones included. */
    Optional<Label> label(UUID instanceId, String labelId);

    /** The labels kept and not deleted, by id. */
    List<Label> labels(UUID instanceId);

    /** The label associations kept, by label, chat and message. */
    List<Association> associations(UUID instanceId);

    /** A label (business accounts): its id, name, WhatsApp colour index, and whether it was deleted. */
    record Label(String id, String name, int color, boolean deleted) {}

    /** A label on a chat, or on one message of it when {@code message} is present. */
    record Association(String labelId, Jid chat, Optional<MessageId> message) {}
}
