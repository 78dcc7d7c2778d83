// The one table of dashboards: each entry names a dashboard, the parameters it takes (documented
// once, in kDashboardParams), a summary, and the function that answers it with a typed result.
// The API's routes and their OpenAPI document, `orchard report` and bench/dashboards all read this
// table, so adding a dashboard is one entry here plus its function (and its JSON form in
// engine/dashboard_json.cc, which the compiler asks for: the result is a variant).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/dashboards.h"
#include "engine/growth.h"
#include "engine/model_scores.h"
#include "engine/read_model.h"
#include "engine/retention.h"

namespace orchard::engine {

// What a dashboard may be asked, typed. A dashboard reads only the parameters its entry names
// (the routes refuse the others); unset ones take the defaults written beside them.
struct DashboardQuery {
  DashboardFilter filter;             // am, team, tier
  std::optional<int> window_days;     // renewals; default: settings' renewal window
  std::optional<Date> from, to;       // to: default today; from: default a year before `to`
  std::optional<Quadrant> quadrant;   // portfolio: only this quadrant's accounts
  std::optional<DashboardSort> sort;  // at risk, renewals; default: urgency
  // NRR leaderboard: its rows (default: am); KPIs: its rows beside the whole (default: none).
  std::optional<RetentionGroup> group_by;
  size_t offset = 0;   // long dashboards: rows skipped
  size_t limit = 100;  // long dashboards: rows answered, 1 to 10,000
  // The models' latest scores (not a parameter: the caller's, scoring/live_scores.h). None: the
  // churn columns are null and the growth dashboard says the book is not scored yet.
  std::shared_ptr<const ModelScores> scores;
};

// A parameter of the dashboards, as the API and `orchard report` name it.
struct DashboardParam {
  std::string_view name;
  std::string_view doc;
};
// Every parameter, in the order a request's are read (the first bad one is the one reported).
inline constexpr std::array<DashboardParam, 12> kDashboardParams = {{
    {"am", "Only this AM's accounts (user id)"},
    {"team", "Only the accounts of this manager's team: the manager and their reports (user id)"},
    {"csm", "Only the accounts this user covers as CSM (user id)"},
    {"tier", "Only this tier (1, 2 or 3)"},
    {"window", "Renewals: days ahead, 1 to 730 (default: settings)"},
    {"limit", "Long dashboards: rows to answer, 1 to 10,000 (default 100)"},
    {"offset", "Long dashboards: rows to skip"},
    {"to", "Last day of the period (default: today)"},
    {"from", "First day of the period (default: a year before `to`)"},
    {"quadrant", "Portfolio: only this quadrant (invest, protect, develop, automate)"},
    {"group_by",
     "NRR leaderboard, KPIs: one row per am (the owner on the period's last day; the "
     "leaderboard's default), tier, segment, industry or region; accounts of none in a row of "
     "their own, last"},
    {"sort",
     "At risk, renewals: urgency (default: ARR x ((100 - health)/100)^2 x a time weight, 1 within "
     "30 days of the renewal, falling to 0.25 at the window's end) or arr (largest first)"},
}};
const DashboardParam* FindDashboardParam(std::string_view name);

// Which rows of how many a long dashboard answered.
struct DashboardPage {
  int64_t total = 0;
  size_t offset = 0;
  size_t limit = 0;
};

// The typed results, one per dashboard.
// The churn model's column of the at-risk and renewals rows: each row's probability by account
// id (none where not scored), and why the column is empty when the model gives no scores.
struct ChurnColumn {
  std::vector<std::optional<double>> probability;  // by row of the page
  std::string reason;                              // "" when the churn model scores
};
struct AtRiskDashboard {
  DashboardPage page;
  DashboardSort sort = DashboardSort::kUrgency;
  int window_days = 0;  // the urgency's window: the settings' renewal window
  AtRiskPage answer;
  ChurnColumn churn;
};
struct RenewalsDashboard {
  DashboardPage page;
  int window_days = 0;
  DashboardSort sort = DashboardSort::kUrgency;
  RenewalsPage answer;
  ChurnColumn churn;
};
struct GrowthDashboard {
  DashboardPage page;
  GrowthPage answer;
};
struct ExpansionDashboard {
  Date from, to;
  Pipeline answer;
};
struct NrrDashboard {
  DashboardPage page;
  Date from, to;
  RetentionGroup group_by = RetentionGroup::kAm;
  std::vector<RetentionRow> items;  // the page asked for; key: the AM's user id, "" for none
};
struct PortfolioDashboard {
  DashboardPage page;
  Portfolio answer;
};
struct CoverageDashboard {
  DashboardPage page;
  std::vector<CoverageRow> items;  // the page asked for
};
struct InspectionDashboard {
  DashboardPage page;
  InspectionQueue answer;
};
struct KpiDashboard {
  Kpis kpis;
  Date from, to;  // the retention's period
  RetentionGroup group_by = RetentionGroup::kNone;
  std::vector<KpiGroupRow> groups;
};
using DashboardBody = std::variant<AtRiskDashboard, RenewalsDashboard, ExpansionDashboard,
                                   NrrDashboard, PortfolioDashboard, CoverageDashboard,
                                   InspectionDashboard, KpiDashboard, GrowthDashboard>;

struct DashboardAnswer {
  std::string_view name;
  Date as_of;
  DashboardBody body;
};

using DashboardFn = Result<DashboardBody> (*)(const ReadModel& model, const Settings& settings,
                                              Date today, const DashboardQuery& query);

struct DashboardEntry {
  std::string_view name;     // the route's last segment and `orchard report`'s argument
  std::string_view summary;  // one line, for the OpenAPI document and `orchard report --help`
  // The parameters it takes, in the order its refusal of another lists them.
  std::vector<std::string_view> params;
  DashboardFn answer;
};

// The table, in the order the API and `orchard report` list the dashboards.
std::span<const DashboardEntry> DashboardTable();
const DashboardEntry* FindDashboard(std::string_view name);

// Refuses the first of `given` (parameter names, in name order) that `entry` does not take,
// naming the ones it does: a filter a dashboard would ignore is an error, not a silent no-op.
Status OnlyDashboardParams(const DashboardEntry& entry, std::vector<std::string_view> given);

// The dashboard `name` on `today`; NotFound, naming the dashboards there are, for another name.
Result<DashboardAnswer> AnswerDashboard(std::string_view name, const ReadModel& model,
                                        const Settings& settings, Date today,
                                        const DashboardQuery& query);

}  // namespace orchard::engine
