package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.ChatFlags;
import ponte.application.model.ChatLabel;
import ponte.application.model.ChatSummary;
import ponte.application.model.Contact;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.model.StoredMessage;
import ponte.application.port.out.MessageStore;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingStatus;
import ponte.domain.message.StatusChange;
import ponte.domain.validation.ValidationException;

/** The messages table: every message sent or received, keyed by (instance, id). */
public final class JdbiMessageStore implements MessageStore {
    private static final String COLUMNS = "tenant_id, id, chat_jid, status, message, outgoing";
    /**
     * Every JID the chat {@code :chat} is stored under: itself and, for a person, the other of their phone-number
     * JID and LID as any received message paired them.
     */
    static final String ALIASES = """
            (select cast(:chat as text)
             union select sender_lid from messages
                   where instance_id = :instance and not from_me and sender_jid = :chat and sender_lid is not null
             union select sender_jid from messages
                   where instance_id = :instance and not from_me and sender_lid = :chat and sender_jid is not null)
            """;

    private final JdbiSession session;
    private final MessageJson json;
    private final ChatRows chats = new ChatRows();

    public JdbiMessageStore(JdbiSession session, ObjectMapper json) {
        this.session = session;
        this.json = new MessageJson(json);
    }

    @Override
    public boolean insert(UUID tenantId, UUID instanceId, Message message, Optional<OutgoingStatus> outgoing,
                          Instant storedAt, boolean change) {
        return session.withHandle(h -> {
            boolean stored = bindMessage(h.createUpdate(INSERT), tenantId, instanceId, message, outgoing, storedAt,
                    false).bind("protocol", change).execute() == 1;
            // a reaction, vote, edit or revoke changes another message: it is neither a chat's last message nor unread
            if (stored && !change) {
                chats.stored(h, tenantId, instanceId, message, storedAt, true);
            }
            return stored;
        });
    }

