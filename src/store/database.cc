#include "store/database.h"

#include <algorithm>

#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace orchard::store {

Result<std::optional<int64_t>> Database::QueryInt(std::string_view sql,
                                                  std::span<const SqlValue> params) {
  std::optional<int64_t> value;
  ORCHARD_CHECK(Query(sql, params, [&](const Row& row) -> Status {
    if (row.size() > 0 && !row.IsNull(0)) {
      ORCHARD_TRY(value, row.GetInt(0));
    }
    return Ok();
  }));
  return value;
}

Result<Transaction> Transaction::Begin(Database& db) {
  ORCHARD_CHECK(db.Begin());
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Rollback();  // not committed: undo everything
}

Status Transaction::Commit() {
  Database* db = db_;
  db_ = nullptr;
  if (db == nullptr) return Fail(ErrorCode::kInternal, "transaction already finished");
  return db->Commit();
}

Error NestedQueryError() {
  return Error{ErrorCode::kInternal,
               "a statement was run from inside another statement's row callback on the same "
               "connection; collect the rows first, then run the next statement",
               {}};
}

bool WriterTurns::Take(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (!held_ && waiting_.empty()) {
    held_ = true;
    return true;
  }
  Waiter me;
  waiting_.push_back(&me);
  if (me.cv.wait_for(lock, timeout, [&] { return me.granted; })) return true;
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &me));
  return false;
}

// Hands the turn straight to the oldest waiter, waking it alone: no herd, no overtaking.
void WriterTurns::GiveBack() {
  std::lock_guard lock(mu_);
  if (waiting_.empty()) {
    held_ = false;
    return;
  }
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->granted = true;
  next->cv.notify_one();
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(url);
  }
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "database URL \"sqlite:\" names no file; use sqlite:PATH or sqlite::memory:");
    }
    // sqlite:PATH?synchronous=normal trades the last commits before a power loss (never an
    // application crash) for cheaper commits; FULL, the default, loses no acknowledged write.
    SqliteOptions options;
    if (size_t q = path.find('?'); q != std::string_view::npos) {
      std::string_view query = path.substr(q + 1);
      path = path.substr(0, q);
      if (query == "synchronous=full") {
        options.synchronous_full = true;
      } else if (query == "synchronous=normal") {
        options.synchronous_full = false;
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    "database URL option \"" + std::string(query) +
                        "\" is not understood; SQLite takes ?synchronous=full (the default) or "
                        "?synchronous=normal");
      }
    }
    return OpenSqlite(path, options);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "database URL \"" + RedactUrl(url) +
                  "\" is not understood; use sqlite:PATH, sqlite::memory: or "
                  "postgresql://user@host:port/dbname");
}

}  // namespace orchard::store
