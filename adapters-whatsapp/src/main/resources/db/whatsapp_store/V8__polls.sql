-- The polls this device has seen (sent or received): each poll's 32-byte secret (messageContextInfo.messageSecret)
-- and its options, so a vote that arrives later can be decrypted (its key is derived from the secret, the poll's id,
-- its creator and the voter) and its option hashes named (SHA-256 of each option's name). The secret is sealed: with
-- it anyone could read the votes. A poll sent again under the same id (a resend after a crash) keeps its first row.
create table whatsapp_store.poll (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    message_id       text not null,
    creator_jid      text not null,     -- the poll's author, account JID without device, as the votes name it
    secret_sealed    bytea not null,
    options          text not null,     -- the option names, one per line (a name never holds a newline)
    created_at       timestamptz not null,
    primary key (device_id, message_id)
);
