// A first load's indexes set aside and put back (import_first_load.h).
#include "ingest/import_first_load.h"

#include <utility>

namespace orchard::ingest::detail {

namespace {

// A name from the database's catalogue, quoted as an identifier.
std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// PostgreSQL keeps a primary key's B-tree row by row: an insert and a log record for each, on
// the one server process that does the whole COPY. A 1M-row first load took 3.0-3.3 s with the
// key in place and 2.1-2.3 s without it; built afterwards from the table, it takes 0.26 s. The
// key cannot go while other tables' foreign keys name it, so they go first and come back after
// it (their tables are empty in a first load, or hold rows that name no row of it: re-checking
// them reads no more than those tables).
Status SetAsidePrimaryKey(store::Database& db, std::string_view table,
                          std::vector<std::string>& drops, SetAside& restore) {
  store::SqlValue p[] = {std::string(table)};
  std::string name, definition;
  ORCHARD_CHECK(
      db.Query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
               "WHERE conrelid = ?::regclass AND contype = 'p'",
               p, [&](const store::Row& r) -> Status {
                 name = r.GetText(0);
                 definition = r.GetText(1);
                 return Ok();
               }));
  if (name.empty()) return Ok();
  struct Naming {
    std::string table, name, definition;
  };
  std::vector<Naming> naming;
  std::string tables;  // each once, for LOCK TABLE
  ORCHARD_CHECK(db.Query(
      "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
      "WHERE confrelid = ?::regclass AND conrelid <> confrelid AND contype = 'f' ORDER BY 1, 2",
      p, [&](const store::Row& r) -> Status {
        Naming n{std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2))};
        if (naming.empty() || naming.back().table != n.table) {
          tables += (tables.empty() ? "" : ", ") + n.table;
        }
        naming.push_back(std::move(n));
        return Ok();
      }));
  if (!naming.empty()) {
    // Taken at once or not at all: a session reading one of those tables keeps it, and the
    // key stays (the load is slower, never stuck behind it or in a deadlock with it).
    ORCHARD_CHECK(db.ExecScript("SAVEPOINT orchard_primary_key"));
    Status locked = db.ExecScript("LOCK TABLE " + tables + " IN ACCESS EXCLUSIVE MODE NOWAIT");
    if (!locked) ORCHARD_CHECK(db.ExecScript("ROLLBACK TO SAVEPOINT orchard_primary_key"));
    ORCHARD_CHECK(db.ExecScript("RELEASE SAVEPOINT orchard_primary_key"));
    if (!locked) return Ok();
  }
  for (const Naming& n : naming) {
    drops.push_back("ALTER TABLE " + n.table + " DROP CONSTRAINT " + Quoted(n.name));
    restore.naming_keys.push_back("ALTER TABLE " + n.table + " ADD CONSTRAINT " + Quoted(n.name) +
                                  " " + n.definition);
  }
  // After the table's own foreign keys (its parent's names it too).
  drops.push_back("ALTER TABLE " + std::string(table) + " DROP CONSTRAINT " + Quoted(name));
  restore.primary_key =
      "ALTER TABLE " + std::string(table) + " ADD CONSTRAINT " + Quoted(name) + " " + definition;
  return Ok();
}

}  // namespace

Result<bool> TableIsEmpty(store::Database& db, std::string_view table) {
  ORCHARD_TRY(auto any, db.QueryInt("SELECT 1 FROM " + std::string(table) + " LIMIT 1", {}));
  return !any.has_value();
}

