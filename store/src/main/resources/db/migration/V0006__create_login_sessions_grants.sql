-- The OpenID provider: per-environment login settings, hosted-login transactions, browser sessions,
-- authorization codes, grants (one per code exchange) and their rotating refresh tokens.
-- Codes, refresh tokens and cookie values are stored only as SHA-256 hashes.

create table login_settings (
    environment_id                varchar(32)  primary key references environments (id) on delete cascade,
    signup_allowed                boolean      not null,
    organization_creation_allowed boolean      not null,
    brand_name                    varchar(100) not null,
    logo_url                      varchar(512),
    primary_color                 varchar(7)   not null,
    background_color              varchar(7)   not null,
    access_token_seconds          integer      not null,
    refresh_token_seconds         integer      not null,
    id_token_seconds              integer      not null,
    session_idle_seconds          integer      not null,
    session_absolute_seconds      integer      not null,
    update_time                   timestamp with time zone not null
);

create table login_transactions (
    id                   varchar(40)   primary key,          -- lgn_…
    environment_id       varchar(32)   not null references environments (id) on delete cascade,
    client_id            varchar(64)   not null,
    request_json         varchar(8000) not null,             -- the validated authorize request
    step                 varchar(24)   not null,             -- AWAITING_EMAIL | AWAITING_CODE | AWAITING_ORGANIZATION | DONE
    email                varchar(254),
    user_id              varchar(32),
    challenge_id         varchar(64),                        -- the passwordless auth_request_id
    connection_id        varchar(64),                        -- the enterprise connection or social provider signing in
    amr                  varchar(200),                       -- JSON array: how the user proved who they are
    browser_sha256       varchar(64)   not null,             -- hash of the login cookie that binds the attempt to one browser
    failed_attempts      integer       not null,
    create_time          timestamp with time zone not null,
    update_time          timestamp with time zone not null,
    expire_time          timestamp with time zone not null
);
create index login_transactions_expiry on login_transactions (expire_time);

create table sessions (
    id                   varchar(40)  primary key,           -- ses_…
    environment_id       varchar(32)  not null references environments (id) on delete cascade,
    user_id              varchar(32)  not null references users (id) on delete cascade,
    organization_id      varchar(32),
    cookie_sha256        varchar(64)  not null,
    amr                  varchar(100) not null,              -- JSON array
    ip_address           varchar(64),
    user_agent           varchar(512),
    create_time          timestamp with time zone not null,
    last_active_time     timestamp with time zone not null,
    idle_expire_time     timestamp with time zone not null,
    absolute_expire_time timestamp with time zone not null,
    revoke_time          timestamp with time zone,
    revoke_reason        varchar(64),
    constraint sessions_cookie_unique unique (cookie_sha256)
);
create index sessions_user on sessions (environment_id, user_id, id);

create table token_grants (
    id               varchar(40)   primary key,              -- grt_…
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    client_id        varchar(64)   not null,
    session_id       varchar(40)   not null references sessions (id) on delete cascade,
    user_id          varchar(32)   not null,
    organization_id  varchar(32),
    scope            varchar(1000) not null,
    nonce            varchar(512),
    amr              varchar(100)  not null,
    auth_time        timestamp with time zone not null,
    create_time      timestamp with time zone not null,
    revoke_time      timestamp with time zone,
    revoke_reason    varchar(64)
);
create index token_grants_session on token_grants (session_id);

create table authorization_codes (
    code_sha256      varchar(64)   primary key,
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    grant_id         varchar(40)   not null references token_grants (id) on delete cascade,
    redirect_uri     varchar(512)  not null,
    code_challenge   varchar(128),
    create_time      timestamp with time zone not null,
    expire_time      timestamp with time zone not null,
    use_time         timestamp with time zone
);
create index authorization_codes_expiry on authorization_codes (expire_time);

create table refresh_tokens (
    token_sha256     varchar(64)   primary key,
    environment_id   varchar(32)   not null references environments (id) on delete cascade,
    grant_id         varchar(40)   not null references token_grants (id) on delete cascade,
    create_time      timestamp with time zone not null,
    expire_time      timestamp with time zone not null,
    use_time         timestamp with time zone
);
create index refresh_tokens_grant on refresh_tokens (grant_id);
