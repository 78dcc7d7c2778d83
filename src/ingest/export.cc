#include "ingest/export.h"

#include <unistd.h>
#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <type_traits>

#include "core/text.h"
#include "domain/schema.h"
#include "service/entity_json.h"
#include "store/codec.h"

namespace orchard::ingest {
namespace {

template <class... T>
struct EntityList {};

// Every entity table of domain/schema.h that holds the book's data, in schema order. The export
// test checks that every table of a migrated database is here, refused below, or bookkeeping.
using Exportable =
    EntityList<User, Account, Division, Product, ContractLine, Contact, Opportunity, Activity,
               ActivityContact, Ticket, NpsResponse, UsageMetric, EngagementSignal, Transcript,
               AccountPlan, PlanPriority, PlanRisk, WhitespaceCell, PlanAction, PlanVersion, Review,
               Task, Handoff, HealthOverride, AuditEntry, Setting>;

struct Refusal {
  std::string_view table;
  std::string_view why;
};
constexpr Refusal kRefused[] = {
    {EntitySchema<Session>::kTable,
     "sessions cannot be exported: each one is a signed-in browser's credential (a token hash), "
     "not data of the book"},
    {EntitySchema<ApiToken>::kTable,
     "api_tokens cannot be exported: each one is an integration's credential (a token hash), not "
     "data of the book; create tokens anew where they are needed"},
    {"webhook_endpoints",
     "webhook_endpoints cannot be exported: each one holds a signing secret, a credential; list "
     "them with GET /api/v1/webhooks"},
    {"automation_state",
     "automation_state cannot be exported: it holds the key that signs unsubscribe links, a "
     "credential"},
    {"smtp_settings",
     "smtp_settings cannot be exported: it holds the SMTP password, a credential; read it with "
     "GET /api/v1/settings/smtp"},
};

constexpr size_t kChunk = 64 << 10;

// Formats rows into a buffer and hands it to the sink whenever it passes kChunk.
class RowWriter {
 public:
  RowWriter(ExportFormat format, const ExportSink& sink) : format_(format), sink_(sink) {
    buf_.reserve(kChunk + 4096);
  }

  Status Begin(const std::vector<std::string_view>& columns) {
    if (format_ == ExportFormat::kCsv) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) buf_ += ',';
        AppendCsvText(columns[i]);
      }
      buf_ += "\r\n";
    } else {
      for (size_t i = 0; i < columns.size(); ++i) {
        std::string key = i == 0 ? "{" : ",";
        boost::json::value name(boost::json::string_view(columns[i].data(), columns[i].size()));
        key += boost::json::serialize(name);
        key += ':';
        keys_.push_back(std::move(key));
      }
      if (format_ == ExportFormat::kJson) buf_ += "[\n";
    }
    return Ok();
  }

  // The value of the next column of the current row.
  void Field(const boost::json::value& v) {
    if (format_ == ExportFormat::kCsv) {
      if (column_ > 0) buf_ += ',';
      AppendCsv(v);
    } else {
      buf_ += keys_[column_];
      AppendJson(v);
    }
    ++column_;
  }

  Status EndRow() {
    switch (format_) {
      case ExportFormat::kCsv:
        buf_ += "\r\n";
        break;
      case ExportFormat::kJson:
        buf_ += keys_.empty() ? "{}" : "}";
        break;
      case ExportFormat::kJsonLines:
        buf_ += keys_.empty() ? "{}\n" : "}\n";
        break;
    }
    column_ = 0;
    ++rows_;
    if (buf_.size() >= kChunk) return Flush();
    return Ok();
  }

  // Called before each row but the first: JSON arrays separate their objects.
  void Separate() {
    if (format_ == ExportFormat::kJson) buf_ += ",\n";
  }

  Status End() {
    if (format_ == ExportFormat::kJson) buf_ += rows_ == 0 ? "]\n" : "\n]\n";
    return Flush();
  }

  int64_t rows() const { return rows_; }
  int64_t bytes() const { return bytes_; }

 private:
  Status Flush() {
    if (buf_.empty()) return Ok();
    bytes_ += static_cast<int64_t>(buf_.size());
    Status s = sink_(buf_);
    buf_.clear();
    return s;
  }

  // An empty text is quoted so that it stays apart from NULL (an empty field).
  void AppendCsvText(std::string_view s) {
    if (s.empty()) {
      buf_ += "\"\"";
      return;
    }
    AppendCsvField(buf_, s);
  }

  void AppendCsv(const boost::json::value& v) {
    switch (v.kind()) {
      case boost::json::kind::null:
        return;  // NULL: an empty field (an empty text is quoted)
      case boost::json::kind::bool_:
        buf_ += v.get_bool() ? "true" : "false";
        return;
      case boost::json::kind::int64: {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v.get_int64());
        buf_.append(digits, end);
        return;
      }
      case boost::json::kind::string: {
        const auto& s = v.get_string();
        AppendCsvText(std::string_view(s.data(), s.size()));
        return;
      }
      default:  // no column maps to these today; JSON's text is a faithful fallback
        AppendCsvText(boost::json::serialize(v));
        return;
    }
  }

  // Boost.JSON's serializer escapes strings (quotes, backslashes, control characters) exactly
  // as the API does; reused across values, it allocates nothing per field.
  void AppendJson(const boost::json::value& v) {
    serializer_.reset(&v);
    char tmp[1024];
    while (!serializer_.done()) {
      auto part = serializer_.read(tmp, sizeof tmp);
      buf_.append(part.data(), part.size());
    }
  }

  ExportFormat format_;
  const ExportSink& sink_;
  std::string buf_;
  std::vector<std::string> keys_;  // JSON: `{"id":`, `,"name":`, … one per column
  boost::json::serializer serializer_;
  size_t column_ = 0;
  int64_t rows_ = 0;
  int64_t bytes_ = 0;
};

