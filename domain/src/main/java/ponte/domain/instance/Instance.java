package ponte.domain.instance;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One WhatsApp number linked (or to be linked) to a tenant. Immutable: every behaviour returns the new state
 * together with the event it caused, and the caller decides what to store and publish.
 */
public record Instance(
        UUID id,
        UUID tenantId,
        InstanceName name,
        InstanceStatus status,
        DisconnectReason statusReason,
        LinkedAccount account,
        Map<String, Object> metadata,
        Instant lastSeenAt,
        Instant createdAt,
        Instant updatedAt) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if ((status == InstanceStatus.DISCONNECTED) != (statusReason != null)) {
            throw new IllegalArgumentException("exactly the disconnected status carries a reason");
        }
    }

    /** A new instance has never paired: it starts {@code pending}. */
    public static Change create(UUID id, UUID tenantId, InstanceName name, Map<String, Object> metadata, Instant now) {
        var instance = new Instance(id, tenantId, name, InstanceStatus.PENDING, null, LinkedAccount.NONE,
                metadata, null, now, now);
        return new Change(instance, new InstanceEvent.Created(id, InstanceStatus.PENDING, now));
    }

    public Change showQr(Instant now) {
        return moveTo(InstanceStatus.QR, null, account, now);
    }

    public Change startConnecting(Instant now) {
        return moveTo(InstanceStatus.CONNECTING, null, account, now);
    }

    public Change markConnected(LinkedAccount linked, Instant now) {
        Objects.requireNonNull(linked, "linked");
        var change = moveTo(InstanceStatus.CONNECTED, null, linked, now);
        return new Change(change.instance().withLastSeen(now), change.event());
    }

    public Change markDisconnected(DisconnectReason reason, Instant now) {
        Objects.requireNonNull(reason, "reason");
        var keptAccount = reason == DisconnectReason.LOGGED_OUT ? LinkedAccount.NONE : account;
        return moveTo(InstanceStatus.DISCONNECTED, reason, keptAccount, now);
    }

    public Change markFailed(Instant now) {
        return moveTo(InstanceStatus.FAILED, null, account, now);
    }

    public InstanceEvent.QrRotated rotateQr(String qr, Instant expiresAt, Instant now) {
        if (status != InstanceStatus.QR) {
            throw new IllegalStateException("a QR code belongs to an instance in the qr status, not " + status.wireName());
        }
        return new InstanceEvent.QrRotated(id, qr, expiresAt, now);
    }

    public InstanceEvent.Deleted delete(Instant now) {
        return new InstanceEvent.Deleted(id, now);
    }

    public boolean hasPaired() {
        return account.isLinked();
    }

    private Change moveTo(InstanceStatus target, DisconnectReason reason, LinkedAccount newAccount, Instant now) {
        if (!status.canMoveTo(target)) {
            throw new IllegalTransitionException(status, target);
        }
        var next = new Instance(id, tenantId, name, target, reason, newAccount, metadata, lastSeenAt, createdAt, now);
        return new Change(next, new InstanceEvent.StatusChanged(id, status, target, reason, now));
    }

    private Instance withLastSeen(Instant now) {
        return new Instance(id, tenantId, name, status, statusReason, account, metadata, now, createdAt, updatedAt);
    }

    /** The new state of an instance and the event that explains it. */
    public record Change(Instance instance, InstanceEvent event) {}
}
