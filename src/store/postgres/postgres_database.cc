#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/postgres/binary_copy.h"
#include "store/postgres/results.h"

namespace orchard::store {

using namespace postgres;  // libpq results and errors (results.h)

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?", start);
    size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // A password can also be a query parameter: "…?password=secret&sslmode=require".
  size_t query = out.find('?');
  for (size_t pos = query; pos != std::string::npos && pos < out.size();
       pos = out.find('&', pos + 1)) {
    constexpr std::string_view kKey = "password=";
    if (out.compare(pos + 1, kKey.size(), kKey) != 0) continue;
    size_t value = pos + 1 + kKey.size();
    size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;  // the quote character we are inside, if any
  for (char c : sql) {
    // A doubled quote ('it''s') closes and reopens the literal: still inside, as it should be.
    if (quote == 0 && (c == '\'' || c == '"')) {
      quote = c;
    } else if (c == quote) {
      quote = 0;
    }
    if (c == '?' && quote == 0) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Dynamic SQL (filters chosen by a request) makes new statement texts; past this many distinct
// texts the rewrite cache starts over rather than grow for the life of the connection.
constexpr size_t kMaxCachedRewrites = 2048;

// COPY data is sent in chunks of about this size: large enough to amortise the calls, small
// enough that a million-row load never holds more than this in memory.
constexpr size_t kCopyChunkBytes = 256 * 1024;

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
    if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
      return Fail(ErrorCode::kInternal, "column " + std::string(name(column)) + " holds \"" +
                                            std::string(text) + "\", not a whole number");
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

// Parameters as libpq wants them: text (integers printed in decimal), NULL as a null pointer.
class TextParams {
 public:
  explicit TextParams(std::span<const SqlValue> params) {
    numbers_.resize(params.size());
    values_.resize(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        numbers_[i] = std::to_string(*n);
        values_[i] = numbers_[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values_[i] = s->c_str();
      }
    }
  }
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::string> numbers_;
  std::vector<const char*> values_;
};

// COPY … FROM STDIN in binary format when every column's type is known (binary_copy.h), else
// in text format: tab-separated, \N for NULL, backslash escapes for the characters that would
// otherwise end a field or a row.
class PostgresBulkWriter final : public BulkWriter {
 public:
  PostgresBulkWriter(PGconn* conn, size_t columns, std::vector<postgres::CopyType> binary)
      : BulkWriter(columns), conn_(conn), columns_(columns), binary_(std::move(binary)) {
    buffer_.reserve(kCopyChunkBytes + 4096);
    if (!binary_.empty()) postgres::AppendBinaryCopyHeader(buffer_);
  }
  ~PostgresBulkWriter() override {
    if (finished_) return;
    // Abandoned before Finish(): the server discards every row and fails the COPY (and so the
    // surrounding transaction, which the caller is rolling back anyway).
    PQputCopyEnd(conn_, "the bulk writer was abandoned before Finish()");
    (void)DrainResults(conn_);
  }

  Status Add(std::span<const SqlValue> row) override {
    if (finished_) return Fail(ErrorCode::kInternal, "postgresql: bulk writer already finished");
    if (row.size() != columns_) {
      return Fail(ErrorCode::kInternal, "postgresql: bulk row has " + std::to_string(row.size()) +
                                            " values for " + std::to_string(columns_) + " columns");
    }
    if (!binary_.empty()) {
      ORCHARD_CHECK(postgres::AppendBinaryCopyRow(row, binary_, buffer_));
      ++rows_;
      if (buffer_.size() >= kCopyChunkBytes) return Flush();
      return Ok();
    }
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buffer_ += '\t';
      if (const auto* n = std::get_if<int64_t>(&row[i])) {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *n);
        buffer_.append(digits, end);
      } else if (const auto* s = std::get_if<std::string>(&row[i])) {
        AppendEscaped(*s);
      } else {
        buffer_ += "\\N";
      }
    }
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() >= kCopyChunkBytes) return Flush();
    return Ok();
  }