template <class T>
Status ExportTable(store::Database& db, RowWriter& writer) {
  const std::string table(EntitySchema<T>::kTable);
  std::vector<std::string_view> names;
  std::string select;
  ForEachColumn<T>([&](const auto& col) {
    if (service::IsSecretColumn(col.name)) return;  // users.password_hash
    names.push_back(col.name);
    if (!select.empty()) select += ", ";
    select += col.name;
  });
  std::string order_by = "id";
  if constexpr (!HasId<T>) order_by = select;  // link tables and settings: by every column
  const std::string sql = "SELECT " + select + " FROM " + table + " ORDER BY " + order_by;

  ORCHARD_CHECK(writer.Begin(names));
  ORCHARD_CHECK(db.Query(sql, {}, [&](const store::Row& row) -> Status {
    if (writer.rows() > 0) writer.Separate();
    Status status = Ok();
    int i = 0;
    ForEachColumn<T>([&](const auto& col) {
      if (!status || service::IsSecretColumn(col.name)) return;
      using M = std::remove_cvref_t<decltype(std::declval<const T&>().*(col.member))>;
      auto value = store::Codec<M>::FromSql(row, i++);
      if (!value) {
        status = Fail(ErrorCode::kInternal, table + "." + std::string(col.name) + " of row " +
                                                std::to_string(writer.rows() + 1) + ": " +
                                                value.error().message);
        return;
      }
      writer.Field(service::ToJsonValue(*value));
    });
    if (!status) return status;
    return writer.EndRow();
  }));
  return writer.End();
}

template <class... T>
std::vector<std::string_view> Names(EntityList<T...>) {
  return {EntitySchema<T>::kTable...};
}

template <class... T>
Status ExportByName(EntityList<T...>, std::string_view object, store::Database& db,
                    RowWriter& writer) {
  Status status = Ok();
  bool found =
      ((object == EntitySchema<T>::kTable ? (status = ExportTable<T>(db, writer), true) : false) ||
       ...);
  if (!found) return CheckExportable(object);
  return status;
}

Error WriteError(std::string_view what) {
  return Error{ErrorCode::kUnavailable,
               "writing " + std::string(what) + " failed: " + std::strerror(errno),
               {}};
}

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "json") return ExportFormat::kJson;
  if (name == "jsonl") return ExportFormat::kJsonLines;
  return FailField("--format", "\"" + std::string(name) + "\" is not csv, json or jsonl");
}

const std::vector<std::string_view>& ExportableObjects() {
  static const std::vector<std::string_view> names = Names(Exportable{});
  return names;
}

Status CheckExportable(std::string_view object) {
  for (const auto& r : kRefused) {
    if (object == r.table) return FailField("--object", std::string(r.why));
  }
  std::string all;
  for (auto name : ExportableObjects()) {
    if (name == object) return Ok();
    if (!all.empty()) all += ", ";
    all += name;
  }
  return FailField("--object", "\"" + std::string(object) +
                                   "\" is not a table Orchard exports; it exports " + all);
}

Result<ExportSummary> Export(store::Database& db, std::string_view object, ExportFormat format,
                             const ExportSink& sink) {
  ORCHARD_CHECK(CheckExportable(object));
  auto started = std::chrono::steady_clock::now();
  RowWriter writer(format, sink);
  ORCHARD_CHECK(ExportByName(Exportable{}, object, db, writer));
  ExportSummary summary;
  summary.rows = writer.rows();
  summary.bytes = writer.bytes();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

Result<ExportSummary> ExportToStream(store::Database& db, std::string_view object,
                                     ExportFormat format, std::FILE* out, std::string_view what) {
  ORCHARD_TRY(auto summary, Export(db, object, format, [&](std::string_view chunk) -> Status {
                if (std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) {
                  return std::unexpected(WriteError(what));
                }
                return Ok();
              }));
  if (std::fflush(out) != 0) return std::unexpected(WriteError(what));
  return summary;
}

Result<ExportSummary> ExportToFile(store::Database& db, std::string_view object,
                                   ExportFormat format, const std::string& path) {
  ORCHARD_CHECK(CheckExportable(object));  // a usage error creates no file at all
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                "cannot write " + tmp + ": " + std::strerror(errno) + " (--out " + path + ")");
  }
  auto summary = ExportToStream(db, object, format, f, tmp);
  if (summary && ::fsync(::fileno(f)) != 0) summary = std::unexpected(WriteError(tmp));
  if (std::fclose(f) != 0 && summary) summary = std::unexpected(WriteError(tmp));
  if (summary && std::rename(tmp.c_str(), path.c_str()) != 0) {
    summary = Fail(ErrorCode::kUnavailable,
                   "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  }
  if (!summary) std::remove(tmp.c_str());
  return summary;
}

}  // namespace orchard::ingest
