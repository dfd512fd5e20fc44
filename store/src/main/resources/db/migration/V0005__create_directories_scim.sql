-- Directory sync (issue 5): directories, their SCIM bearer tokens, group-to-role mappings, and the users,
-- groups and memberships that SCIM clients provision. directory_users.linked_user_id and email_lower are the
-- seam for the sync into environment users (linked by email; docs/DECISIONS.md D-S6).

create table directories (
    id               varchar(32)  primary key,
    environment_id   varchar(32)  not null references environments (id) on delete cascade,
    organization_id  varchar(32)  not null references organizations (id) on delete cascade,
    name             varchar(256) not null,
    directory_type   varchar(16)  not null,
    provider         varchar(32)  not null,
    enabled          boolean      not null,
    last_synced_at   timestamp with time zone,
    create_time      timestamp with time zone not null,
    update_time      timestamp with time zone not null
);
create index directories_organization on directories (environment_id, organization_id, id);

create table directory_secrets (
    id              varchar(32) primary key,
    environment_id  varchar(32) not null references environments (id) on delete cascade,
    directory_id    varchar(32) not null references directories (id) on delete cascade,
    secret_sha256   varchar(64) not null,
    suffix          varchar(8)  not null,
    active          boolean     not null,
    create_time     timestamp with time zone not null,
    expire_time     timestamp with time zone,
    last_used_time  timestamp with time zone
);
create index directory_secrets_directory on directory_secrets (directory_id);

create table directory_role_assignments (
    environment_id  varchar(32)  not null references environments (id) on delete cascade,
    directory_id    varchar(32)  not null references directories (id) on delete cascade,
    position        integer      not null,   -- 0 is the default role
    group_id        varchar(40)  not null,   -- '' for a role without a group
    role_name       varchar(100) not null,
    primary key (directory_id, position)
);

create table directory_users (
    id               varchar(40)   primary key,
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    directory_id     varchar(32)   not null references directories (id) on delete cascade,
    user_name        varchar(1024) not null,
    user_name_lower  varchar(2048) not null,
    external_id      varchar(1024),
    active           boolean       not null,
    email            varchar(1024),
    email_lower      varchar(2048),
    given_name       varchar(1024),
    family_name      varchar(1024),
    display_name     varchar(1024),
    resource         varchar(1000000) not null,  -- the SCIM JSON as stored (without id, meta, groups)
    linked_user_id   varchar(40),                -- the environment user this one is synced to, when linked
    create_time      timestamp with time zone not null,
    update_time      timestamp with time zone not null,
    constraint directory_users_user_name_unique unique (directory_id, user_name_lower)
);
create index directory_users_directory on directory_users (directory_id, id);
create index directory_users_updated on directory_users (directory_id, update_time);
create index directory_users_email on directory_users (environment_id, email_lower);

create table directory_groups (
    id               varchar(40)   primary key,
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    directory_id     varchar(32)   not null references directories (id) on delete cascade,
    display_name     varchar(1024) not null,
    external_id      varchar(1024),
    resource         varchar(1000000) not null,  -- the SCIM JSON as stored (without id, meta, members)
    create_time      timestamp with time zone not null,
    update_time      timestamp with time zone not null
);
create index directory_groups_directory on directory_groups (directory_id, id);

create table group_members (
    environment_id  varchar(32) not null references environments (id) on delete cascade,
    directory_id    varchar(32) not null references directories (id) on delete cascade,
    group_id        varchar(40) not null references directory_groups (id) on delete cascade,
    user_id         varchar(40) not null references directory_users (id) on delete cascade,
    primary key (group_id, user_id)
);
create index group_members_user on group_members (user_id);
