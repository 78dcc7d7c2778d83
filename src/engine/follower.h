// ChangeFollower: keeps a server's ReadModel current with writes made by other servers sharing
// its database. It reads the change log (store/migrations/0003) on a connection of its own, woken
// at once by PostgreSQL's NOTIFY and in any case every poll interval, and has the model re-read
// each row the log names (ReadModel::Follow, engine/book_loader.cc) — so applying a change twice,
// or out of the order it was logged, is harmless: the model ends with the row as the database holds
// it.
//
// Sequence numbers are handed out when a row is inserted, not when its transaction commits, so a
// lower number can become visible after a higher one. Numbers skipped over are kept as gaps and
// asked for again until they appear or a minute passes (a rolled-back write never will).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "engine/read_model.h"
#include "store/database.h"

namespace orchard::engine {

struct FollowOptions {
  int poll_ms = 500;               // longest wait without a notification
  int lookback = 1000;             // log entries re-read at start (written while loading)
  int gap_seconds = 60;            // how long a skipped sequence number is looked for
  int64_t keep_entries = 100'000;  // kept behind the newest seen; older entries are pruned
  std::function<void(const Error&)> on_error;  // a failed round (it is retried); may be empty
};

class ChangeFollower {
 public:
  // Opens its own connection to `url` and starts following after model.loaded_seq().
  static Result<std::unique_ptr<ChangeFollower>> Start(const std::string& url, ReadModel& model,
                                                       FollowOptions options = {});
  ~ChangeFollower();  // stops and joins

  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

  int64_t applied_seq() const { return applied_seq_.load(); }

 private:
  ChangeFollower(std::unique_ptr<store::Database> db, ReadModel& model, FollowOptions options);
  void Run();
  Status Round();  // reads what is new (and the open gaps) and applies it
  Status Apply(const std::string& entity, int64_t id, int64_t account);
  Status ApplyRange(const std::string& entity, int64_t first, int64_t last);

  std::unique_ptr<store::Database> db_;
  ReadModel& model_;
  FollowOptions options_;
  int64_t after_ = 0;  // every entry up to here was seen (or given up as a gap)
  std::map<int64_t, std::chrono::steady_clock::time_point> gaps_;  // seq → first missed
  std::chrono::steady_clock::time_point next_prune_;
  std::atomic<int64_t> applied_seq_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace orchard::engine
