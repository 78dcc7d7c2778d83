#include "engine/dashboard_table.h"

#include <algorithm>
#include <string>

namespace orchard::engine {

namespace {

DashboardPage PageOf(const DashboardQuery& q, int64_t total) { return {total, q.offset, q.limit}; }

// The period of the dashboards that take one: [from, to], the trailing year by default.
struct Period {
  Date from, to;
};
Period PeriodOf(const DashboardQuery& q, Date today) {
  Date to = q.to.value_or(today);
  return {q.from.value_or(to.AddYears(-1)), to};
}

// The rows [offset, offset + limit) of a whole answer.
template <class T>
std::vector<T> Slice(std::vector<T> rows, const DashboardQuery& q) {
  const size_t begin = std::min(q.offset, rows.size());
  const size_t end = std::min(rows.size(), begin + q.limit);
  return std::vector<T>(std::make_move_iterator(rows.begin() + static_cast<ptrdiff_t>(begin)),
                        std::make_move_iterator(rows.begin() + static_cast<ptrdiff_t>(end)));
}

// The churn probability of each account of a page, from the scores by slot.
template <class Row>
ChurnColumn ChurnOf(const ReadModel& model, const DashboardQuery& q, const std::vector<Row>& rows) {
  ChurnColumn column;
  column.probability.resize(rows.size());
  if (!q.scores) {
    column.reason = "the models have not scored the book yet";
    return column;
  }
  column.reason = q.scores->churn_reason;
  auto lock = model.ReadLock();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto slot = model.SlotOf(rows[i].account_id))
      column.probability[i] = q.scores->Churn(*slot);
  }
  return column;
}

Result<DashboardBody> AtRiskAnswer(const ReadModel& model, const Settings& settings, Date today,
                                   const DashboardQuery& q) {
  const DashboardSort sort = q.sort.value_or(DashboardSort::kUrgency);
  auto answer = AccountsAtRisk(model, settings, today, q.filter, q.offset, q.limit, sort);
  ChurnColumn churn = ChurnOf(model, q, answer.items);
  return AtRiskDashboard{PageOf(q, answer.total), sort, settings.renewal_window_days,
                         std::move(answer), std::move(churn)};
}

Result<DashboardBody> RenewalsAnswer(const ReadModel& model, const Settings& settings, Date today,
                                     const DashboardQuery& q) {
  const int days = q.window_days.value_or(settings.renewal_window_days);
  const DashboardSort sort = q.sort.value_or(DashboardSort::kUrgency);
  auto answer = RenewalsPaged(model, settings, today, days, q.filter, q.offset, q.limit, sort);
  ChurnColumn churn = ChurnOf(model, q, answer.items);
  return RenewalsDashboard{PageOf(q, answer.total), days, sort, std::move(answer),
                           std::move(churn)};
}

Result<DashboardBody> ExpansionAnswer(const ReadModel& model, const Settings& settings, Date today,
                                      const DashboardQuery& q) {
  const Period p = PeriodOf(q, today);
  if (p.to < p.from) return FailValue("from", "must not be after `to`");
  return ExpansionDashboard{p.from, p.to,
                            ExpansionPipeline(model, settings, today, p.from, p.to, q.filter)};
}

Result<DashboardBody> NrrAnswer(const ReadModel& model, const Settings& settings, Date today,
                                const DashboardQuery& q) {
  const Period p = PeriodOf(q, today);
  const RetentionGroup group = q.group_by.value_or(RetentionGroup::kAm);
  if (group == RetentionGroup::kNone) {
    return FailField("group_by",
                     "the leaderboard needs a grouping: am, tier, segment, industry "
                     "or region");
  }
  ORCHARD_TRY(auto board, NrrLeaderboard(model, settings, p.from, p.to, q.filter, group));
  const auto total = static_cast<int64_t>(board.size());
  return NrrDashboard{PageOf(q, total), p.from, p.to, group, Slice(std::move(board), q)};
}

Result<DashboardBody> PortfolioAnswer(const ReadModel& model, const Settings& settings, Date today,
                                      const DashboardQuery& q) {
  auto answer = PortfolioGrid(model, settings, today, q.filter, q.quadrant, q.offset, q.limit);
  return PortfolioDashboard{PageOf(q, answer.total), std::move(answer)};
}

Result<DashboardBody> CoverageAnswer(const ReadModel& model, const Settings& settings, Date today,
                                     const DashboardQuery& q) {
  auto rows = Coverage(model, settings, today, q.filter);
  const auto total = static_cast<int64_t>(rows.size());
  return CoverageDashboard{PageOf(q, total), Slice(std::move(rows), q)};
}

