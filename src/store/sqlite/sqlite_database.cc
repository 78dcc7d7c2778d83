#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <clocale>
#include <condition_variable>
#include <cwctype>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/text.h"

namespace orchard::store {

namespace {

// How long a statement waits for another connection's write lock before answering busy.
constexpr int kBusyTimeoutMs = 5000;

Error SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  ErrorCode code = ErrorCode::kInternal;
  if (primary == SQLITE_CONSTRAINT) {
    code = (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY)
               ? ErrorCode::kAlreadyExists
               : ErrorCode::kInvalidValue;
  } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    code = ErrorCode::kUnavailable;
  } else if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_FULL ||
             primary == SQLITE_IOERR || primary == SQLITE_PERM) {
    code = ErrorCode::kUnavailable;
  } else if (primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG) {
    code = ErrorCode::kInvalidArgument;
  }
  return Error{code, std::move(message), {}};
}

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int size() const override { return sqlite3_column_count(stmt_); }
  std::string_view name(int column) const override { return sqlite3_column_name(stmt_, column); }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  Result<int64_t> GetInt(int column) const override {
    int type = sqlite3_column_type(stmt_, column);
    if (type == SQLITE_INTEGER) return sqlite3_column_int64(stmt_, column);
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
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (text == nullptr) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  Result<bool> GetBool(int column) const override {
    ORCHARD_TRY(int64_t v, GetInt(column));
    return v != 0;
  }

 private:
  sqlite3_stmt* stmt_;
};

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

class SqliteDatabase;

// Copies the write-ahead log into the database on a thread of its own, through a connection of
// its own, each time the writing connection's commits have added a step's worth of pages to it.
// SQLite's own automatic checkpoint runs on the committing thread, which then waits for the copy
// and two fsyncs (0.9 s of a 1M-row import's 4 s, measured with strace).
class BackgroundCheckpointer {
 public:
  // The writing connection's log hook, after each commit: `pages` are in the log.
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages) {
    auto* c = static_cast<BackgroundCheckpointer*>(self);
    if (pages < c->nudged_at_) c->nudged_at_ = 0;  // the log started afresh
    // SQLite starts the log afresh only when a write begins with all of it copied, which a
    // writer that never pauses does not see while the copy runs beside it. Past four times the
    // step the writer waits for a copy in progress and copies what is left itself (little: the
    // background copy did most), so its next write starts the log afresh and the log stays
    // bounded.
    if (pages >= 4 * c->pages_) {
      c->WaitIdle();
      if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
          SQLITE_OK) {
        c->nudged_at_ = 0;
      }
    } else if (pages - c->nudged_at_ >= c->pages_) {
      c->nudged_at_ = pages;
      c->Nudge();
    }
    return SQLITE_OK;
  }

  static Result<std::unique_ptr<BackgroundCheckpointer>> Start(const std::string& path, int pages) {
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close_v2(db);
      return Fail(ErrorCode::kUnavailable, "cannot open \"" + path + "\" to checkpoint: " + reason);
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    // A connection opens the log on its first read; until then a checkpoint does nothing.
    (void)sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr, nullptr);
    return std::unique_ptr<BackgroundCheckpointer>(new BackgroundCheckpointer(db, pages));
  }
  ~BackgroundCheckpointer() {  // after one last copy
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
    sqlite3_close_v2(db_);
  }
  // Until no copy runs; one asked for and not started is dropped (the caller copies instead).
  void WaitIdle() {
    std::unique_lock lock(mu_);
    pending_ = false;
    idle_.wait(lock, [&] { return !running_; });
  }
  void Nudge() {
    {
      std::lock_guard lock(mu_);
      pending_ = true;
    }
    cv_.notify_one();
  }

 private:
  BackgroundCheckpointer(sqlite3* db, int pages)
      : db_(db), pages_(std::max(pages, 1)), thread_([this] { Run(); }) {}
  void Run() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return pending_ || stop_; });
      bool last = stop_;
      pending_ = false;
      running_ = true;
      lock.unlock();
      // PASSIVE: copies what it can without waiting for readers or the writer. A failure (busy)
      // leaves the log to the next nudge, or to the connection that closes last. The last copy
      // leaves a running server's connections nothing to catch up on at their next commit.
      (void)sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
      running_ = false;
      idle_.notify_all();
      if (last) return;
    }
  }

  sqlite3* db_;
  const int pages_;  // a copy each time the log grew by this many pages
  std::mutex mu_;
  std::condition_variable cv_, idle_;
  bool pending_ = false, stop_ = false, running_ = false;
  int nudged_at_ = 0;   // the log's size at the last nudge (the writer's, in OnCommit)
  std::thread thread_;  // last: it starts once the rest is ready
};

