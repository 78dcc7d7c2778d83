#include "service/reviews.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "domain/tiers.h"
#include "service/account_service.h"
#include "service/entity_service.h"
#include "service/rows.h"
#include "service/unit_of_work.h"

namespace orchard::service {

namespace {

using Key = std::pair<int64_t, ReviewKind>;  // account, kind

Result<ReviewKind> KindAt(const store::Row& row, int i) {
  return ParseEnum<ReviewKind>(row.GetText(i));
}

Tier TierToday(const Account& a, const std::unordered_map<int64_t, Money>& arr,
               const Settings& settings) {
  auto found = arr.find(a.id.value);
  return DecideTier(a, found == arr.end() ? Money() : found->second, settings.tiers).effective;
}

}  // namespace

int CadenceDays(const Settings& settings, Tier tier, ReviewKind kind) {
  const TierCoverage& c = settings.coverage[static_cast<size_t>(tier)];
  return kind == ReviewKind::kInternal ? c.internal_review_days : c.customer_review_days;
}

Result<ScheduleReport> ScheduleReviews(store::ConnectionPool& pool, const Clock& clock,
                                       engine::ReadModel* model, const Settings& settings,
                                       const Actor& actor) {
  const Date today = clock.Today();
  ScheduleReport report;
  std::vector<Account> accounts;
  std::unordered_map<int64_t, Money> arr;
  std::map<Key, std::vector<int64_t>> scheduled;  // the scheduled reviews' ids
  std::map<Key, Date> last_held;
  {
    ORCHARD_TRY(auto db, pool.Acquire());
    store::Store store(*db);
    ORCHARD_TRY(accounts, RowsOf<Account>(store, {}));
    ORCHARD_TRY(arr, ArrToday(*db, today));
    ORCHARD_CHECK(db->Query("SELECT id, account_id, kind FROM reviews WHERE status = 'scheduled'",
                            {}, [&](const store::Row& row) -> Status {
                              ORCHARD_TRY(int64_t id, row.GetInt(0));
                              ORCHARD_TRY(int64_t account, row.GetInt(1));
                              ORCHARD_TRY(ReviewKind kind, KindAt(row, 2));
                              scheduled[{account, kind}].push_back(id);
                              return Ok();
                            }));
    ORCHARD_CHECK(db->Query(
        "SELECT account_id, kind, MAX(held_on) FROM reviews WHERE status = 'held' AND held_on IS "
        "NOT NULL GROUP BY account_id, kind",
        {}, [&](const store::Row& row) -> Status {
          ORCHARD_TRY(int64_t account, row.GetInt(0));
          ORCHARD_TRY(ReviewKind kind, KindAt(row, 1));
          ORCHARD_TRY(Date held, store::Codec<Date>::FromSql(row, 2));
          last_held[{account, kind}] = held;
          return Ok();
        }));
  }
  EntityService<Review> reviews(pool, clock, model);
  // Writes commit in batches: a unit is begun on the first write after a commit, and committed
  // after its kBatch-th write and at the end.
  constexpr int kBatch = 500;
  std::optional<UnitOfWork> work;
  int in_batch = 0;
  auto unit = [&]() -> Result<UnitOfWork*> {
    if (!work) {
      ORCHARD_TRY(auto begun, UnitOfWork::Begin(pool, model));
      work.emplace(std::move(begun));
    }
    return &*work;
  };
  auto wrote = [&]() -> Status {
    if (++in_batch < kBatch) return Ok();
    in_batch = 0;
    Status committed = work->Commit();
    work.reset();
    return committed;
  };
  for (const Account& a : accounts) {
    ++report.accounts;
    const Tier tier = TierToday(a, arr, settings);
    for (ReviewKind kind : {ReviewKind::kInternal, ReviewKind::kCustomer}) {
      const int cadence = CadenceDays(settings, tier, kind);
      auto pending = scheduled.find({a.id.value, kind});
      if (cadence == 0) {
        if (pending == scheduled.end()) continue;
        for (int64_t id : pending->second) {
          ORCHARD_TRY(UnitOfWork * w, unit());
          ORCHARD_CHECK(reviews.UpdateIn(*w, actor, ReviewId(id), 0, [](Review& r) -> Status {
            r.status = ReviewStatus::kCancelled;
            return Ok();
          }));
          ++report.cancelled;
          ORCHARD_CHECK(wrote());
        }
        continue;
      }
      if (pending != scheduled.end()) continue;
      auto held = last_held.find({a.id.value, kind});
      Review r;
      r.account_id = a.id;
      r.kind = kind;
      r.status = ReviewStatus::kScheduled;
      r.due_on = held == last_held.end() ? today : held->second.AddDays(cadence);
      ORCHARD_TRY(UnitOfWork * w, unit());
      ORCHARD_CHECK(reviews.CreateIn(*w, actor, std::move(r)));
      ++report.scheduled;
      ORCHARD_CHECK(wrote());
    }
  }
  if (work) {
    ORCHARD_CHECK(work->Commit());
  }
  return report;
}

Result<DueReviews> ReviewsDue(store::Database& db, const DueQuery& q) {
  DueReviews out;
  const std::string today = q.today.ToString();
  const std::string last = q.today.AddDays(q.window_days).ToString();
  std::string where =
      " FROM reviews r JOIN accounts a ON a.id = r.account_id WHERE r.status = "
      "'scheduled' AND r.due_on <= ?";
  std::vector<store::SqlValue> params = {last};
  if (q.am) {
    where += " AND a.owner_id = ?";
    params.emplace_back(q.am->value);
  }
  if (q.team_of) {
    where += " AND a.owner_id IN (SELECT id FROM users WHERE manager_id = ?)";
    params.emplace_back(q.team_of->value);
  }
  // Narrowed to the book before counting and paging: an AM's overdue review is on their first
  // page however far down the whole book's list it would be.
  where += BookClause(q.book, q.actor, "a", params);
  std::vector<store::SqlValue> counted = {today};
  counted.insert(counted.end(), params.begin(), params.end());
  ORCHARD_CHECK(
      db.Query("SELECT a.owner_id, COUNT(*), SUM(CASE WHEN r.due_on < ? THEN 1 ELSE 0 END)" +
                   where + " GROUP BY a.owner_id ORDER BY a.owner_id",
               counted, [&](const store::Row& row) -> Status {
                 DueCount c;
                 ORCHARD_TRY(c.owner_id, store::Codec<std::optional<UserId>>::FromSql(row, 0));
                 ORCHARD_TRY(c.due, row.GetInt(1));
                 ORCHARD_TRY(c.overdue, row.GetInt(2));
                 out.total += c.due;
                 out.by_am.push_back(c);
                 return Ok();
               }));
  std::sort(out.by_am.begin(), out.by_am.end(), [](const DueCount& a, const DueCount& b) {
    return a.owner_id.value_or(UserId(0)) < b.owner_id.value_or(UserId(0));
  });
  params.emplace_back(static_cast<int64_t>(q.limit));
  params.emplace_back(static_cast<int64_t>(q.offset));
  std::vector<std::pair<int64_t, DueReview>> rows;
  ORCHARD_CHECK(db.Query(
      "SELECT r.id, a.name, a.owner_id" + where + " ORDER BY r.due_on, r.id LIMIT ? OFFSET ?",
      params, [&](const store::Row& row) -> Status {
        DueReview d;
        ORCHARD_TRY(int64_t id, row.GetInt(0));
        d.account_name = std::string(row.GetText(1));
        ORCHARD_TRY(d.owner_id, store::Codec<std::optional<UserId>>::FromSql(row, 2));
        rows.emplace_back(id, std::move(d));
        return Ok();
      }));
  store::Store store(db);
  for (auto& [id, d] : rows) {
    ORCHARD_TRY(d.review, store.Get<Review>(ReviewId(id)));
    d.days_overdue = std::max(0, q.today.days() - d.review.due_on.days());
    out.items.push_back(std::move(d));
  }
  return out;
}

Result<ReviewRecorded> RecordReviewHeld(store::ConnectionPool& pool, const Clock& clock,
                                        engine::ReadModel* model, const Settings& settings,
                                        const Actor& actor, ReviewId id, const HeldReview& held) {
  const Date today = clock.Today();
  if (held.held_on > today) return FailValue("held_on", "a review cannot be held in the future");
  ORCHARD_TRY(auto work, UnitOfWork::Begin(pool, model));
  store::Store& store = work.store();
  ORCHARD_TRY(Review current, store.Get<Review>(id));
  if (current.status != ReviewStatus::kScheduled) {
    return Fail(ErrorCode::kConflict, "review " + std::to_string(id.value) + " is " +
                                          std::string(ToString(current.status)) +
                                          ": only a scheduled review can be held");
  }
  for (size_t i = 0; i < held.actions.size(); ++i) {
    if (held.actions[i].description.empty()) {
      return FailValue("actions[" + std::to_string(i) + "].description", "must not be empty");
    }
  }
  ORCHARD_TRY(Account account, store.Get<Account>(current.account_id));
  ReviewRecorded out;
  ORCHARD_TRY(out.review, EntityService<Review>(pool, clock, model)
                              .UpdateIn(work, actor, id, 0, [&](Review& r) -> Status {
                                r.status = ReviewStatus::kHeld;
                                r.held_on = held.held_on;
                                r.attendees = held.attendees;
                                r.notes = held.notes;
                                r.outcomes = held.outcomes;
                                return Ok();
                              }));
  // The review is a review of the account's plan: its action items join the plan's actions (made
  // a plan if the account has none), and the plan counts as reviewed on the day it was held.
  store::SqlValue account_param[] = {account.id.value};
  ORCHARD_TRY(auto plan_id,
              work.db().QueryInt("SELECT id FROM account_plans WHERE account_id = ? ORDER BY id "
                                 "LIMIT 1",
                                 account_param));
  EntityService<AccountPlan> plans(pool, clock, model);
  if (!plan_id) {
    AccountPlan fresh;
    fresh.account_id = account.id;
    ORCHARD_TRY(AccountPlan made, plans.CreateIn(work, actor, std::move(fresh)));
    plan_id = made.id.value;
  }
  EntityService<PlanAction> plan_actions(pool, clock, model);
  for (size_t i = 0; i < held.actions.size(); ++i) {
    const ReviewAction& a = held.actions[i];
    PlanAction action;
    action.plan_id = PlanId(*plan_id);
    action.description = a.description;
    action.owner_id = a.owner_id ? a.owner_id : account.owner_id;
    action.due_on = a.due_on.value_or(held.held_on.AddDays(14));
    action.status = ActionStatus::kOpen;
    auto made = plan_actions.CreateIn(work, actor, std::move(action));
    if (!made) {
      Error e = made.error();
      for (auto& f : e.fields) f.field = "actions[" + std::to_string(i) + "]." + f.field;
      return std::unexpected(std::move(e));
    }
    out.actions.push_back(std::move(*made));
  }
  const Timestamp reviewed = held.held_on == today ? clock.Now() : Timestamp::At(held.held_on, 12);
  // The plan as the actions just left it (each touched it), in this transaction.
  ORCHARD_TRY(AccountPlan plan_now, store.Get<AccountPlan>(PlanId(*plan_id)));
  ORCHARD_TRY(
      out.plan,
      plans.UpdateIn(work, actor, plan_now.id, plan_now.version, [&](AccountPlan& p) -> Status {
        if (!p.last_reviewed_at || *p.last_reviewed_at < reviewed) {
          p.last_reviewed_at = reviewed;
        }
        return Ok();
      }));
  if (current.kind == ReviewKind::kCustomer) {
    Activity qbr;
    qbr.account_id = account.id;
    qbr.kind = ActivityKind::kQbr;
    qbr.meaningful = true;
    qbr.occurred_at = Timestamp::At(held.held_on, 12);
    qbr.user_id = actor.user;
    qbr.subject = "Business review held";
    qbr.body = held.outcomes.empty() ? held.notes : held.outcomes;
    ORCHARD_TRY(out.qbr, EntityService<Activity>(pool, clock, model).CreateIn(work, actor, qbr));
  }
  // The next of its kind, unless one is already scheduled.
  store::SqlValue params[] = {account.id.value, std::string(ToString(current.kind)), id.value};
  ORCHARD_TRY(auto other, work.db().QueryInt("SELECT id FROM reviews WHERE account_id = ? AND kind "
                                             "= ? AND status = 'scheduled' AND id <> ? LIMIT 1",
                                             params));
  ORCHARD_TRY(auto arr, ArrToday(work.db(), today, std::span<const Account>(&account, 1)));
  const int cadence = CadenceDays(settings, TierToday(account, arr, settings), current.kind);
  if (!other && cadence > 0) {
    Review next;
    next.account_id = account.id;
    next.kind = current.kind;
    next.status = ReviewStatus::kScheduled;
    next.due_on = held.held_on.AddDays(cadence);
    ORCHARD_TRY(out.next, EntityService<Review>(pool, clock, model).CreateIn(work, actor, next));
  }
  ORCHARD_CHECK(work.Commit());
  return out;
}

}  // namespace orchard::service
