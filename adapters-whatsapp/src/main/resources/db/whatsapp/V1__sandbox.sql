-- The sandbox network's state: its server keys, registrations it has seen, and the accounts and devices it knows.
-- Private keys here belong to the simulated WhatsApp server, never to a real account. Everything lives in the
-- schema "whatsapp", so this history and the application's never see each other's tables.
create table whatsapp.sandbox_server_keys (
    id              smallint primary key check (id = 1),
    root_private    bytea not null,
    static_private  bytea not null,
    created_at      timestamptz not null
);

create table whatsapp.sandbox_registration (
    noise_public     bytea primary key,
    identity_public  bytea not null,
    registration_id  integer not null,
    registered_at    timestamptz not null
);

create table whatsapp.sandbox_device (
    phone            text not null,
    device           integer not null check (device between 0 and 255),
    lid              text not null,
    noise_public     bytea not null unique,
    identity_public  bytea not null,
    created_at       timestamptz not null,
    primary key (phone, device)
);
