-- Social login settings per environment (gatehouse.v1.social): one row per provider. The client secret is sealed
-- (AES-GCM under the master key); the endpoint columns are empty when the provider's real endpoints apply.

create table social_connections (
    environment_id   varchar(32)    not null references environments (id) on delete cascade,
    provider         varchar(16)    not null,   -- google | microsoft | github | gitlab | linkedin | salesforce
    client_id        varchar(256)   not null,
    sealed_secret    varchar(2048)  not null,
    scopes           varchar(2100)  not null,   -- space-separated; empty = the provider's defaults
    authorize_url    varchar(2048),
    token_url        varchar(2048),
    profile_url      varchar(2048),
    enabled          boolean        not null,
    create_time      timestamp with time zone not null,
    update_time      timestamp with time zone not null,
    constraint social_connections_pk primary key (environment_id, provider)
);
