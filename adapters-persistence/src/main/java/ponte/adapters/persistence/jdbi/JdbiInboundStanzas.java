package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.UUID;
import ponte.application.port.out.InboundStanzas;

/** The inbound_stanzas table (V12): the notification ids whose events were stored, a week per instance. */
public final class JdbiInboundStanzas implements InboundStanzas {

    private final JdbiSession session;

    public JdbiInboundStanzas(JdbiSession session) {
        this.session = session;
    }

    @Override
    public boolean firstTime(UUID instanceId, String stanzaId, Instant at) {
        return session.withHandle(h -> {
            h.createUpdate("delete from inbound_stanzas where instance_id = :instance and received_at < :before")
                    .bind("instance", instanceId).bind("before", Times.toDb(at.minus(KEPT))).execute();
            return h.createUpdate("""
                            insert into inbound_stanzas (instance_id, stanza_id, received_at)
                            values (:instance, :id, :at) on conflict do nothing""")
                    .bind("instance", instanceId).bind("id", stanzaId).bind("at", Times.toDb(at)).execute() > 0;
        });
    }
}