    @Override
    public List<Message> insertHistory(UUID tenantId, UUID instanceId, List<Message> messages, Instant storedAt) {
        if (messages.isEmpty()) {
            return List.of();
        }
        return session.withHandle(h -> {
            var batch = h.prepareBatch(INSERT);
            for (var message : messages) {
                var outgoing = message.fromMe() ? Optional.of(new OutgoingStatus(message.id(), message.chatJid(),
                        message.status(), Optional.empty(), java.util.Map.of(), List.of(new StatusChange(
                        message.status(), message.timestamp(), Optional.empty(), Optional.empty()))))
                        : Optional.<OutgoingStatus>empty();
                bindMessage(batch, tenantId, instanceId, message, outgoing, storedAt, true)
                        .bind("protocol", MessageStore.changesAnother(message.body())).add();
            }
            int[] counts = batch.execute();
            var stored = new java.util.ArrayList<Message>();
            var touched = new java.util.LinkedHashSet<String>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 1) {
                    stored.add(messages.get(i));
                    touched.add(messages.get(i).chatJid().toString());
                }
            }
            chats.recompute(h, tenantId, instanceId, touched);
            return stored;
        });
    }

    private static final String INSERT = """
            insert into messages (instance_id, id, tenant_id, chat_jid, from_me, sender_jid, sender_lid,
                participant, sent_at, type, status, message, outgoing, read_at, created_at, protocol)
            values (:instance, :id, :tenant, :chat, :fromMe, :senderJid, :senderLid, :participant, :sentAt,
                :type, :status, cast(:message as jsonb), cast(:outgoing as jsonb), :readAt, :created, :protocol)
            on conflict (instance_id, id) do nothing""";

    /** Binds one message's row; {@code read}: a message of the phone's history, stored as already read. */
    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindMessage(S statement, UUID tenantId,
            UUID instanceId, Message message, Optional<OutgoingStatus> outgoing, Instant storedAt, boolean read) {
        return statement
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
                .bind("readAt", read && !message.fromMe() ? Times.toDb(storedAt) : null)
                .bind("created", Times.toDb(storedAt));
    }

    @Override
    public void keepContacts(UUID tenantId, UUID instanceId, List<ponte.domain.message.Sender> people,
                             Instant at) {
        if (people.isEmpty()) {
            return;
        }
        session.useHandle(h -> {
            var batch = h.prepareBatch("""
                    insert into history_contacts (instance_id, tenant_id, jid, lid, push_name, updated_at)
                    values (:instance, :tenant, :jid, :lid, :name, :at)
                    on conflict (instance_id, jid) do update set lid = coalesce(excluded.lid, history_contacts.lid),
                        push_name = coalesce(excluded.push_name, history_contacts.push_name),
                        updated_at = excluded.updated_at""");
            for (var person : people) {
                var jid = person.jid().or(person::lid);
                if (jid.isEmpty()) {
                    continue;
                }
                batch.bind("instance", instanceId).bind("tenant", tenantId).bind("jid", jid.get().toString())
                        .bind("lid", person.jid().isPresent() ? person.lid().map(Jid::toString).orElse(null) : null)
                        .bind("name", person.pushName().orElse(null)).bind("at", Times.toDb(at)).add();
            }
            if (batch.size() > 0) {
                batch.execute();
            }
        });
    }

    @Override
    public Optional<Stored> find(UUID instanceId, MessageId id) {
        return session.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from messages where instance_id = :instance and id = :id")
                .bind("instance", instanceId).bind("id", id.value())
                .map((rs, ctx) -> stored(rs)).findOne());
    }

    @Override
    public boolean isChange(UUID instanceId, MessageId id) {
        return session.withHandle(h -> h.createQuery(
                        "select protocol from messages where instance_id = :instance and id = :id")
                .bind("instance", instanceId).bind("id", id.value())
                .mapTo(Boolean.class).findOne().orElse(false));
    }

    @Override
    public boolean replace(UUID instanceId, Message message) {
        return session.withHandle(h -> h.createUpdate("""
                        update messages set message = cast(:message as jsonb), type = :type
                        where instance_id = :instance and id = :id""")
                .bind("instance", instanceId).bind("id", message.id().value())
                .bind("message", json.write(message.wireForm())).bind("type", message.body().type())
                .execute()) > 0;
    }

    @Override
    public Optional<Stored> lock(UUID instanceId, MessageId id) {
        return session.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from messages where instance_id = :instance and id = :id for update")
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
        session.useHandle(h -> {
            var before = h.createQuery("""
                            with prior as (
                                select chat_jid from messages where instance_id = :instance and id = :id and from_me)
                            update messages m set status = :status, outgoing = cast(:outgoing as jsonb),
                                chat_jid = :chat,
                                message = jsonb_set(message, '{chat_jid}', to_jsonb(cast(:chat as text)))
                            from prior
                            where m.instance_id = :instance and m.id = :id and m.from_me
                            returning prior.chat_jid, m.tenant_id""")
                    .bind("instance", instanceId)
                    .bind("id", status.id().value())
                    .bind("status", status.status().wireName())
                    .bind("outgoing", json.write(status))
                    .bind("chat", status.chatJid().toString())
                    .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getObject(2, UUID.class)))
                    .findOne();
            // a number checked at send time may move the message to another chat: both chats' rows are rebuilt
            before.filter(prior -> !prior.getKey().equals(status.chatJid().toString()))
                    .ifPresent(prior -> chats.recompute(h, prior.getValue(), instanceId,
                            List.of(prior.getKey(), status.chatJid().toString())));
        });
    }

    @Override
    public List<Message> markChatRead(UUID instanceId, Jid chat, Instant at) {
        return session.withHandle(h -> {
            var marked = h.createQuery("""
                            with marked as (
                                update messages set status = 'read', read_at = :at, read_receipt_pending = true
                                where instance_id = :instance and not from_me and read_at is null
                                    and chat_jid in """ + ALIASES + "returning " + COLUMNS + ", sent_at)\n"
                            + "select " + COLUMNS + " from marked order by sent_at, id")
                    .bind("instance", instanceId).bind("chat", chat.toString()).bind("at", Times.toDb(at))
                    .map((rs, ctx) -> stored(rs).message()).list();
            if (!marked.isEmpty()) {
                chats.unreadChanged(h, instanceId, chat);
            }
            return marked;
        });
    }

    @Override
    public Page<ChatSummary> chats(UUID instanceId, PageRequest page) {
        var after = ChatCursor.decode(page.cursor());
        var rows = session.withHandle(h -> h.createQuery(ChatRows.PAGE)
                .bind("instance", instanceId)
                .bind("afterAt", after == null ? null : Times.toDb(after.at()))
                .bind("afterChat", after == null ? null : after.chat())
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> {
                    var chat = Jid.parse(rs.getString("chat")).orElseThrow();
                    var last = stored(rs);
                    return new ChatSummary(chat,
                            chat.isGroup() ? Optional.empty() : Optional.ofNullable(rs.getString("name")),
                            chat.isGroup(), new StoredMessage(last.message(),
                                    last.outgoing().map(OutgoingStatus::history).orElse(List.of())),
                            rs.getInt("unread"), Times.read(rs, "sent_at"), flags(rs), labels(rs));
                }).list());
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, null);
        }
        var items = rows.subList(0, page.limit());
        var last = items.getLast();
        return new Page<>(items, new ChatCursor(last.updatedAt(), last.jid().toString()).encode());
    }

    @Override
    public Page<Stored> chatMessages(UUID instanceId, Jid chat, PageRequest page) {
        var before = page.cursor();
        if (before != null && find(instanceId, new MessageId(before)).isEmpty()) {
            throw ValidationException.of("before", "'" + before + "' is not a message of this instance");
        }
        var rows = session.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from messages where instance_id = :instance and chat_jid in " + ALIASES + """
                            and not protocol
                            and (cast(:before as text) is null or (sent_at, created_at, id) <
                                (select sent_at, created_at, id from messages
                                 where instance_id = :instance and id = :before))
                        order by sent_at desc, created_at desc, id desc
                        limit :limit""")
                .bind("instance", instanceId).bind("chat", chat.toString()).bind("before", before)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> stored(rs)).list());
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, null);
        }
        var items = rows.subList(0, page.limit());
        return new Page<>(items, items.getLast().message().id().value());
    }

    @Override
    public Page<Contact> contacts(UUID instanceId, PageRequest page) {
        String after = null;
        if (page.cursor() != null && !page.cursor().isEmpty()) {
            // A cursor is the base64url of the last JID of a page: text that decodes to anything else (any short
            // word decodes to some bytes) was not issued here, and is refused as /chats refuses its own.
            try {
                after = new String(Base64.getUrlDecoder().decode(page.cursor()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                after = null;
            }
            var decoded = after;
            if (decoded == null || Jid.parse(decoded).filter(jid -> jid.toString().equals(decoded)).isEmpty()) {
                throw ValidationException.of("cursor", "is not a cursor this server issued");
            }
        }
        var rows = contactRows(instanceId, "cast(:after as text) is null or e.jid > :after", after, page.limit() + 1);
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, null);
        }
        var items = rows.subList(0, page.limit());
        return new Page<>(items, Base64.getUrlEncoder().withoutPadding()
                .encodeToString(items.getLast().jid().toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Optional<Contact> contact(UUID instanceId, Jid jid) {
        return contactRows(instanceId, "e.jid = :after or e.lid = :after", jid.toString(), 1).stream().findFirst();
    }

    /** The labels on a chat ({@link ChatRows#PAGE}'s three parallel arrays); none when it has none. */
    private static List<ChatLabel> labels(ResultSet rs) throws SQLException {
        var ids = rs.getArray("label_ids");
        if (ids == null) {
            return List.of();
        }
        var id = (String[]) ids.getArray();
        var name = (String[]) rs.getArray("label_names").getArray();
        var color = (Integer[]) rs.getArray("label_colors").getArray();
        var labels = new java.util.ArrayList<ChatLabel>();
        for (int i = 0; i < id.length; i++) {
            labels.add(new ChatLabel(id[i], name[i], color[i]));
        }
        return labels;
    }

    /** A chat's row of chat_flags (app-state sync), joined; all off when the phone never set any. */
    private static ChatFlags flags(ResultSet rs) throws SQLException {
        return new ChatFlags(rs.getBoolean("archived"), rs.getBoolean("pinned"), rs.getBoolean("muted"),
                Optional.ofNullable(rs.getObject("muted_until", java.time.OffsetDateTime.class))
                        .map(java.time.OffsetDateTime::toInstant));
    }

    /**
     * The people who wrote to the instance, one per person (PN and LID paired), and the people the phone's address
     * book holds who never wrote, in JID order, with the name the address book gives them (under either JID).
     */
    private List<Contact> contactRows(UUID instanceId, String filter, String after, int limit) {
        return session.withHandle(h -> h.createQuery("""
                        with seen as (
                            select sender_jid, sender_lid, message->'sender'->>'push_name' as push_name, sent_at,
                                created_at
                            from messages
                            where instance_id = :instance and not from_me
                                and (sender_jid is not null or sender_lid is not null)
                            union all
                            select case when jid like '%@lid' then null else jid end,
                                coalesce(lid, case when jid like '%@lid' then jid end), push_name, updated_at,
                                updated_at
                            from history_contacts where instance_id = :instance),
                        pairs as (
                            select sender_lid as lid, min(sender_jid) as pn from seen
                            where sender_lid is not null and sender_jid is not null group by sender_lid),
                        keyed as (
                            select coalesce(s.sender_jid, p.pn, s.sender_lid) as jid, s.* from seen s
                            left join pairs p on p.lid = s.sender_lid),
                        people as (
                            select jid,
                                (array_agg(sender_lid order by sent_at desc, created_at desc)
                                    filter (where sender_lid is not null))[1] as lid,
                                (array_agg(push_name order by sent_at desc, created_at desc)
                                    filter (where push_name is not null))[1] as push_name
                            from keyed group by jid),
                        everyone as (
                            select jid, lid, push_name from people
                            union all
                            select n.jid, null, null from contact_names n
                            where n.instance_id = :instance
                                and not exists (select 1 from people p where p.jid = n.jid or p.lid = n.jid))
                        select e.jid, e.lid, e.push_name, coalesce(by_jid.name, by_lid.name) as name from everyone e
                        left join contact_names by_jid on by_jid.instance_id = :instance and by_jid.jid = e.jid
                        left join contact_names by_lid on by_lid.instance_id = :instance and by_lid.jid = e.lid
                        """ + "where " + filter + " order by e.jid limit :limit")
                .bind("instance", instanceId).bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> {
                    var jid = Jid.parse(rs.getString("jid")).orElseThrow();
                    return new Contact(jid, Optional.ofNullable(rs.getString("lid")).flatMap(Jid::parse),
                            jid.isPhone() ? Optional.of(jid.user()) : Optional.empty(),
                            Optional.ofNullable(rs.getString("push_name")),
                            Optional.ofNullable(rs.getString("name")));
                }).list());
    }

    @Override
    public int dropBodiesStoredBefore(Instant storedBefore) {
        return session.withHandle(h -> h.createUpdate("""
                        update messages set message = message - 'text' - 'caption' - 'location' - 'contacts'
                            - 'poll'
                        where created_at < :before
                            and jsonb_exists_any(message, array['text', 'caption', 'location', 'contacts', 'poll'])""")
                .bind("before", Times.toDb(storedBefore))
                .execute());
    }

    /** Where a page of chats ends: the last chat's newest message time and its JID, as base64url text. */
    private record ChatCursor(Instant at, String chat) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((at + "|" + chat).getBytes(StandardCharsets.UTF_8));
        }

        static ChatCursor decode(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return null;
            }
            try {
                var text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                return new ChatCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
            } catch (RuntimeException e) {
                throw ValidationException.of("cursor", "is not a cursor this server issued");
            }
        }
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
