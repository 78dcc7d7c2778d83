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

Result<std::vector<std::string>> SetAsideIndexes(store::Database& db, std::string_view table,
                                                 const std::set<std::string>& filled,
                                                 const std::set<std::string>& ascending) {
  struct Found {
    std::string name, sql, columns;  // columns: comma-separated
    bool partial = false;
  };
  std::vector<Found> found;
  std::vector<std::string> drops, restore;
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
  for (Found& f : found) {
    if (empty_for_now(f) || (keep_ascending && in_order(f))) continue;
    drops.push_back("DROP INDEX " + Quoted(f.name));
    restore.push_back(std::move(f.sql));
  }
  if (db.dialect() == store::Dialect::kPostgres) {
    std::vector<std::pair<std::string, std::string>> keys;  // name, definition
    ORCHARD_CHECK(
        db.Query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                 "WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY conname",
                 p, [&](const store::Row& r) -> Status {
                   keys.emplace_back(std::string(r.GetText(0)), std::string(r.GetText(1)));
                   return Ok();
                 }));
    for (auto& [name, def] : keys) {
      drops.push_back("ALTER TABLE " + std::string(table) + " DROP CONSTRAINT " + Quoted(name));
      restore.push_back("ALTER TABLE " + std::string(table) + " ADD CONSTRAINT " + Quoted(name) +
                        " " + def);
    }
  }
  for (const std::string& sql : drops) ORCHARD_CHECK(db.ExecScript(sql));
  return restore;
}

Status PutBack(store::Database& db, const std::vector<std::string>& statements) {
  // PostgreSQL sorts an index's keys in 64 MB by default: a million names spill to disk.
  if (db.dialect() == store::Dialect::kPostgres && !statements.empty()) {
    ORCHARD_CHECK(db.ExecScript("SET LOCAL maintenance_work_mem = '256MB'"));
  }
  for (const std::string& sql : statements) ORCHARD_CHECK(db.ExecScript(sql));
  return Ok();
}

}  // namespace orchard::ingest::detail
