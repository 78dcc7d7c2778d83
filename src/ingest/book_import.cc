// The book export's reader: the manifest checked, the book checked empty, then every table in
// link order through the bulk writer, all in one transaction.
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <type_traits>

#include "ingest/book_export.h"
#include "ingest/book_tables.h"
#include "service/entity_json.h"
#include "store/codec.h"
#include "store/migrate.h"
#include "store/store.h"

namespace orchard::ingest {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

template <class X>
struct IsOptional : std::false_type {};
template <class X>
struct IsOptional<std::optional<X>> : std::true_type {};

struct Manifest {
  std::map<std::string, int64_t, std::less<>> rows;  // table → rows its file holds
};

Result<json::value> ReadJson(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot read " + path.string() +
                    ": an Orchard book export is a folder holding manifest.json and one .jsonl "
                    "file per table (`orchard export --format orchard --out DIR`)");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, path.string() + " is not JSON: " + ec.message());
  return v;
}

Result<Manifest> ReadManifest(const fs::path& dir) {
  const fs::path path = dir / "manifest.json";
  ORCHARD_TRY(json::value doc, ReadJson(path));
  const std::string where = path.string() + ": ";
  const json::object* m = doc.if_object();
  const json::value* format = m ? m->if_contains("format") : nullptr;
  if (!format || !format->is_string() || format->get_string() != "orchard-book") {
    return Fail(ErrorCode::kInvalidArgument,
                where + "not an Orchard book export (its \"format\" is not \"orchard-book\")");
  }
  const json::value* version = m->if_contains("format_version");
  if (!version || !version->is_int64() || version->get_int64() < 1 ||
      version->get_int64() > kBookFormatVersion) {
    return Fail(ErrorCode::kInvalidArgument, where + "format_version must be 1 to " +
                                                 std::to_string(kBookFormatVersion) +
                                                 "; this export was written by a newer Orchard");
  }
  const json::value* schema = m->if_contains("schema_version");
  if (!schema || !schema->is_int64() || schema->get_int64() > store::LatestSchemaVersion()) {
    return Fail(ErrorCode::kInvalidArgument,
                where + "schema_version " + (schema ? json::serialize(*schema) : "(none)") +
                    " is past this Orchard's " + std::to_string(store::LatestSchemaVersion()) +
                    "; import it with the Orchard that wrote it, or a newer one");
  }
  const json::value* tables = m->if_contains("tables");
  if (!tables || !tables->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, where + "\"tables\" must be an array");
  }
  Manifest manifest;
  const auto& known = BookTables();
  for (const auto& t : tables->get_array()) {
    const json::object* entry = t.if_object();
    const json::value* name = entry ? entry->if_contains("name") : nullptr;
    const json::value* rows = entry ? entry->if_contains("rows") : nullptr;
    if (!name || !name->is_string() || !rows || !rows->is_int64()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "each entry of \"tables\" needs a \"name\" and a whole \"rows\"");
    }
    std::string table(name->get_string());
    if (std::find(known.begin(), known.end(), table) == known.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "table " + table + " is not one this Orchard imports");
    }
    manifest.rows[table] = rows->get_int64();
  }
  return manifest;
}

// One JSON line onto `values` in T's column order; a self link goes to `link` (NULL written).
template <class T>
Status RowValues(const json::object& obj, std::vector<store::SqlValue>& values,
                 std::optional<int64_t>& link) {
  for (const auto& kv : obj) {
    bool known = false;
    ForEachColumn<T>([&](const auto& col) { known = known || col.name == kv.key(); });
    if (!known || IsBookSecret(kv.key())) {
      return FailField(std::string(kv.key()), "is not a column of " +
                                                  std::string(EntitySchema<T>::kTable) +
                                                  " (an export from a newer Orchard?)");
    }
  }
  const std::string_view self = BookSelfLink(EntitySchema<T>::kTable);
  Status status = Ok();
  ForEachColumn<T>([&](const auto& col) {
    if (!status || IsBookSecret(col.name)) return;
    using M = std::remove_cvref_t<decltype(std::declval<const T&>().*(col.member))>;
    const json::value* v = obj.if_contains(col.name);
    if (!v) {
      if constexpr (IsOptional<M>::value) {
        values.emplace_back();  // a column the exporting Orchard did not have yet
      } else {
        status = FailField(std::string(col.name), "is missing");
      }
      return;
    }
    auto parsed = service::FromJsonValue(*v, static_cast<M*>(nullptr));
    if (!parsed) {
      status = FailField(std::string(col.name), parsed.error().message);
      return;
    }
    store::SqlValue sql = store::Codec<M>::ToSql(*parsed);
    if (col.name == self && std::holds_alternative<int64_t>(sql)) {
      link = std::get<int64_t>(sql);
      sql = std::monostate{};
    }
    values.push_back(std::move(sql));
  });
  return status;
}

