package ponte.domain.instance;

import java.time.Instant;
import java.util.UUID;

/** What happened to an instance; every status change and QR rotation becomes an {@code instance.state} event. */
public sealed interface InstanceEvent {
    UUID instanceId();

    Instant at();

    record Created(UUID instanceId, InstanceStatus status, Instant at) implements InstanceEvent {}

    record StatusChanged(UUID instanceId, InstanceStatus from, InstanceStatus to, DisconnectReason reason, Instant at)
            implements InstanceEvent {}

    record QrRotated(UUID instanceId, String qr, Instant expiresAt, Instant at) implements InstanceEvent {}

    record Deleted(UUID instanceId, Instant at) implements InstanceEvent {}
}
