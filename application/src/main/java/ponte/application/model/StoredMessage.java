package ponte.application.model;

import java.util.List;
import ponte.domain.message.Message;
import ponte.domain.message.StatusChange;

/**
 * A message as the store keeps it: the message object of API.md and, for messages we sent, every status it went
 * through (oldest first; empty for received messages).
 */
public record StoredMessage(Message message, List<StatusChange> history) {
    public StoredMessage {
        history = List.copyOf(history);
    }
}
