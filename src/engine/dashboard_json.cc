#include "engine/dashboard_json.h"

#include <boost/json.hpp>

#include <cmath>
#include <string>

#include "engine/health.h"

namespace orchard::engine {

namespace {

boost::json::value Ratio(std::optional<int64_t> bp) {
  if (!bp) return nullptr;
  return static_cast<double>(*bp) / 10000.0;
}

boost::json::value Id(int64_t id) { return id == 0 ? boost::json::value(nullptr) : id; }

boost::json::value DayJson(const std::optional<Date>& day) {
  if (!day) return nullptr;
  return boost::json::value(day->ToString());
}

boost::json::value HealthJson(int health) {
  if (health < 0) return nullptr;
  return health;
}

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

// The columns every account row of a dashboard starts with.
// A group's name: null for the accounts of none (no owner, no industry, no region).
boost::json::value GroupJson(const std::string& key) {
  if (key.empty()) return nullptr;
  return boost::json::value(key);
}

boost::json::object AccountRow(int64_t account_id, int64_t owner_id, Tier tier, int64_t arr_cents,
                               int health, uint8_t colour) {
  return {{"account_id", account_id},     {"owner_id", Id(owner_id)},
          {"tier", ToString(tier)},       {"arr_cents", arr_cents},
          {"health", HealthJson(health)}, {"colour", ColourName(colour)}};
}

// Names each row's account ("account_name", from its "account_id") under one read lock, so a
// dashboard's page is one request: the client looks no account up. An account erased since the
// dashboard was computed is named null.
void NameAccounts(const ReadModel& model, boost::json::array& items) {
  auto lock = model.ReadLock();
  for (auto& item : items) {
    auto& row = item.as_object();
    auto slot = model.SlotOf(row.at("account_id").as_int64());
    if (slot && model.live(*slot)) {
      row["account_name"] = model.name(*slot);
    } else {
      row["account_name"] = nullptr;
    }
  }
}

boost::json::value Probability(std::optional<double> p) {
  if (!p) return nullptr;
  return std::round(*p * 10000) / 10000;
}

// The churn column's reason for being empty, beside the rows ("" when the model scores: null).
void PutChurnReason(boost::json::object& out, const ChurnColumn& churn) {
  out["churn_reason"] =
      churn.reason.empty() ? boost::json::value(nullptr) : boost::json::value(churn.reason);
}

void PutPage(boost::json::object& out, const DashboardPage& page) {
  out["total"] = page.total;
  out["offset"] = static_cast<int64_t>(page.offset);
  out["limit"] = static_cast<int64_t>(page.limit);
}

// The response SLA's attainment: met ÷ (met + missed) in percent, none when nothing was measured.
boost::json::value SlaAttainment(const SlaTally& t) {
  return t.measured() == 0 ? boost::json::value(nullptr)
                           : boost::json::value(std::round(Attainment(t) * 10) / 10);
}

// The KPI strip's figures (the whole's or a group's), as the strip's one row.
boost::json::object KpiJson(const Kpis& k) {
  boost::json::object o = RetentionFiguresJson(k.retention);
  o["book_accounts"] = k.accounts;  // "accounts" is the retention cohort
  o["book_arr_cents"] = k.arr_cents;
  o["average_multithreading_depth"] = std::round(k.average_depth * 100) / 100;
  o["average_plan_completeness"] =
      k.average_completeness ? boost::json::value(std::round(*k.average_completeness * 10) / 10)
                             : boost::json::value(nullptr);
  o["accounts_at_risk"] = k.at_risk;
  o["expansion_pipeline_created_cents"] = k.expansion_created_cents;
  o["response_sla_met"] = k.sla.met;
  o["response_sla_missed"] = k.sla.missed;
  o["response_sla_attainment"] = SlaAttainment(k.sla);
  return o;
}

// One overload per dashboard's result: each adds its fields to `out` after "dashboard" and
// "as_of", in the order the API has always written them.
struct Render {
  const ReadModel& model;
  boost::json::object& out;

