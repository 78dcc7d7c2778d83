-- 0022: an account's CSM and executive sponsor are indexed as its owner and parent are (0007):
-- only the accounts that name one. Each is a foreign key to users, and PostgreSQL checks one
-- by reading the referencing rows: with these indexes, checking it after a first load reads the
-- rows that name a CSM or a sponsor, not the whole table (none, for a CRM export that names
-- neither: 70 ms a key at 1M accounts before). Lists of the accounts a CSM covers use them too.
CREATE INDEX accounts_csm ON accounts (csm_id) WHERE csm_id IS NOT NULL;
CREATE INDEX accounts_sponsor ON accounts (sponsor_id) WHERE sponsor_id IS NOT NULL;
