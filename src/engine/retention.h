// Retention over a period, exactly as PRODUCT.md (Metrics) defines it. For [t0, t1]: the cohort is
// the accounts with ARR(t0) > 0; per account s = ARR(t0), e = ARR(t1);
//   expansion   = Σ max(0, e − s) over accounts with e > 0
//   contraction = Σ max(0, s − e) over accounts with e > 0
//   churn       = Σ s over accounts with e = 0
//   NRR = Σ e ÷ Σ s,  GRR = Σ min(e, s) ÷ Σ s.
// New logos (ARR(t0) = 0) are not in the cohort. Groups: the account's AM (its owner now), its
// tier at t0 (the rule on ARR(t0), or the override), its segment (the 2×2 quadrant on ARR(t0)),
// its industry or its region.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/figures.h"
#include "engine/read_model.h"

namespace orchard::engine {

// The tier in force for an account whose ARR (on the day in question) is known: its override, or
// the rule. Callers hold the model's read lock.
Tier TierFor(const ReadModel& model, size_t slot, int64_t arr_cents, const TierRules& rules);

// Narrows a question to one AM's book and/or one tier (the tier on the question's day).
struct DashboardFilter {
  std::optional<int64_t> am;  // owner's user id
  std::optional<Tier> tier;
  // A manager's team: the owners' user ids (the manager and their reports), sorted.
  std::optional<std::vector<int64_t>> team;
  std::optional<int64_t> csm;  // the account's CSM's user id

  bool Admits(const ReadModel& model, size_t slot, Tier slot_tier) const {
    return (!am || model.owner_id(slot) == *am) && (!tier || slot_tier == *tier) &&
           (!team || std::binary_search(team->begin(), team->end(), model.owner_id(slot))) &&
           (!csm || model.csm_id(slot) == *csm);
  }
  bool Whole() const { return !am && !tier && !team && !csm; }  // admits every account
};

// By AM: the account's owner at the period's end (kAm) or start (kAmAtStart), from its ownership
// history. By segment: the account's 2×2 quadrant with its ARR at t0 and its potential now.
enum class RetentionGroup { kNone, kAm, kAmAtStart, kTier, kIndustry, kRegion, kSegment };
// "", am, am_at_start, tier, industry, region, segment
Result<RetentionGroup> ParseRetentionGroup(std::string_view text);

struct RetentionRow {
  std::string key;  // the AM's user id, the tier number, the industry or region ("" for none)
  RetentionFigures figures;
};

struct RetentionReport {
  Date from, to;
  RetentionGroup group_by = RetentionGroup::kNone;
  RetentionFigures total;
  std::vector<RetentionRow> rows;  // by key; empty without a group
};

// from ≤ to, else an invalid-value error naming `from`. The filter's tier is the tier at t0.
Result<RetentionReport> Retention(const ReadModel& model, Date from, Date to, RetentionGroup group,
                                  const Settings& settings, const DashboardFilter& filter = {});

// The NRR leaderboard: retention grouped by AM (the owner at the period's end; kNone means kAm)
// or by `group`, best NRR first (ties by user id, else by name), and the accounts of no AM (no
// industry, no region: key "") last, so the rows add up to the book's; fails as Retention does.
Result<std::vector<RetentionRow>> NrrLeaderboard(const ReadModel& model, const Settings& settings,
                                                 Date from, Date to, const DashboardFilter& filter,
                                                 RetentionGroup group = RetentionGroup::kAm);

// A group's name, as RetentionRow::key holds it, from its dense key (the AM's owner index, the
// tier, the quadrant, the industry's or region's word): "" for no AM, industry or region. `id`
// is the AM's user id (0 for none), else the key.
std::string GroupKeyName(const ReadModel& model, RetentionGroup group, size_t key, int64_t& id);
// "am", "tier", …: the grouping's name, as ParseRetentionGroup reads it ("" for none).
std::string_view GroupColumn(RetentionGroup group);

}  // namespace orchard::engine
