package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.ChatwootSyncStore;

/**
 * The Chatwoot mirror's outbox over chatwoot_deliveries (a chat's deliveries are claimed one at a time, oldest first,
 * so they land in order) and its mappings over chatwoot_contacts, chatwoot_conversations and chatwoot_messages.
 */
public final class JdbiChatwootSync implements ChatwootSyncStore {
    private final JdbiSession session;

    public JdbiChatwootSync(JdbiSession session) {
        this.session = session;
    }

    @Override
    public boolean enqueue(UUID tenantId, UUID instanceId, UUID eventId, String chatJid, String messageId,
                           String kind, String detail, Instant at) {
        // one statement: nothing is queued unless the integration is on and has its inbox
        return session.withHandle(h -> h.createUpdate("""
                        insert into chatwoot_deliveries (id, tenant_id, instance_id, event_id, chat_jid, message_id,
                            kind, detail, status, next_attempt_at, created_at, updated_at)
                        select :event, :tenant, :instance, :event, :chat, :message, :kind, :detail, 'pending', :at,
                            :at, :at
                        from chatwoot_configs c
                        where c.instance_id = :instance and c.enabled and c.inbox_id is not null""")
                .bind("event", eventId)
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .bind("chat", chatJid)
                .bind("message", messageId)
                .bind("kind", kind)
                .bind("detail", detail)
                .bind("at", Times.toDb(at))
                .execute()) > 0;
    }

    @Override
    public List<Due> claim(int max, Instant now, Instant leaseUntil, UUID claimToken) {
        return session.inTransaction(() -> session.withHandle(h -> h.createQuery("""
                        with heads as (
                            select distinct on (instance_id, chat_jid) id, next_attempt_at, claimed_until
                            from chatwoot_deliveries
                            where status = 'pending'
                            order by instance_id, chat_jid, seq),
                        due as (
                            select d.id from chatwoot_deliveries d join heads on heads.id = d.id
                            where heads.next_attempt_at <= :now
                              and (heads.claimed_until is null or heads.claimed_until < :now)
                            order by d.seq
                            limit :max
                            for update of d skip locked)
                        update chatwoot_deliveries d set claim_token = :token, claimed_until = :until
                        from due where d.id = due.id
                        returning d.id, d.tenant_id, d.instance_id, d.chat_jid, d.message_id, d.kind, d.detail,
                            d.attempts, d.created_at""")
                .bind("now", Times.toDb(now))
                .bind("max", max)
                .bind("token", claimToken)
                .bind("until", Times.toDb(leaseUntil))
                .map((rs, ctx) -> new Due(rs.getObject("id", UUID.class), claimToken,
                        rs.getObject("tenant_id", UUID.class), rs.getObject("instance_id", UUID.class),
                        rs.getString("chat_jid"), rs.getString("message_id"), rs.getString("kind"),
                        rs.getString("detail"), rs.getInt("attempts"), Times.read(rs, "created_at")))
                .list()));
    }

    @Override
    public void recordAttempt(UUID deliveryId, UUID claimToken, String error, Instant nextAttemptAt, Instant now) {
        var status = nextAttemptAt != null ? "pending" : error == null ? "succeeded" : "failed";
        session.useHandle(h -> h.createUpdate("""
                        update chatwoot_deliveries set attempts = attempts + 1, status = :status,
                            next_attempt_at = :next, claim_token = null, claimed_until = null, last_error = :error,
                            updated_at = :now
                        where id = :id and claim_token = :token""")
                .bind("id", deliveryId)
                .bind("token", claimToken)
                .bind("status", status)
                .bind("next", Times.toDb(nextAttemptAt))
                .bind("error", error)
                .bind("now", Times.toDb(now))
                .execute());
    }

