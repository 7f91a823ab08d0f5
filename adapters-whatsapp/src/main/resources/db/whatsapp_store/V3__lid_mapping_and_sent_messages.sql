-- What a device learnt about its peers' two names (issue 10 §2, protocol.md §1.13): the phone-number user (PN) and
-- the LID user of one account, as pair-success, usync answers and message attributes told it. One account has one
-- LID and one PN, so each side is unique per device; a newer fact replaces an older one.
create table whatsapp_store.lid_mapping (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    pn_user          text not null,     -- digits of the phone number, the user part of user@s.whatsapp.net
    lid_user         text not null,     -- the user part of user@lid
    updated_at       timestamptz not null,
    primary key (device_id, pn_user),
    unique (device_id, lid_user)
);

-- A message this device sent, kept (sealed: it is message text) so that a peer device's retry receipt can be
-- answered by encrypting it again (protocol.md §1.14 step 8, §1.15); purged with the handed-on kept messages.
create table whatsapp_store.kept_sent_message (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    message_key      text not null,     -- chat|message id
    payload_sealed   bytea not null,
    kept_at          timestamptz not null,
    primary key (device_id, message_key)
);

create index kept_sent_message_age on whatsapp_store.kept_sent_message (kept_at);
