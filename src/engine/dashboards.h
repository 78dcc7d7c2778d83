// The weekly dashboards of PRODUCT.md that the read model can answer so far: upcoming renewals,
// the NRR leaderboard by AM, coverage (each AM's book against the tier ratios) and the KPI strip.
// Each is one pass over the model's columns. Tiers are the tier in force today: the override, or
// the rule on ARR today.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "engine/retention.h"

namespace orchard::engine {

// --- upcoming renewals: accounts whose next renewal falls in [today, today + window_days] -------
struct Renewal {
  int64_t account_id = 0;
  int64_t owner_id = 0;
  Tier tier = Tier::kVolume;
  int64_t arr_cents = 0;  // today
  Date renewal_date;      // the earliest last day of service among lines active today
  int days_left = 0;
};
// Largest ARR first (ties: sooner renewal, then id).
std::vector<Renewal> Renewals(const ReadModel& model, const Settings& settings, Date today,
                              int window_days, const DashboardFilter& filter);

// --- NRR leaderboard: retention per AM over the period, best NRR first --------------------------
// Retention grouped by AM, without the accounts that have none; fails as Retention does.
Result<std::vector<RetentionRow>> NrrLeaderboard(const ReadModel& model, const Settings& settings,
                                                 Date from, Date to, const DashboardFilter& filter);

// --- coverage: each AM's book against the tier ratios ------------------------------------------
struct CoverageRow {
  int64_t owner_id = 0;                       // 0: accounts with no AM
  std::array<int64_t, 3> accounts_by_tier{};  // tier 1, 2, 3
  int64_t arr_cents = 0;
  // Σ tier-1 and tier-2 accounts ÷ their target per AM: 1.0 is a full book. Tier 3 is pooled.
  double load = 0;
  std::string status;  // "overloaded" (over even every range's top), "under" (below every
                       // range's bottom), "within"; "unassigned" for the no-AM row
};
std::vector<CoverageRow> Coverage(const ReadModel& model, const Settings& settings, Date today,
                                  const DashboardFilter& filter);

// --- the KPI strip (trailing 12 months to today) -----------------------------------------------
struct Kpis {
  RetentionFigures retention;  // NRR, GRR, expansion, churn
  int64_t arr_cents = 0;       // today, of the accounts in the filter
  int64_t accounts = 0;
};
Kpis KpiStrip(const ReadModel& model, const Settings& settings, Date today,
              const DashboardFilter& filter);

}  // namespace orchard::engine
