// A plan's version history (PRODUCT.md, the account plan; issue 5). Every write to a plan or to one
// of its parts adds, in the same transaction, a plan_versions row — who, when, what changed in a
// line, and a snapshot of the whole plan — and a part's write marks the plan changed (its
// freshness counts from there). Any two versions read as a diff.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/entities.h"
#include "service/actor.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

// The plan as stored now: {"plan":{…},"priorities":[…],"risks":[…],"whitespace_cells":[…],
// "actions":[…]}, each part in id order.
Result<boost::json::object> PlanSnapshot(store::Store& store, PlanId plan);

// Adds the plan's next version, described by `summary`, in the caller's transaction, and returns
// it as stored. The read model holds versions (what the models read of a plan on a past day): the
// caller logs it after the plan (LogPlanVersion) and applies it after the plan.
Result<PlanVersion> RecordPlanVersion(store::Store& store, const Actor& actor, PlanId plan,
                                      Timestamp at, const std::string& summary);
// Records the version in the change log under the plan's account — the plan first, so that a
// follower that has not seen the plan yet holds it before the version arrives.
Status LogPlanVersion(store::Database& db, const PlanVersion& version, int64_t account,
                      Timestamp at);

// After a write to one of the plan's parts: the plan's updated_at (and updated_by) move to `at`
// and a version is recorded. Returns the plan as it now is and the version, for the read model.
struct TouchedPlan {
  AccountPlan plan;
  PlanVersion version;
};
Result<TouchedPlan> TouchPlan(store::Store& store, const Actor& actor, PlanId plan, Timestamp at,
                              const std::string& summary);

// One line for a version: "added risk 12", "changed risk 12: severity, mitigation", "removed
// action 9", from the row's JSON before and after (none: added / removed).
std::string DescribeChange(std::string_view what, int64_t id,
                           const std::optional<std::string>& before,
                           const std::optional<std::string>& after);

// What changed from one snapshot to another: {"plan":{"field":{"from":…,"to":…}},
// "priorities":{"added":[rows],"removed":[rows],"changed":[{"id":…,"fields":{…}}]}, …,
// "incomplete":[parts one of the two kept only as counts, so not compared]}.
boost::json::object DiffSnapshots(const boost::json::object& from, const boost::json::object& to);

// Versions `from` to `to` of a plan (oldest first) and what changed between the two.
struct PlanDiff {
  std::vector<PlanVersion> versions;
  boost::json::object changes;  // DiffSnapshots
};
// `to` defaults to the latest version, `from` to the one before `to`; a version the plan does not
// have is refused naming from or to, with the versions it has.
Result<PlanDiff> DiffPlan(store::ConnectionPool& pool, PlanId plan, std::optional<int64_t> from,
                          std::optional<int64_t> to);

}  // namespace orchard::service
