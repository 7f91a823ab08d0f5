package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;

/**
 * The {@code chats} table (V7): one row per chat of an instance, kept in the caller's transaction as messages are
 * stored and chats marked read, so a page of {@code GET /chats} is an index range over it plus one primary-key read
 * of each chat's last message. A person's chat is keyed by their phone-number JID once a received message paired it
 * with their LID ({@link JdbiMessageStore#ALIASES}), else by the JID its messages used; when a pairing arrives, the
 * LID's row is folded into the phone number's. Every chat query lives here, so per-chat state kept in other tables
 * (archive, pin, mute) joins in one place: {@link #PAGE}. A {@code protocol} row (V15: a reaction, poll vote, edit or
 * revoke, which changes another message) is never a chat's last message nor counted unread.
 */
final class ChatRows {

    /**
     * A page of chats, newest first, with each chat's last message (the columns {@code JdbiMessageStore.stored}
     * reads), its {@code name}, {@code unread} count and {@code sent_at}; binds {@code instance}, {@code afterAt},
     * {@code afterChat} (the cursor, both null for the first page) and {@code limit}.
     */
    static final String PAGE = """
            select c.jid as chat, coalesce(n.name, c.name) as name, c.unread_count as unread,
                c.last_sent_at as sent_at, m.tenant_id, m.id, m.chat_jid, m.status, m.message, m.outgoing,
                f.archived, f.pinned, f.muted, f.muted_until, lb.label_ids, lb.label_names, lb.label_colors
            from (select * from chats
                  where instance_id = :instance
                      and (cast(:afterAt as timestamptz) is null
                          or (last_sent_at, jid) < (cast(:afterAt as timestamptz), cast(:afterChat as text)))
                  order by last_sent_at desc, jid desc
                  limit :limit) c
            cross join lateral (
                select * from messages
                where messages.instance_id = c.instance_id and messages.id = c.last_message_id) m
            left join chat_flags f on f.instance_id = c.instance_id and f.jid = c.jid
            left join contact_names n on n.instance_id = c.instance_id and n.jid = c.jid
            cross join lateral (
                select array_agg(l.label_id order by l.label_id) as label_ids,
                    array_agg(l.name order by l.label_id) as label_names,
                    array_agg(l.color order by l.label_id) as label_colors
                from label_associations a
                join labels l on l.instance_id = a.instance_id and l.label_id = a.label_id and not l.deleted
                where a.instance_id = c.instance_id and a.chat_jid = c.jid and a.message_id = '') lb
            order by c.last_sent_at desc, c.jid desc""";

    /**
     * Counts a newly stored message into its chat's row: the newest message when it is newer (sent_at, created_at,
     * id), one more unread when received and {@code unread}, the sender's push name when it is the latest; then, if
     * the message paired a person's phone number with a LID that had a row of its own, folds that row in.
     */
    void stored(Handle h, UUID tenantId, UUID instanceId, Message message, Instant storedAt, boolean unread) {
        var chat = message.chatJid();
        String key = canonical(h, instanceId, chat.toString());
        boolean received = !message.fromMe();
        Optional<String> name = received && !chat.isGroup() ? message.sender().pushName() : Optional.empty();
        h.createUpdate("""
                        insert into chats (instance_id, jid, tenant_id, name, name_at, last_message_id, last_sent_at,
                            last_created_at, unread_count)
                        values (:instance, :jid, :tenant, :name, :nameAt, :id, :sentAt, :created, :unread)
                        on conflict (instance_id, jid) do update set
                            last_message_id = case when newer then excluded.last_message_id
                                else chats.last_message_id end,
                            last_sent_at = case when newer then excluded.last_sent_at else chats.last_sent_at end,
                            last_created_at = case when newer then excluded.last_created_at
                                else chats.last_created_at end,
                            unread_count = chats.unread_count + excluded.unread_count,
                            name = case when newer_name then excluded.name else chats.name end,
                            name_at = case when newer_name then excluded.name_at else chats.name_at end"""
                        .replace("newer_name", "(excluded.name is not null and (chats.name_at is null "
                                + "or excluded.name_at >= chats.name_at))")
                        .replace("newer", "((excluded.last_sent_at, excluded.last_created_at, "
                                + "excluded.last_message_id) > (chats.last_sent_at, chats.last_created_at, "
                                + "chats.last_message_id))"))
                .bind("instance", instanceId)
                .bind("jid", key)
                .bind("tenant", tenantId)
                .bind("name", name.orElse(null))
                .bind("nameAt", name.isPresent() ? Times.toDb(message.timestamp()) : null)
                .bind("id", message.id().value())
                .bind("sentAt", Times.toDb(message.timestamp()))
                .bind("created", Times.toDb(storedAt))
                .bind("unread", received && unread ? 1 : 0)
                .execute();
        var lid = message.sender().lid();
        if (received && !chat.isGroup() && lid.isPresent() && message.sender().jid().isPresent()) {
            String lidKey = lid.get().toString();
            boolean ownRow = !canonical(h, instanceId, lidKey).equals(lidKey) && h.createQuery(
                            "select 1 from chats where instance_id = :instance and jid = :jid")
                    .bind("instance", instanceId).bind("jid", lidKey).mapTo(Integer.class).findOne().isPresent();
            if (ownRow) {
                recompute(h, tenantId, instanceId, java.util.List.of(lidKey));
            }
        }
    }

