#include "engine/follower.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/store.h"

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

namespace {

// The row as the database holds it now: upserted into the model, or erased if it is gone. Rows
// other than accounts, lines and plans are first erased from the account logged with the change,
// which is where they were if they moved (accounts and lines track their own moves; erasing a
// plan would drop its parts).
template <class T>
Status Reread(store::Store& store, ReadModel& model, int64_t id, int64_t account) {
  auto row = store.Get<T>(decltype(T::id)(id));
  if (!row && row.error().code != ErrorCode::kNotFound) return std::unexpected(row.error());
  constexpr bool kTracksMoves = std::is_same_v<T, Account> || std::is_same_v<T, ContractLine> ||
                                std::is_same_v<T, AccountPlan>;
  if (!row || (!kTracksMoves && account != 0)) model.EraseRow<T>(id, account);
  if (row) model.Upsert(*row);
  return Ok();
}

}  // namespace

namespace {

// New rows first..last, read with one query and put into the model (a bulk import's batch).
template <class T>
Status ReadRange(store::Database& db, ReadModel& model, int64_t first, int64_t last) {
  static const std::string sql = "SELECT " + store::SelectList<T>() + " FROM " +
                                 std::string(EntitySchema<T>::kTable) +
                                 " WHERE id BETWEEN ? AND ? ORDER BY id";
  store::SqlValue params[] = {first, last};
  std::vector<T> rows;
  ORCHARD_CHECK(db.Query(sql, params, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(T item, store::FromRow<T>(row));
    rows.push_back(std::move(item));
    return Ok();
  }));
  for (const T& row : rows) model.Upsert(row);
  return Ok();
}

}  // namespace

Status ChangeFollower::ApplyRange(const std::string& entity, int64_t first, int64_t last) {
  bool known = false;
  Status done = Ok();
  auto try_entity = [&]<class T>(std::type_identity<T>) {
    if (known || entity != EntitySchema<T>::kTable) return;
    known = true;
    done = ReadRange<T>(*db_, model_, first, last);
  };
  try_entity(std::type_identity<Account>());
  try_entity(std::type_identity<ContractLine>());
  try_entity(std::type_identity<Contact>());
  try_entity(std::type_identity<Opportunity>());
  // Anything else is read row by row, as a single entry would be.
  for (int64_t id = first; !known && done && id <= last; ++id) done = Apply(entity, id, 0);
  return done;
}

Status ChangeFollower::Apply(const std::string& entity, int64_t id, int64_t account) {
  store::Store store(*db_);
  Status done = Ok();
  bool known = false;
  auto try_entity = [&]<class T>(std::type_identity<T>) {
    if (known || entity != EntitySchema<T>::kTable) return;
    known = true;
    done = Reread<T>(store, model_, id, account);
  };
  try_entity(std::type_identity<Account>());
  try_entity(std::type_identity<ContractLine>());
  try_entity(std::type_identity<Contact>());
  try_entity(std::type_identity<Opportunity>());
  try_entity(std::type_identity<Activity>());
  try_entity(std::type_identity<Ticket>());
  try_entity(std::type_identity<NpsResponse>());
  try_entity(std::type_identity<UsageMetric>());
  try_entity(std::type_identity<HealthOverride>());
  try_entity(std::type_identity<AccountPlan>());
  try_entity(std::type_identity<PlanPriority>());
  try_entity(std::type_identity<PlanRisk>());
  try_entity(std::type_identity<WhitespaceCell>());
  try_entity(std::type_identity<PlanAction>());
  if (!known && entity == "activity_contacts") {
    // `id` is the activity: its participants as they are now.
    std::vector<int64_t> people;
    std::vector<store::SqlValue> params;
    params.emplace_back(id);
    ORCHARD_CHECK(db_->Query(
        "SELECT contact_id FROM activity_contacts WHERE activity_id = ? ORDER BY contact_id",
        params, [&](const store::Row& row) -> Status {
          ORCHARD_TRY(int64_t c, row.GetInt(0));
          people.push_back(c);
          return Ok();
        }));
    model_.SetParticipants(id, account, people);
  }
  if (!known && entity == "account_owners") {
    // `id` is the account: its ownership history as it is now.
    ORCHARD_TRY(auto spans, ReadModel::ReadOwnerHistory(*db_, id));
    model_.SetOwnerHistory(id, spans);
  }
  return done;  // an entity the model does not hold (logged by a newer server) is skipped
}

}  // namespace orchard::engine
