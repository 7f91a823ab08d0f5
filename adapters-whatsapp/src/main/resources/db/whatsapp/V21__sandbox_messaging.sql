-- What the sandbox network keeps for messaging: the stanzas each device was sent and has not acknowledged yet (sent
-- again when it logs in), and the Signal state of each virtual phone's primary device, so that a restarted sandbox
-- neither loses a queued message nor forgets the sessions its phones had.
create table whatsapp.sandbox_queue (
    phone       text not null,
    device      integer not null,
    stanza_key  text not null,
    seq         bigint generated always as identity,
    stanza      bytea not null,
    queued_at   timestamptz not null,
    primary key (phone, device, stanza_key)
);

create index sandbox_queue_order on whatsapp.sandbox_queue (phone, device, seq);

-- The phone's Signal records by kind (identity, session, prekey, ...) and name (address or key id); private keys
-- here are the simulated phones', never a real account's.
create table whatsapp.sandbox_phone_signal (
    phone  text not null,
    kind   text not null,
    name   text not null,
    value  bytea not null,
    primary key (phone, kind, name)
);
