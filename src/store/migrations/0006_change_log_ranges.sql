-- 0006: one change-log entry may name a range of new rows, entity_id to last_id, so that a bulk
-- import logs one entry per batch instead of one per row, and a following server reads the rows
-- with one query. NULL: the entry names one row, as before.
ALTER TABLE change_log ADD COLUMN last_id BIGINT;
