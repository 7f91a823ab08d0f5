-- App-state sync (issue 12 §8, protocol.md §1.17). The keys our primary shares (AppStateSyncKeyShare), sealed like
-- every other private key: whoever holds one reads the account's contacts, labels and chat settings.
create table whatsapp_store.app_state_sync_key (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    key_id           bytea not null,
    key_data_sealed  bytea not null,
    key_timestamp    bigint not null,   -- as the primary stamped it (milliseconds)
    received_at      timestamptz not null,
    primary key (device_id, key_id)
);

-- Where the device stands in each collection: the version applied and its 128-byte LTHash.
create table whatsapp_store.app_state_version (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    collection       text not null,
    version          bigint not null,
    lt_hash          bytea not null,
    primary key (device_id, collection)
);

-- The value MAC of every live record by its index MAC, so a later REMOVE or overwriting SET can be subtracted from
-- the LTHash (MACs only; they reveal nothing of the records).
create table whatsapp_store.app_state_mutation_mac (
    device_id        uuid not null,
    collection       text not null,
    index_mac        bytea not null,
    value_mac        bytea not null,
    primary key (device_id, collection, index_mac),
    foreign key (device_id, collection) references whatsapp_store.app_state_version (device_id, collection)
        on delete cascade
);
