-- Which devices already hold our current sender key in a group (issue 10 §2, protocol.md §1.14 step 4): a group
-- send hands the sender-key distribution message only to participants' devices not listed here, and the rows are
-- written in the same unit of Signal state as the encryption that produced those copies (SqlSignalTransaction), so
-- a restart neither redistributes the key to everyone nor forgets a device that still lacks it. Replacing our key
-- (a participant left) deletes the group's rows in the unit that resets the key; an identity change of a peer
-- deletes that peer's rows, as its new installation holds nothing of ours.
create table whatsapp_store.sender_key_holder (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    group_id         text not null,
    holder_name      text not null,     -- user[_agent] of the holding device's Signal address, in the group's form
    holder_device    integer not null,
    primary key (device_id, group_id, holder_name, holder_device)
);

create index sender_key_holder_by_peer on whatsapp_store.sender_key_holder (device_id, holder_name);

-- The trusted-contact privacy tokens (tctoken) contacts issued to us (protocol.md §1.14 step 6, §1.21), attached to
-- every 1:1 message to that contact; kept here so a restart does not meet a 463 first. One row per contact user
-- (the PN or LID user the token was minted for); a newer token replaces the older one.
create table whatsapp_store.privacy_token (
    device_id        uuid not null references whatsapp_store.device (device_id) on delete cascade,
    contact_user     text not null,
    token_sealed     bytea not null,    -- sealed by the SecretCipher: it vouches for us to the contact
    issued_at        timestamptz not null,  -- the token's t, when the contact minted it
    updated_at       timestamptz not null,
    primary key (device_id, contact_user)
);
