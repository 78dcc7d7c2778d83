// Database: the one storage interface, a connection to SQLite or PostgreSQL. Adapters
// (sqlite/, postgres/) implement it; everything above speaks one shared SQL dialect through it:
// `?` placeholders (rewritten to $n for PostgreSQL), standard types, RETURNING, ON CONFLICT.
// A Database is one connection: use it from one thread at a time (ConnectionPool hands them out).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace orchard::store {

enum class Dialect { kSqlite, kPostgres };

// A parameter or a value to write: NULL, an integer, or text (dates, timestamps, enums are text).
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

// The current row of a result, valid only inside the row callback.
class Row {
 public:
  virtual ~Row() = default;
  virtual int size() const = 0;
  virtual std::string_view name(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual Result<int64_t> GetInt(int column) const = 0;  // fails on non-numeric text
  virtual std::string_view GetText(int column) const = 0;
  virtual Result<bool> GetBool(int column) const = 0;  // 1/0 (SQLite) or t/f (PostgreSQL)
};

// Return an error from the callback to stop reading; Query returns that error.
using RowCallback = std::function<Status(const Row&)>;

// Appends many rows to one table as fast as the backend allows (SQLite: one reused prepared
// INSERT; PostgreSQL: COPY FROM STDIN). Call inside a transaction; Finish() flushes.
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  virtual Status Add(std::span<const SqlValue> row) = 0;
  // Many rows at once, one after another in `values`, each as wide as the column list (SQLite
  // puts several rows in one statement).
  virtual Status AddRows(std::span<const SqlValue> values) { return AddEach(values); }
  virtual Status Finish() = 0;
  virtual int64_t rows() const = 0;

 protected:
  explicit BulkWriter(size_t width) : width_(width) {}
  Status AddEach(std::span<const SqlValue> values) {
    if (width_ == 0 || values.size() % width_ != 0) {
      return Fail(ErrorCode::kInternal, "a bulk load got " + std::to_string(values.size()) +
                                            " values for rows of " + std::to_string(width_));
    }
    for (size_t at = 0; at < values.size(); at += width_) {
      ORCHARD_CHECK(Add(values.subspan(at, width_)));
    }
    return Ok();
  }
  size_t width_;  // values per row
};

// Ids first … first + count - 1.
struct IdRange {
  int64_t first = 0;
  int64_t count = 0;
};

// The turns that writers of one database in this process take before they begin a transaction:
// a waiting writer sleeps until the one before it ends, in the order they came, instead of
// polling SQLite's write lock through its busy handler (sleeps of up to 100 ms, in no order:
// under 64 concurrent writers some waited over 2 s). One per ConnectionPool; PostgreSQL, with row
// locks, has no use for it.
class WriterTurns {
 public:
  // Waits for the caller's turn, first come first served; false after `timeout` (the place in
  // the queue is given up).
  bool Take(std::chrono::milliseconds timeout);
  void GiveBack();

 private:
  struct Waiter {
    std::condition_variable cv;
    bool granted = false;
  };
  std::mutex mu_;
  std::deque<Waiter*> waiting_;  // oldest first; each on its waiter's stack
  bool held_ = false;
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;
  // "sqlite:orchard.db" or "postgresql://user@host:port/db" without the password.
  virtual std::string description() const = 0;

