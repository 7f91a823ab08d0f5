package ponte.application.model;

import java.util.Optional;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;

/**
 * What a send answers (API.md "Messages": {@code {id, status, to, chat_jid, type}}): the message id fixed before the
 * first try, where it stands now, the {@code to} as the caller gave it and the chat it resolved to.
 *
 * @param error the reason, when {@code failed}
 */
public record QueuedMessage(MessageId id, MessageStatus status, String to, Jid chatJid, String type,
                            Optional<String> error) {}
