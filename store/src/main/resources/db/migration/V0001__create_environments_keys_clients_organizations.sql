-- One schema for H2 (MODE=PostgreSQL) and PostgreSQL. Every tenant table carries environment_id.

create table environments (
    id          varchar(32)  primary key,
    name        varchar(200) not null,
    issuer_url  varchar(1024) not null,
    create_time timestamp with time zone not null,
    constraint environments_issuer_unique unique (issuer_url)
);

create table signing_keys (
    kid                varchar(32) primary key,
    environment_id     varchar(32) not null references environments (id) on delete cascade,
    algorithm          varchar(16) not null,
    public_key_der     varchar(2048) not null,  -- base64
    sealed_private_key varchar(4096) not null,  -- base64 of AES-GCM under the master key
    state              varchar(16) not null,
    create_time        timestamp with time zone not null,
    retire_time        timestamp with time zone
);
create index signing_keys_environment on signing_keys (environment_id, state);

create table environment_clients (
    id             varchar(64) primary key,
    environment_id varchar(32) not null references environments (id) on delete cascade,
    name           varchar(200) not null,
    create_time    timestamp with time zone not null
);
create index environment_clients_environment on environment_clients (environment_id);

create table environment_client_secrets (
    id             varchar(32) primary key,
    environment_id varchar(32) not null references environments (id) on delete cascade,
    client_id      varchar(64) not null references environment_clients (id) on delete cascade,
    secret_sha256  varchar(64) not null,
    suffix         varchar(8)  not null,
    create_time    timestamp with time zone not null
);
create index environment_client_secrets_client on environment_client_secrets (client_id);

create table organizations (
    id                varchar(32)  primary key,
    environment_id    varchar(32)  not null references environments (id) on delete cascade,
    display_name      varchar(400) not null,   -- 200 code points = up to 400 UTF-16 units
    display_name_lower varchar(800) not null,  -- lower-casing can double the length (İ → i̇)
    region_code       varchar(16)  not null,
    external_id       varchar(255),
    metadata          varchar(8000) not null,  -- JSON object of at most 10 string pairs
    feature_sso       boolean not null,
    feature_dir_sync  boolean not null,
    slug              varchar(253),
    logo_url          varchar(1024),
    max_allowed_users integer,
    create_time       timestamp with time zone not null,
    update_time       timestamp with time zone not null,
    constraint organizations_external_id_unique unique (environment_id, external_id)
);
create index organizations_environment_id on organizations (environment_id, id);