  // Runs several statements, no parameters (migrations, PRAGMAs).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Runs one statement with `?` placeholders, calling on_row per result row (may be empty).
  // Constraint violations map to kAlreadyExists (unique) or kInvalidValue (foreign key,
  // check, not null) with the database's message; a lost connection maps to kUnavailable.
  virtual Status Query(std::string_view sql, std::span<const SqlValue> params,
                       const RowCallback& on_row) = 0;

  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, std::span<const SqlValue> params) = 0;

  // Runs one statement once for each of `rows` (each `width` values of `params`, one after
  // another); returns the rows each run changed, in order, and stops at the first failure.
  // PostgreSQL sends them in pipelines of 500, one round trip for each rather than per run.
  virtual Result<std::vector<int64_t>> ExecEach(std::string_view sql,
                                                std::span<const SqlValue> params, size_t width) {
    std::vector<int64_t> changed;
    for (size_t at = 0; width != 0 && at + width <= params.size(); at += width) {
      ORCHARD_TRY(int64_t n, Exec(sql, params.subspan(at, width)));
      changed.push_back(n);
    }
    return changed;
  }

  // Runs one statement that may as well be skipped (a bookkeeping stamp) without waiting for a
  // lock another connection holds: the rows it changed, or nullopt when the lock was taken
  // (SQLite's write lock, held by an import for its whole run; on PostgreSQL a row or table lock
  // held past 100 ms) and nothing was written. Outside a transaction only.
  virtual Result<std::optional<int64_t>> ExecUnlessLocked(std::string_view sql,
                                                          std::span<const SqlValue> params) = 0;

  // Waits up to timeout_ms for a notification on `channel` (a plain identifier), listening from
  // the first call on; true when one (or more) came. PostgreSQL's LISTEN/NOTIFY: SQLite has none,
  // so it waits out the timeout and answers false, and the caller polls.
  virtual Result<bool> WaitForNotification(std::string_view channel, int timeout_ms) = 0;

  // Transactions. Begin() on SQLite takes the write lock at once (BEGIN IMMEDIATE).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  virtual Result<std::unique_ptr<BulkWriter>> OpenBulkWriter(
      std::string_view table, std::span<const std::string_view> columns) = 0;

  // After rows were inserted with explicit ids, moves the table's id generator past them
  // (PostgreSQL identity sequences; a no-op on SQLite, whose rowid needs none).
  virtual Status ResetIdSequence(std::string_view table) = 0;

  // Reserves `count` ids of `table` for rows a caller will insert later with explicit ids (an
  // import hands them out ahead, to link rows before they are written), so that no other writer
  // takes them meanwhile: PostgreSQL draws them from the table's identity sequence, which every
  // insert uses; SQLite, whose rowids have no sequence, records the reservation in
  // id_reservations (migration 0011), which Store::Insert reads. Ascending ranges; on SQLite one
  // range, made visible to other connections when the caller's transaction commits (at once
  // outside one). Ids reserved and never used stay unused.
  virtual Result<std::vector<IdRange>> ReserveIds(std::string_view table, int64_t count) = 0;
  // The same, when the caller's transaction holds `table` exclusively (it dropped one of its
  // indexes or constraints): no insert into it and no ReserveIds of it can run meanwhile (both
  // wait for the table), so PostgreSQL moves the sequence past `count` ids in one step instead of
  // drawing each. One range.
  virtual Result<std::vector<IdRange>> ReserveIdsOfHeldTable(std::string_view table,
                                                             int64_t count) {
    return ReserveIds(table, count);
  }

  // While on, the write-ahead log is copied into the database by a thread with a connection of
  // its own each time this connection's commits have added `log_pages` to it, rather than by this
  // connection after its commits: a long run of writes (an import) does not stop for the copy
  // and its fsyncs. Turning it off waits for that thread's last copy, and closing the connection
  // turns it off. SQLite only; elsewhere nothing changes.
  virtual Status CheckpointInBackground(bool on, int log_pages) {
    (void)on;
    (void)log_pages;
    return Ok();
  }

  // SQLite: while on, commits write their pages straight into the database file (a rollback
  // journal keeps what they overwrite) rather than into the write-ahead log, which SQLite would
  // later copy into the file again — a bulk load writes its pages once. Only while no other
  // connection has the database open (WAL lets readers run beside the writer; this does not):
  // false, at once, when another has (the database stays as it was). Off puts the log back.
  // Outside a transaction. Elsewhere: false, nothing changes.
  virtual Result<bool> WriteAroundTheLog(bool on) {
    (void)on;
    return false;
  }

  // From now on Begin() waits for `turns` (shared by the connections of one pool) before it
  // takes the write lock, and the transaction's end gives it back. SQLite only.
  virtual void TakeTurnsWith(std::shared_ptr<WriterTurns> turns) { (void)turns; }

  // Convenience: a statement expected to return at most one integer (COUNT, MAX, an id).
  Result<std::optional<int64_t>> QueryInt(std::string_view sql,
                                          std::span<const SqlValue> params = {});
};

// A transaction that rolls back unless committed: one per use case.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
};

// Opens a connection from a URL: "sqlite:PATH", "sqlite::memory:", "postgresql://…" or
// "postgres://…". A malformed URL, an unwritable path or an unreachable server is one clear error.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url);

// A statement run from inside a row callback on the same connection: refused by both adapters
// with this error (a PostgreSQL connection streams one result at a time, and SQLite would reset
// the outer statement when the same SQL comes again). Collect the rows, then query.
Error NestedQueryError();

// Marks a connection busy for the length of one statement; Enter() fails if it already is.
class QueryGuard {
 public:
  explicit QueryGuard(bool& busy) : busy_(busy), entered_(!busy) { busy_ = true; }
  ~QueryGuard() {
    if (entered_) busy_ = false;
  }
  QueryGuard(const QueryGuard&) = delete;
  QueryGuard& operator=(const QueryGuard&) = delete;
  bool entered() const { return entered_; }

 private:
  bool& busy_;
  bool entered_;
};

}  // namespace orchard::store
