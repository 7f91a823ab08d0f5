-- Messaging: every message an instance sent or received, the durable outgoing queue, and idempotency keys.

-- One row per WhatsApp message of an instance. The key is (instance, id): ids are chosen at random by the sending
-- client, so an id is one message; keying by it alone also keeps a message the server addresses once by phone
-- number and once by LID from being stored (and announced) twice.
create table messages (
    instance_id  uuid        not null references instances (id) on delete cascade,
    id           text        not null,
    tenant_id    uuid        not null,
    chat_jid     text        not null,
    from_me      boolean     not null,
    sender_jid   text,
    sender_lid   text,
    participant  text,
    sent_at      timestamptz not null,
    type         text        not null,
    status       text        not null
        check (status in ('queued', 'sent', 'delivered', 'read', 'played', 'failed')),
    -- the message object of API.md (its status is the column's)
    message      jsonb       not null,
    -- ours only: {error, members: {jid: status}, history: [{status, at, participant?, error?}]}
    outgoing     jsonb,
    -- received only: when the chat was marked read, and whether its read receipt is still to go out
    read_at      timestamptz,
    read_receipt_pending boolean not null default false,
    created_at   timestamptz not null,
    primary key (instance_id, id),
    check (from_me = (outgoing is not null))
);

create index messages_chat on messages (instance_id, chat_jid, sent_at desc);
create index messages_unread on messages (instance_id, chat_jid) where not from_me and read_at is null;
create index messages_receipts_pending on messages (instance_id) where read_receipt_pending;

-- Accepted sends, in order (seq) per instance and chat. A row is 'queued', 'sending' (handed to the engine; found
-- so after a crash it is sent again with the same message id) or 'done' (acked or failed).
create table outgoing_queue (
    seq          bigint generated always as identity primary key,
    instance_id  uuid        not null references instances (id) on delete cascade,
    message_id   text        not null,
    chat_jid     text        not null,
    state        text        not null check (state in ('queued', 'sending', 'done')),
    attempts     integer     not null default 0,
    not_before   timestamptz not null,
    -- what goes on the wire: {text, link_preview, quoted?, mentions, verify}
    send         jsonb       not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    unique (instance_id, message_id)
);

create index outgoing_queue_open on outgoing_queue (instance_id, chat_jid, seq) where state <> 'done';

-- A caller's idempotency key names the message it was first used for, for 24 hours.
create table message_idempotency (
    instance_id uuid        not null references instances (id) on delete cascade,
    key         text        not null,
    message_id  text        not null,
    created_at  timestamptz not null,
    primary key (instance_id, key)
);