// "INSERT INTO table (a, b) VALUES (?, ?), …" for `rows` rows, every column but the one at
// `skip` (npos: none).
template <class Name>
std::string InsertSql(std::string_view table, std::span<const Name> columns, size_t skip,
                      size_t rows) {
  std::string names, marks;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i == skip) continue;
    if (!names.empty()) {
      names += ", ";
      marks += ", ";
    }
    names += columns[i];
    marks += "?";
  }
  std::string sql = "INSERT INTO " + std::string(table) + " (" + names + ") VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    if (i) sql += ", ";
    sql += "(" + marks + ")";
  }
  return sql;
}

class SqliteBulkWriter final : public BulkWriter {
 public:
  // `id_at`: the place among `columns` of the table's `id INTEGER PRIMARY KEY`, SQLite's rowid
  // (npos: none, or an id that is not the rowid).
  SqliteBulkWriter(SqliteDatabase& db, sqlite3_stmt* stmt, std::string table,
                   std::vector<std::string> columns, size_t id_at)
      : BulkWriter(columns.size()),
        db_(db),
        stmt_(stmt),
        table_(std::move(table)),
        columns_(std::move(columns)),
        id_at_(id_at) {}
  Status Add(std::span<const SqlValue> row) override;
  // Several rows to a statement: one step, one reset and one pass over the table's cursor for
  // all of them, a third of a bulk insert's time in SQLite's own code (docs/PERFORMANCE.md).
  Status AddRows(std::span<const SqlValue> values) override;
  Status Finish() override { return Ok(); }
  int64_t rows() const override { return rows_; }

 private:
  static constexpr size_t kRowsPerStatement = 64;

  // A statement of kRowsPerStatement rows, with or without the id column, and what it holds
  // from this writer's last step, by parameter: empty until the first (the statement is shared
  // through the database's cache: another writer may have bound it since).
  struct ManyRows {
    sqlite3_stmt* stmt = nullptr;
    std::vector<SqlValue> held;      // text as an empty string: the text is in `last`
    std::span<const SqlValue> last;  // the chunk bound last, in this AddRows call
  };

  // Whether the chunk's ids are the next ones SQLite would give (the table's largest + 1, in
  // order): then they need not be sent, nor checked against the table one by one.
  Result<bool> IdsComeNext(std::span<const SqlValue> chunk);
  // What SQLite gives next after the chunk's rows were written with their ids.
  std::optional<int64_t> NextAfter(std::span<const SqlValue> chunk, int64_t next) const;
  Result<sqlite3_stmt*> PrepareMany(bool with_id);
  // Binds the chunk to `many`, skipping a NULL or an integer it holds from its last step
  // already: SQLite keeps a statement's bindings across a reset, and most columns of an
  // imported row are NULL or repeat (15 of an account's 21). Text is bound without a copy, so
  // a text is only left as it is when the chunk before, of the same call, held the same.
  // Without `with_id`, ids are left out.
  Status BindChanged(ManyRows& many, std::span<const SqlValue> chunk, bool with_id);

  SqliteDatabase& db_;
  sqlite3_stmt* stmt_;  // one row; owned by the database's statement cache
  std::string table_;
  std::vector<std::string> columns_;
  size_t id_at_;
  ManyRows with_id_, without_id_;   // prepared on first use; cached too
  std::optional<int64_t> next_id_;  // what SQLite gives the next row, while known
  int64_t rows_ = 0;
};

class SqliteDatabase final : public Database {
  friend class SqliteBulkWriter;

 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override {
    GiveBackTurn();
    (void)CheckpointInBackground(false, 0);
    cache_.clear();
    sqlite3_close_v2(db_);
  }

  Status CheckpointInBackground(bool on, int log_pages) override {
    if (on == (checkpointer_ != nullptr) || path_ == ":memory:") return Ok();
    if (!on) {
      sqlite3_wal_autocheckpoint(db_, 1000);  // SQLite's default, which replaces the hook
      checkpointer_.reset();                  // waits for a copy in progress
      return Ok();
    }
    ORCHARD_TRY(checkpointer_, BackgroundCheckpointer::Start(path_, log_pages));
    sqlite3_wal_hook(db_, &BackgroundCheckpointer::OnCommit, checkpointer_.get());
    return Ok();
  }

