#include "engine/follower.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace orchard::engine {

namespace {

constexpr const char* kChannel = "orchard_changes";
constexpr int kMaxGaps = 10'000;  // a huge jump (a bulk rollback) is not tracked number by number

struct Entry {
  int64_t seq = 0;
  std::string entity;
  int64_t id = 0;
  int64_t account = 0;  // 0: not logged (a row logged before migration 0004)
  int64_t last = 0;     // > 0: the entry names the new rows id … last (migration 0006)
};

Status Collect(store::Database& db, const std::string& sql, std::span<const store::SqlValue> params,
               std::vector<Entry>& out) {
  return db.Query(sql, params, [&](const store::Row& row) -> Status {
    Entry e;
    ORCHARD_TRY(e.seq, row.GetInt(0));
    e.entity = std::string(row.GetText(1));
    ORCHARD_TRY(e.id, row.GetInt(2));
    if (!row.IsNull(3)) {
      ORCHARD_TRY(e.account, row.GetInt(3));
    }
    if (!row.IsNull(4)) {
      ORCHARD_TRY(e.last, row.GetInt(4));
    }
    out.push_back(std::move(e));
    return Ok();
  });
}

}  // namespace

Result<std::unique_ptr<ChangeFollower>> ChangeFollower::Start(const std::string& url,
                                                              ReadModel& model,
                                                              FollowOptions options) {
  ORCHARD_TRY(auto db, store::OpenDatabase(url));
  std::unique_ptr<ChangeFollower> f(new ChangeFollower(std::move(db), model, std::move(options)));
  f->thread_ = std::thread([raw = f.get()] { raw->Run(); });
  return f;
}

ChangeFollower::ChangeFollower(std::unique_ptr<store::Database> db, ReadModel& model,
                               FollowOptions options)
    : db_(std::move(db)), model_(model), options_(std::move(options)) {
  after_ = std::max<int64_t>(0, model.loaded_seq() - options_.lookback);
  applied_seq_ = model.loaded_seq();
  next_prune_ = std::chrono::steady_clock::now();
}

ChangeFollower::~ChangeFollower() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ChangeFollower::Run() {
  while (!stop_) {
    auto woken = db_->WaitForNotification(kChannel, options_.poll_ms);
    Status round = woken ? Round() : Status(std::unexpected(woken.error()));
    if (!round) {
      if (options_.on_error) options_.on_error(round.error());
      // Back off before the next try (a database that is down stays down for a while).
      for (int waited = 0; waited < 2000 && !stop_; waited += 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
}

Status ChangeFollower::Round() {
  auto now = std::chrono::steady_clock::now();
  std::vector<Entry> fresh, found;
  std::vector<store::SqlValue> after;  // push_back: g++ 12 warns falsely on variant lists
  after.emplace_back(after_);
  ORCHARD_CHECK(
      Collect(*db_,
              "SELECT seq, entity, entity_id, account_id, last_id FROM change_log WHERE seq > ? "
              "ORDER BY seq LIMIT 10000",
              after, fresh));
  if (!gaps_.empty()) {
    std::string sql =
        "SELECT seq, entity, entity_id, account_id, last_id FROM change_log WHERE seq IN (";
    std::vector<store::SqlValue> params;
    for (const auto& [seq, since] : gaps_) {
      if (params.size() == 500) break;
      sql += params.empty() ? "?" : ", ?";
      params.emplace_back(seq);
    }
    ORCHARD_CHECK(Collect(*db_, sql + ")", params, found));
  }
  for (const Entry& e : found) gaps_.erase(e.seq);
  int64_t seen = after_;
  for (const Entry& e : fresh) {
    for (int64_t missing = seen + 1; missing < e.seq && gaps_.size() < kMaxGaps; ++missing) {
      gaps_.emplace(missing, now);
    }
    seen = e.seq;
  }
  std::erase_if(gaps_, [&](const auto& gap) {
    return now - gap.second > std::chrono::seconds(options_.gap_seconds);
  });
  // Each row once, as the database holds it now.
  std::set<std::tuple<std::string, int64_t, int64_t>> rows, ranges;
  for (const auto* list : {&found, &fresh}) {
    for (const Entry& e : *list) {
      if (e.last > 0) {
        ranges.emplace(e.entity, e.id, e.last);
      } else {
        rows.emplace(e.entity, e.id, e.account);
      }
    }
  }
  if (!rows.empty() || !ranges.empty()) {
    auto in_order = model_.SerializeApply();
    for (const auto& [entity, first, last] : ranges) ORCHARD_CHECK(ApplyRange(entity, first, last));
    for (const auto& [entity, id, account] : rows) ORCHARD_CHECK(Apply(entity, id, account));
    in_order.unlock();
    model_.Applied();
  }
  after_ = seen;
  applied_seq_ = std::max(applied_seq_.load(), seen);
  // Prune by position, not by time: entries this server has seen, far enough behind that any
  // server still running has seen them too (a server that starts loads the book afresh).
  if (now >= next_prune_ && after_ > options_.keep_entries) {
    next_prune_ = now + std::chrono::minutes(10);
    std::vector<store::SqlValue> below;
    below.emplace_back(after_ - options_.keep_entries);
    ORCHARD_CHECK(db_->Exec("DELETE FROM change_log WHERE seq <= ?", below));
  }
  return Ok();
}

Status ChangeFollower::ApplyRange(const std::string& entity, int64_t first, int64_t last) {
  return model_.FollowRange(*db_, entity, first, last);
}

Status ChangeFollower::Apply(const std::string& entity, int64_t id, int64_t account) {
  return model_.Follow(*db_, entity, id, account);
}

}  // namespace orchard::engine
