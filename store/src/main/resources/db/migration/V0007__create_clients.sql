-- ClientService (docs/DECISIONS.md D-C*): the environment type, the app-client settings of environment
-- clients (redirect URIs and friends), secret status, and organization M2M clients (m2morg_) with their
-- hashed secrets. One ALTER per column: the form H2 (MODE=PostgreSQL) and PostgreSQL both accept.

alter table environments add column environment_type varchar(16) default 'DEVELOPMENT' not null;

-- URI lists are JSON arrays of strings (at most 5 URIs of at most 256 characters each).
alter table environment_clients add column redirect_uris varchar(2048) default '[]' not null;
alter table environment_clients add column default_redirect_uri varchar(256);
alter table environment_clients add column post_logout_redirect_uris varchar(2048) default '[]' not null;
alter table environment_clients add column back_channel_logout_uris varchar(2048) default '[]' not null;
alter table environment_clients add column initiate_login_uri varchar(256);
alter table environment_clients add column enforce_pkce boolean default false not null;
alter table environment_clients add column access_token_expiry bigint;
alter table environment_clients add column update_time timestamp with time zone;
alter table environment_clients add column client_type varchar(128);

alter table environment_client_secrets add column status varchar(16) default 'ACTIVE' not null;
alter table environment_client_secrets add column update_time timestamp with time zone;

create table organization_clients (
    id              varchar(32)   primary key,
    environment_id  varchar(32)   not null references environments (id) on delete cascade,
    organization_id varchar(32)   not null references organizations (id) on delete cascade,
    name            varchar(256)  not null,   -- 128 code points = up to 256 UTF-16 units
    description     varchar(1024) not null,   -- 512 code points
    scopes          varchar(8000) not null,   -- JSON array of strings
    audience        varchar(8000) not null,   -- JSON array of strings
    custom_claims   varchar(16000) not null,  -- JSON array of {"key","value"} in the order given
    expiry_seconds  bigint        not null,
    create_time     timestamp with time zone not null,
    update_time     timestamp with time zone not null
);
create index organization_clients_organization on organization_clients (environment_id, organization_id, id);

create table organization_client_secrets (
    id              varchar(32) primary key,
    environment_id  varchar(32) not null references environments (id) on delete cascade,
    client_id       varchar(32) not null references organization_clients (id) on delete cascade,
    secret_sha256   varchar(64) not null,
    suffix          varchar(8)  not null,
    create_time     timestamp with time zone not null
);
create index organization_client_secrets_client on organization_client_secrets (client_id);