  // `run` with no busy handler: a lock another connection holds answers SQLITE_BUSY at once
  // instead of after the busy timeout.
  template <class F>
  auto WithoutBusyWait(F run) {
    sqlite3_busy_timeout(db_, 0);
    auto result = run();
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    return result;
  }

  Result<bool> WriteAroundTheLog(bool on) override {
    if (path_ == ":memory:") return false;
    if (!sqlite3_get_autocommit(db_)) {
      return Fail(ErrorCode::kInternal,
                  "sqlite: the journal mode can only change outside a transaction");
    }
    if (!on) {
      ORCHARD_CHECK(ExecScript("PRAGMA journal_mode = WAL"));
      return true;
    }
    // Leaving WAL needs the database to itself: another connection answers at once.
    std::string mode;
    Status switched = WithoutBusyWait([&] {
      return Query("PRAGMA journal_mode = DELETE", {}, [&](const Row& row) -> Status {
        mode = std::string(row.GetText(0));
        return Ok();
      });
    });
    if (!switched) {
      if (switched.error().code == ErrorCode::kUnavailable) return false;  // not alone
      return std::unexpected(switched.error());
    }
    return mode == "delete";
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string description() const override { return "sqlite:" + path_; }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string message = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Error e = SqliteError(db_, rc, "sqlite");
      e.message = "sqlite: " + message;
      return std::unexpected(std::move(e));
    }
    return Ok();
  }

  Status Query(std::string_view sql, std::span<const SqlValue> params,
               const RowCallback& on_row) override {
    QueryGuard guard(in_query_);
    if (!guard.entered()) return std::unexpected(NestedQueryError());
    ORCHARD_TRY(sqlite3_stmt * stmt, Prepare(sql));
    ORCHARD_CHECK(Bind(stmt, params));
    SqliteRow row(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        if (on_row) {
          Status s = on_row(row);
          if (!s) {
            sqlite3_reset(stmt);
            return s;
          }
        }
        continue;
      }
      if (rc == SQLITE_DONE) break;
      busy_ = (rc & 0xff) == SQLITE_BUSY;
      Error e = SqliteError(db_, rc, "sqlite");
      sqlite3_reset(stmt);
      return std::unexpected(std::move(e));
    }
    sqlite3_reset(stmt);
    return Ok();
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const SqlValue> params) override {
    ORCHARD_CHECK(Query(sql, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Result<std::optional<int64_t>> ExecUnlessLocked(std::string_view sql,
                                                  std::span<const SqlValue> params) override {
    if (!sqlite3_get_autocommit(db_)) {
      return Fail(ErrorCode::kInternal, "sqlite: ExecUnlessLocked inside a transaction");
    }
    busy_ = false;
    auto changed = WithoutBusyWait([&] { return Exec(sql, params); });
    if (!changed && busy_) return std::nullopt;
    if (!changed) return std::unexpected(changed.error());
    return *changed;
  }

  Result<bool> WaitForNotification(std::string_view, int timeout_ms) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    return false;
  }

  Status Begin() override {
    if (turns_ != nullptr) {
      if (!turns_->Take(std::chrono::milliseconds(kBusyTimeoutMs))) {
        return Fail(ErrorCode::kUnavailable,
                    "sqlite: database is locked (another write held it for " +
                        std::to_string(kBusyTimeoutMs / 1000) + " s)");
      }
      holding_turn_ = true;
    }
    Status begun = ExecScript("BEGIN IMMEDIATE");
    if (!begun) GiveBackTurn();
    return begun;
  }
  Status Commit() override {
    Status committed = ExecScript("COMMIT");
    // A COMMIT that failed busy leaves the transaction open: the turn goes back at its rollback.
    if (sqlite3_get_autocommit(db_)) GiveBackTurn();
    return committed;
  }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) {  // nothing open (e.g. already rolled back)
      GiveBackTurn();
      return Ok();
    }
    Status rolled_back = ExecScript("ROLLBACK");
    if (sqlite3_get_autocommit(db_)) GiveBackTurn();
    return rolled_back;
  }
  void TakeTurnsWith(std::shared_ptr<WriterTurns> turns) override { turns_ = std::move(turns); }

  Result<std::unique_ptr<BulkWriter>> OpenBulkWriter(
      std::string_view table, std::span<const std::string_view> columns) override {
    // Leaving the id out is only safe where SQLite then gives the row the rowid: `id` is
    // the table's whole primary key, declared INTEGER, in a table with rowids.
    size_t id_at = std::string::npos;
    const auto id = std::find(columns.begin(), columns.end(), "id");
    if (id != columns.end()) {
      std::vector<SqlValue> params;
      params.emplace_back(std::string(table));
      ORCHARD_TRY(auto alias,
                  QueryInt("SELECT (SELECT COUNT(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1 "
                           "AND EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = 'id' "
                           "AND pk = 1 AND upper(type) = 'INTEGER') AND EXISTS (SELECT 1 "
                           "FROM pragma_table_list WHERE schema = 'main' AND name = ?1 AND "
                           "type = 'table' AND wr = 0)",
                           params));
      if (alias.value_or(0) == 1) id_at = static_cast<size_t>(id - columns.begin());
    }
    ORCHARD_TRY(sqlite3_stmt * stmt, Prepare(InsertSql(table, columns, std::string::npos, 1)));
    return std::unique_ptr<BulkWriter>(
        new SqliteBulkWriter(*this, stmt, std::string(table),
                             std::vector<std::string>(columns.begin(), columns.end()), id_at));
  }

  Status ResetIdSequence(std::string_view) override { return Ok(); }

  // The new reservation starts past both the table's largest id and the last reservation; the
  // table name comes from a domain/schema.h constant (checked to be a plain identifier).
  Result<std::vector<IdRange>> ReserveIds(std::string_view table, int64_t count) override {
    if (table.empty() || !std::all_of(table.begin(), table.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        })) {
      return Fail(ErrorCode::kInternal, "sqlite: \"" + std::string(table) + "\" is not a table");
    }
    const std::string t(table);
    std::vector<SqlValue> params;
    params.emplace_back(t);
    params.emplace_back(t);
    params.emplace_back(count);
    ORCHARD_TRY(
        auto upto,
        QueryInt("INSERT INTO id_reservations (table_name, upto) VALUES (?, "
                 "MAX((SELECT COALESCE(MAX(id), 0) FROM " +
                     t +
                     "), "
                     "COALESCE((SELECT upto FROM id_reservations WHERE table_name = ?), 0)) + ?) "
                     "ON CONFLICT (table_name) DO UPDATE SET upto = excluded.upto "
                     "RETURNING upto",
                 params));
    if (!upto) return Fail(ErrorCode::kInternal, "sqlite: reserving ids returned nothing");
    return std::vector<IdRange>{IdRange{*upto - count + 1, count}};
  }

  Status Bind(sqlite3_stmt* stmt, std::span<const SqlValue> params) {
    sqlite3_reset(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Fail(ErrorCode::kInternal, "statement expects " +
                                            std::to_string(sqlite3_bind_parameter_count(stmt)) +
                                            " parameters, got " + std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        // STATIC: the caller's values outlive the statement's step, and every use binds anew.
        rc = sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(stmt, idx);
      }
      if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "sqlite bind"));
    }
    return Ok();
  }

  Status Step(sqlite3_stmt* stmt) {
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
      Error e = SqliteError(db_, rc, "sqlite");
      sqlite3_reset(stmt);
      return std::unexpected(std::move(e));
    }
    sqlite3_reset(stmt);
    return Ok();
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "sqlite prepare"));
    cache_.emplace(std::move(key), StmtPtr(stmt));
    return stmt;
  }

  sqlite3* db_;
  std::string path_;
  bool busy_ = false;                   // the last failed step found the write lock held
  std::shared_ptr<WriterTurns> turns_;  // null: not in a pool, the busy handler alone
  bool holding_turn_ = false;

  void GiveBackTurn() {
    if (!holding_turn_) return;
    holding_turn_ = false;
    turns_->GiveBack();
  }
  std::unordered_map<std::string, StmtPtr> cache_;
  // The bulk writer that last bound a cached statement of many rows (SqliteBulkWriter).
  std::unordered_map<sqlite3_stmt*, const void*> bulk_binder_;
  bool in_query_ = false;
  std::unique_ptr<BackgroundCheckpointer> checkpointer_;
};