    /**
     * Rebuilds the rows of the chats these JIDs belong to from the messages table (after a batch of history, a
     * message moved between chats, or a pairing): the rows of every alias are replaced by one under the chat's key,
     * or none when the chat has no message left.
     */
    void recompute(Handle h, UUID tenantId, UUID instanceId, Collection<String> jids) {
        var keys = new LinkedHashSet<String>();
        for (String jid : jids) {
            keys.add(canonical(h, instanceId, jid));
        }
        for (String key : keys) {
            h.createUpdate("delete from chats where instance_id = :instance and jid in " + JdbiMessageStore.ALIASES)
                    .bind("instance", instanceId).bind("chat", key).execute();
            h.createUpdate("with aliases as " + JdbiMessageStore.ALIASES + """
                            , latest as (
                                select id, sent_at, created_at from messages
                                where instance_id = :instance and chat_jid in (select * from aliases)
                                    and not protocol
                                order by sent_at desc, created_at desc, id desc limit 1),
                            named as (
                                select message->'sender'->>'push_name' as name, sent_at from messages
                                where instance_id = :instance and chat_jid in (select * from aliases) and not from_me
                                    and not protocol
                                    and message->'sender'->>'push_name' is not null and not :group
                                order by sent_at desc limit 1),
                            unread as (
                                select count(*) as n from messages
                                where instance_id = :instance and chat_jid in (select * from aliases)
                                    and not from_me and read_at is null and not protocol)
                            insert into chats (instance_id, jid, tenant_id, name, name_at, last_message_id,
                                last_sent_at, last_created_at, unread_count)
                            select :instance, :chat, :tenant, named.name, named.sent_at, latest.id, latest.sent_at,
                                latest.created_at, unread.n
                            from latest cross join unread left join named on true""")
                    .bind("instance", instanceId).bind("chat", key).bind("tenant", tenantId)
                    .bind("group", key.endsWith("@g.us"))
                    .execute();
        }
    }

    /** The chat of {@code chat} had messages marked read: its unread count is counted again. */
    void unreadChanged(Handle h, UUID instanceId, Jid chat) {
        String key = canonical(h, instanceId, chat.toString());
        h.createUpdate("""
                        update chats set unread_count = (
                            select count(*) from messages
                            where instance_id = :instance and chat_jid in""" + " " + JdbiMessageStore.ALIASES + """
                                and not from_me and read_at is null and not protocol)
                        where instance_id = :instance and jid = :chat""")
                .bind("instance", instanceId).bind("chat", key).execute();
    }

    /** The key of the chat a JID names: a LID paired by a received message is its phone number's chat. */
    private static String canonical(Handle h, UUID instanceId, String jid) {
        if (!jid.endsWith("@lid")) {
            return jid;
        }
        return h.createQuery("""
                        select coalesce(min(sender_jid), :lid) from messages
                        where instance_id = :instance and not from_me and sender_lid = :lid and sender_jid is not null""")
                .bind("instance", instanceId).bind("lid", jid)
                .mapTo(String.class).one();
    }
}
