-- Connection tests started from the admin portal and read by GetConnectionTestResult (docs/DECISIONS.md D-CT1).
-- A test lives one day; housekeeping deletes it after expire_time. profile and raw_attributes are JSON objects of
-- strings (the normalized profile and what the identity provider sent), filled when the test succeeds.

create table connection_tests (
    id                 varchar(40)   primary key,           -- test_…
    environment_id     varchar(32)   not null references environments (id) on delete cascade,
    organization_id    varchar(32),
    connection_id      varchar(40)   not null,
    login_id           varchar(40)   not null,
    status             varchar(16)   not null,              -- PENDING | SUCCESS | FAILURE
    profile            varchar(16000),
    raw_attributes     varchar(16000),
    error              varchar(128),
    error_description  varchar(1024),
    error_details      varchar(4096),
    create_time        timestamp with time zone not null,
    update_time        timestamp with time zone not null,
    expire_time        timestamp with time zone not null,
    constraint connection_tests_login_unique unique (environment_id, login_id)
);
create index connection_tests_expiry on connection_tests (expire_time);