Status SqliteBulkWriter::Add(std::span<const SqlValue> row) {
  ORCHARD_CHECK(db_.Bind(stmt_, row));
  ORCHARD_CHECK(db_.Step(stmt_));
  ++rows_;
  return Ok();
}

Status SqliteBulkWriter::AddRows(std::span<const SqlValue> values) {
  // SQLite allows 32766 parameters to a statement; 64 rows of the widest table stay far below.
  const size_t chunk = kRowsPerStatement * width_;
  size_t at = 0;
  next_id_.reset();                       // rows may have come through Add since
  with_id_.last = without_id_.last = {};  // text bound by an earlier call may be gone
  for (; at + chunk <= values.size(); at += chunk) {
    const auto rows = values.subspan(at, chunk);
    ORCHARD_TRY(bool next, IdsComeNext(rows));
    ManyRows& many = next ? without_id_ : with_id_;
    if (many.stmt == nullptr) {
      ORCHARD_TRY(many.stmt, PrepareMany(!next));
    }
    ORCHARD_CHECK(BindChanged(many, rows, !next));
    ORCHARD_CHECK(db_.Step(many.stmt));
    rows_ += kRowsPerStatement;
    if (!next) {
      if (next_id_) next_id_ = NextAfter(rows, *next_id_);
      continue;
    }
    // SQLite gave the rows ids itself: they must be the ones the caller chose for them.
    const int64_t last = std::get<int64_t>(rows[chunk - width_ + id_at_]);
    if (sqlite3_last_insert_rowid(db_.db_) != last) {
      next_id_.reset();
      return Fail(ErrorCode::kInternal, "sqlite: rows written to " + table_ + " got ids up to " +
                                            std::to_string(sqlite3_last_insert_rowid(db_.db_)) +
                                            ", not " + std::to_string(last));
    }
    *next_id_ = last + 1;
  }
  return AddEach(values.subspan(at));
}

