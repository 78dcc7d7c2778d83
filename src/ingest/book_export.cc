// The book export's writer: one snapshot, one JSON-lines file per table, then the manifest.
#include "ingest/book_export.h"

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <type_traits>

#include "ingest/book_tables.h"
#include "service/entity_json.h"
#include "store/codec.h"
#include "store/migrate.h"

#ifndef ORCHARD_VERSION
#define ORCHARD_VERSION "unknown"
#endif

namespace orchard::ingest {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// What a book export leaves out, and why (the manifest says so too).
constexpr std::pair<std::string_view, std::string_view> kLeftOut[] = {
    {"sessions", "a credential (signed-in browsers)"},
    {"api_tokens", "a credential (integrations); create tokens anew"},
    {"webhook_endpoints", "each holds a signing secret; add the endpoints anew"},
    {"smtp_settings", "holds the SMTP password; set it anew"},
    {"predictive_models", "derived: `orchard model train churn|upsell` rebuilds them"},
    {"automation_state", "the runner's cursors and the signing key: made anew"},
    {"outbox_messages", "messages in flight belong to the server that sends them"},
    {"delivery_attempts", "messages in flight belong to the server that sends them"},
    {"change_log", "bookkeeping of the servers that follow the book"},
    {"id_reservations", "bookkeeping of imports in flight"},
    {"schema_migrations", "bookkeeping: the manifest's schema_version says which"},
};

template <class T>
std::string SelectOf() {
  std::string select;
  ForEachColumn<T>([&](const auto& col) {
    if (IsBookSecret(col.name)) return;
    if (!select.empty()) select += ", ";
    select += col.name;
  });
  std::string order_by = "id";
  if constexpr (!HasId<T>) order_by = select;  // link tables and settings: by every column
  return "SELECT " + select + " FROM " + std::string(EntitySchema<T>::kTable) + " ORDER BY " +
         order_by;
}

// Every row of T's table into `path`, one JSON object a line; the row count.
template <class T>
Result<int64_t> WriteTable(store::Database& db, const fs::path& path) {
  const std::string table(EntitySchema<T>::kTable);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write " + path.string());
  int64_t rows = 0;
  ORCHARD_CHECK(db.Query(SelectOf<T>(), {}, [&](const store::Row& row) -> Status {
    json::object line;
    Status status = Ok();
    int i = 0;
    ForEachColumn<T>([&](const auto& col) {
      if (!status || IsBookSecret(col.name)) return;
      using M = std::remove_cvref_t<decltype(std::declval<const T&>().*(col.member))>;
      auto value = store::Codec<M>::FromSql(row, i++);
      if (!value) {
        status =
            Fail(ErrorCode::kInternal, table + "." + std::string(col.name) + " of row " +
                                           std::to_string(rows + 1) + ": " + value.error().message);
        return;
      }
      line.emplace(col.name, service::ToJsonValue(*value));
    });
    if (!status) return status;
    out << json::serialize(line) << '\n';
    ++rows;
    if (!out) return Fail(ErrorCode::kUnavailable, "writing " + path.string() + " failed");
    return Ok();
  }));
  out.flush();
  if (!out) return Fail(ErrorCode::kUnavailable, "writing " + path.string() + " failed");
  return rows;
}

template <class... T>
Status WriteTables(BookList<T...>, store::Database& db, const fs::path& dir, BookSummary& summary) {
  Status status = Ok();
  auto one = [&]<class E>(std::type_identity<E>) {
    if (!status) return;
    const std::string name(EntitySchema<E>::kTable);
    auto rows = WriteTable<E>(db, dir / (name + ".jsonl"));
    if (!rows) {
      status = std::unexpected(rows.error());
      return;
    }
    summary.tables.push_back({name, *rows});
    summary.rows += *rows;
  };
  (one(std::type_identity<T>{}), ...);
  return status;
}

Status WriteManifest(const fs::path& path, const BookSummary& summary, int schema_version,
                     Timestamp at) {
  json::object manifest;
  manifest["format"] = "orchard-book";
  manifest["format_version"] = kBookFormatVersion;
  manifest["orchard_version"] = ORCHARD_VERSION;
  manifest["schema_version"] = schema_version;
  manifest["exported_at"] = at.ToIso8601();
  json::array tables;
  for (const auto& t : summary.tables) {
    json::object entry;
    entry["name"] = t.name;
    entry["file"] = t.name + ".jsonl";
    entry["rows"] = t.rows;
    tables.push_back(std::move(entry));
  }
  manifest["tables"] = std::move(tables);
  json::object left_out;
  for (const auto& [table, why] : kLeftOut) left_out[table] = why;
  manifest["left_out"] = std::move(left_out);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << json::serialize(manifest) << '\n';
  out.flush();
  if (!out) return Fail(ErrorCode::kUnavailable, "writing " + path.string() + " failed");
  return Ok();
}

// A read snapshot: every table as of one moment, without holding writers back.
Status BeginSnapshot(store::Database& db) {
  if (db.dialect() == store::Dialect::kPostgres) {
    return db.ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  return db.ExecScript("BEGIN");  // deferred: SQLite's snapshot starts at the first read
}

template <class... T>
std::vector<std::string> NamesOf(BookList<T...>) {
  return {std::string(EntitySchema<T>::kTable)...};
}

Status CheckTarget(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return FailField("--out", dir.string() +
                                  " exists and is not an empty folder; a book export goes into "
                                  "a new folder");
  }
  return Ok();
}

}  // namespace

const std::vector<std::string>& BookTables() {
  static const std::vector<std::string> names = NamesOf(BookEntities{});
  return names;
}

Result<BookSummary> ExportBook(store::Database& db, const Clock& clock, const std::string& dir) {
  auto started = std::chrono::steady_clock::now();
  const fs::path target(dir);
  ORCHARD_CHECK(CheckTarget(target));
  const fs::path partial(dir + ".partial");
  std::error_code ec;
  fs::remove_all(partial, ec);
  if (!fs::create_directories(partial, ec) || ec) {
    return Fail(ErrorCode::kUnavailable,
                "cannot create " + partial.string() + ": " + ec.message() + " (--out " + dir + ")");
  }
  BookSummary summary;
  // Before the snapshot: reading the version may create its table, which a read-only
  // transaction refuses.
  Result<int> schema = store::SchemaVersion(db);
  Status written = BeginSnapshot(db);
  if (written) {
    written = WriteTables(BookEntities{}, db, partial, summary);
    Status ended = db.ExecScript("COMMIT");
    if (written && !ended) written = ended;
  }
  if (written && !schema) written = std::unexpected(schema.error());
  if (written) written = WriteManifest(partial / "manifest.json", summary, *schema, clock.Now());
  if (written) {
    if (fs::exists(target, ec)) fs::remove(target, ec);  // an empty folder (CheckTarget)
    fs::rename(partial, target, ec);
    if (ec) {
      written = Fail(ErrorCode::kUnavailable,
                     "cannot rename " + partial.string() + " to " + dir + ": " + ec.message());
    }
  }
  if (!written) {
    fs::remove_all(partial, ec);
    return std::unexpected(written.error());
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace orchard::ingest