Result<SetAside> SetAsideIndexes(store::Database& db, std::string_view table,
                                 const std::set<std::string>& filled,
                                 const std::set<std::string>& ascending, bool primary_key) {
  struct Found {
    std::string name, sql, columns;  // columns: comma-separated
    bool partial = false;
  };
  std::vector<Found> found;
  std::vector<std::string> drops;
  SetAside restore;
  store::SqlValue p[] = {std::string(table)};
  auto collect = [&](const store::Row& r) -> Status {
    Found f{std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2))};
    ORCHARD_TRY(int64_t partial, r.GetInt(3));
    f.partial = partial != 0;
    found.push_back(std::move(f));
    return Ok();
  };
  auto empty_for_now = [&](const Found& f) {
    if (!f.partial) return false;
    size_t at = 0;
    while (at <= f.columns.size()) {
      size_t end = f.columns.find(',', at);
      if (end == std::string::npos) end = f.columns.size();
      if (filled.contains(f.columns.substr(at, end - at))) return false;
      at = end + 1;
    }
    return true;
  };
  auto in_order = [&](const Found& f) {
    size_t at = 0;
    while (at <= f.columns.size()) {
      size_t end = f.columns.find(',', at);
      if (end == std::string::npos) end = f.columns.size();
      if (!ascending.contains(f.columns.substr(at, end - at))) return false;
      at = end + 1;
    }
    return true;
  };
  if (db.dialect() == store::Dialect::kSqlite) {
    // Indexes a constraint made (sql IS NULL) stay: they cannot be dropped.
    ORCHARD_CHECK(db.Query(
        "SELECT m.name, m.sql, (SELECT group_concat(i.name) FROM pragma_index_info(m.name) i), "
        "l.partial FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name "
        "WHERE m.type = 'index' AND m.tbl_name = ? AND m.sql IS NOT NULL ORDER BY m.name",
        p, collect));
  } else {
    // Indexes that back no constraint (the primary key and UNIQUE constraints stay).
    ORCHARD_CHECK(db.Query(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid), (SELECT string_agg(a.attname, ',') "
        "FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)), "
        "CASE WHEN x.indpred IS NULL THEN 0 ELSE 1 END FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = ?::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY c.relname",
        p, collect));
  }
  // An index whose columns ascend through the first batch stays on SQLite, where its inserts are
  // appends to its last page (keeping accounts_salesforce_id for a sorted file: 3.2 s against
  // 3.7 s at 1M rows). PostgreSQL's B-tree pays for each insert all the same (the same file: its
  // COPY 1.8 s longer with the index than without, the index built after it 0.6-0.9 s).
  const bool keep_ascending = db.dialect() == store::Dialect::kSqlite;
  std::set<std::string> kept_for_column;  // partial indexes left in place, by their one column
  for (Found& f : found) {
    if (empty_for_now(f) || (keep_ascending && in_order(f))) {
      // pg_get_indexdef's form of exactly the rows that fill the column.
      if (f.partial && f.sql.ends_with(" WHERE (" + f.columns + " IS NOT NULL)")) {
        kept_for_column.insert(f.columns);
      }
      continue;
    }
    drops.push_back("DROP INDEX " + Quoted(f.name));
    restore.indexes.push_back(std::move(f.sql));
  }
  if (db.dialect() == store::Dialect::kPostgres) {
    struct Key {
      std::string name, definition, columns;
    };
    std::vector<Key> keys;
    ORCHARD_CHECK(db.Query(
        "SELECT k.conname, pg_get_constraintdef(k.oid), (SELECT string_agg(a.attname, ',') "
        "FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)) "
        "FROM pg_constraint k WHERE k.conrelid = ?::regclass AND k.contype = 'f' "
        "ORDER BY k.conname",
        p, [&](const store::Row& r) -> Status {
          keys.push_back(
              Key{std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2))});
          return Ok();
        }));
    for (Key& k : keys) {
      drops.push_back("ALTER TABLE " + std::string(table) + " DROP CONSTRAINT " + Quoted(k.name));
      restore.keys.push_back(
          SetAside::ForeignKey{"ALTER TABLE " + std::string(table) + " ADD CONSTRAINT " +
                                   Quoted(k.name) + " " + k.definition,
                               kept_for_column.contains(k.columns) ? k.columns : std::string()});
    }
  }
  if (primary_key && db.dialect() == store::Dialect::kPostgres) {
    ORCHARD_CHECK(SetAsidePrimaryKey(db, table, drops, restore));
  }
  for (const std::string& sql : drops) ORCHARD_CHECK(db.ExecScript(sql));
  return restore;
}

Status PutBackPrimaryKey(store::Database& db, SetAside& set_aside) {
  if (set_aside.primary_key.empty()) return Ok();
  // PostgreSQL sorts an index's keys in 64 MB by default: a million names spill to disk.
  ORCHARD_CHECK(db.ExecScript("SET LOCAL maintenance_work_mem = '256MB'"));
  ORCHARD_CHECK(db.ExecScript(set_aside.primary_key));
  set_aside.primary_key.clear();
  return Ok();
}

Status PutBack(store::Database& db, std::string_view table, SetAside set_aside) {
  if (set_aside.empty()) return Ok();
  if (db.dialect() == store::Dialect::kPostgres) {
    ORCHARD_CHECK(db.ExecScript("SET LOCAL maintenance_work_mem = '256MB'"));
  }
  ORCHARD_CHECK(PutBackPrimaryKey(db, set_aside));  // first: the foreign keys need it
  for (const std::string& sql : set_aside.indexes) ORCHARD_CHECK(db.ExecScript(sql));
  for (const SetAside::ForeignKey& key : set_aside.keys) {
    // PostgreSQL checks a foreign key by joining every row that fills its column to the table it
    // names. The rows this transaction loaded have no statistics yet, so the planner reads the
    // whole table for them (70 ms a key at 1M accounts), though an export that names no CSM
    // fills no row's csm_id. When the column's partial index holds no row, the key is checked
    // through that index, told not to read the table: no row, nothing read.
    bool through_index = false;
    if (!key.column.empty()) {
      ORCHARD_CHECK(db.ExecScript("SET LOCAL enable_seqscan = off"));
      ORCHARD_TRY(auto any, db.QueryInt("SELECT 1 FROM " + std::string(table) + " WHERE " +
                                            Quoted(key.column) + " IS NOT NULL LIMIT 1",
                                        {}));
      through_index = !any.has_value();
      if (!through_index) ORCHARD_CHECK(db.ExecScript("SET LOCAL enable_seqscan TO DEFAULT"));
    }
    ORCHARD_CHECK(db.ExecScript(key.add));
    if (through_index) ORCHARD_CHECK(db.ExecScript("SET LOCAL enable_seqscan TO DEFAULT"));
  }
  for (const std::string& sql : set_aside.naming_keys) ORCHARD_CHECK(db.ExecScript(sql));
  return Ok();
}

}  // namespace orchard::ingest::detail
