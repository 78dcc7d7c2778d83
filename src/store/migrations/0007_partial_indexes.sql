-- 0007: indexes on columns that are often NULL (external ids, an account's owner and parent)
-- hold only the rows that have a value. Lookups by value use them as before; a row without one
-- costs no index entry, which halves the work of inserting an account imported from a CSV.
DROP INDEX accounts_salesforce_id;
CREATE UNIQUE INDEX accounts_salesforce_id ON accounts (salesforce_id) WHERE salesforce_id IS NOT NULL;
DROP INDEX accounts_hubspot_id;
CREATE UNIQUE INDEX accounts_hubspot_id ON accounts (hubspot_id) WHERE hubspot_id IS NOT NULL;
DROP INDEX accounts_owner;
CREATE INDEX accounts_owner ON accounts (owner_id) WHERE owner_id IS NOT NULL;
DROP INDEX accounts_parent;
CREATE INDEX accounts_parent ON accounts (parent_id) WHERE parent_id IS NOT NULL;
DROP INDEX contract_lines_salesforce_id;
CREATE UNIQUE INDEX contract_lines_salesforce_id ON contract_lines (salesforce_id) WHERE salesforce_id IS NOT NULL;
DROP INDEX contacts_salesforce_id;
CREATE UNIQUE INDEX contacts_salesforce_id ON contacts (salesforce_id) WHERE salesforce_id IS NOT NULL;
DROP INDEX contacts_hubspot_id;
CREATE UNIQUE INDEX contacts_hubspot_id ON contacts (hubspot_id) WHERE hubspot_id IS NOT NULL;
DROP INDEX opportunities_salesforce_id;
CREATE UNIQUE INDEX opportunities_salesforce_id ON opportunities (salesforce_id) WHERE salesforce_id IS NOT NULL;
DROP INDEX opportunities_hubspot_id;
CREATE UNIQUE INDEX opportunities_hubspot_id ON opportunities (hubspot_id) WHERE hubspot_id IS NOT NULL;
