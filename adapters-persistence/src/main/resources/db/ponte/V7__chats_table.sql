-- One row per chat of an instance, kept by the message store in the transaction that stores a message or marks a
-- chat read, so GET /chats reads a page of rows instead of deriving every chat from the messages table.
-- A person's chat is keyed by their phone-number JID once a received message paired it with their LID (as the
-- derived list did); until then by the JID the messages used. Other per-chat state (archive, pin, mute) belongs in
-- tables of its own keyed the same way (instance_id, jid).
create table chats (
    instance_id     uuid        not null references instances (id) on delete cascade,
    jid             text        not null,
    tenant_id       uuid        not null,
    -- the other person's push name from their latest received message (null for groups)
    name            text,
    name_at         timestamptz,
    -- the newest message (by sent_at, then created_at, then id, as the messages pages order)
    last_message_id text        not null,
    last_sent_at    timestamptz not null,
    last_created_at timestamptz not null,
    -- received messages not marked read
    unread_count    integer     not null check (unread_count >= 0),
    primary key (instance_id, jid)
) with (
    -- every stored message rewrites its chat's row (and its chats_page entry): vacuum after a few hundred dead
    -- versions rather than a fifth of the table, so the page index stays small under a busy instance
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 500,
    autovacuum_analyze_scale_factor = 0.05
);

create index chats_page on chats (instance_id, last_sent_at desc, jid desc);

-- the chats of the messages stored so far, derived as GET /chats used to derive them
with pairs as (
    select instance_id, sender_lid as lid, min(sender_jid) as pn from messages
    where not from_me and sender_lid is not null and sender_jid is not null
    group by instance_id, sender_lid),
keyed as (
    select coalesce(p.pn, m.chat_jid) as chat, m.* from messages m
    left join pairs p on p.instance_id = m.instance_id and p.lid = m.chat_jid),
counted as (
    select instance_id, chat, count(*) filter (where not from_me and read_at is null) as unread,
        (array_agg(message->'sender'->>'push_name' order by sent_at desc)
            filter (where not from_me and message->'sender'->>'push_name' is not null))[1] as name,
        max(sent_at) filter (where not from_me and message->'sender'->>'push_name' is not null) as name_at
    from keyed group by instance_id, chat),
latest as (
    select distinct on (instance_id, chat) instance_id, chat, tenant_id, id, sent_at, created_at
    from keyed order by instance_id, chat, sent_at desc, created_at desc, id desc)
insert into chats (instance_id, jid, tenant_id, name, name_at, last_message_id, last_sent_at, last_created_at,
                   unread_count)
select l.instance_id, l.chat, l.tenant_id, case when l.chat like '%@g.us' then null else c.name end,
       case when l.chat like '%@g.us' then null else c.name_at end, l.id, l.sent_at, l.created_at, c.unread
from latest l join counted c using (instance_id, chat);

-- People the phone's history named (its push names, with the PN and LID it paired), kept whether or not the history's
-- messages are: GET /contacts lists them beside the people who wrote. Keyed by the phone-number JID, or by the LID
-- when the number is not known.
create table history_contacts (
    instance_id uuid        not null references instances (id) on delete cascade,
    tenant_id   uuid        not null,
    jid         text        not null,
    lid         text,
    push_name   text,
    updated_at  timestamptz not null,
    primary key (instance_id, jid)
);
