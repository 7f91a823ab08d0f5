-- What app-state sync learns from the account's own phone (issue 12 §8), beside the messages it is joined with.

-- Names saved in the phone's address book, by the JID the phone keyed them with.
create table contact_names (
    instance_id  uuid        not null references instances (id) on delete cascade,
    jid          text        not null,
    name         text        not null,
    updated_at   timestamptz not null,
    primary key (instance_id, jid)
);

-- How the phone set a chat up: archived, pinned, muted (muted_until null with muted = for ever). GET /chats joins it.
create table chat_flags (
    instance_id  uuid        not null references instances (id) on delete cascade,
    jid          text        not null,
    archived     boolean     not null default false,
    pinned       boolean     not null default false,
    muted        boolean     not null default false,
    muted_until  timestamptz,
    updated_at   timestamptz not null,
    primary key (instance_id, jid)
);

-- Labels of business accounts as last edited (deleted ones kept, flagged): label.update events name them.
create table labels (
    instance_id  uuid        not null references instances (id) on delete cascade,
    label_id     text        not null,
    name         text        not null,
    color        integer     not null,
    deleted      boolean     not null default false,
    updated_at   timestamptz not null,
    primary key (instance_id, label_id)
);
