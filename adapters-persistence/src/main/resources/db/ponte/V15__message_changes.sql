-- Issue 11: an edit, revoke, reaction or poll vote is a change to another message, not a message of a chat's
-- history. Such rows (our own edits and revokes keep a row for their status machine and queue; reactions and votes
-- keep theirs for their events) are flagged and left out of GET /chats/{jid}/messages.
alter table messages add column protocol boolean not null default false;

update messages set protocol = true where type in ('reaction', 'poll_vote');

-- our own edits and revokes: their queue row names what they change (rows purged from the queue by then cannot be
-- told from a text, except revokes, whose own body is 'revoked' while the original is not flagged)
update messages m set protocol = true
from outgoing_queue q
where q.instance_id = m.instance_id and q.message_id = m.id and q.send->'content'->>'kind' in ('edit', 'revoke');
update messages set protocol = true
where from_me and type = 'revoked' and coalesce((message->>'revoked')::boolean, false) = false;

-- a deleted message keeps none of its content: its body goes (type 'revoked'), as new revokes do
update messages
set type = 'revoked',
    message = (message - 'text' - 'caption' - 'media' - 'view_once' - 'location' - 'contacts' - 'poll'
               - 'poll_vote' - 'reaction') || '{"type": "revoked"}'::jsonb
where coalesce((message->>'revoked')::boolean, false) and type <> 'revoked';
