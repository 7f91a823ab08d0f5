-- Virtual phones: simulated WhatsApp accounts whose primary device links companions, by QR or by code. The identity
-- key is the account's own (it signs linked devices' identities); it never belongs to a real account.
create table whatsapp.sandbox_phone (
    phone             text primary key,
    push_name         text not null,
    lid               text not null unique,
    identity_private  bytea not null,
    raw_id            integer not null,
    last_device       integer not null default 0 check (last_device between 0 and 255),
    created_at        timestamptz not null
);

-- Linked devices are the phone's device list; the key index is what the phone signed them under.
alter table whatsapp.sandbox_device
    add column platform text not null default '',
    add column key_index integer not null default 0;

-- What each device uploaded for peers to start sessions with it.
create table whatsapp.sandbox_signed_prekey (
    phone            text not null,
    device           integer not null,
    registration_id  integer not null,
    key_id           integer not null,
    public_key       bytea not null,
    signature        bytea not null,
    primary key (phone, device),
    foreign key (phone, device) references whatsapp.sandbox_device (phone, device) on delete cascade
);

create table whatsapp.sandbox_prekey (
    phone       text not null,
    device      integer not null,
    key_id      integer not null,
    public_key  bytea not null,
    primary key (phone, device, key_id),
    foreign key (phone, device) references whatsapp.sandbox_device (phone, device) on delete cascade
);
