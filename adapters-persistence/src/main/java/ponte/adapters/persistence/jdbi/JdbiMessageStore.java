package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.MessageStore;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingStatus;

/** The messages table: every message sent or received, keyed by (instance, id). */
public final class JdbiMessageStore implements MessageStore {
    private static final String COLUMNS = "tenant_id, id, chat_jid, status, message, outgoing";

    private final JdbiSession session;
    private final MessageJson json;

    public JdbiMessageStore(JdbiSession session, ObjectMapper json) {
        this.session = session;
        this.json = new MessageJson(json);
    }

    @Override
    public boolean insert(UUID tenantId, UUID instanceId, Message message, Optional<OutgoingStatus> outgoing,
                          Instant storedAt) {
        return session.withHandle(h -> h.createUpdate("""
                        insert into messages (instance_id, id, tenant_id, chat_jid, from_me, sender_jid, sender_lid,
                            participant, sent_at, type, status, message, outgoing, created_at)
                        values (:instance, :id, :tenant, :chat, :fromMe, :senderJid, :senderLid, :participant, :sentAt,
                            :type, :status, cast(:message as jsonb), cast(:outgoing as jsonb), :created)
                        on conflict (instance_id, id) do nothing""")
                .bind("instance", instanceId)
                .bind("id", message.id().value())
                .bind("tenant", tenantId)
                .bind("chat", message.chatJid().toString())
                .bind("fromMe", message.fromMe())
                .bind("senderJid", message.sender().jid().map(Jid::toString).orElse(null))
                .bind("senderLid", message.sender().lid().map(Jid::toString).orElse(null))
                .bind("participant", message.participant().map(Jid::toString).orElse(null))
                .bind("sentAt", Times.toDb(message.timestamp()))
                .bind("type", message.body().type())
                .bind("status", outgoing.map(OutgoingStatus::status).orElse(message.status()).wireName())
                .bind("message", json.write(message.wireForm()))
                .bind("outgoing", outgoing.map(json::write).orElse(null))
                .bind("created", Times.toDb(storedAt))
                .execute() == 1);
    }

    @Override
    public Optional<Stored> find(UUID instanceId, MessageId id) {
        return session.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from messages where instance_id = :instance and id = :id")
                .bind("instance", instanceId).bind("id", id.value())
                .map((rs, ctx) -> stored(rs)).findOne());
    }

    @Override
    public Optional<Stored> lockOwn(UUID instanceId, MessageId id) {
        return session.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from messages where instance_id = :instance and id = :id and from_me for update")
                .bind("instance", instanceId).bind("id", id.value())
                .map((rs, ctx) -> stored(rs)).findOne());
    }

    @Override
    public void updateOutgoing(UUID instanceId, OutgoingStatus status) {
        session.useHandle(h -> h.createUpdate("""
                        update messages set status = :status, outgoing = cast(:outgoing as jsonb), chat_jid = :chat,
                            message = jsonb_set(message, '{chat_jid}', to_jsonb(cast(:chat as text)))
                        where instance_id = :instance and id = :id and from_me""")
                .bind("instance", instanceId)
                .bind("id", status.id().value())
                .bind("status", status.status().wireName())
                .bind("outgoing", json.write(status))
                .bind("chat", status.chatJid().toString())
                .execute());
    }

    @Override
    public List<Message> markChatRead(UUID instanceId, Jid chat, Instant at) {
        return session.withHandle(h -> h.createQuery("""
                        with marked as (
                            update messages set status = 'read', read_at = :at, read_receipt_pending = true
                            where instance_id = :instance and chat_jid = :chat and not from_me and read_at is null
                        """ + "returning " + COLUMNS + ", sent_at)\n"
                        + "select " + COLUMNS + " from marked order by sent_at, id")
                .bind("instance", instanceId).bind("chat", chat.toString()).bind("at", Times.toDb(at))
                .map((rs, ctx) -> stored(rs).message()).list());
    }

    @Override
    public List<Message> pendingReadReceipts(UUID instanceId, int max) {
        return session.withHandle(h -> h.createQuery("select " + COLUMNS + """
                         from messages where instance_id = :instance and read_receipt_pending
                        order by sent_at, id limit :max""")
                .bind("instance", instanceId).bind("max", max)
                .map((rs, ctx) -> stored(rs).message()).list());
    }

    @Override
    public void readReceiptsSent(UUID instanceId, List<MessageId> ids) {
        session.useHandle(h -> h.createUpdate("""
                        update messages set read_receipt_pending = false
                        where instance_id = :instance and id = any(:ids)""")
                .bind("instance", instanceId)
                .bindArray("ids", String.class, ids.stream().map(MessageId::value).toList())
                .execute());
    }

    @Override
    public List<UUID> instancesWithPendingReceipts() {
        return session.withHandle(h -> h.createQuery(
                        "select distinct instance_id from messages where read_receipt_pending")
                .mapTo(UUID.class).list());
    }

    private Stored stored(ResultSet rs) throws SQLException {
        var status = MessageJson.status(rs.getString("status"));
        var chat = rs.getString("chat_jid");
        var message = json.message(rs.getString("message"), status, chat);
        var outgoing = Optional.ofNullable(rs.getString("outgoing"))
                .map(text -> json.outgoing(text, message.id(), message.chatJid(), status));
        return new Stored(rs.getObject("tenant_id", UUID.class), message, outgoing);
    }
}