// The self links held back while their table was written, set now that every row is in: a few
// hundred rows a statement (one UPDATE … FROM VALUES, which both backends read alike).
Status SetSelfLinks(store::Database& db, const std::string& table,
                    const std::vector<std::pair<int64_t, int64_t>>& links) {
  constexpr size_t kPerStatement = 400;
  const std::string column(BookSelfLink(table));
  std::vector<store::SqlValue> params;
  for (size_t at = 0; at < links.size(); at += kPerStatement) {
    const size_t n = std::min(kPerStatement, links.size() - at);
    std::string values;
    params.clear();
    for (size_t i = 0; i < n; ++i) {
      values += i ? ", " : "";
      values += "(CAST(? AS BIGINT), CAST(? AS BIGINT))";
      params.emplace_back(links[at + i].first);
      params.emplace_back(links[at + i].second);
    }
    auto changed = db.Exec("UPDATE " + table + " SET " + column + " = v.column2 FROM (VALUES " +
                               values + ") AS v WHERE " + table + ".id = v.column1",
                           params);
    if (!changed) {
      return Fail(changed.error().code,
                  table + ".jsonl: " + column +
                      " links to a row that is not there: " + changed.error().message);
    }
  }
  return Ok();
}

// T's file into its table; the rows read.
template <class T>
Result<int64_t> ReadTable(store::Database& db, const fs::path& path, int64_t expected) {
  const std::string table(EntitySchema<T>::kTable);
  const std::string file = path.filename().string();
  std::vector<std::string_view> columns;
  ForEachColumn<T>([&](const auto& col) {
    if (!IsBookSecret(col.name)) columns.push_back(col.name);
  });
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot read " + path.string() + ", which the manifest lists");
  }
  ORCHARD_TRY(auto writer, db.OpenBulkWriter(table, columns));
  std::vector<std::pair<int64_t, int64_t>> links;  // (row id, the row it links to)
  std::vector<store::SqlValue> values;
  values.reserve(columns.size());
  std::string text;
  int64_t line = 0, rows = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty()) continue;
    const std::string at = file + " line " + std::to_string(line) + ": ";
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      return Fail(ErrorCode::kInvalidArgument, at + "not a JSON object");
    }
    values.clear();
    std::optional<int64_t> link;
    Status row = RowValues<T>(v.get_object(), values, link);
    if (!row) return Fail(ErrorCode::kInvalidArgument, at + row.error().message);
    if (link) links.emplace_back(std::get<int64_t>(values[0]), *link);
    Status added = writer->Add(values);
    if (!added) return Fail(added.error().code, at + added.error().message);
    ++rows;
  }
  Status finished = writer->Finish();  // PostgreSQL checks the links of a COPY at its end
  if (!finished) return Fail(finished.error().code, file + ": " + finished.error().message);
  if (rows != expected) {
    return Fail(ErrorCode::kInvalidArgument,
                file + " holds " + std::to_string(rows) + " rows where the manifest says " +
                    std::to_string(expected) + ": the export is incomplete");
  }
  ORCHARD_CHECK(SetSelfLinks(db, table, links));
  if constexpr (HasId<T>) ORCHARD_CHECK(db.ResetIdSequence(table));
  return rows;
}

template <class... T>
Status ReadTables(BookList<T...>, store::Database& db, const fs::path& dir,
                  const Manifest& manifest, BookSummary& summary) {
  Status status = Ok();
  auto one = [&]<class E>(std::type_identity<E>) {
    if (!status) return;
    const std::string name(EntitySchema<E>::kTable);
    auto listed = manifest.rows.find(name);
    if (listed == manifest.rows.end()) return;  // an export made before the table existed
    auto rows = ReadTable<E>(db, dir / (name + ".jsonl"), listed->second);
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

Status CheckEmpty(store::Database& db) {
  for (const auto& table : BookTables()) {
    ORCHARD_TRY(auto any, db.QueryInt("SELECT 1 FROM " + table + " LIMIT 1"));
    if (any) {
      return Fail(ErrorCode::kInvalidValue,
                  "the book at " + db.description() + " is not empty (" + table +
                      " has rows): an Orchard export is imported into an empty book only, so "
                      "that every row keeps its id; make one with `orchard migrate --db URL`");
    }
  }
  return Ok();
}

}  // namespace

Result<BookSummary> ImportBook(store::Database& db, const Clock& clock, const std::string& dir,
                               std::optional<UserId> actor) {
  auto started = std::chrono::steady_clock::now();
  ORCHARD_TRY(Manifest manifest, ReadManifest(dir));
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_CHECK(CheckEmpty(db));
  BookSummary summary;
  ORCHARD_CHECK(ReadTables(BookEntities{}, db, dir, manifest, summary));
  // One audit entry for the import: who, when, from where, and what it brought.
  json::object after;
  after["source"] = "orchard";
  after["path"] = dir;
  json::object tables;
  for (const auto& t : summary.tables) tables[t.name] = t.rows;
  after["tables"] = std::move(tables);
  AuditEntry e;
  e.actor_id = actor;
  e.at = clock.Now();
  e.entity = "imports";
  e.action = AuditAction::kCreate;
  e.after_json = json::serialize(after);
  store::Store store(db);
  ORCHARD_CHECK(store.Insert(e));
  ORCHARD_CHECK(tx.Commit());
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace orchard::ingest
