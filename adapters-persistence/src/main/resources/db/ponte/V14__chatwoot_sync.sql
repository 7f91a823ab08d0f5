-- The Chatwoot mirror (issue 13): the secret Chatwoot's webhook calls carry, the outbox of message events to mirror
-- (ordered per chat by seq), and the mappings that keep it free of duplicates. The mappings outlive the integration's
-- configuration (deactivating leaves Chatwoot's data, and our knowledge of it, alone) and go with the instance.

alter table chatwoot_configs add column webhook_secret_sealed bytea;

create table chatwoot_deliveries (
    id              uuid primary key,
    seq             bigserial   not null,
    tenant_id       uuid        not null,
    instance_id     uuid        not null,
    event_id        uuid        not null,
    chat_jid        text        not null,
    message_id      text        not null,
    -- received, sent, edited, revoked, reaction, or failed (a send that failed: a private note)
    kind            text        not null,
    detail          text,
    status          text        not null check (status in ('pending', 'succeeded', 'failed')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz,
    claim_token     uuid,
    claimed_until   timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

-- the head of each chat's queue is its lowest pending seq
create index chatwoot_deliveries_pending on chatwoot_deliveries (instance_id, chat_jid, seq) where status = 'pending';
create index chatwoot_deliveries_instance on chatwoot_deliveries (instance_id, seq desc);

-- a person under each id we know them by (phone JID, LID) → one Chatwoot contact
create table chatwoot_contacts (
    instance_id uuid   not null references instances (id) on delete cascade,
    person      text   not null,
    contact_id  bigint not null,
    primary key (instance_id, person)
);

create table chatwoot_conversations (
    instance_id     uuid   not null references instances (id) on delete cascade,
    chat_jid        text   not null,
    conversation_id bigint not null,
    primary key (instance_id, chat_jid)
);

create index chatwoot_conversations_by_id on chatwoot_conversations (instance_id, conversation_id);

create table chatwoot_messages (
    instance_id         uuid   not null references instances (id) on delete cascade,
    -- a WhatsApp message id, or <id>:edit:<time> / <id>:revoke / <id>:failed for what was shown of a change
    whatsapp_id         text   not null,
    chatwoot_id         bigint not null,
    conversation_id     bigint not null,
    origin              text   not null check (origin in ('whatsapp', 'chatwoot')),
    -- an agent's message with several attachments goes out as several WhatsApp messages: part 0 is the one a
    -- Chatwoot id names (for in_reply_to), each part is mapped so that its WhatsApp echo is not shown again
    part                smallint not null default 0 check (part >= 0),
    created_at          timestamptz not null default now(),
    primary key (instance_id, whatsapp_id),
    unique (instance_id, chatwoot_id, part)
);
