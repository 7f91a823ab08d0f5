-- Media files of messages (issue 11): per instance and WhatsApp message id, where the file is stored (the local
-- media store under PONTE_DATA_DIR/media, or an S3 bucket) and what it is. The file itself never enters the database.
create table media (
    instance_id uuid        not null references instances (id) on delete cascade,
    message_id  text        not null,
    store       text        not null check (store in ('local', 's3')),
    bucket      text,
    object_key  text        not null,
    mime_type   text        not null,
    size_bytes  bigint      not null check (size_bytes >= 0),
    sha256      text        not null,
    file_name   text,
    created_at  timestamptz not null,
    primary key (instance_id, message_id),
    check ((store = 's3') = (bucket is not null))
);
