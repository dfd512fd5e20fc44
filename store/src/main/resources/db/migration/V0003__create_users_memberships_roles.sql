-- Users, their memberships in organizations (with invitation state), and the minimal environment roles.

create table roles (
    id             varchar(32)  primary key,
    environment_id varchar(32)  not null references environments (id) on delete cascade,
    name           varchar(100) not null,
    display_name   varchar(200) not null,
    default_member boolean      not null,
    create_time    timestamp with time zone not null,
    constraint roles_name_unique unique (environment_id, name)
);

create table users (
    id              varchar(32)   primary key,
    environment_id  varchar(32)   not null references environments (id) on delete cascade,
    email           varchar(254)  not null,
    email_lower     varchar(254)  not null,   -- ASCII-only addresses (validated), so lower-casing keeps the length
    email_verified  boolean       not null,
    external_id     varchar(510),
    metadata        varchar(16000) not null,  -- JSON object of at most 20 string pairs
    profile         varchar(100000) not null, -- JSON of the profile fields, maps and groups
    create_time     timestamp with time zone not null,
    update_time     timestamp with time zone not null,
    last_login_time timestamp with time zone,
    constraint users_email_unique unique (environment_id, email_lower),
    constraint users_external_id_unique unique (environment_id, external_id)
);
create index users_environment_id on users (environment_id, id);

-- Deleting an organization or a user deletes their memberships (no orphans).
create table memberships (
    environment_id     varchar(32)  not null references environments (id) on delete cascade,
    organization_id    varchar(32)  not null references organizations (id) on delete cascade,
    user_id            varchar(32)  not null references users (id) on delete cascade,
    status             varchar(16)  not null,
    roles              varchar(4000) not null,  -- JSON array of role names
    metadata           varchar(16000) not null,
    inviter_email      varchar(254),
    join_time          timestamp with time zone,
    invite_create_time timestamp with time zone,
    invite_expire_time timestamp with time zone,
    accept_time        timestamp with time zone,
    resent_count       integer not null,
    resent_time        timestamp with time zone,
    create_time        timestamp with time zone not null,
    update_time        timestamp with time zone not null,
    constraint memberships_pk primary key (organization_id, user_id)
);
create index memberships_user on memberships (environment_id, user_id);
create index memberships_organization on memberships (environment_id, organization_id, user_id);
