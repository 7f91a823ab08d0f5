package ponte.application.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import ponte.domain.message.Jid;

/**
 * One chat as the message store keeps it (API.md "Chats, contacts, store"): a person's chat gathers the messages
 * addressed by their phone-number JID and by their LID once a received message paired the two (it is named by the
 * phone-number JID then).
 *
 * @param name        the other person's push name from their latest received message; empty for groups (their
 *                    subject is not stored yet) and for people who never wrote
 * @param lastMessage the newest message of the chat
 * @param unreadCount received messages not marked read
 * @param updatedAt   when the newest message was sent
 * @param flags       archived, pinned and muted as the phone set them (app-state sync)
 * @param labels      the labels the phone put on the chat itself (app-state sync; not those on one of its
 *                    messages), deleted labels left out, by id
 */
public record ChatSummary(Jid jid, Optional<String> name, boolean isGroup, StoredMessage lastMessage,
                          int unreadCount, Instant updatedAt, ChatFlags flags, List<ChatLabel> labels) {

    public ChatSummary {
        labels = List.copyOf(labels);
    }

    /** A chat the phone never archived, pinned, muted or labelled. */
    public ChatSummary(Jid jid, Optional<String> name, boolean isGroup, StoredMessage lastMessage, int unreadCount,
                       Instant updatedAt) {
        this(jid, name, isGroup, lastMessage, unreadCount, updatedAt, ChatFlags.NONE, List.of());
    }
}
