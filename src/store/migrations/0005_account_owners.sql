-- 0005: who owned an account when. Retention by AM counts an account under its owner at the
-- period's end (or, asked, at its start), so a hand-over does not rewrite an AM's past NRR.
-- The account service adds rows when the owner changes: the new owner from that day on and, at
-- the first change, the owner before it from the start (since NULL). An account without rows
-- has had one owner all along: the one on the account.
CREATE TABLE account_owners (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  since DATE
);
CREATE INDEX account_owners_account ON account_owners (account_id, since);
