-- Links between users and identity-provider accounts (enterprise connections and social providers): the
-- user's identities[]. The IdP's subject is unique per connection.

create table user_identities (
    environment_id   varchar(32)    not null references environments (id) on delete cascade,
    user_id          varchar(32)    not null references users (id) on delete cascade,
    connection_id    varchar(64)    not null,   -- conn_… or the social provider's name
    subject          varchar(512)   not null,   -- NameID or sub at the provider
    organization_id  varchar(32),
    connection_type  varchar(16)    not null,   -- SAML | OIDC | SOCIAL
    provider_name    varchar(64)    not null,
    social           boolean        not null,
    email            varchar(254)   not null,
    raw_attributes   varchar(16000) not null,   -- JSON object of string values
    create_time      timestamp with time zone not null,
    last_login_time  timestamp with time zone not null,
    constraint user_identities_pk primary key (environment_id, connection_id, subject)
);
create index user_identities_user on user_identities (environment_id, user_id);