  Status Finish() override {
    if (finished_) return Fail(ErrorCode::kInternal, "postgresql: bulk writer already finished");
    finished_ = true;
    if (!binary_.empty()) postgres::AppendBinaryCopyTrailer(buffer_);
    Status flushed = Flush();
    if (!flushed) return flushed;  // Flush() already ended the copy and read its error
    if (PQputCopyEnd(conn_, nullptr) != 1) {
      Status drained = DrainResults(conn_);
      return drained ? Status(std::unexpected(ConnectionError(conn_))) : drained;
    }
    return DrainResults(conn_);
  }

  int64_t rows() const override { return rows_; }

 private:
  void AppendEscaped(const std::string& s) {
    for (char c : s) {
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
  }

  Status Flush() {
    if (buffer_.empty()) return Ok();
    int sent = PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size()));
    buffer_.clear();
    if (sent == 1) return Ok();
    // The server may have refused the data already (a bad row): its error is the useful one.
    finished_ = true;
    PQputCopyEnd(conn_, "the client could not send the data");
    Status drained = DrainResults(conn_);
    return drained ? Status(std::unexpected(ConnectionError(conn_))) : drained;
  }

  PGconn* conn_;
  size_t columns_;
  std::vector<postgres::CopyType> binary_;  // each column's form; empty: text format
  std::string buffer_;
  int64_t rows_ = 0;
  bool finished_ = false;
};

