-- Chats are derived from the messages table. A person's chat may be addressed by their phone-number JID or by their
-- LID; a received message that carried both (sender_jid, sender_lid) pairs them. These indexes find the pairs.
create index messages_sender_jid on messages (instance_id, sender_jid) where not from_me and sender_lid is not null;
create index messages_sender_lid on messages (instance_id, sender_lid) where not from_me and sender_jid is not null;
-- the retention purge looks for bodies stored before a time
create index messages_created on messages (created_at);
