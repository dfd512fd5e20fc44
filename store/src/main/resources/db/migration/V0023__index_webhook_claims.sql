-- Claims read only the front of the due queue (docs/DECISIONS.md D-AW3): pending deliveries in due-time
-- order, so `order by next_attempt_at, id limit n` walks this index and stops after n rows instead of
-- sorting every pending delivery. A claim moves next_attempt_at to its lease's end, so leased rows
-- leave the front. Replaces webhook_deliveries_due (status, next_attempt_at), which it covers.
-- One schema for H2 (MODE=PostgreSQL) and PostgreSQL.
drop index webhook_deliveries_due;
create index webhook_deliveries_claim on webhook_deliveries (status, next_attempt_at, id);
