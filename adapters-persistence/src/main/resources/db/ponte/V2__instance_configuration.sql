-- Instance configuration: proxies (tenant-wide and per-instance), settings, Chatwoot and S3.
-- Secrets (proxy passwords, the Chatwoot API token, the S3 secret key) are stored only as AES-256-GCM
-- ciphertext sealed by the application; no column here ever holds one in clear.

create table tenant_proxies (
    tenant_id       uuid primary key references tenants (id) on delete cascade,
    protocol        text    not null check (protocol in ('http', 'https', 'socks5')),
    host            text    not null,
    port            integer not null check (port between 1 and 65535),
    username        text,
    password_sealed bytea,
    check (password_sealed is null or username is not null)
);

create table instance_proxies (
    instance_id     uuid primary key references instances (id) on delete cascade,
    tenant_id       uuid    not null references tenants (id) on delete cascade,
    protocol        text    not null check (protocol in ('http', 'https', 'socks5')),
    host            text    not null,
    port            integer not null check (port between 1 and 65535),
    username        text,
    password_sealed bytea,
    check (password_sealed is null or username is not null)
);

create index instance_proxies_tenant on instance_proxies (tenant_id);

create table instance_settings (
    instance_id         uuid primary key references instances (id) on delete cascade,
    tenant_id           uuid    not null references tenants (id) on delete cascade,
    reject_calls        boolean not null,
    reject_call_message text,
    ignore_groups       boolean not null,
    always_online       boolean not null,
    read_messages       boolean not null,
    skip_history_sync   boolean not null,
    ignore_status       boolean not null
);

create table chatwoot_configs (
    instance_id          uuid primary key references instances (id) on delete cascade,
    tenant_id            uuid        not null references tenants (id) on delete cascade,
    enabled              boolean     not null,
    base_url             text        not null,
    account_id           bigint      not null,
    api_token_sealed     bytea       not null,
    inbox_name           text        not null,
    inbox_id             bigint,
    sign_messages        boolean     not null,
    ignore_groups        boolean     not null,
    conversation_pending boolean     not null,
    reopen_resolved      boolean     not null,
    status               text        not null check (status in ('ok', 'error', 'disabled')),
    status_reason        text,
    updated_at           timestamptz not null
);

create table s3_configs (
    instance_id              uuid primary key references instances (id) on delete cascade,
    tenant_id                uuid        not null references tenants (id) on delete cascade,
    enabled                  boolean     not null,
    region                   text        not null,
    bucket                   text        not null,
    access_key_id            text        not null,
    secret_access_key_sealed bytea       not null,
    endpoint                 text,
    prefix                   text        not null,
    path_style               boolean     not null,
    status                   text        not null check (status in ('ok', 'error', 'disabled')),
    status_reason            text,
    updated_at               timestamptz not null
);

-- A soft-deleted instance (or tenant) keeps no configuration, so no third-party credential outlives it, sealed or
-- not. A trigger, so that every way of deleting (one instance, a whole tenant) is covered.
create function forget_instance_configuration() returns trigger language plpgsql as $$
begin
    delete from instance_proxies where instance_id = new.id;
    delete from instance_settings where instance_id = new.id;
    delete from chatwoot_configs where instance_id = new.id;
    delete from s3_configs where instance_id = new.id;
    return new;
end $$;

create trigger instances_forget_configuration
    after update of deleted_at on instances
    for each row when (old.deleted_at is null and new.deleted_at is not null)
    execute function forget_instance_configuration();

create function forget_tenant_proxy() returns trigger language plpgsql as $$
begin
    delete from tenant_proxies where tenant_id = new.id;
    return new;
end $$;

create trigger tenants_forget_proxy
    after update of deleted_at on tenants
    for each row when (old.deleted_at is null and new.deleted_at is not null)
    execute function forget_tenant_proxy();