  void operator()(const AtRiskDashboard& d) const {
    boost::json::array items;
    for (size_t i = 0; i < d.answer.items.size(); ++i) {
      const AtRisk& r = d.answer.items[i];
      auto row = AccountRow(r.account_id, r.owner_id, r.tier, r.arr_cents, r.health, r.colour);
      row["renewal_date"] = DayJson(r.renewal_date);
      row["last_meaningful_contact"] = DayJson(r.last_meaningful);
      row["why"] = Strings(r.why);
      row["urgency_cents"] = r.urgency_cents;
      row["churn_probability"] = Probability(d.churn.probability[i]);
      items.push_back(std::move(row));
    }
    out["sort"] = std::string(ToString(d.sort));
    out["window_days"] = d.window_days;
    PutPage(out, d.page);
    out["total_arr_cents"] = d.answer.total_arr_cents;
    PutChurnReason(out, d.churn);
    NameAccounts(model, items);
    out["items"] = std::move(items);
  }

  void operator()(const RenewalsDashboard& d) const {
    boost::json::array items;
    for (size_t i = 0; i < d.answer.items.size(); ++i) {
      const Renewal& r = d.answer.items[i];
      auto row = AccountRow(r.account_id, r.owner_id, r.tier, r.arr_cents, r.health, r.colour);
      row["renewal_date"] = r.renewal_date.ToString();
      row["days_left"] = r.days_left;
      row["at_risk"] = r.at_risk;
      row["engaged_days_before"] = r.engaged_days_before
                                       ? boost::json::value(*r.engaged_days_before)
                                       : boost::json::value(nullptr);
      row["urgency_cents"] = r.urgency_cents;
      row["churn_probability"] = Probability(d.churn.probability[i]);
      items.push_back(std::move(row));
    }
    out["window_days"] = d.window_days;
    out["sort"] = std::string(ToString(d.sort));
    PutPage(out, d.page);
    out["total_arr_cents"] = d.answer.total_arr_cents;
    out["at_risk"] = d.answer.at_risk;
    PutChurnReason(out, d.churn);
    NameAccounts(model, items);
    out["items"] = std::move(items);
  }

  void operator()(const ExpansionDashboard& d) const {
    const Pipeline& p = d.answer;
    boost::json::array items;
    for (const auto& st : p.stages) {
      items.push_back(
          {{"stage", ToString(st.stage)}, {"count", st.count}, {"amount_cents", st.amount_cents}});
    }
    out["from"] = d.from.ToString();
    out["to"] = d.to.ToString();
    out["open_count"] = p.open_count;
    out["open_cents"] = p.open_cents;
    out["created_count"] = p.created_count;
    out["created_cents"] = p.created_cents;
    out["created_won_cents"] = p.won_cents;
    out["items"] = std::move(items);
  }

  void operator()(const PortfolioDashboard& d) const {
    const Portfolio& p = d.answer;
    boost::json::object grid;
    for (size_t q = 0; q < p.cells.size(); ++q) {
      grid[ToString(static_cast<Quadrant>(q))] = {
          {"accounts", p.cells[q].accounts},
          {"arr_cents", p.cells[q].arr_cents},
          {"whitespace_cents", p.cells[q].whitespace_cents}};
    }
    boost::json::array items;
    for (const auto& pt : p.items) {
      items.push_back({{"account_id", pt.account_id},
                       {"owner_id", Id(pt.owner_id)},
                       {"quadrant", ToString(pt.quadrant)},
                       {"arr_cents", pt.arr_cents},
                       {"whitespace_cents", pt.whitespace_cents},
                       {"health", HealthJson(pt.health)}});
    }
    out["grid"] = std::move(grid);
    PutPage(out, d.page);
    NameAccounts(model, items);
    out["items"] = std::move(items);
  }

  void operator()(const InspectionDashboard& d) const {
    const InspectionQueue& q = d.answer;
    boost::json::array items;
    for (const auto& item : q.items) {
      auto row = AccountRow(item.account_id, item.owner_id, item.tier, item.arr_cents, item.health,
                            item.colour);
      row["plan_completeness"] = item.completeness;
      row["flags"] = Strings(item.flags);
      row["sampled"] = item.sampled;
      items.push_back(std::move(row));
    }
    out["month"] = q.month;
    out["flagged"] = q.flagged;
    out["sampled"] = q.sampled;
    PutPage(out, d.page);
    NameAccounts(model, items);
    out["items"] = std::move(items);
  }

  void operator()(const NrrDashboard& d) const {
    boost::json::array items;
    const bool by_am =
        d.group_by == RetentionGroup::kAm || d.group_by == RetentionGroup::kAmAtStart;
    for (const auto& row : d.items) {
      boost::json::object o = RetentionFiguresJson(row.figures);
      if (by_am) o["owner_id"] = Id(row.key.empty() ? 0 : std::stoll(row.key));
      o["group"] = GroupJson(row.key);
      items.push_back(std::move(o));
    }
    out["from"] = d.from.ToString();
    out["to"] = d.to.ToString();
    out["group_by"] = GroupColumn(d.group_by);
    PutPage(out, d.page);
    out["items"] = std::move(items);
  }

