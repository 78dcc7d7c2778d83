-- 0011: ids reserved ahead by an import (Database::ReserveIds), so that live writes beside it
-- never take them. PostgreSQL reserves from each table's identity sequence and needs no table;
-- on SQLite, whose rowids have no sequence, Store::Insert takes a new row's id past both the
-- table's largest id and its reservation here.
{{SQLITE}} CREATE TABLE id_reservations (table_name TEXT PRIMARY KEY, upto BIGINT NOT NULL);
