-- 0004: the change log names the account a row belongs to, so that a follower can erase a deleted
-- signal row (a ticket, a usage day, a plan part, …) from the right account without an index of
-- every row id. A row moved between accounts logs both.
ALTER TABLE change_log ADD COLUMN account_id BIGINT;
