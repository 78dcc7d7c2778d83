-- 0020: 0009 kept the (name, id) index on PostgreSQL for the accounts list sorted by name, which
-- pages through it when the book cannot order names as the database does. Under a byte-order
-- collation (C, POSIX, or C.* with libc: engine/book_loader.cc's TextInByteOrder) the book orders
-- them itself (engine/column_order.h), as on SQLite, and every server holds the book: the index
-- only slowed every account write (a first load of 1M accounts built it for 1.4 s, a third of
-- the import's time on the server; docs/PERFORMANCE.md). Other collations keep it.
{{POSTGRES}} DO $$
{{POSTGRES}} DECLARE
{{POSTGRES}}   db_collate TEXT;
{{POSTGRES}}   db_provider TEXT;
{{POSTGRES}} BEGIN
{{POSTGRES}}   SELECT d.datcollate, to_jsonb(d) ->> 'datlocprovider' INTO db_collate, db_provider
{{POSTGRES}}     FROM pg_database d WHERE d.datname = current_database();
{{POSTGRES}}   IF COALESCE(db_provider, 'c') = 'c'
{{POSTGRES}}      AND (db_collate IN ('C', 'POSIX') OR db_collate LIKE 'C.%') THEN
{{POSTGRES}}     DROP INDEX IF EXISTS accounts_name;
{{POSTGRES}}   END IF;
{{POSTGRES}} END $$;
