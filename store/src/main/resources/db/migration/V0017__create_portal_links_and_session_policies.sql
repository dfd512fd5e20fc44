-- The self-serve admin portal and organizations' session policies (docs/DECISIONS.md D-AP1…).
-- A portal link's secret and a portal session's cookie value are stored only as SHA-256 hashes.
-- Deleting a link (revocation) deletes its portal sessions; deleting an organization deletes both.

create table portal_links (
    id               varchar(40)   primary key,           -- lnk_…
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    organization_id  varchar(32)   not null references organizations (id) on delete cascade,
    secret_sha256    varchar(64)   not null,
    features         varchar(64)   not null,               -- space-separated: sso dir_sync
    create_time      timestamp with time zone not null,
    expire_time      timestamp with time zone not null
);
create index portal_links_organization on portal_links (environment_id, organization_id, id);

create table portal_sessions (
    id               varchar(40)   primary key,           -- pss_…
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    organization_id  varchar(32)   not null,
    link_id          varchar(40)   not null references portal_links (id) on delete cascade,
    cookie_sha256    varchar(64)   not null,
    ip_address       varchar(64),
    create_time      timestamp with time zone not null,
    expire_time      timestamp with time zone not null,
    constraint portal_sessions_cookie_unique unique (cookie_sha256)
);
create index portal_sessions_link on portal_sessions (link_id);
create index portal_sessions_expiry on portal_sessions (expire_time);

create table organization_session_policies (
    organization_id        varchar(32)  primary key references organizations (id) on delete cascade,
    environment_id         varchar(32)  not null references environments (id) on delete cascade,
    policy_source          varchar(16)  not null,          -- APPLICATION | CUSTOM
    absolute_timeout       integer,
    absolute_timeout_unit  varchar(8),                     -- MINUTES | HOURS | DAYS
    idle_timeout_enabled   boolean      not null,
    idle_timeout           integer,
    idle_timeout_unit      varchar(8),
    update_time            timestamp with time zone not null
);

-- A policy change shortens the organization's active sessions at once.
create index sessions_organization on sessions (environment_id, organization_id);
