-- The sandbox's groups (issue 10 §3), so that a restarted sandbox still has them as WhatsApp would: the group, its
-- addressing mode ("pn": participants named by phone number, "lid": by LID, as WhatsApp's newer groups are) and its
-- members in the order they joined, with their roles.
create table whatsapp.sandbox_group (
    group_id         text primary key,  -- the user part of id@g.us
    subject          text not null,
    creator          text not null,     -- the creator's phone number
    created_at       bigint not null,   -- seconds since the epoch, as the metadata's "creation" tells it
    addressing_mode  text not null check (addressing_mode in ('pn', 'lid')),
    description      text not null default '',
    description_id   text not null default '',
    announce         boolean not null default false,  -- only admins send
    locked           boolean not null default false,  -- only admins edit subject and description
    invite_code      text                             -- null until an admin asks for one
);

create table whatsapp.sandbox_group_member (
    group_id         text not null references whatsapp.sandbox_group (group_id) on delete cascade,
    phone            text not null,
    role             text not null,     -- superadmin, admin or empty
    position         integer not null,  -- join order
    primary key (group_id, phone)
);
