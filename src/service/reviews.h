// Reviews and cadence (PRODUCT.md, coverage model): each tier-1 and tier-2 account has internal
// reviews and customer business reviews (QBRs) on its tier's cadence. Orchard schedules them,
// lists what is due and overdue per AM and per team, and records a review held — its action items
// added to the account's plan as actions, the plan marked reviewed, and the next review of its
// kind scheduled — in one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/entities.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "service/book_scope.h"
#include "store/pool.h"

namespace orchard::service {

// Days between reviews of `kind` for a tier; 0: the tier has none (tier 3).
int CadenceDays(const Settings& settings, Tier tier, ReviewKind kind);

struct ScheduleReport {
  int64_t accounts = 0;   // accounts looked at
  int64_t scheduled = 0;  // reviews added
  int64_t cancelled = 0;  // scheduled reviews of accounts whose tier no longer has them
};
// For every account and kind its tier has a cadence for, with no review of that kind scheduled:
// schedules one, due a cadence after the last one held (today, if none was ever held). Scheduled
// reviews of a kind the account's tier no longer has are cancelled. Running it again changes
// nothing. Writes commit in batches, each audited.
Result<ScheduleReport> ScheduleReviews(store::ConnectionPool& pool, const Clock& clock,
                                       engine::ReadModel* model, const Settings& settings,
                                       const Actor& actor);

struct DueReview {
  Review review;
  std::string account_name;
  std::optional<UserId> owner_id;  // the account's AM
  int days_overdue = 0;            // 0: due today or later
};
struct DueCount {
  std::optional<UserId> owner_id;
  int64_t due = 0;      // scheduled up to the window's end, overdue included
  int64_t overdue = 0;  // due before today
};
struct DueReviews {
  std::vector<DueReview> items;  // overdue first (the oldest first), then by due date
  int64_t total = 0;
  std::vector<DueCount> by_am;  // by AM id (none first)
};
struct DueQuery {
  Date today;
  int window_days = 30;           // due up to today + window
  std::optional<UserId> am;       // one AM's accounts
  std::optional<UserId> team_of;  // the accounts of the AMs whose manager this is
  Book book = Book::kAll;         // the actor's own accounts (owned or covered), team, or all
  Actor actor;                    // whose book
  size_t offset = 0, limit = 100;
};
Result<DueReviews> ReviewsDue(store::Database& db, const DueQuery& query);

// An action item agreed in a review: it becomes an open action of the account's plan.
struct ReviewAction {
  std::string description;
  std::optional<UserId> owner_id;  // default: the account's AM
  std::optional<Date> due_on;      // default: 14 days after the review
};
struct HeldReview {
  Date held_on;
  std::string attendees, notes, outcomes;
  std::vector<ReviewAction> actions;
};
struct ReviewRecorded {
  Review review;                    // now held
  AccountPlan plan;                 // the account's plan (made if it had none), reviewed then
  std::vector<PlanAction> actions;  // one plan action per action item, open
  std::optional<Review> next;       // the next review of its kind, on the tier's cadence
  std::optional<Activity> qbr;  // a customer review is a meaningful conversation: a QBR activity
};
// Only a scheduled review can be held, not in the future. One transaction.
Result<ReviewRecorded> RecordReviewHeld(store::ConnectionPool& pool, const Clock& clock,
                                        engine::ReadModel* model, const Settings& settings,
                                        const Actor& actor, ReviewId id, const HeldReview& held);

}  // namespace orchard::service
