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
        // the user's free-form JSON: a null value is a value (Map.copyOf would refuse it)
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(metadata));
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

    /**
     * The engine says the session is dialling. A report of the status the instance already has, or one the status
     * machine does not allow from here (a stale report overtaken by a later one), changes nothing.
     */
    public Outcome reportConnecting(Instant now) {
        return report(InstanceStatus.CONNECTING, null, () -> startConnecting(now));
    }

    /**
     * The engine shows a QR code: the instance moves to {@code qr} if it is not there yet, then the code rotates. A
     * code reported when the instance cannot show one (it is connected: the report is stale) changes nothing.
     */
    public Outcome reportQr(String qr, Instant expiresAt, Instant now) {
        if (status == InstanceStatus.QR) {
            return new Outcome(this, java.util.List.of(rotateQr(qr, expiresAt, now)));
        }
        if (!status.canMoveTo(InstanceStatus.QR)) {
            return Outcome.unchanged(this);
        }
        var showing = showQr(now);
        return new Outcome(showing.instance(), java.util.List.of(showing.event(),
                showing.instance().rotateQr(qr, expiresAt, now)));
    }

    /**
     * The engine says the session is online with this account. An instance reaches {@code connected} only through
     * {@code connecting}: when the engine skipped that report (a QR scanned, a fast login), the step is recorded
     * first, so subscribers always see both.
     */
    public Outcome reportConnected(LinkedAccount linked, Instant now) {
        var events = new java.util.ArrayList<InstanceEvent>();
        var current = this;
        if (status != InstanceStatus.CONNECTING && status.canMoveTo(InstanceStatus.CONNECTING)) {
            var connecting = startConnecting(now);
            events.add(connecting.event());
            current = connecting.instance();
        }
        if (!current.status.canMoveTo(InstanceStatus.CONNECTED)) {
            return Outcome.unchanged(this);
        }
        var connected = current.markConnected(linked, now);
        events.add(connected.event());
        return new Outcome(connected.instance(), events);
    }

    /**
     * The engine learned more about the linked account (its push name arrives after login, from the phone): the
     * push name and platform the report names replace the account's, the LID is filled in only when missing (login
     * sets it), and the status does not change. Empty when nothing changes or the instance is not linked to that
     * account (a report about another phone number is stale).
     */
    public java.util.Optional<Instance> reportAccount(LinkedAccount linked, Instant now) {
        if (!hasPaired() || !account.phoneNumber().equals(linked.phoneNumber())) {
            return java.util.Optional.empty();
        }
        var merged = new LinkedAccount(account.phoneNumber(), account.lid() != null ? account.lid() : linked.lid(),
                linked.pushName() != null ? linked.pushName() : account.pushName(),
                linked.platform() != null ? linked.platform() : account.platform());
        if (merged.equals(account)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Instance(id, tenantId, name, status, statusReason, merged, metadata,
                lastSeenAt, createdAt, now));
    }

    /** The engine says the session is down, for this reason; a repeated report changes nothing. */
    public Outcome reportDisconnected(DisconnectReason reason, Instant now) {
        return report(InstanceStatus.DISCONNECTED, reason, () -> markDisconnected(reason, now));
    }

    /** The engine gave up on the session; a repeated report changes nothing. */
    public Outcome reportFailed(Instant now) {
        return report(InstanceStatus.FAILED, null, () -> markFailed(now));
    }

    private Outcome report(InstanceStatus target, DisconnectReason reason, java.util.function.Supplier<Change> move) {
        if ((status == target && statusReason == reason) || !status.canMoveTo(target)) {
            return Outcome.unchanged(this);
        }
        var change = move.get();
        return new Outcome(change.instance(), java.util.List.of(change.event()));
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

    /**
     * What a report from the engine did: the instance as it is now and the events that explain it, in order; no
     * events when the report changed nothing (a repeat, or a stale report the status machine refuses).
     */
    public record Outcome(Instance instance, java.util.List<InstanceEvent> events) {
        public Outcome {
            Objects.requireNonNull(instance, "instance");
            events = java.util.List.copyOf(events);
        }

        static Outcome unchanged(Instance instance) {
            return new Outcome(instance, java.util.List.of());
        }

        public boolean changed() {
            return !events.isEmpty();
        }
    }
}