// Hash and equality that accept a string_view, so looking up a statement allocates nothing.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PGconn* conn, std::string description)
      : conn_(conn), description_(std::move(description)) {}
  ~PostgresDatabase() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string description() const override { return description_; }

  Status ExecScript(std::string_view sql) override {
    column_types_.clear();  // a script may change a table (a migration)
    ORCHARD_CHECK(Ready());
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    ExecStatusType st = PQresultStatus(res.get());
    Status status = Ok();
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      status = std::unexpected(ResultError(conn_, res.get()));
    }
    if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) (void)DrainResults(conn_);
    Track();
    return status;
  }

  Status Query(std::string_view sql, std::span<const SqlValue> params,
               const RowCallback& on_row) override {
    QueryGuard guard(in_query_);
    if (!guard.entered()) return std::unexpected(NestedQueryError());
    return Run(sql, params, &on_row, nullptr);
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const SqlValue> params) override {
    QueryGuard guard(in_query_);
    if (!guard.entered()) return std::unexpected(NestedQueryError());
    int64_t changed = 0;
    ORCHARD_CHECK(Run(sql, params, nullptr, &changed));
    return changed;
  }

  Result<std::vector<int64_t>> ExecEach(std::string_view sql, std::span<const SqlValue> params,
                                        size_t width) override {
    QueryGuard guard(in_query_);
    if (!guard.entered()) return std::unexpected(NestedQueryError());
    std::vector<int64_t> changed;
    if (width == 0) return changed;
    ORCHARD_CHECK(Ready());
    const std::string& text = Rewritten(sql);
    // 500 statements a pipeline: their results (a few bytes each) fit the socket's buffers, so
    // the server never waits to write them while this side is still sending.
    constexpr size_t kPipeline = 500;
    const size_t rows = params.size() / width;
    for (size_t first = 0; first < rows; first += kPipeline) {
      const size_t n = std::min(kPipeline, rows - first);
      if (PQenterPipelineMode(conn_) != 1) return std::unexpected(ConnectionError(conn_));
      // Parsed and planned once (the unnamed statement), bound and run n times.
      Status status = Ok();
      if (PQsendPrepare(conn_, "", text.c_str(), static_cast<int>(width), nullptr) != 1) {
        status = std::unexpected(ConnectionError(conn_));
      }
      for (size_t i = 0; i < n && status; ++i) {
        TextParams values(params.subspan((first + i) * width, width));
        if (PQsendQueryPrepared(conn_, "", values.count(), values.values(), nullptr, nullptr, 0) !=
            1) {
          status = std::unexpected(ConnectionError(conn_));
        }
      }
      if (PQpipelineSync(conn_) != 1) {  // the connection is gone: nothing more to read
        Error error = ConnectionError(conn_);
        Track();
        return std::unexpected(status ? std::move(error) : status.error());
      }
      // The preparation's result, each statement's, each followed by the end of its results
      // (nullptr), then the sync's.
      bool prepared = false;
      bool synced = false;
      while (!synced) {
        PGresult* raw = PQgetResult(conn_);
        if (raw == nullptr) {
          if (PQstatus(conn_) != CONNECTION_OK) break;
          continue;  // the end of one statement's results
        }
        ResultPtr res(raw);
        switch (PQresultStatus(raw)) {
          case PGRES_PIPELINE_SYNC:
            synced = true;
            break;
          case PGRES_COMMAND_OK:
          case PGRES_TUPLES_OK:
            if (!prepared) {
              prepared = true;
            } else if (status) {
              changed.push_back(CmdTuples(raw));
            }
            break;
          case PGRES_PIPELINE_ABORTED:  // after a failure: not run
            break;
          default:
            if (status) status = std::unexpected(ResultError(conn_, raw));
            break;
        }
      }
      (void)PQexitPipelineMode(conn_);
      Track();
      if (!status) return std::unexpected(status.error());
      if (!synced) return std::unexpected(ConnectionError(conn_));
    }
    return changed;
  }

  Result<std::optional<int64_t>> ExecUnlessLocked(std::string_view sql,
                                                  std::span<const SqlValue> params) override {
    ORCHARD_CHECK(Begin());
    Status limited = ExecScript("SET LOCAL lock_timeout = '100ms'");
    Result<int64_t> changed = limited ? Exec(sql, params) : std::unexpected(limited.error());
    if (!changed) {
      const bool locked = lock_refused_;
      (void)Rollback();
      if (locked) return std::nullopt;
      return std::unexpected(changed.error());
    }
    ORCHARD_CHECK(Commit());
    return *changed;
  }

  Result<bool> WaitForNotification(std::string_view channel, int timeout_ms) override {
    ORCHARD_CHECK(Ready());
    if (listening_ != channel) {
      if (!IsPlainIdentifier(channel)) {
        return Fail(ErrorCode::kInternal, "not a channel name: " + std::string(channel));
      }
      ORCHARD_CHECK(ExecScript("LISTEN " + std::string(channel)));
      listening_ = channel;
    }
    auto drain = [this] {
      bool any = false;
      while (PGnotify* n = PQnotifies(conn_)) {
        any = true;
        PQfreemem(n);
      }
      return any;
    };
    auto lost = [this] {
      return Fail(ErrorCode::kUnavailable,
                  "postgresql: lost the connection to " + Endpoint(conn_) + " while listening");
    };
    if (PQconsumeInput(conn_) == 0) return lost();
    if (drain()) return true;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    int ready = poll(&fd, 1, timeout_ms);
    if (ready <= 0) return false;  // timed out (or a signal): the caller polls anyway
    if (PQconsumeInput(conn_) == 0) return lost();
    return drain();
  }

  Status Begin() override {
    ORCHARD_CHECK(Ready());
    if (in_transaction_ || PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      return Fail(ErrorCode::kInternal, "postgresql: a transaction is already open");
    }
    return ExecScript("BEGIN");
  }

  Status Commit() override {
    in_transaction_ = false;  // whatever happens below, the transaction is over
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Fail(ErrorCode::kUnavailable, "postgresql: lost the connection to " + Endpoint(conn_) +
                                               "; the transaction was not committed");
    }
    PGTransactionStatusType before = PQtransactionStatus(conn_);
    if (before == PQTRANS_IDLE) {
      return Fail(ErrorCode::kInternal, "postgresql: COMMIT without an open transaction");
    }
    ResultPtr res(PQexec(conn_, "COMMIT"));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(ResultError(conn_, res.get()));
    }
    // After a failed statement PostgreSQL answers COMMIT with "ROLLBACK" and no error at all:
    // reporting success here would lose every write of the transaction silently.
    if (before == PQTRANS_INERROR || std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      return Fail(ErrorCode::kInternal,
                  "postgresql: the transaction was rolled back, not committed: a statement in it "
                  "failed, and PostgreSQL aborts a transaction at its first error");
    }
    return Ok();
  }

  Status Rollback() override {
    in_transaction_ = false;
    // A dropped connection has no transaction left to undo: the server discarded it.
    if (PQstatus(conn_) != CONNECTION_OK) return Ok();
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Ok();
    ResultPtr res(PQexec(conn_, "ROLLBACK"));
    Status status = Ok();
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      status = std::unexpected(ResultError(conn_, res.get()));
    }
    Track();
    return status;
  }

  Result<std::unique_ptr<BulkWriter>> OpenBulkWriter(
      std::string_view table, std::span<const std::string_view> columns) override {
    if (!IsPlainIdentifier(table)) {
      return Fail(ErrorCode::kInternal,
                  "postgresql: \"" + std::string(table) + "\" is not a table");
    }
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!IsPlainIdentifier(columns[i])) {
        return Fail(ErrorCode::kInternal,
                    "postgresql: \"" + std::string(columns[i]) + "\" is not a column");
      }
      if (i) sql += ", ";
      sql += columns[i];
    }
    sql += ") FROM STDIN";
    ORCHARD_TRY(auto binary, BinaryCopyTypes(table, columns));
    if (!binary.empty()) sql += " (FORMAT binary)";
    ORCHARD_CHECK(Ready());
    ResultPtr res(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(res.get()) != PGRES_COPY_IN) {
      Error error = ResultError(conn_, res.get());
      Track();
      return std::unexpected(std::move(error));
    }
    return std::unique_ptr<BulkWriter>(
        new PostgresBulkWriter(conn_, columns.size(), std::move(binary)));
  }

  // The oid of `table`'s identity sequence (its name checked to be a plain identifier, as the
  // reservations below splice it into their statements).
  Result<int64_t> IdSequence(std::string_view table) {
    if (!IsPlainIdentifier(table)) {
      return Fail(ErrorCode::kInternal,
                  "postgresql: \"" + std::string(table) + "\" is not a table");
    }
    SqlValue name[] = {std::string(table)};
    ORCHARD_TRY(auto sequence,
                QueryInt("SELECT pg_get_serial_sequence(?, 'id')::regclass::oid::bigint", name));
    if (!sequence) {
      return Fail(ErrorCode::kInternal,
                  "postgresql: \"" + std::string(table) + "\" has no id sequence");
    }
    return *sequence;
  }

  // Drawn from the identity sequence that every insert without an id uses, so no writer can take
  // them; concurrent draws may interleave, so the ids come as ascending runs.
  Result<std::vector<IdRange>> ReserveIds(std::string_view table, int64_t count) override {
    // The sequence is looked up once: in the statement below, a catalogue lookup per id was a
    // fifth of the server's time in an import.
    ORCHARD_TRY(int64_t sequence, IdSequence(table));
    std::vector<IdRange> out;
    SqlValue params[] = {sequence, count};
    // The table named in the statement is locked (ACCESS SHARE) before any id is drawn: a
    // transaction that holds it exclusively (ReserveIdsOfHeldTable) is waited for. Writers of the
    // table are not.
    ORCHARD_CHECK(
        Query("SELECT nextval(?::bigint::oid::regclass) FROM "
              "generate_series(1, ?::bigint) WHERE NOT EXISTS (SELECT FROM " +
                  std::string(table) + " WHERE false) ORDER BY 1",
              params, [&](const Row& row) -> Status {
                ORCHARD_TRY(int64_t id, row.GetInt(0));
                if (!out.empty() && out.back().first + out.back().count == id) {
                  ++out.back().count;
                } else {
                  out.push_back(IdRange{id, 1});
                }
                return Ok();
              }));
    return out;
  }

  Result<std::vector<IdRange>> ReserveIdsOfHeldTable(std::string_view table,
                                                     int64_t count) override {
    if (count < 1) {
      return Fail(ErrorCode::kInternal, "postgresql: cannot reserve " + std::to_string(count) +
                                            " ids of \"" + std::string(table) + "\"");
    }
    ORCHARD_TRY(int64_t sequence, IdSequence(table));
    // Nothing else draws from the sequence while the table is held (see database.h), so the two
    // steps of this statement see no id taken between them. 20,000 nextval calls a batch were a
    // tenth of the server's time in a first load of 1M accounts.
    SqlValue params[] = {sequence, sequence, count};
    ORCHARD_TRY(auto last, QueryInt("SELECT setval(?::bigint::oid::regclass, "
                                    "nextval(?::bigint::oid::regclass) + ? - 1)",
                                    params));
    if (!last) return Fail(ErrorCode::kInternal, "postgresql: setval answered nothing");
    return std::vector<IdRange>{IdRange{*last - count + 1, count}};
  }

  // The table name comes from a domain/schema.h constant, never from user input (and is checked
  // to be a plain identifier), so splicing it into the statement is safe.
  Status ResetIdSequence(std::string_view table) override {
    if (!IsPlainIdentifier(table)) {
      return Fail(ErrorCode::kInternal,
                  "postgresql: \"" + std::string(table) + "\" is not a table");
    }
    std::string t(table);
    return ExecScript("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), " +
                      "COALESCE(MAX(id), 0) + 1, false) FROM " + t);
  }

 private:
  // The binary form of each of `columns` of `table`, or none when one has a type binary COPY
  // does not write here. Types are read from the catalogue once per table.
  Result<std::vector<postgres::CopyType>> BinaryCopyTypes(
      std::string_view table, std::span<const std::string_view> columns) {
    auto [types, fresh] = column_types_.try_emplace(std::string(table));
    if (fresh) {
      SqlValue p[] = {std::string(table)};
      Status read = Query(
          "SELECT attname, atttypid::bigint FROM pg_attribute WHERE attrelid = ?::regclass "
          "AND attnum > 0 AND NOT attisdropped",
          p, [&](const Row& r) -> Status {
            ORCHARD_TRY(int64_t oid, r.GetInt(1));
            types->second.emplace(std::string(r.GetText(0)), oid);
            return Ok();
          });
      if (!read) {
        column_types_.erase(types);
        return std::unexpected(read.error());
      }
    }
    std::vector<postgres::CopyType> out;
    for (std::string_view column : columns) {
      auto it = types->second.find(std::string(column));
      auto type = it == types->second.end() ? std::nullopt : postgres::CopyTypeOf(it->second);
      if (!type) return std::vector<postgres::CopyType>();
      out.push_back(*type);
    }
    return out;
  }

  // Sends one statement and reads all of its results. Rows reach on_row one at a time
  // (single-row mode), so memory stays flat however many rows a query returns; an error from
  // on_row stops the calls, and the remaining rows are read and dropped so the connection can
  // take the next command.
  Status Run(std::string_view sql, std::span<const SqlValue> params, const RowCallback* on_row,
             int64_t* changed) {
    ORCHARD_CHECK(Ready());
    lock_refused_ = false;
    const std::string& text = Rewritten(sql);
    TextParams values(params);
    if (PQsendQueryParams(conn_, text.c_str(), values.count(), nullptr, values.values(), nullptr,
                          nullptr, 0) != 1) {
      Error error = ConnectionError(conn_);
      Track();
      return std::unexpected(std::move(error));
    }
    bool want_rows = on_row != nullptr && *on_row;
    if (want_rows) PQsetSingleRowMode(conn_);  // if refused, rows come in one result: still right
    Status status = Ok();
    while (PGresult* raw = PQgetResult(conn_)) {
      ResultPtr res(raw);
      ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
        // COPY through Query would leave the connection stuck in copy mode.
        if (status) {
          status = Fail(ErrorCode::kInternal, "postgresql: COPY goes through OpenBulkWriter");
        }
        (void)DrainResults(conn_);
        break;
      }
      if (!status) continue;
      if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
        int rows = want_rows ? PQntuples(raw) : 0;
        for (int r = 0; r < rows && status; ++r) status = (*on_row)(PostgresRow(raw, r));
        if (st == PGRES_TUPLES_OK && changed != nullptr) *changed = CmdTuples(raw);
      } else if (st == PGRES_COMMAND_OK) {
        if (changed != nullptr) *changed = CmdTuples(raw);
      } else if (st != PGRES_EMPTY_QUERY) {
        const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
        lock_refused_ = state != nullptr && std::string_view(state) == "55P03";
        status = std::unexpected(ResultError(conn_, raw));
      }
    }
    Track();
    return status;
  }

  const std::string& Rewritten(std::string_view sql) {
    if (auto it = rewritten_.find(sql); it != rewritten_.end()) return it->second;
    if (rewritten_.size() >= kMaxCachedRewrites) rewritten_.clear();
    return rewritten_.emplace(std::string(sql), RewritePlaceholders(sql)).first->second;
  }

  // Before each command: a connection the server dropped (restart, failover, idle timeout) is
  // reopened — but not inside a transaction, whose work is gone with the old connection: the
  // caller must see that and roll back rather than carry on outside any transaction.
  Status Ready() {
    if (PQstatus(conn_) == CONNECTION_OK) return Ok();
    if (in_transaction_) {
      return Fail(ErrorCode::kUnavailable, "postgresql: lost the connection to " + Endpoint(conn_) +
                                               " inside a transaction; roll back and retry");
    }
    PQreset(conn_);
    listening_.clear();  // a new session listens to nothing
    if (PQstatus(conn_) != CONNECTION_OK)
      return Fail(ErrorCode::kUnavailable, ConnectFailure(conn_));
    return Ok();
  }

  // Remembers whether a transaction is open, for Ready(). A broken connection reports nothing
  // useful, so the last known state stands until Commit or Rollback.
  void Track() {
    if (PQstatus(conn_) != CONNECTION_OK) return;
    in_transaction_ = PQtransactionStatus(conn_) != PQTRANS_IDLE;
  }

  PGconn* conn_;
  std::string description_;
  bool in_transaction_ = false;
  bool in_query_ = false;      // a statement's rows are being delivered
  bool lock_refused_ = false;  // the last statement gave up on a lock (SQLSTATE 55P03)
  std::string listening_;      // the channel LISTENed to on this session
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> rewritten_;
  // table → column → type oid, for binary COPY (BinaryCopyTypes); cleared by ExecScript.
  std::unordered_map<std::string, std::unordered_map<std::string, int64_t>> column_types_;
};

void IgnoreNotice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url) {
  std::string u(url);
  std::string shown = RedactUrl(url);
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(u.c_str(), &parse_error);
  if (options == nullptr) {
    std::string why = parse_error != nullptr ? OneLine(parse_error) : "not a PostgreSQL URL";
    PQfreemem(parse_error);
    return Fail(ErrorCode::kInvalidArgument, "database URL \"" + shown + "\": " + why);
  }
  PQconninfoFree(options);
  // Our defaults first, then the URL: libpq keeps the last value of a repeated keyword, so
  // anything the URL sets wins. Without a timeout a black-holed host would hang for minutes.
  const char* keys[] = {"connect_timeout", "client_encoding", "fallback_application_name", "dbname",
                        nullptr};
  const char* values[] = {"10", "UTF8", "orchard", u.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return Fail(ErrorCode::kResourceExhausted, "cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = ConnectFailure(conn);
    PQfinish(conn);
    return Fail(ErrorCode::kUnavailable, std::move(message));
  }
  // NOTICEs ("table does not exist, skipping") are for psql users; ours would land on stderr.
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<Database>(new PostgresDatabase(conn, std::move(shown)));
}

}  // namespace orchard::store
