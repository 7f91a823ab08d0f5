package ponte.domain.message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A sent message moved on: the domain event behind one {@code message.status} event. The envelope's
 * {@code occurred_at} is {@link #at()}.
 *
 * @param participant in a group, the member whose receipt this is; empty in a 1:1 chat and for server acks
 * @param error       why it failed, only with {@link MessageStatus#FAILED}
 */
public record MessageStatusChanged(MessageId messageId, Jid chatJid, Optional<Jid> participant,
                                   MessageStatus status, Optional<String> error, Instant at) {
    public MessageStatusChanged {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(chatJid, "chatJid");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(at, "at");
        if (status == MessageStatus.QUEUED) {
            throw new IllegalArgumentException("queued is not announced: the send's 202 reports it");
        }
        if (error.isPresent() != (status == MessageStatus.FAILED)) {
            throw new IllegalArgumentException("an error goes with failed, and only with failed");
        }
    }

    /**
     * The {@code data} of the {@code message.status} event (API.md "Events"): {@code {type, message_id, chat_jid,
     * participant?, status, error?}}, where {@code type}, the envelope's subtype, is the status itself. Absent
     * optional fields are left out.
     */
    public Map<String, Object> data() {
        var data = new LinkedHashMap<String, Object>();
        data.put("type", status.wireName());
        data.put("message_id", messageId.value());
        data.put("chat_jid", chatJid.toString());
        participant.ifPresent(p -> data.put("participant", p.toString()));
        data.put("status", status.wireName());
        error.ifPresent(e -> data.put("error", e));
        return data;
    }
}
