-- The companion devices this gateway runs, one per instance: the device id is the instance's id. The tables live
-- in the schema "whatsapp_store" beside their own Flyway history, independent of every other owner's migrations.
-- Every private key and the ADV secret are sealed by the application's SecretCipher (AES-256-GCM with the master
-- key) before they reach a column; public keys stay clear because servers and peers see them anyway.
create table whatsapp_store.device (
    device_id                 uuid primary key,
    noise_private_sealed      bytea not null,
    noise_public              bytea not null,
    identity_private_sealed   bytea not null,
    identity_public           bytea not null,
    signed_prekey_id          integer not null,
    signed_prekey_private_sealed bytea not null,
    signed_prekey_public      bytea not null,
    signed_prekey_signature   bytea not null,
    registration_id           integer not null,
    adv_secret_sealed         bytea not null,
    created_at                timestamptz not null
);

-- The WhatsApp account the device was linked to; absent until pair-success.
create table whatsapp_store.device_account (
    device_id        uuid primary key references whatsapp_store.device (device_id) on delete cascade,
    jid              text not null,
    lid              text not null,
    platform         text not null,
    business_name    text not null,
    push_name        text not null,
    signed_identity  bytea not null,
    paired_at        timestamptz not null
);

create table whatsapp_store.device_prekey (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    key_id           integer not null check (key_id between 1 and 16777215),
    private_sealed   bytea not null,
    public_key       bytea not null,
    uploaded         boolean not null default false,
    primary key (device_id, key_id)
);
