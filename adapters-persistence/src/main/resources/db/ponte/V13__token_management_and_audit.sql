-- Issue 17 item 7: tokens a tenant can list, label and revoke; when each was last used; and the audit log.

-- what a person recognises a token by (its kind prefix and a few characters; never enough to guess the rest)
alter table api_tokens add column label text;
alter table api_tokens add column display_prefix text;

create index api_tokens_of_tenant on api_tokens (tenant_id, id desc) where revoked_at is null;

-- when a token was last used, written at most once a minute per token and node (request bookkeeping: kept apart
-- from api_tokens so the token rows change only when a token is issued or revoked)
create table api_token_usage (
    token_id     uuid primary key references api_tokens (id) on delete cascade,
    last_used_at timestamptz not null
);

-- who changed what: one row per authenticated state-changing request, refused ones included. No body, secret or
-- token is ever stored; the path holds ids and names only. Purged with the event retention.
create table audit_log (
    id             uuid primary key,
    tenant_id      uuid,
    actor_kind     text        not null check (actor_kind in ('admin', 'account', 'instance')),
    actor_token_id uuid,
    method         text        not null,
    route          text        not null,
    path           text        not null,
    resource_id    text,
    status         integer     not null,
    at             timestamptz not null
);

create index audit_log_of_tenant on audit_log (tenant_id, id desc);
create index audit_log_at on audit_log (at);
