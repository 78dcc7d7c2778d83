#include "app/book.h"

#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "store/migrate.h"
#include "store/store.h"

namespace orchard {

Result<std::unique_ptr<store::Database>> OpenMigrated(const std::string& url, bool quiet) {
  ORCHARD_TRY(auto db, store::OpenDatabase(url));
  ORCHARD_TRY(int applied, store::Migrate(*db));
  if (!quiet && applied > 0) {
    fmt::print(stderr, "Applied {} migration(s) to {}; schema at version {}.\n", applied,
               db->description(), store::LatestSchemaVersion());
  }
  return db;
}

std::optional<std::string> SqliteFileOf(const std::string& url) {
  if (!url.starts_with("sqlite:") || url == "sqlite::memory:") return std::nullopt;
  return url.substr(7, url.find('?') == std::string::npos ? std::string::npos : url.find('?') - 7);
}

Status RequireExistingDatabase(const std::string& url) {
  auto path = SqliteFileOf(url);
  if (!path || std::filesystem::exists(*path)) return Ok();
  return Fail(ErrorCode::kNotFound, "no database at " + *path + " (--db " + url + ")");
}

Result<LoadedBook> LoadBook(const std::string& url) {
  ORCHARD_TRY(auto db, OpenMigrated(url, true));
  LoadedBook book;
  store::Store store(*db);
  ORCHARD_TRY(auto rows, store.LoadSettings());
  ORCHARD_CHECK(book.settings.Apply(rows));
  auto started = std::chrono::steady_clock::now();
  ORCHARD_TRY(book.model, engine::ReadModel::Load(*db));
  book.load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  return book;
}

}  // namespace orchard
