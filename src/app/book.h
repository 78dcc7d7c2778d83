// What the command handlers share (app/): opening a database and migrating it, refusing a
// missing SQLite file, and loading the in-memory book with its settings.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "store/database.h"

namespace orchard {

// Opens the database at `url` and applies any migration it lacks (saying so unless `quiet`).
Result<std::unique_ptr<store::Database>> OpenMigrated(const std::string& url, bool quiet);

// The file of a sqlite: URL; none for PostgreSQL or memory.
std::optional<std::string> SqliteFileOf(const std::string& url);

// Opening a missing SQLite file would create an empty database and read nothing from it.
Status RequireExistingDatabase(const std::string& url);

// Loads settings and the in-memory book from the database at `url`.
struct LoadedBook {
  Settings settings;
  std::unique_ptr<engine::ReadModel> model;
  int64_t load_ms = 0;
};
Result<LoadedBook> LoadBook(const std::string& url);

}  // namespace orchard