Result<bool> SqliteBulkWriter::IdsComeNext(std::span<const SqlValue> chunk) {
  if (id_at_ == std::string::npos) return false;
  // Outside a transaction another connection could write between the largest id read here and
  // the insert; inside one it cannot (SQLite's snapshot refuses a write after it).
  if (sqlite3_get_autocommit(db_.db_)) {
    next_id_.reset();
    return false;
  }
  const auto* first = std::get_if<int64_t>(&chunk[id_at_]);
  if (first == nullptr) return false;
  for (size_t row = 1; row < kRowsPerStatement; ++row) {
    const auto* id = std::get_if<int64_t>(&chunk[row * width_ + id_at_]);
    if (id == nullptr || *id != *first + static_cast<int64_t>(row)) return false;
  }
  if (!next_id_) {
    ORCHARD_TRY(auto largest, db_.QueryInt("SELECT MAX(id) FROM " + table_));
    next_id_ = largest.value_or(0) + 1;
  }
  return *first == *next_id_;
}

std::optional<int64_t> SqliteBulkWriter::NextAfter(std::span<const SqlValue> chunk,
                                                   int64_t next) const {
  for (size_t at = id_at_; at < chunk.size(); at += width_) {
    const auto* id = std::get_if<int64_t>(&chunk[at]);
    if (id == nullptr) return std::nullopt;  // SQLite gave it one: unknown
    next = std::max(next, *id + 1);
  }
  return next;
}

Result<sqlite3_stmt*> SqliteBulkWriter::PrepareMany(bool with_id) {
  return db_.Prepare(InsertSql(table_, std::span<const std::string>(columns_),
                               with_id ? std::string::npos : id_at_, kRowsPerStatement));
}

