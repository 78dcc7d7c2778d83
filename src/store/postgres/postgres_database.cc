#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace orchard::store {

std::string RedactUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t at = url.find('@', start);
  size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && at > slash)) {
    return std::string(url);
  }
  size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon)) + ":***" + std::string(url.substr(at));
}

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_literal = false;
  for (char c : sql) {
    if (c == '\'') in_literal = !in_literal;  // '' inside a literal toggles twice: still inside
    if (c == '?' && !in_literal) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// libpq messages span lines ("connection to server at … failed: …\n\tIs the server running…");
// one line is what a person needs.
std::string OneLine(const char* message) {
  std::string s = message != nullptr ? message : "";
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Error ResultError(PGconn* conn, const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  std::string message = "postgresql: ";
  if (res != nullptr && PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) != nullptr) {
    message += PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
      message += " (" + OneLine(detail) + ")";
    }
  } else {
    message += OneLine(PQerrorMessage(conn));
  }
  ErrorCode code = ErrorCode::kInternal;
  if (sqlstate == "23505") {
    code = ErrorCode::kAlreadyExists;
  } else if (sqlstate.starts_with("23") || sqlstate.starts_with("22")) {
    code = ErrorCode::kInvalidArgument;
  } else if (sqlstate == "40001" || sqlstate == "40P01") {
    code = ErrorCode::kConflict;
  } else if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") ||
             PQstatus(conn) != CONNECTION_OK) {
    code = ErrorCode::kUnavailable;
  }
  return Error{code, std::move(message), {}};
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresRow final : public Row {
 public:
  PostgresRow(const PGresult* res, int row) : res_(res), row_(row) {}
  int size() const override { return PQnfields(res_); }
  std::string_view name(int column) const override { return PQfname(res_, column); }
  bool IsNull(int column) const override { return PQgetisnull(res_, row_, column) != 0; }
  Result<int64_t> GetInt(int column) const override {
    std::string_view text = GetText(column);
    int64_t value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size()) {
      return Fail(ErrorCode::kInternal, "column " + std::string(name(column)) + " holds \"" +
                                            std::string(text) + "\", not a number");
    }
    return value;
  }
  std::string_view GetText(int column) const override {
    return {PQgetvalue(res_, row_, column), static_cast<size_t>(PQgetlength(res_, row_, column))};
  }
  Result<bool> GetBool(int column) const override {
    std::string_view t = GetText(column);
    if (t == "t" || t == "true" || t == "1") return true;
    if (t == "f" || t == "false" || t == "0") return false;
    return Fail(ErrorCode::kInternal, "column " + std::string(name(column)) + " holds \"" +
                                          std::string(t) + "\", not a boolean");
  }

 private:
  const PGresult* res_;
  int row_;
};

class PostgresDatabase;

// COPY … FROM STDIN in text format: tab-separated, \N for NULL, backslash escapes.
class PostgresBulkWriter final : public BulkWriter {
 public:
  explicit PostgresBulkWriter(PGconn* conn) : conn_(conn) { buffer_.reserve(kFlushBytes + 4096); }
  ~PostgresBulkWriter() override {
    if (!finished_) PQputCopyEnd(conn_, "abandoned");
    if (!finished_) {
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    }
  }

