package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ponte.application.model.LeaseFence;
import ponte.application.port.out.OutgoingQueue;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/** The outgoing_queue table: accepted sends in order (its identity column) per instance and chat. */
public final class JdbiOutgoingQueue implements OutgoingQueue {
    private final JdbiSession session;
    private final MessageJson json;

    public JdbiOutgoingQueue(JdbiSession session, ObjectMapper json) {
        this.session = session;
        this.json = new MessageJson(json);
    }

    @Override
    public void enqueue(UUID instanceId, Jid chat, MessageId id, Send send, Instant at) {
        session.useHandle(h -> h.createUpdate("""
                        insert into outgoing_queue (instance_id, message_id, chat_jid, state, not_before, send,
                            created_at, updated_at)
                        values (:instance, :id, :chat, 'queued', :at, cast(:send as jsonb), :at, :at)""")
                .bind("instance", instanceId).bind("id", id.value()).bind("chat", chat.toString())
                .bind("send", json.write(send)).bind("at", Times.toDb(at))
                .execute());
    }

    @Override
    public List<UUID> instancesWithWork() {
        return session.withHandle(h -> h.createQuery(
                        "select distinct instance_id from outgoing_queue where state <> 'done'")
                .mapTo(UUID.class).list());
    }

    @Override
    public List<Head> heads(UUID instanceId) {
        return session.withHandle(h -> h.createQuery("""
                        select * from (
                            select distinct on (chat_jid) message_id, chat_jid, state, attempts, not_before, send, seq
                            from outgoing_queue where instance_id = :instance and state <> 'done'
                            order by chat_jid, seq) heads
                        order by seq""")
                .bind("instance", instanceId)
                .map((rs, ctx) -> new Head(new MessageId(rs.getString("message_id")),
                        Jid.parse(rs.getString("chat_jid")).orElseThrow(), rs.getString("state").equals("sending"),
                        rs.getInt("attempts"), Times.read(rs, "not_before"), json.send(rs.getString("send"))))
                .list());
    }

    @Override
    public boolean markSending(UUID instanceId, MessageId id, Instant at, LeaseFence fence) {
        // fenced in the same statement: no extra round trip, and a node whose lease moved on claims nothing
        return session.withHandle(h -> h.createUpdate("""
                        update outgoing_queue set state = 'sending', attempts = attempts + 1, updated_at = :at
                        where instance_id = :instance and message_id = :id
                          and exists (select 1 from instance_leases l where l.instance_id = :instance
                                      and l.node_id = :node and l.epoch = :epoch and l.expires_at > now())""")
                .bind("instance", instanceId).bind("id", id.value()).bind("at", Times.toDb(at))
                .bind("node", fence.node()).bind("epoch", fence.epoch())
                .execute()) == 1;
    }

    @Override
    public void requeue(UUID instanceId, MessageId id, Instant notBefore) {
        update(instanceId, id, "state = 'queued', not_before = :at, updated_at = :at", notBefore);
    }

    @Override
    public void done(UUID instanceId, MessageId id, Instant at) {
        update(instanceId, id, "state = 'done', updated_at = :at", at);
    }

    @Override
    public int purgeDone(Instant before) {
        return session.withHandle(h -> h.createUpdate(
                        "delete from outgoing_queue where state = 'done' and updated_at < :before")
                .bind("before", Times.toDb(before)).execute());
    }

    @Override
    public void retarget(UUID instanceId, MessageId id, Jid chat, Send send) {
        session.useHandle(h -> h.createUpdate("""
                        update outgoing_queue set chat_jid = :chat, send = cast(:send as jsonb)
                        where instance_id = :instance and message_id = :id""")
                .bind("instance", instanceId).bind("id", id.value()).bind("chat", chat.toString())
                .bind("send", json.write(send))
                .execute());
    }

    private void update(UUID instanceId, MessageId id, String set, Instant at) {
        session.useHandle(h -> h.createUpdate("update outgoing_queue set " + set
                        + " where instance_id = :instance and message_id = :id")
                .bind("instance", instanceId).bind("id", id.value()).bind("at", Times.toDb(at))
                .execute());
    }
}
