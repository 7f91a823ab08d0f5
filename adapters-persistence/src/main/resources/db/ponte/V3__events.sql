-- Durable events: webhook and WebSocket configuration, the event outbox, webhook deliveries and their attempts.
-- Events and deliveries carry tenant_id and instance_id without foreign keys to them: the delivery log outlives the
-- instance's soft delete and is removed only by retention.

create table webhooks (
    id                   uuid primary key,
    tenant_id            uuid        not null references tenants (id) on delete cascade,
    instance_id          uuid        not null references instances (id) on delete cascade,
    label                text        not null,
    url                  text        not null,
    enabled              boolean     not null,
    events               text[]      not null default '{}',
    by_events            boolean     not null,
    media_base64         boolean     not null,
    headers              jsonb       not null default '{}',
    -- AES-256-GCM sealed with the master key; never stored in clear
    secret_sealed        bytea       not null,
    authorization_sealed bytea,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    unique (instance_id, label)
);

create table websocket_configs (
    instance_id  uuid primary key references instances (id) on delete cascade,
    tenant_id    uuid        not null references tenants (id) on delete cascade,
    enabled      boolean     not null,
    events       text[]      not null default '{}',
    media_base64 boolean     not null,
    updated_at   timestamptz not null
);

create table events (
    id          uuid primary key,
    tenant_id   uuid        not null,
    instance_id uuid        not null,
    event       text        not null,
    -- the envelope exactly as it is delivered and signed
    payload     text        not null,
    occurred_at timestamptz not null,
    created_at  timestamptz not null
);

create index events_created on events (created_at);

create table webhook_deliveries (
    id               uuid primary key,
    tenant_id        uuid        not null,
    instance_id      uuid        not null,
    event_id         uuid        not null references events (id) on delete cascade,
    event            text        not null,
    webhook_id       uuid references webhooks (id) on delete set null,
    label            text        not null,
    url              text        not null,
    status           text        not null check (status in ('pending', 'succeeded', 'failed')),
    attempts         integer     not null default 0,
    -- a redelivery starts a new retry round
    round_attempts   integer     not null default 0,
    round_started_at timestamptz,
    next_attempt_at  timestamptz,
    claim_token      uuid,
    claimed_until    timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_newest_first on webhook_deliveries (tenant_id, id desc);
create index webhook_deliveries_event on webhook_deliveries (event_id);

create table webhook_attempts (
    delivery_id uuid        not null references webhook_deliveries (id) on delete cascade,
    number      integer     not null,
    at          timestamptz not null,
    status_code integer,
    error       text,
    duration_ms bigint      not null,
    primary key (delivery_id, number)
);
