package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.CurrentQr;
import ponte.application.port.out.PairingQrStore;

/** The QR code each instance shows, in one row per instance, written by the node that runs its session. */
public final class JdbiPairingQrStore implements PairingQrStore {
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

    @Override
    public void clear(UUID instanceId) {
        session.useHandle(h -> h.createUpdate("delete from pairing_qr where instance_id = :id")
                .bind("id", instanceId)
                .execute());
    }
}
