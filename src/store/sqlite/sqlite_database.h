// The SQLite adapter: the embedded default. One connection, WAL journal, foreign keys on,
// a cache of prepared statements keyed by SQL text.
#pragma once

#include <memory>
#include <string_view>

#include "store/database.h"

namespace orchard::store {

// path: a file path, or ":memory:". Creates the file if missing; an unwritable location is one
// clear kUnavailable error naming the path.
struct SqliteOptions {
  // PRAGMA synchronous: FULL syncs the log at every commit, so an acknowledged write survives a
  // power loss; NORMAL syncs it only at checkpoints (an application crash still loses nothing).
  bool synchronous_full = true;
};
Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, SqliteOptions options = {});

}  // namespace orchard::store