Result<DashboardBody> InspectionAnswer(const ReadModel& model, const Settings& settings, Date today,
                                       const DashboardQuery& q) {
  auto answer = InspectionQueueFor(model, settings, today, q.filter, q.offset, q.limit);
  return InspectionDashboard{PageOf(q, answer.flagged + answer.sampled), std::move(answer)};
}

Result<DashboardBody> GrowthAnswer(const ReadModel& model, const Settings& settings, Date today,
                                   const DashboardQuery& q) {
  auto answer = GrowthPaged(model, settings, today, q.scores.get(), q.filter, q.offset, q.limit);
  return GrowthDashboard{PageOf(q, answer.total), std::move(answer)};
}

Result<DashboardBody> KpiAnswer(const ReadModel& model, const Settings& settings, Date today,
                                const DashboardQuery& q) {
  const Period p = PeriodOf(q, today);
  ORCHARD_TRY(KpiReport report, KpiReportFor(model, settings, today, p.from, p.to, q.filter,
                                             q.group_by.value_or(RetentionGroup::kNone)));
  return KpiDashboard{std::move(report.total), p.from, p.to, report.group_by,
                      std::move(report.groups)};
}

}  // namespace

const DashboardParam* FindDashboardParam(std::string_view name) {
  for (const auto& p : kDashboardParams) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::span<const DashboardEntry> DashboardTable() {
  // Built once, read only: the table is constant data, not state.
  static const std::vector<DashboardEntry> kTable = {
      {"at-risk",
       "Accounts at risk: yellow or red health today, most urgent first (or largest ARR), with why",
       {"am", "team", "csm", "tier", "sort", "limit", "offset"},
       AtRiskAnswer},
      {"renewals",
       "Upcoming renewals within the window, most urgent first (or largest ARR), with their health",
       {"am", "team", "csm", "tier", "window", "sort", "limit", "offset"},
       RenewalsAnswer},
      {"expansion-pipeline",
       "Open upsell and cross-sell opportunities by stage, and those created in the period",
       {"am", "team", "csm", "tier", "from", "to"},
       ExpansionAnswer},
      {"nrr-leaderboard",
       "Retention per AM (or tier, segment, industry, region) over the period (default: the "
       "trailing 12 months), best NRR first; accounts of no AM last",
       {"am", "team", "csm", "tier", "from", "to", "group_by", "limit", "offset"},
       NrrAnswer},
      {"portfolio",
       "The 2×2 grid of value and potential, and its accounts, largest ARR first",
       {"am", "team", "csm", "tier", "quadrant", "limit", "offset"},
       PortfolioAnswer},
      {"coverage",
       "Each AM's book against the tier ratios",
       {"am", "team", "csm", "tier", "limit", "offset"},
       CoverageAnswer},
      {"inspection",
       "Every tier-1 account with a governance flag, then the month's random sample",
       {"am", "team", "csm", "tier", "limit", "offset"},
       InspectionAnswer},
      {"kpis",
       "The KPI strip: retention over the period (default: the trailing 12 months), the book on "
       "its "
       "last day, the expansion created and the response SLA over the 12 months to it; by group "
       "with group_by",
       {"am", "team", "csm", "tier", "from", "to", "group_by"},
       KpiAnswer},
      {"growth",
       "The biggest growth opportunities: accounts by expected expansion (the upsell model's "
       "probability x open whitespace), largest first",
       {"am", "team", "csm", "tier", "limit", "offset"},
       GrowthAnswer},
  };
  return kTable;
}

const DashboardEntry* FindDashboard(std::string_view name) {
  for (const auto& entry : DashboardTable()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

Status OnlyDashboardParams(const DashboardEntry& entry, std::vector<std::string_view> given) {
  std::sort(given.begin(), given.end());
  for (std::string_view name : given) {
    if (std::find(entry.params.begin(), entry.params.end(), name) != entry.params.end()) continue;
    std::string list;
    for (auto n : entry.params) list += (list.empty() ? "" : ", ") + std::string(n);
    return FailField(std::string(name),
                     "unknown parameter; " + std::string(entry.name) + " takes " + list);
  }
  return Ok();
}

Result<DashboardAnswer> AnswerDashboard(std::string_view name, const ReadModel& model,
                                        const Settings& settings, Date today,
                                        const DashboardQuery& query) {
  const DashboardEntry* entry = FindDashboard(name);
  if (entry == nullptr) {
    std::string list;
    for (const auto& e : DashboardTable()) list += (list.empty() ? "" : ", ") + std::string(e.name);
    return Fail(ErrorCode::kNotFound,
                "no dashboard \"" + std::string(name) + "\"; there are " + list);
  }
  ORCHARD_TRY(auto body, entry->answer(model, settings, today, query));
  return DashboardAnswer{entry->name, today, std::move(body)};
}

}  // namespace orchard::engine
