-- 0021: the keys of other systems (Salesforce, HubSpot, any source's id) compare byte by byte on
-- PostgreSQL as they always did on SQLite (BINARY): they are identifiers, case-sensitive ASCII
-- (a Salesforce id's case is part of it), which no language's collation should order. Under the
-- database's collation every comparison of their indexes went through strcoll: building
-- accounts_salesforce_id after a first load of 1M accounts took 0.69 s, 0.4 s in byte order, and
-- each lookup of an import's key pays the same. The indexes on these columns are rebuilt.
{{POSTGRES}} ALTER TABLE accounts ALTER COLUMN salesforce_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN hubspot_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_source TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_id TYPE TEXT COLLATE "C";
{{POSTGRES}} ALTER TABLE contacts ALTER COLUMN salesforce_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN hubspot_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_source TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_id TYPE TEXT COLLATE "C";
{{POSTGRES}} ALTER TABLE opportunities ALTER COLUMN salesforce_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN hubspot_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_source TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_id TYPE TEXT COLLATE "C";
{{POSTGRES}} ALTER TABLE contract_lines ALTER COLUMN salesforce_id TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_source TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_id TYPE TEXT COLLATE "C";
{{POSTGRES}} ALTER TABLE users ALTER COLUMN external_source TYPE TEXT COLLATE "C",
{{POSTGRES}}   ALTER COLUMN external_id TYPE TEXT COLLATE "C";
