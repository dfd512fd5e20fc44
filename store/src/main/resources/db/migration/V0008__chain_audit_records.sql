-- Audit records become a hash chain per environment (docs/DECISIONS.md D-A1), and carry the target,
-- reason code and before/after state of management changes (D-A3).
-- One schema for H2 (MODE=PostgreSQL) and PostgreSQL.

alter table audit_records add column record_id varchar(32);
alter table audit_records add column chain_seq bigint;
alter table audit_records add column previous_hash varchar(64);
alter table audit_records add column record_hash varchar(64);
alter table audit_records add column target varchar(255);
alter table audit_records add column reason_code varchar(100);
alter table audit_records add column before_state varchar(100000);
alter table audit_records add column after_state varchar(100000);

-- Records written before this migration: IDs and sequence numbers in insertion order, no hash
-- (they are reported as unhashed by `gatehouse audit verify`).
update audit_records set record_id = 'aud_' || cast(id as varchar(20));
update audit_records set chain_seq = (
    select count(*) from audit_records earlier
    where coalesce(earlier.environment_id, '') = coalesce(audit_records.environment_id, '')
      and earlier.id <= audit_records.id);
alter table audit_records alter column record_id set not null;
create unique index audit_records_record_id on audit_records (record_id);
-- Records without an environment have a null environment_id: their chain's uniqueness rests on the head lock.
create unique index audit_records_chain on audit_records (environment_id, chain_seq);

-- The newest link of each chain, locked (select … for update) by every append, so appends of one
-- environment are serialized across threads and nodes. environment_id '' is the chain of records
-- without an environment. last_hash is null until the first hashed record.
create table audit_chain_heads (
    environment_id varchar(32) primary key,
    last_seq       bigint not null,
    last_hash      varchar(64)
);
insert into audit_chain_heads (environment_id, last_seq, last_hash)
select coalesce(environment_id, ''), max(chain_seq), null from audit_records group by coalesce(environment_id, '');
