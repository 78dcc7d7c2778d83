-- 0018: an open opportunity may have no close date yet (HubSpot and most CRMs allow it: issue
-- 21); a closed one still needs it (domain/rules.cc). PostgreSQL drops the NOT NULL. SQLite
-- cannot alter a column, and rebuilding the table would break the links to it (foreign keys
-- cannot be switched off inside the migration's transaction), so its stored definition is
-- edited in place: the way SQLite documents for removing a NOT NULL (lang_altertable.html, "other
-- kinds of table schema changes"); no row changes on disk. Migrate() then bumps the schema
-- version, so that every connection re-reads the definition.
{{POSTGRES}} ALTER TABLE opportunities ALTER COLUMN close_date DROP NOT NULL;
{{SQLITE}} PRAGMA writable_schema = ON;
{{SQLITE}} UPDATE sqlite_schema SET sql = replace(sql, 'close_date DATE NOT NULL', 'close_date DATE') WHERE type = 'table' AND name = 'opportunities';
