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

}  // namespace

Result<bool> TableIsEmpty(store::Database& db, std::string_view table) {
  ORCHARD_TRY(auto any, db.QueryInt("SELECT 1 FROM " + std::string(table) + " LIMIT 1", {}));
  return !any.has_value();
}

Result<SetAside> SetAsideIndexes(store::Database& db, std::string_view table,
                                 const std::set<std::string>& filled,
                                 const std::set<std::string>& ascending) {
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
  for (const std::string& sql : drops) ORCHARD_CHECK(db.ExecScript(sql));
  return restore;
}

Status PutBack(store::Database& db, std::string_view table, const SetAside& set_aside) {
  if (set_aside.empty()) return Ok();
  // PostgreSQL sorts an index's keys in 64 MB by default: a million names spill to disk.
  if (db.dialect() == store::Dialect::kPostgres) {
    ORCHARD_CHECK(db.ExecScript("SET LOCAL maintenance_work_mem = '256MB'"));
  }
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
  return Ok();
}

}  // namespace orchard::ingest::detail
