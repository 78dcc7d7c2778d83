// Schema migrations: numbered SQL files in store/migrations/ (NNNN_name.sql), embedded in the
// binary, applied in order, each in its own transaction and recorded in `schema_migrations`.
// One set for both backends; the only per-backend token is {{ID}} (see 0001).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace orchard::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The embedded migrations, in version order (generated from migrations/*.sql at build time).
const std::vector<Migration>& Migrations();
int LatestSchemaVersion();

// The highest applied version (0 for an empty database).
Result<int> SchemaVersion(Database& db);

// Applies every migration newer than the database's version; returns how many were applied.
// A database from a newer Orchard (version > LatestSchemaVersion) is refused with kUnavailable
// naming both versions, and left untouched. A failing migration rolls back whole.
Result<int> Migrate(Database& db);

// The SQL of a migration for one backend: {{ID}} replaced by the dialect's id column, and a line
// that starts "{{SQLITE}} " kept (without it) on SQLite only, one that starts "{{POSTGRES}} " on
// PostgreSQL only.
std::string RenderMigration(std::string_view sql, Dialect dialect);

}  // namespace orchard::store
