-- Which labels (business accounts) the phone put on which chats and messages (issue 12 §8): kept, so that a label
-- put on twice is announced once, a snapshot that no longer holds an association announces its removal, and
-- GET /chats shows each chat's labels. message_id is '' for a label on the chat itself.
create table label_associations (
    instance_id  uuid        not null references instances (id) on delete cascade,
    label_id     text        not null,
    chat_jid     text        not null,
    message_id   text        not null default '',
    updated_at   timestamptz not null,
    primary key (instance_id, label_id, chat_jid, message_id)
);

create index label_associations_by_chat on label_associations (instance_id, chat_jid);

-- The stanzas (notifications) whose events were stored, by WhatsApp's id, kept a week: one delivered again (its ack
-- was lost, or the gateway stopped before acking) is not stored twice.
create table inbound_stanzas (
    instance_id  uuid        not null references instances (id) on delete cascade,
    stanza_id    text        not null,
    received_at  timestamptz not null,
    primary key (instance_id, stanza_id)
);

create index inbound_stanzas_by_age on inbound_stanzas (instance_id, received_at);