Status SqliteBulkWriter::BindChanged(ManyRows& many, std::span<const SqlValue> chunk,
                                     bool with_id) {
  const size_t skip = with_id ? std::string::npos : id_at_;
  const size_t params = with_id ? chunk.size() : chunk.size() - kRowsPerStatement;
  // Another writer of the same table and columns shares the statement: after it bound it, what
  // this one holds is unknown.
  const void*& binder = db_.bulk_binder_[many.stmt];
  const bool known = many.held.size() == params && binder == this;
  binder = this;
  if (!known) many.held.assign(params, SqlValue());
  sqlite3_reset(many.stmt);
  int idx = 0;
  for (size_t i = 0, column = 0; i < chunk.size();
       ++i, column = column + 1 == width_ ? 0 : column + 1) {
    if (column == skip) continue;
    SqlValue& held = many.held[static_cast<size_t>(idx++)];
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<int64_t>(&chunk[i])) {
      const auto* was = std::get_if<int64_t>(&held);
      if (known && was != nullptr && *was == *n) continue;
      rc = sqlite3_bind_int64(many.stmt, idx, *n);
      held = *n;
    } else if (const auto* t = std::get_if<std::string>(&chunk[i])) {
      // The same text as the chunk before, which this statement still points into: that chunk
      // lives as long as this call.
      if (known && !many.last.empty() && std::holds_alternative<std::string>(held)) {
        const auto* was = std::get_if<std::string>(&many.last[i]);
        if (was != nullptr && *was == *t) continue;
      }
      rc = sqlite3_bind_text(many.stmt, idx, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
      if (!std::holds_alternative<std::string>(held)) held = std::string();  // "text": no copy
    } else {
      if (known && std::holds_alternative<std::monostate>(held)) continue;
      rc = sqlite3_bind_null(many.stmt, idx);
      held = SqlValue();
    }
    if (rc != SQLITE_OK) {
      many.held.clear();  // unknown again
      many.last = {};
      return std::unexpected(SqliteError(db_.db_, rc, "sqlite bind"));
    }
  }
  many.last = chunk;
  return Ok();
}

// LOWER as PostgreSQL computes it in a UTF-8 database: every letter, not only ASCII as SQLite's
// built-in does, so a name search finds the same rows on both backends (core/text.h). Hand-written
// because SQLite's own answer (the ICU extension) is not packaged as a loadable module on Debian.
void UnicodeLower(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const auto* in = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const size_t n = static_cast<size_t>(sqlite3_value_bytes(argv[0]));
  std::string out = FoldCase(std::string_view(in, n));
  sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, SqliteOptions options) {
  std::string p(path);
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(p.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUnavailable, "cannot open SQLite database \"" + p + "\": " + reason);
  }
  auto database = std::make_unique<SqliteDatabase>(db, p);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  if (sqlite3_create_function(db, "lower", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                              UnicodeLower, nullptr, nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kInternal,
                "cannot register lower() on SQLite database \"" + p + "\": " + sqlite3_errmsg(db));
  }
  // WAL lets readers run beside the one writer. FULL sync (the default) makes every commit
  // durable against power loss; NORMAL (sqlite:PATH?synchronous=normal) only at checkpoints,
  // still safe against application crashes (docs/PERFORMANCE.md measures the difference). A
  // read-only location shows here.
  const std::string pragmas =
      std::string("PRAGMA foreign_keys = ON; PRAGMA synchronous = ") +
      (options.synchronous_full ? "FULL" : "NORMAL") +
      "; PRAGMA temp_store = MEMORY; "
      // Reads map the file instead of copying pages through pread (a tenth of a GET's cost in
      // bench/http); the mapping is address space, not memory, and caps at 1 GiB.
      "PRAGMA mmap_size = 1073741824;";
  // A new book's pages are 8 KB, SQLite's default 4 KB doubled (PostgreSQL's size): a 1M-row
  // import's commit writes half as many pages, in half the time, and its sync is shorter
  // (docs/PERFORMANCE.md, "Issue 21, stop 32"). Only a file not yet written takes it, so it
  // comes before WAL; an existing book keeps its own.
  if (Status paged = database->ExecScript("PRAGMA page_size = 8192;"); !paged) {
    return Fail(ErrorCode::kUnavailable,
                "cannot open SQLite database \"" + p + "\": " + paged.error().message);
  }
  if (p != ":memory:") {
    // Switching a new file to WAL while another connection does the same can answer BUSY
    // without consulting the busy handler (servers starting together): retry for up to 5 s.
    Status wal = database->ExecScript("PRAGMA journal_mode = WAL;");
    for (int tries = 0; !wal && wal.error().code == ErrorCode::kUnavailable && tries < 500;
         ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      wal = database->ExecScript("PRAGMA journal_mode = WAL;");
    }
    if (!wal) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot open SQLite database \"" + p + "\": " + wal.error().message);
    }
  }
  Status s = database->ExecScript(pragmas);
  if (!s) {
    return Fail(ErrorCode::kUnavailable,
                "cannot open SQLite database \"" + p + "\": " + s.error().message);
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace orchard::store
