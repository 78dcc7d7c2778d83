// The weekly dashboards of PRODUCT.md: accounts at risk, upcoming renewals, the expansion pipeline
// by stage, the NRR leaderboard by AM, the portfolio 2×2, coverage (each AM's book against the tier
// ratios), the inspection queue and the KPI strip. Each is one pass over the model's day columns
// (ReadModel::On), which the services keep current on every write. Tiers are the tier in force
// today: the override, or the rule on ARR today.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "engine/retention.h"

namespace orchard::engine {

// --- urgency: how the at-risk and renewals lists rank by default (docs/DASHBOARDS.md) ----------
// urgency = ARR × ((100 − health) / 100)² × time weight. Squaring the share at risk makes how red
// count: health 25 puts 56% of the ARR at stake, health 85 only 2%, so a red account ranks above
// a green one many times its size. The time weight is 1 for a renewal within 30 days, falls in a
// straight line to 0.25 at the window's last day, and is 0.25 past the window or without a
// renewal. An account without a health score counts as health 50.
enum class DashboardSort { kUrgency, kArr };
// "urgency" or "arr"; another is an error naming the parameter `sort`.
Result<DashboardSort> ParseDashboardSort(std::string_view text);
std::string_view ToString(DashboardSort sort);
// The time weight in basis points (10,000 = 1): days_left nullopt means no renewal.
int UrgencyWeightBp(std::optional<int> days_left, int window_days);
// The urgency in cents of ARR, rounded to the cent.
int64_t UrgencyCents(int64_t arr_cents, int health, std::optional<int> days_left, int window_days);

// --- upcoming renewals: accounts whose next renewal falls in [today, today + window_days] -------
struct Renewal {
  int64_t account_id = 0;
  int64_t owner_id = 0;
  Tier tier = Tier::kVolume;
  int64_t arr_cents = 0;  // today
  Date renewal_date;      // the earliest last day of service among lines active today
  int days_left = 0;
  int health = -1;  // -1: no score
  uint8_t colour = 0;
  bool at_risk = false;                    // yellow or red
  std::optional<int> engaged_days_before;  // when the renewal was first engaged, if it was
  int64_t urgency_cents = 0;               // UrgencyCents over the window
};
struct RenewalsPage {
  int64_t total = 0;  // renewals in the window, in the filter
  int64_t total_arr_cents = 0;
  int64_t at_risk = 0;
  std::vector<Renewal> items;  // the page asked for
};
// Most urgent first (kUrgency; ties: larger ARR) or largest ARR first (kArr); then the sooner
// renewal, then id. Only the page is sorted and detailed.
RenewalsPage RenewalsPaged(const ReadModel& model, const Settings& settings, Date today,
                           int window_days, const DashboardFilter& filter, size_t offset,
                           size_t limit, DashboardSort sort = DashboardSort::kArr);
// Every renewal in the window.
std::vector<Renewal> Renewals(const ReadModel& model, const Settings& settings, Date today,
                              int window_days, const DashboardFilter& filter);

// --- accounts at risk: yellow or red health today -----------------------------------------------
struct AtRisk {
  int64_t account_id = 0;
  int64_t owner_id = 0;
  Tier tier = Tier::kVolume;
  int64_t arr_cents = 0;
  std::optional<Date> renewal_date;
  std::optional<Date> last_meaningful;
  int health = 0;
  uint8_t colour = 0;
  std::vector<std::string> why;  // filled for the page asked for only
  int64_t urgency_cents = 0;     // UrgencyCents over the settings' renewal window
};
struct AtRiskPage {
  int64_t total = 0;            // accounts at risk in the filter
  int64_t total_arr_cents = 0;  // their ARR
  // Most urgent first (kUrgency; ties: larger ARR) or largest ARR first (kArr); then the lower
  // health, then id.
  std::vector<AtRisk> items;
};
AtRiskPage AccountsAtRisk(const ReadModel& model, const Settings& settings, Date today,
                          const DashboardFilter& filter, size_t offset, size_t limit,
                          DashboardSort sort = DashboardSort::kArr);

// --- expansion pipeline: open upsell and cross-sell opportunities by stage
// ------------------------
struct PipelineStage {
  OpportunityStage stage = OpportunityStage::kProspecting;
  int64_t count = 0;
  int64_t amount_cents = 0;
};
struct Pipeline {
  std::vector<PipelineStage> stages;  // every open stage, in funnel order
  int64_t open_count = 0;
  int64_t open_cents = 0;
  // Expansion pipeline created: Σ amount of upsell/cross-sell opportunities created in [from, to].
  int64_t created_count = 0;
  int64_t created_cents = 0;
  int64_t won_cents = 0;  // of those, closed won
};
Pipeline ExpansionPipeline(const ReadModel& model, const Settings& settings, Date today, Date from,
                           Date to, const DashboardFilter& filter);

// --- NRR leaderboard: retention per AM over the period, best NRR first --------------------------
// NrrLeaderboard is in engine/retention.h, beside the retention it groups.

// --- coverage: each AM's book against the tier ratios ------------------------------------------
struct CoverageRow {
  int64_t owner_id = 0;                       // 0: accounts with no AM
  std::array<int64_t, 3> accounts_by_tier{};  // tier 1, 2, 3
  int64_t arr_cents = 0;
  // Σ tier-1 and tier-2 accounts ÷ their target per AM: 1.0 is a full book. Tier 3 counts only
  // in a pooled AM's book, against the pooled capacity (settings.pooled_accounts_per_am).
  double load = 0;
  bool pooled = false;  // at least 90 % of the book is tier 3: an AM of the pooled team
  std::string status;   // "overloaded" (over even every range's top), "under" (below every
                        // range's bottom), "within"; "unassigned" for the no-AM row
};
std::vector<CoverageRow> Coverage(const ReadModel& model, const Settings& settings, Date today,
                                  const DashboardFilter& filter);

// --- portfolio: the 2×2 grid of value and potential ----------------------------------------------
struct PortfolioCell {
  int64_t accounts = 0;
  int64_t arr_cents = 0;
  int64_t whitespace_cents = 0;
};
struct PortfolioPoint {
  int64_t account_id = 0;
  int64_t owner_id = 0;
  int64_t arr_cents = 0;
  int64_t whitespace_cents = 0;
  Quadrant quadrant = Quadrant::kAutomate;
  int health = -1;
};
struct Portfolio {
  std::array<PortfolioCell, 4> cells{};  // by Quadrant
  int64_t total = 0;
  std::vector<PortfolioPoint> items;  // largest ARR first; the page asked for
};
Portfolio PortfolioGrid(const ReadModel& model, const Settings& settings, Date today,
                        const DashboardFilter& filter, std::optional<Quadrant> quadrant,
                        size_t offset, size_t limit);

// --- inspection queue: every tier-1 account with a governance flag, plus a monthly sample
// ---------
struct Inspection {
  int64_t account_id = 0;
  int64_t owner_id = 0;
  Tier tier = Tier::kVolume;
  int64_t arr_cents = 0;
  int health = -1;
  uint8_t colour = 0;
  int completeness = 0;
  std::vector<std::string> flags;  // single_threaded, stale_plan, renewal_not_green,
                                   // no_economic_buyer_engaged, overdue_actions
  bool sampled = false;            // drawn at random, not flagged
};
struct InspectionQueue {
  std::string month;  // YYYY-MM: the sample is the same all month
  int64_t flagged = 0;
  int64_t sampled = 0;
  std::vector<Inspection> items;  // flagged first (largest ARR first), then the sample
};
InspectionQueue InspectionQueueFor(const ReadModel& model, const Settings& settings, Date today,
                                   const DashboardFilter& filter, size_t offset, size_t limit);

// --- the KPI strip (trailing 12 months to today) -----------------------------------------------
struct Kpis {
  RetentionFigures retention;  // NRR, GRR, expansion, churn
  int64_t arr_cents = 0;       // today, of the accounts in the filter
  int64_t accounts = 0;
  double average_depth = 0;  // multithreading depth over the accounts in the filter
  // Plan completeness, averaged over tier-1 and tier-2 accounts (tier 3 needs no plan); none
  // without such accounts.
  std::optional<double> average_completeness;
  int64_t at_risk = 0;                  // yellow or red
  int64_t expansion_created_cents = 0;  // upsell/cross-sell created in the 12 months
  // The response SLA over the tickets opened in the 12 months (engine/sla.h): the whole, by
  // tier (1 and 2; tier 3 is the help desk's) and by AM (the accounts' owners, by user id, 0 for
  // none; only those with a measured ticket).
  SlaTally sla;
  std::array<SlaTally, 2> sla_by_tier;
  std::vector<std::pair<int64_t, SlaTally>> sla_by_am;
};
// The strip over the trailing year to `today` (what the dashboards page shows).
Kpis KpiStrip(const ReadModel& model, const Settings& settings, Date today,
              const DashboardFilter& filter);

// The strip for any period, whole and by group (`orchard report kpis --from --to --group-by`):
// retention over [from, to]; the book's figures (ARR, depth, plan completeness, at risk) as they
// stand on `to`, over the accounts in the book now (it keeps no day an account was added); the
// expansion created and the response SLA over the 12 months to `to` (each account's summary keeps
// those). A group is the AM (the owner on `to`), the tier (the tier at `from` of an account in the
// retention cohort, so its retention is the leaderboard's by tier; on `to` for the others), the
// industry, the region or the segment; key "" for none.
struct KpiGroupRow {
  std::string key;       // as RetentionRow::key: the AM's user id, the tier, the name
  int64_t owner_id = 0;  // grouped by AM: the user id (0: no owner)
  Kpis kpis;             // without the SLA by tier and by AM (the whole strip has those)
};
struct KpiReport {
  Date from, to;
  RetentionGroup group_by = RetentionGroup::kNone;
  Kpis total;
  std::vector<KpiGroupRow> groups;  // largest ARR on `to` first, the "" group last
};
// from ≤ to and to ≤ today, else an invalid-value error naming `from` or `to`.
Result<KpiReport> KpiReportFor(const ReadModel& model, const Settings& settings, Date today,
                               Date from, Date to, const DashboardFilter& filter,
                               RetentionGroup group);

}  // namespace orchard::engine
