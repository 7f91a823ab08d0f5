-- The QR code an instance is showing while it waits for a scan: written by the node running its session,
-- read by whichever node answers GET /qr.
create table pairing_qr (
    instance_id uuid primary key references instances (id) on delete cascade,
    qr          text        not null,
    expires_at  timestamptz not null,
    shown_at    timestamptz not null default now()
);
