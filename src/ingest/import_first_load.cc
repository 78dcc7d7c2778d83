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

Result<std::vector<std::string>> SetAsideIndexes(store::Database& db, std::string_view table) {
  std::vector<std::pair<std::string, std::string>> found;  // name, the statement that makes it
  std::vector<std::string> drops, restore;
  store::SqlValue p[] = {std::string(table)};
  auto collect = [&](const store::Row& r) -> Status {
    found.emplace_back(std::string(r.GetText(0)), std::string(r.GetText(1)));
    return Ok();
  };
  if (db.dialect() == store::Dialect::kSqlite) {
    // Indexes a constraint made (sql IS NULL) stay: they cannot be dropped.
    ORCHARD_CHECK(
        db.Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                 "tbl_name = ? AND sql IS NOT NULL ORDER BY name",
                 p, collect));
    for (auto& [name, sql] : found) {
      drops.push_back("DROP INDEX " + Quoted(name));
      restore.push_back(std::move(sql));
    }
  } else {
    // Indexes that back no constraint (the primary key and UNIQUE constraints stay).
    ORCHARD_CHECK(db.Query(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = ?::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY c.relname",
        p, collect));
    for (auto& [name, sql] : found) {
      drops.push_back("DROP INDEX " + Quoted(name));
      restore.push_back(std::move(sql));
    }
    found.clear();
    ORCHARD_CHECK(
        db.Query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                 "WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY conname",
                 p, collect));
    for (auto& [name, def] : found) {
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
