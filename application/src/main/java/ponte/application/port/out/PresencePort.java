package ponte.application.port.out;

import java.util.Optional;
import java.util.UUID;
import ponte.application.model.ContactPresence;
import ponte.domain.message.Jid;

/**
 * What the presence use cases ask of the WhatsApp engine (protocol.md §1.20): our own presence, chat states to a
 * chat, subscriptions to someone's presence, and what the session heard of others (kept in memory per contact).
 * None of these stanzas is acknowledged by the server: a call returns once the stanza was written.
 */
public interface PresencePort {

    /**
     * Our own presence: {@code <presence type="available|unavailable" name="<push name>"/>}.
     *
     * @throws MessagingPort.Offline when the instance has no live session on this node
     */
    void announce(UUID instanceId, boolean available);

    /**
     * A chat state to {@code chat} (a person or a group): {@code composing}, {@code recording} (composing with
     * {@code media="audio"}) or {@code paused}.
     *
     * @throws MessagingPort.Offline when the instance has no live session on this node
     */
    void chatState(UUID instanceId, Jid chat, String state);

    /**
     * Subscribes to a person's presence ({@code <presence type="subscribe" to/>}): the server sends it now and as it
     * changes, and {@link #presence} shows it.
     *
     * @throws MessagingPort.Offline when the instance has no live session on this node
     */
    void subscribe(UUID instanceId, Jid person);

    /**
     * The newest presence or chat state the instance's session on this node heard from {@code person} (a phone
     * JID or LID, without device), under either of their names; empty when nothing was heard or the session does
     * not run here.
     */
    Optional<ContactPresence> presence(UUID instanceId, Jid person);
}