  void operator()(const CoverageDashboard& d) const {
    PutPage(out, d.page);
    boost::json::array items;
    for (const auto& row : d.items) {
      items.push_back({{"owner_id", Id(row.owner_id)},
                       {"tier1_accounts", row.accounts_by_tier[0]},
                       {"tier2_accounts", row.accounts_by_tier[1]},
                       {"tier3_accounts", row.accounts_by_tier[2]},
                       {"arr_cents", row.arr_cents},
                       {"load", std::round(row.load * 1000) / 1000},
                       {"status", row.status},
                       {"pooled", row.pooled}});
    }
    out["items"] = std::move(items);
  }

  void operator()(const GrowthDashboard& d) const {
    const GrowthPage& g = d.answer;
    boost::json::array items;
    for (const auto& r : g.items) {
      auto row = AccountRow(r.account_id, r.owner_id, r.tier, r.arr_cents, r.health, r.colour);
      row["upsell_probability"] = Probability(r.upsell_probability);
      row["whitespace_cents"] = r.whitespace_cents;
      row["expected_expansion_cents"] = r.expected_expansion_cents;
      row["churn_probability"] = Probability(r.churn_probability);
      items.push_back(std::move(row));
    }
    out["available"] = g.available;
    out["reason"] = g.reason.empty() ? boost::json::value(nullptr) : boost::json::value(g.reason);
    out["scored_on"] = g.scored ? boost::json::value(g.scored->ToString()) : nullptr;
    PutPage(out, d.page);
    out["total_expected_cents"] = g.total_expected_cents;
    NameAccounts(model, items);
    out["items"] = std::move(items);
  }

  void operator()(const KpiDashboard& d) const {
    const Kpis& k = d.kpis;
    boost::json::object o = KpiJson(k);
    boost::json::array by_tier, by_am;
    for (size_t t = 0; t < k.sla_by_tier.size(); ++t) {
      const SlaTally& s = k.sla_by_tier[t];
      by_tier.push_back({{"tier", static_cast<int64_t>(t + 1)},
                         {"met", s.met},
                         {"missed", s.missed},
                         {"attainment", SlaAttainment(s)}});
    }
    for (const auto& [owner, s] : k.sla_by_am) {
      by_am.push_back({{"owner_id", Id(owner)},
                       {"met", s.met},
                       {"missed", s.missed},
                       {"attainment", SlaAttainment(s)}});
    }
    out["from"] = d.from.ToString();
    out["to"] = d.to.ToString();
    out["response_sla_by_tier"] = std::move(by_tier);
    out["response_sla_by_am"] = std::move(by_am);
    out["kpis"] = std::move(o);
    if (d.group_by == RetentionGroup::kNone) return;
    // By group: each row the strip's figures, first what the group is.
    out["group_by"] = GroupColumn(d.group_by);
    boost::json::array groups;
    for (const auto& g : d.groups) {
      boost::json::object row;
      row["group"] = GroupJson(g.key);
      if (d.group_by == RetentionGroup::kAm) row["owner_id"] = Id(g.owner_id);
      for (auto& [key, value] : KpiJson(g.kpis)) row[key] = value;
      groups.push_back(std::move(row));
    }
    out["groups"] = std::move(groups);
  }
};

}  // namespace

boost::json::object RetentionFiguresJson(const RetentionFigures& f) {
  boost::json::object o;
  o["accounts"] = f.accounts;
  o["churned_accounts"] = f.churned_accounts;
  o["start_arr_cents"] = f.start_cents.cents();
  o["end_arr_cents"] = f.end_cents.cents();
  o["expansion_cents"] = f.expansion_cents.cents();
  o["contraction_cents"] = f.contraction_cents.cents();
  o["churn_cents"] = f.churn_cents.cents();
  o["nrr"] = Ratio(f.nrr_bp());
  o["grr"] = Ratio(f.grr_bp());
  return o;
}

boost::json::object DashboardJson(const ReadModel& model, const DashboardAnswer& answer) {
  boost::json::object out;
  out["dashboard"] = std::string(answer.name);
  out["as_of"] = answer.as_of.ToString();
  std::visit(Render{model, out}, answer.body);
  return out;
}

}  // namespace orchard::engine
