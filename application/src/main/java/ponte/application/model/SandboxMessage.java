package ponte.application.model;

import java.time.Instant;

/**
 * A text a sandbox phone received and decrypted: WhatsApp's message id, the 1:1 chat (the peer's PN JID), whether
 * it is a copy of the account's own message sent from a companion, the sender (PN JID, LID and push name, the last
 * two null when unknown), the server's timestamp (whole seconds), the text (empty for other types) and the content
 * as the gateway's reader reads it ({@code body}; empty when it shows nothing), and the id of the message it quotes
 * ({@code replyTo}).
 */
public record SandboxMessage(String id, String chatJid, boolean fromMe, String senderJid, String senderLid,
                             String senderPushName, Instant timestamp, String text,
                             java.util.Optional<ponte.domain.message.Message.Body> body,
                             java.util.Optional<String> replyTo) {}
