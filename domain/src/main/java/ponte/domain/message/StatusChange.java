package ponte.domain.message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a message's status history as {@code GET /v1/instances/{id}/messages/{message_id}} shows it:
 * {@code {status, at, participant?, error?}}.
 */
public record StatusChange(MessageStatus status, Instant at, Optional<Jid> participant, Optional<String> error) {
    public StatusChange {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(error, "error");
    }

    /** The wire form, absent optional fields left out. */
    public Map<String, Object> wireForm() {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("status", status.wireName());
        wire.put("at", at.toString());
        participant.ifPresent(p -> wire.put("participant", p.toString()));
        error.ifPresent(e -> wire.put("error", e));
        return wire;
    }
}