    @Override
    public ponte.application.model.Page<ponte.application.model.ChatwootDelivery> list(UUID instanceId, ponte.application.model.DeliveryStatus status,
                                                     ponte.application.model.PageRequest page) {
        var after = Cursors.decode(page.cursor());
        var rows = session.withHandle(h -> h.createQuery("""
                        select * from chatwoot_deliveries
                        where instance_id = :instance
                          and (cast(:status as text) is null or status = :status)
                          and (cast(:after as uuid) is null or id < cast(:after as uuid))
                        order by id desc limit :limit""")
                .bind("instance", instanceId)
                .bind("status", status == null ? null : status.wireName())
                .bind("after", after)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> {
                    var state = ponte.application.model.DeliveryStatus.valueOf(
                            rs.getString("status").toUpperCase(java.util.Locale.ROOT));
                    return new ponte.application.model.ChatwootDelivery(rs.getObject("id", UUID.class), rs.getString("message_id"),
                            rs.getString("chat_jid"), rs.getString("kind"), state, rs.getInt("attempts"),
                            rs.getString("last_error"),
                            state == ponte.application.model.DeliveryStatus.PENDING
                                    ? Times.read(rs, "next_attempt_at") : null,
                            state == ponte.application.model.DeliveryStatus.SUCCEEDED
                                    ? Times.read(rs, "updated_at") : null,
                            Times.read(rs, "created_at"));
                }).list());
        return Cursors.page(rows, page.limit(), ponte.application.model.ChatwootDelivery::id);
    }

    @Override
    public Optional<Long> contact(UUID instanceId, String person) {
        return session.withHandle(h -> h.createQuery(
                        "select contact_id from chatwoot_contacts where instance_id = :instance and person = :person")
                .bind("instance", instanceId).bind("person", person).mapTo(Long.class).findOne());
    }

    @Override
    public void saveContact(UUID instanceId, String person, long contactId) {
        session.useHandle(h -> h.createUpdate("""
                        insert into chatwoot_contacts (instance_id, person, contact_id) values (:instance, :person, :id)
                        on conflict (instance_id, person) do update set contact_id = excluded.contact_id""")
                .bind("instance", instanceId).bind("person", person).bind("id", contactId).execute());
    }

    @Override
    public Optional<Long> conversation(UUID instanceId, String chatJid) {
        return session.withHandle(h -> h.createQuery("""
                        select conversation_id from chatwoot_conversations
                        where instance_id = :instance and chat_jid = :chat""")
                .bind("instance", instanceId).bind("chat", chatJid).mapTo(Long.class).findOne());
    }

    @Override
    public void saveConversation(UUID instanceId, String chatJid, long conversationId) {
        session.useHandle(h -> h.createUpdate("""
                        insert into chatwoot_conversations (instance_id, chat_jid, conversation_id)
                        values (:instance, :chat, :id)
                        on conflict (instance_id, chat_jid) do update set conversation_id = excluded.conversation_id""")
                .bind("instance", instanceId).bind("chat", chatJid).bind("id", conversationId).execute());
    }

    @Override
    public Optional<String> chatOf(UUID instanceId, long conversationId) {
        return session.withHandle(h -> h.createQuery("""
                        select chat_jid from chatwoot_conversations
                        where instance_id = :instance and conversation_id = :id limit 1""")
                .bind("instance", instanceId).bind("id", conversationId).mapTo(String.class).findOne());
    }

    @Override
    public Optional<Long> chatwootMessage(UUID instanceId, String whatsappId) {
        return session.withHandle(h -> h.createQuery("""
                        select chatwoot_id from chatwoot_messages where instance_id = :instance and whatsapp_id = :id""")
                .bind("instance", instanceId).bind("id", whatsappId).mapTo(Long.class).findOne());
    }

    @Override
    public Optional<String> whatsappMessage(UUID instanceId, long chatwootId) {
        return session.withHandle(h -> h.createQuery("""
                        select whatsapp_id from chatwoot_messages
                        where instance_id = :instance and chatwoot_id = :id and part = 0""")
                .bind("instance", instanceId).bind("id", chatwootId).mapTo(String.class).findOne());
    }

    @Override
    public Optional<Long> messageConversation(UUID instanceId, String whatsappId) {
        return session.withHandle(h -> h.createQuery("""
                        select conversation_id from chatwoot_messages
                        where instance_id = :instance and whatsapp_id = :id""")
                .bind("instance", instanceId).bind("id", whatsappId).mapTo(Long.class).findOne());
    }

    @Override
    public boolean saveMessage(UUID instanceId, String whatsappId, long chatwootId, long conversationId,
                               String origin) {
        return save(instanceId, whatsappId, chatwootId, 0, conversationId, origin);
    }

    @Override
    public boolean saveMessagePart(UUID instanceId, String whatsappId, long chatwootId, int part,
                                   long conversationId) {
        return save(instanceId, whatsappId, chatwootId, part, conversationId, "chatwoot");
    }

    private boolean save(UUID instanceId, String whatsappId, long chatwootId, int part, long conversationId,
                         String origin) {
        return session.withHandle(h -> h.createUpdate("""
                        insert into chatwoot_messages (instance_id, whatsapp_id, chatwoot_id, part, conversation_id,
                                                       origin)
                        values (:instance, :wa, :cw, :part, :conversation, :origin)
                        on conflict do nothing""")
                .bind("instance", instanceId).bind("wa", whatsappId).bind("cw", chatwootId).bind("part", part)
                .bind("conversation", conversationId).bind("origin", origin).execute()) > 0;
    }
}
