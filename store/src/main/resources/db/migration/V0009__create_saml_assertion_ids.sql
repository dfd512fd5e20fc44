-- SAML assertion replay cache (issue 4): the ID of every accepted assertion, kept until the assertion
-- expires (NotOnOrAfter + clock skew), shared by every node. The primary key makes a second use fail
-- atomically (insert ... on conflict do nothing). connection_id is not a foreign key: the row only has to
-- outlive its assertion, and rows of deleted connections expire like the others. docs/DECISIONS.md D-SAML3.
create table saml_assertion_ids (
    environment_id  varchar(32)  not null references environments (id) on delete cascade,
    connection_id   varchar(64)  not null,
    assertion_id    varchar(256) not null,
    expire_time     timestamp with time zone not null,
    primary key (environment_id, connection_id, assertion_id)
);
create index saml_assertion_ids_expire on saml_assertion_ids (expire_time);
