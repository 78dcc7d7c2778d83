-- 0009: on SQLite the in-memory book orders the accounts list by name (engine/column_order.h,
-- byte order as SQLite's BINARY), so 0008's (name, id) index only slowed every account write: a
-- third of a 1M-row import's CPU (docs/PERFORMANCE.md). PostgreSQL keeps it: under a collation
-- other than C the book cannot reproduce the order, and the list sorted by name pages through it.
{{SQLITE}} DROP INDEX IF EXISTS accounts_name;
