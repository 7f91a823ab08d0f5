-- The Signal state of each companion device (issue 10 §1), keyed by the device id like every table of this schema
-- and deleted with the device. Our identity key pair, registration id and signed prekey stay in "device", and the
-- one-time prekeys in "device_prekey": the ciphers read the very keys the client uploaded, never a second copy.
--
-- Session and sender-key records hold chain keys (and, for our own sender keys, the private signing key), so they
-- are sealed by the SecretCipher like every private key; identity keys are public and stay clear. "version" is
-- the optimistic lock of SqlSignalTransaction: a unit of work writes a record only if nobody wrote it since it was
-- read, so two writers can never silently drop each other's ratchet steps.
create table whatsapp_store.signal_session (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    peer_name        text not null,     -- user[_agent] of the peer's Signal address
    peer_device      integer not null,
    record_sealed    bytea not null,
    version          bigint not null,
    updated_at       timestamptz not null,
    primary key (device_id, peer_name, peer_device)
);

create table whatsapp_store.signal_identity (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    peer_name        text not null,
    peer_device      integer not null,
    identity_key     bytea not null check (length(identity_key) = 32),
    updated_at       timestamptz not null,
    primary key (device_id, peer_name, peer_device)
);

create table whatsapp_store.signal_sender_key (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    group_id         text not null,
    sender_name      text not null,     -- user[_agent] of the sending device's Signal address
    sender_device    integer not null,
    record_sealed    bytea not null,
    version          bigint not null,
    updated_at       timestamptz not null,
    primary key (device_id, group_id, sender_name, sender_device)
);

-- A decrypted incoming message, committed with the ratchet step that decrypted it and kept (sealed: it is message
-- text) until the application's ingest has it; then only its key stays, so a redelivery is recognised and dropped.
create table whatsapp_store.kept_message (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    message_key      text not null,
    payload_sealed   bytea,             -- null once handed on
    kept_at          timestamptz not null,
    handed_on_at     timestamptz,
    primary key (device_id, message_key)
);

create index kept_message_unhanded on whatsapp_store.kept_message (device_id, kept_at) where handed_on_at is null;
create index kept_message_handed_on on whatsapp_store.kept_message (handed_on_at) where handed_on_at is not null;
