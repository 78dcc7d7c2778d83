-- 0003: the change log. Every write to what the in-memory read model holds (accounts, contract
-- lines) adds a row here in the same transaction; each Orchard server follows the log (woken by
-- NOTIFY on PostgreSQL) and re-reads the rows named, so a write on one server shows on all.
CREATE TABLE change_log (
  seq {{ID}},
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  at TIMESTAMP NOT NULL
);
CREATE INDEX change_log_at ON change_log (at);