  Status Add(std::span<const SqlValue> row) override {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buffer_ += '\t';
      if (const auto* n = std::get_if<int64_t>(&row[i])) {
        buffer_ += std::to_string(*n);
      } else if (const auto* s = std::get_if<std::string>(&row[i])) {
        for (char c : *s) {
          switch (c) {
            case '\\':
              buffer_ += "\\\\";
              break;
            case '\t':
              buffer_ += "\\t";
              break;
            case '\n':
              buffer_ += "\\n";
              break;
            case '\r':
              buffer_ += "\\r";
              break;
            default:
              buffer_ += c;
          }
        }
      } else {
        buffer_ += "\\N";
      }
    }
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() >= kFlushBytes) return Flush();
    return Ok();
  }

  Status Finish() override {
    ORCHARD_CHECK(Flush());
    finished_ = true;
    if (PQputCopyEnd(conn_, nullptr) != 1) {
      return Fail(ErrorCode::kUnavailable, "postgresql: " + OneLine(PQerrorMessage(conn_)));
    }
    Status status = Ok();
    while (PGresult* r = PQgetResult(conn_)) {
      ResultPtr res(r);
      if (PQresultStatus(r) != PGRES_COMMAND_OK && status) {
        status = std::unexpected(ResultError(conn_, r));
      }
    }
    return status;
  }

  int64_t rows() const override { return rows_; }

 private:
  static constexpr size_t kFlushBytes = 256 * 1024;

  Status Flush() {
    if (buffer_.empty()) return Ok();
    if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return Fail(ErrorCode::kUnavailable, "postgresql: " + OneLine(PQerrorMessage(conn_)));
    }
    buffer_.clear();
    return Ok();
  }

  PGconn* conn_;
  std::string buffer_;
  int64_t rows_ = 0;
  bool finished_ = false;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PGconn* conn, std::string description)
      : conn_(conn), description_(std::move(description)) {}
  ~PostgresDatabase() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string description() const override { return description_; }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return std::unexpected(ResultError(conn_, res.get()));
    }
    return Ok();
  }

  Status Query(std::string_view sql, std::span<const SqlValue> params,
               const RowCallback& on_row) override {
    ORCHARD_TRY(ResultPtr res, Execute(sql, params));
    if (on_row) {
      int rows = PQntuples(res.get());
      for (int r = 0; r < rows; ++r) {
        PostgresRow row(res.get(), r);
        ORCHARD_CHECK(on_row(row));
      }
    }
    return Ok();
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const SqlValue> params) override {
    ORCHARD_TRY(ResultPtr res, Execute(sql, params));
    const char* tuples = PQcmdTuples(res.get());
    return tuples != nullptr && *tuples != '\0' ? std::stoll(tuples) : 0;
  }

  Status Begin() override { return ExecScript("BEGIN"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Ok();
    return ExecScript("ROLLBACK");
  }

  Result<std::unique_ptr<BulkWriter>> OpenBulkWriter(
      std::string_view table, std::span<const std::string_view> columns) override {
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i) sql += ", ";
      sql += columns[i];
    }
    sql += ") FROM STDIN";
    ResultPtr res(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(res.get()) != PGRES_COPY_IN) {
      return std::unexpected(ResultError(conn_, res.get()));
    }
    return std::unique_ptr<BulkWriter>(new PostgresBulkWriter(conn_));
  }

  // Table names come only from domain/schema.h constants, never from user input.
  Status ResetIdSequence(std::string_view table) override {
    std::string t(table);
    return ExecScript("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), " +
                      "COALESCE(MAX(id), 0) + 1, false) FROM " + t);
  }

 private:
  Result<ResultPtr> Execute(std::string_view sql, std::span<const SqlValue> params) {
    std::string key(sql);
    auto it = rewritten_.find(key);
    if (it == rewritten_.end()) {
      it = rewritten_.emplace(key, RewritePlaceholders(sql)).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    ResultPtr res(PQexecParams(conn_, it->second.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return std::unexpected(ResultError(conn_, res.get()));
    }
    return res;
  }

  PGconn* conn_;
  std::string description_;
  std::unordered_map<std::string, std::string> rewritten_;
};

void IgnoreNotice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url) {
  std::string u(url);
  std::string shown = RedactUrl(url);
  char* parse_error = nullptr;
  PQconninfoOption* opts = PQconninfoParse(u.c_str(), &parse_error);
  if (opts == nullptr) {
    std::string why = parse_error != nullptr ? OneLine(parse_error) : "malformed";
    PQfreemem(parse_error);
    return Fail(ErrorCode::kInvalidArgument, "database URL \"" + shown + "\": " + why);
  }
  PQconninfoFree(opts);
  PGconn* conn = PQconnectdb(u.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    // libpq repeats the password-free host:port in its message; the URL we show is redacted.
    return Fail(ErrorCode::kUnavailable, "cannot connect to PostgreSQL at " + shown + ": " + why);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<Database>(new PostgresDatabase(conn, shown));
}

}  // namespace orchard::store
