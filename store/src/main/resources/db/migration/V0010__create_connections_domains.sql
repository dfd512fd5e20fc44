-- Enterprise SSO (issue 4): organizations' SAML and OIDC connections, and their email domains (login routing).
-- One schema for H2 (MODE=PostgreSQL) and PostgreSQL.

create table connections (
    id                    varchar(32)  primary key,
    environment_id        varchar(32)  not null references environments (id) on delete cascade,
    organization_id       varchar(32)  not null references organizations (id) on delete cascade,
    connection_type       varchar(16)  not null,   -- SAML | OIDC
    provider              varchar(32)  not null,
    status                varchar(16)  not null,   -- DRAFT | IN_PROGRESS | COMPLETED, derived from settings at each write
    enabled               boolean      not null,
    debug_enabled         boolean      not null,
    ui_button_title       varchar(200),
    attribute_mapping     varchar(20000) not null, -- JSON object: profile field -> IdP attribute
    settings              varchar(1000000) not null, -- JSON of the SAML or OIDC settings; the OIDC client secret only sealed
    sp_certificate_id     varchar(32),
    sp_certificate_pem    varchar(8000),
    sp_certificate_expiry timestamp with time zone,
    sp_private_key_sealed varchar(8000),           -- base64 of AES-GCM under the master key
    metadata_refresh_at   timestamp with time zone, -- next fetch of the IdP metadata URL; null without a URL
    create_time           timestamp with time zone not null,
    update_time           timestamp with time zone not null
);
create index connections_environment on connections (environment_id, id);
create index connections_organization on connections (environment_id, organization_id, id);
create index connections_metadata_refresh on connections (metadata_refresh_at);

-- name is lower case with IDNs in ASCII form, so the unique constraint ignores case (D-CN6).
create table domains (
    id                  varchar(32)  primary key,
    environment_id      varchar(32)  not null references environments (id) on delete cascade,
    organization_id     varchar(32)  not null references organizations (id) on delete cascade,
    connection_id       varchar(32)  references connections (id) on delete set null,
    name                varchar(253) not null,
    domain_type         varchar(32)  not null,   -- ORGANIZATION_DOMAIN | ALLOWED_EMAIL_DOMAIN
    verification_status varchar(16)  not null,
    verified_at         timestamp with time zone,
    create_time         timestamp with time zone not null,
    update_time         timestamp with time zone not null,
    constraint domains_name_unique unique (environment_id, name)
);
create index domains_organization on domains (environment_id, organization_id, id);
create index domains_connection on domains (connection_id);
