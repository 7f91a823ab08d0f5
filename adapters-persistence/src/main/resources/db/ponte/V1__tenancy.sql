-- Tenants, their tokens (hashed) and their instances. Every tenant-owned row carries tenant_id.

create table tenants (
    id            uuid primary key,
    name          text        not null,
    max_instances integer     not null check (max_instances >= 0),
    created_at    timestamptz not null,
    deleted_at    timestamptz
);

create table instances (
    id            uuid primary key,
    tenant_id     uuid        not null references tenants (id) on delete cascade,
    name          text        not null,
    status        text        not null,
    status_reason text,
    phone_number  text,
    lid           text,
    push_name     text,
    platform      text,
    metadata      jsonb       not null default '{}',
    last_seen_at  timestamptz,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    deleted_at    timestamptz
);

-- names are unique among live instances only: a soft delete frees the name
create unique index instances_live_name on instances (tenant_id, name) where deleted_at is null;
create index instances_newest_first on instances (tenant_id, id desc) where deleted_at is null;

create table api_tokens (
    id          uuid primary key,
    kind        text        not null check (kind in ('account', 'instance')),
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    instance_id uuid references instances (id) on delete cascade,
    token_hash  bytea       not null,
    created_at  timestamptz not null,
    revoked_at  timestamptz,
    check ((kind = 'instance') = (instance_id is not null))
);

create unique index api_tokens_live_hash on api_tokens (token_hash) where revoked_at is null;

-- the generated admin token's hash; a single row
create table admin_credential (
    singleton  boolean primary key default true check (singleton),
    token_hash bytea       not null,
    created_at timestamptz not null
);
