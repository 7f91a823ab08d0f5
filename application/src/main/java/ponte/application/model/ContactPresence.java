package ponte.application.model;

import java.time.Instant;
import java.util.Optional;

/**
 * What the instance last heard of a person's presence (API.md "Chats, contacts, store": {@code GET
 * /contacts/{jid}}'s {@code presence}), kept in memory by the node running the session, so empty after a restart
 * until the person's presence is heard again.
 *
 * @param state     {@code available}, {@code unavailable}, {@code composing}, {@code recording} or {@code paused}
 * @param lastSeen  when the person was last online, when they share it (sent with an {@code unavailable} presence)
 * @param updatedAt when the instance heard this
 */
public record ContactPresence(String state, Optional<Instant> lastSeen, Instant updatedAt) {}
