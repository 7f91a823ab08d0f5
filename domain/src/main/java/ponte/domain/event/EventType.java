package ponte.domain.event;

import java.util.Arrays;
import java.util.Optional;

/** The six kinds of event a gateway emits; the same names on webhooks, WebSocket and SSE. */
public enum EventType {
    MESSAGE_EXCHANGE("message.exchange", "Received and sent messages of every kind, edits, revokes, poll votes"),
    MESSAGE_STATUS("message.status", "Delivery status of sent messages: sent, delivered, read, played, failed"),
    CALL_UPDATE("call.update", "Calls: offer, accepted, rejected, terminated, missed"),
    GROUP_FLOW("group.flow", "Group changes by anyone: created, joined, left, added, removed, promoted, demoted, "
            + "subject, description, settings"),
    INSTANCE_STATE("instance.state", "Instance lifecycle: created, status changes, QR rotations, deleted"),
    LABEL_UPDATE("label.update", "Chat labels added, removed or edited");

    private final String wireName;
    private final String description;

    EventType(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
