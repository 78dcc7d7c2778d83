-- 0019: any system's key (issue 21). Besides salesforce_id and hubspot_id, a row may carry the
-- id another system gave it (external_id) and that system's name (external_source, e.g.
-- "ravenstack"); imports match rows on the pair, and exports write it back. Unique per table and
-- source, like the other keys (docs/IMPORT.md says why columns, not a table of keys). Users carry
-- one too (an owner column may name a user by it) and their regional office from a sales-teams
-- file.
ALTER TABLE accounts ADD COLUMN external_source TEXT;
ALTER TABLE accounts ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX accounts_external_id ON accounts (external_source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE contacts ADD COLUMN external_source TEXT;
ALTER TABLE contacts ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX contacts_external_id ON contacts (external_source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE opportunities ADD COLUMN external_source TEXT;
ALTER TABLE opportunities ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX opportunities_external_id ON opportunities (external_source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE contract_lines ADD COLUMN external_source TEXT;
ALTER TABLE contract_lines ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX contract_lines_external_id ON contract_lines (external_source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE users ADD COLUMN external_source TEXT;
ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX users_external_id ON users (external_source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE users ADD COLUMN office TEXT NOT NULL DEFAULT '';
