package ponte.adapters.persistence.jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.PairingQrStore;

public final class JdbiPairingQrStore implements PairingQrStore {
    private static final Duration POLL = Duration.ofMillis(100);

    private final JdbiSession session;

    public JdbiPairingQrStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void show(UUID instanceId, String qr, Instant expiresAt) {
        session.useHandle(h -> h.createUpdate("""
                        insert into pairing_qr (instance_id, qr, expires_at) values (:id, :qr, :expires)
                        on conflict (instance_id) do update set qr = excluded.qr, expires_at = excluded.expires_at,
                                                                shown_at = now()""")
                .bind("id", instanceId)
                .bind("qr", qr)
                .bind("expires", Times.toDb(expiresAt))
                .execute());
    }

    @Override
    public Optional<CurrentQr> current(UUID instanceId) {
        return session.withHandle(h -> h.createQuery("select qr, expires_at from pairing_qr where instance_id = :id")
                .bind("id", instanceId)
                .map((rs, ctx) -> new CurrentQr(rs.getString("qr"), Times.read(rs, "expires_at")))
                .findOne());
    }

    /** Polls: the QR is written by whichever node runs the session, and a first QR takes a second or two. */
    @Override
    public Optional<CurrentQr> awaitNew(UUID instanceId, Optional<CurrentQr> previous, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            var current = current(instanceId);
            if (current.isPresent() && !current.equals(previous)) {
                return current;
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    @Override
    public void clear(UUID instanceId) {
        session.useHandle(h -> h.createUpdate("delete from pairing_qr where instance_id = :id")
                .bind("id", instanceId)
                .execute());
    }
}
