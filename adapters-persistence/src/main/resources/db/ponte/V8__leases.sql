-- Scale-out: which gateway node runs which instance's session. Every time here is the database's clock (now()),
-- never a node's, so a node whose clock is off neither steals nor keeps a lease it should not.

-- The nodes sharing this database: each refreshes its heartbeat with every lease renewal.
create table gateway_nodes (
    id           uuid primary key,
    address      text        not null,
    version      text        not null,
    max_sessions integer,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);

-- One row per instance that a node has run: node_id null (released) or the owner until expires_at. epoch grows with
-- every change of owner: a write only the owner may do carries the epoch it holds, and is refused with a stale one.
create table instance_leases (
    instance_id uuid primary key references instances (id) on delete cascade,
    node_id     uuid,
    epoch       bigint      not null,
    expires_at  timestamptz not null,
    acquired_at timestamptz not null default now()
);
create index instance_leases_node on instance_leases (node_id) where node_id is not null;

-- The schema's own version and a value sealed with the master key: a node that cannot open it runs with another
-- key than the fleet and refuses to start.
create table fleet_guard (
    id      integer primary key check (id = 1),
    canary  bytea not null
);

-- Lifecycle commands for an instance whose session runs on another node: the node that took the API call writes
-- one row and NOTIFYs the owner; the owner claims it, carries it out, writes the outcome and NOTIFYs back.
create table node_commands (
    id          uuid primary key,
    node_id     uuid        not null,
    instance_id uuid        not null references instances (id) on delete cascade,
    command     text        not null,
    argument    text,
    created_at  timestamptz not null default now(),
    claimed_at  timestamptz,
    done_at     timestamptz,
    outcome     text,
    detail      text
);
create index node_commands_pending on node_commands (node_id) where claimed_at is null;
