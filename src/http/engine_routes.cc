#include "http/engine_routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/dashboards.h"
#include "engine/health.h"
#include "engine/retention.h"
#include "http/crud.h"
#include "http/params.h"

namespace orchard::http {

namespace {

boost::json::value Ratio(std::optional<int64_t> bp) {
  if (!bp) return nullptr;
  return static_cast<double>(*bp) / 10000.0;
}

boost::json::object FiguresJson(const engine::RetentionFigures& f) {
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

constexpr std::string_view kFiguresSchema = R"({"type":"object",
  "required":["accounts","churned_accounts","start_arr_cents","end_arr_cents","expansion_cents",
    "contraction_cents","churn_cents","nrr","grr"],
  "properties":{"accounts":{"type":"integer"},"churned_accounts":{"type":"integer"},
    "start_arr_cents":{"type":"integer"},"end_arr_cents":{"type":"integer"},
    "expansion_cents":{"type":"integer"},"contraction_cents":{"type":"integer"},
    "churn_cents":{"type":"integer"},"nrr":{"type":["number","null"]},
    "grr":{"type":["number","null"]}}})";

Result<engine::DashboardFilter> FilterParams(const Params& params) {
  engine::DashboardFilter f;
  ORCHARD_TRY(f.am, IntParam(params, "am", 1, INT64_MAX));
  if (auto it = params.find("tier"); it != params.end()) {
    auto tier = ParseEnum<Tier>(it->second);
    if (!tier) return FailField("tier", tier.error().message);
    f.tier = *tier;
  }
  return f;
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
boost::json::object AccountRow(int64_t account_id, int64_t owner_id, Tier tier, int64_t arr_cents,
                               int health, uint8_t colour) {
  return {{"account_id", account_id},     {"owner_id", Id(owner_id)},
          {"tier", ToString(tier)},       {"arr_cents", arr_cents},
          {"health", HealthJson(health)}, {"colour", engine::ColourName(colour)}};
}

// Names each row's account ("account_name", from its "account_id") under one read lock, so a
// dashboard's page is one request: the client looks no account up. An account erased since the
// dashboard was computed is named null.
void NameAccounts(const engine::ReadModel& model, boost::json::array& items) {
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

struct PageParams {
  size_t offset = 0;
  size_t limit = 100;
};

Result<PageParams> Paging(const Params& params) {
  PageParams p;
  ORCHARD_TRY(auto limit, IntParam(params, "limit", 1, 10'000));
  ORCHARD_TRY(auto offset, IntParam(params, "offset", 0, INT32_MAX));
  if (limit) p.limit = static_cast<size_t>(*limit);
  if (offset) p.offset = static_cast<size_t>(*offset);
  return p;
}

void PutPage(boost::json::object& out, const PageParams& page, int64_t total) {
  out["total"] = total;
  out["offset"] = static_cast<int64_t>(page.offset);
  out["limit"] = static_cast<int64_t>(page.limit);
}

Result<boost::json::object> RetentionAnswer(const engine::ReadModel& model,
                                            const Settings& settings, Date today,
                                            const Params& params) {
  ORCHARD_CHECK(OnlyParams(params, "retention", {"from", "to", "group_by"}));
  ORCHARD_TRY(Date to, DayParam(params, "to", today));
  ORCHARD_TRY(Date from, DayParam(params, "from", to.AddYears(-1)));
  auto group_by = params.find("group_by");
  std::string group_text = group_by == params.end() ? "" : group_by->second;
  ORCHARD_TRY(auto group, engine::ParseRetentionGroup(group_text));
  ORCHARD_TRY(auto report, engine::Retention(model, from, to, group, settings));
  boost::json::object out;
  out["from"] = report.from.ToString();
  out["to"] = report.to.ToString();
  out["group_by"] =
      group_by == params.end() ? boost::json::value(nullptr) : boost::json::value(group_text);
  out["total"] = FiguresJson(report.total);
  boost::json::array groups;
  for (const auto& row : report.rows) {
    boost::json::object g = FiguresJson(row.figures);
    g["key"] = row.key;
    groups.push_back(std::move(g));
  }
  out["groups"] = std::move(groups);
  return out;
}

// A route answered from the in-memory book: signed in, a model present (else 503), the query
// parameters handed to `answer`.
Handler FromBook(const ApiDeps& d,
                 std::function<Result<boost::json::object>(const engine::ReadModel&,
                                                           const Settings&, Date, const Params&)>
                     answer) {
  return [d, answer = std::move(answer)](const HttpRequest& req) {
    auto actor = Authenticate(d.auth, req);
    if (!actor) return ErrorResponse(actor.error());
    if (d.model == nullptr) {
      return ErrorResponse(
          Error{ErrorCode::kUnavailable, "this server runs without the in-memory book", {}});
    }
    Params params;
    for (const auto& [k, v] : req.query) params[k] = v;
    for (const auto& [k, v] : req.params) params[":" + k] = v;
    auto body = answer(*d.model, d.settings.Current(), d.clock.Today(), params);
    if (!body) return ErrorResponse(body.error());
    return JsonResponse(*body);
  };
}

std::string Signed(double v) {
  int n = static_cast<int>(std::lround(v));
  return (n > 0 ? "+" : "") + std::to_string(n);
}

// One account's health on `today`: score, colour, components, explanation, what moved since 7 and
// 30 days ago, the daily history, and the per-account metrics beside it.
Result<boost::json::object> HealthAnswer(const engine::ReadModel& model, const Settings& settings,
                                         Date today, const Params& params) {
  ORCHARD_CHECK(OnlyParams(params, "health", {"days"}));
  ORCHARD_TRY(auto history_days, IntParam(params, "days", 1, 730));
  // The path's {id}, named as the client knows it.
  Params path{{"id", params.count(":id") ? params.at(":id") : ""}};
  ORCHARD_TRY(auto id, IntParam(path, "id", 1, INT64_MAX));
  const int32_t d = today.days();
  auto lock = model.ReadLock();
  auto slot = model.SlotOf(id.value_or(0));
  if (!slot || !model.live(*slot)) {
    return Fail(ErrorCode::kNotFound, "account " + std::to_string(id.value_or(0)) + " not found");
  }
  const auto& on = model.On(d, settings);
  const engine::Summary& sum = on.summary[*slot];
  auto tier_on = [&](int32_t day) {
    return engine::TierFor(model, *slot, model.ArrCentsOn(*slot, day), settings.tiers);
  };
  engine::Health now =
      engine::ComputeHealth(model, *slot, d, static_cast<Tier>(sum.tier), settings, true);
  boost::json::object out;
  out["account_id"] = *id;
  out["as_of"] = today.ToString();
  out["tier"] = ToString(static_cast<Tier>(sum.tier));
  out["arr_cents"] = on.arr_cents[*slot];
  auto opt = [](std::optional<int> v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
  };
  out["score"] = opt(now.score);
  out["colour"] = engine::ColourName(engine::ColourOf(now.score, settings));
  out["computed_score"] = opt(now.computed);
  if (now.override_in_force) {
    out["override"] = {{"score", now.override_in_force->score},
                       {"reason", now.override_in_force->reason},
                       {"expires_on", now.override_in_force->expires_on.ToString()}};
  } else {
    out["override"] = nullptr;
  }
  boost::json::array components;
  std::vector<std::string> explanation;
  std::string parts, missing;
  for (size_t i = 0; i < now.components.size(); ++i) {
    const auto& c = now.components[i];
    std::string_view name = engine::kHealthPartNames[i];
    components.push_back({{"name", name},
                          {"value", opt(c.value)},
                          {"weight", c.weight},
                          {"share", std::round(c.share * 10000) / 10000},
                          {"contribution", std::round(c.contribution * 100) / 100},
                          {"detail", c.detail}});
    if (c.value) {
      parts += (parts.empty() ? "" : ", ") + std::string(name) + " " + std::to_string(*c.value) +
               " × " + std::to_string(static_cast<int>(std::lround(c.share * 100))) + "%";
    } else if (c.weight > 0) {
      missing += (missing.empty() ? "" : ", ") + std::string(name);
    }
  }
  if (now.computed) {
    explanation.push_back("Computed " + std::to_string(*now.computed) + " of 100: " + parts + ".");
  } else {
    explanation.push_back("No score: there is no input to compute one from.");
  }
  if (!missing.empty()) {
    explanation.push_back("No data for " + missing +
                          ": their weight is shared among the components present.");
  }
  if (now.override_in_force) {
    explanation.push_back("Set by hand to " + std::to_string(now.override_in_force->score) +
                          " until " + now.override_in_force->expires_on.ToString() + ": " +
                          now.override_in_force->reason + ".");
  }
  boost::json::array moved;
  for (int back : {7, 30}) {
    engine::Health then =
        engine::ComputeHealth(model, *slot, d - back, tier_on(d - back), settings, false);
    boost::json::object m;
    m["days"] = back;
    m["score_then"] = opt(then.score);
    m["change"] = now.score && then.score ? boost::json::value(*now.score - *then.score)
                                          : boost::json::value(nullptr);
    boost::json::array changes;
    std::vector<std::pair<double, std::string>> said;
    for (size_t i = 0; i < now.components.size(); ++i) {
      const auto& a = then.components[i];
      const auto& b = now.components[i];
      if (a.value == b.value) continue;
      double points = b.contribution - a.contribution;
      changes.push_back({{"name", engine::kHealthPartNames[i]},
                         {"then", opt(a.value)},
                         {"now", opt(b.value)},
                         {"points", std::round(points * 100) / 100}});
      std::string name(engine::kHealthPartNames[i]);
      std::string text = !a.value ? name + " appeared at " + std::to_string(*b.value)
                         : !b.value
                             ? name + " dropped out (no data now)"
                             : name + (*b.value > *a.value ? " rose" : " fell") + " from " +
                                   std::to_string(*a.value) + " to " + std::to_string(*b.value) +
                                   " (" + Signed(points) + " points)";
      said.emplace_back(std::abs(points), std::move(text));
    }
    std::stable_sort(said.begin(), said.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    m["components"] = std::move(changes);
    std::string sentence;
    if (now.score && then.score) {
      int change = *now.score - *then.score;
      sentence = change == 0
                     ? "Unchanged since " + std::to_string(back) + " days ago"
                     : std::string(change > 0 ? "Up " : "Down ") +
                           std::to_string(std::abs(change)) + " since " + std::to_string(back) +
                           " days ago (" + std::to_string(*then.score) + ")";
    } else {
      sentence = "Since " + std::to_string(back) + " days ago";
    }
    for (size_t i = 0; i < said.size(); ++i) {
      sentence += (i == 0 ? ": " : "; ") + said[i].second;
    }
    m["summary"] = sentence + ".";
    explanation.push_back(sentence + ".");
    moved.push_back(std::move(m));
  }
  boost::json::array history;
  const int span = static_cast<int>(history_days.value_or(90));
  for (int back = span - 1; back >= 0; --back) {
    engine::Health h =
        engine::ComputeHealth(model, *slot, d - back, tier_on(d - back), settings, false);
    history.push_back({{"day", Date::FromDays(d - back).ToString()},
                       {"score", opt(h.score)},
                       {"colour", engine::ColourName(engine::ColourOf(h.score, settings))}});
  }
  out["components"] = std::move(components);
  out["explanation"] = Strings(explanation);
  out["moved"] = std::move(moved);
  out["history"] = std::move(history);
  const int32_t renewal = on.renewal[*slot];
  auto engaged = engine::RenewalEngagement(model, *slot, renewal, d);
  int refresh = settings.For(static_cast<Tier>(sum.tier)).plan_refresh_days;
  out["metrics"] = {
      {"multithreading_depth", sum.depth},
      {"multithreading_target", settings.For(static_cast<Tier>(sum.tier)).multithreading_target},
      {"single_threaded", (sum.flags & engine::Summary::kSingleThreaded) != 0},
      {"last_meaningful_contact",
       DayJson(sum.last_meaningful == engine::kNoDay
                   ? std::nullopt
                   : std::optional<Date>(Date::FromDays(sum.last_meaningful)))},
      {"renewal_date",
       DayJson(renewal == engine::kOpenEnd ? std::nullopt
                                           : std::optional<Date>(Date::FromDays(renewal)))},
      {"renewal_engaged_days_before",
       engaged ? boost::json::value(*engaged) : boost::json::value(nullptr)},
      {"plan_completeness", sum.completeness},
      {"plan_freshness_days", sum.plan_changed == engine::kNoDay
                                  ? boost::json::value(nullptr)
                                  : boost::json::value(d - sum.plan_changed)},
      {"plan_refresh_days", refresh},
      {"plan_stale", (sum.flags & engine::Summary::kStalePlan) != 0},
      {"overdue_actions", (sum.flags & engine::Summary::kOverdueActions) != 0},
      {"economic_buyer_engaged", (sum.flags & engine::Summary::kNoEconomicBuyer) == 0},
      {"whitespace_cents", sum.whitespace_cents},
      {"potential", ToString(engine::PotentialOf(model, *slot, on.arr_cents[*slot],
                                                 sum.whitespace_cents, settings))},
      {"quadrant", ToString(static_cast<Quadrant>(sum.quadrant))}};
  return out;
}

}  // namespace

Result<boost::json::object> AccountHealth(const engine::ReadModel& model, const Settings& settings,
                                          Date today, int64_t account_id) {
  return HealthAnswer(model, settings, today, Params{{":id", std::to_string(account_id)}});
}

Result<boost::json::object> Dashboard(std::string_view name, const engine::ReadModel& model,
                                      const Settings& settings, Date today, const Params& params) {
  boost::json::object out;
  out["dashboard"] = std::string(name);
  out["as_of"] = today.ToString();
  if (name == "at-risk") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "limit", "offset"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto page, Paging(params));
    auto answer = engine::AccountsAtRisk(model, settings, today, filter, page.offset, page.limit);
    boost::json::array items;
    for (const auto& r : answer.items) {
      auto row = AccountRow(r.account_id, r.owner_id, r.tier, r.arr_cents, r.health, r.colour);
      row["renewal_date"] = DayJson(r.renewal_date);
      row["last_meaningful_contact"] = DayJson(r.last_meaningful);
      row["why"] = Strings(r.why);
      items.push_back(std::move(row));
    }
    PutPage(out, page, answer.total);
    out["total_arr_cents"] = answer.total_arr_cents;
    NameAccounts(model, items);
    out["items"] = std::move(items);
  } else if (name == "renewals") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "window", "limit", "offset"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto window, IntParam(params, "window", 1, 730));
    ORCHARD_TRY(auto page, Paging(params));
    int days = static_cast<int>(window.value_or(settings.renewal_window_days));
    auto answer =
        engine::RenewalsPaged(model, settings, today, days, filter, page.offset, page.limit);
    boost::json::array items;
    for (const auto& r : answer.items) {
      auto row = AccountRow(r.account_id, r.owner_id, r.tier, r.arr_cents, r.health, r.colour);
      row["renewal_date"] = r.renewal_date.ToString();
      row["days_left"] = r.days_left;
      row["at_risk"] = r.at_risk;
      row["engaged_days_before"] = r.engaged_days_before
                                       ? boost::json::value(*r.engaged_days_before)
                                       : boost::json::value(nullptr);
      items.push_back(std::move(row));
    }
    out["window_days"] = days;
    PutPage(out, page, answer.total);
    out["total_arr_cents"] = answer.total_arr_cents;
    out["at_risk"] = answer.at_risk;
    NameAccounts(model, items);
    out["items"] = std::move(items);
  } else if (name == "expansion-pipeline") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "from", "to"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(Date to, DayParam(params, "to", today));
    ORCHARD_TRY(Date from, DayParam(params, "from", to.AddYears(-1)));
    if (to < from) return FailValue("from", "must not be after `to`");
    auto p = engine::ExpansionPipeline(model, settings, today, from, to, filter);
    boost::json::array items;
    for (const auto& st : p.stages) {
      items.push_back(
          {{"stage", ToString(st.stage)}, {"count", st.count}, {"amount_cents", st.amount_cents}});
    }
    out["from"] = from.ToString();
    out["to"] = to.ToString();
    out["open_count"] = p.open_count;
    out["open_cents"] = p.open_cents;
    out["created_count"] = p.created_count;
    out["created_cents"] = p.created_cents;
    out["created_won_cents"] = p.won_cents;
    out["items"] = std::move(items);
  } else if (name == "portfolio") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "quadrant", "limit", "offset"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto page, Paging(params));
    std::optional<Quadrant> quadrant;
    if (auto it = params.find("quadrant"); it != params.end()) {
      auto q = ParseEnum<Quadrant>(it->second);
      if (!q) return FailField("quadrant", q.error().message);
      quadrant = *q;
    }
    auto p =
        engine::PortfolioGrid(model, settings, today, filter, quadrant, page.offset, page.limit);
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
    PutPage(out, page, p.total);
    NameAccounts(model, items);
    out["items"] = std::move(items);
  } else if (name == "inspection") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "limit", "offset"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto page, Paging(params));
    auto q = engine::InspectionQueueFor(model, settings, today, filter, page.offset, page.limit);
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
    PutPage(out, page, q.flagged + q.sampled);
    NameAccounts(model, items);
    out["items"] = std::move(items);
  } else if (name == "nrr-leaderboard") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "from", "to", "limit", "offset"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto page, Paging(params));
    ORCHARD_TRY(Date to, DayParam(params, "to", today));
    ORCHARD_TRY(Date from, DayParam(params, "from", to.AddYears(-1)));
    ORCHARD_TRY(auto board, engine::NrrLeaderboard(model, settings, from, to, filter));
    boost::json::array items;
    for (size_t i = page.offset; i < board.size() && i < page.offset + page.limit; ++i) {
      boost::json::object o = FiguresJson(board[i].figures);
      o["owner_id"] = std::stoll(board[i].key);
      items.push_back(std::move(o));
    }
    out["from"] = from.ToString();
    out["to"] = to.ToString();
    PutPage(out, page, static_cast<int64_t>(board.size()));
    out["items"] = std::move(items);
  } else if (name == "coverage") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "limit", "offset"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto page, Paging(params));
    auto rows = engine::Coverage(model, settings, today, filter);
    PutPage(out, page, static_cast<int64_t>(rows.size()));
    boost::json::array items;
    for (size_t i = page.offset; i < rows.size() && i < page.offset + page.limit; ++i) {
      const auto& row = rows[i];
      items.push_back({{"owner_id", Id(row.owner_id)},
                       {"tier1_accounts", row.accounts_by_tier[0]},
                       {"tier2_accounts", row.accounts_by_tier[1]},
                       {"tier3_accounts", row.accounts_by_tier[2]},
                       {"arr_cents", row.arr_cents},
                       {"load", std::round(row.load * 1000) / 1000},
                       {"status", row.status}});
    }
    out["items"] = std::move(items);
  } else if (name == "kpis") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    auto k = engine::KpiStrip(model, settings, today, filter);
    boost::json::object o = FiguresJson(k.retention);
    o["book_accounts"] = k.accounts;  // "accounts" is the retention cohort
    o["book_arr_cents"] = k.arr_cents;
    o["average_multithreading_depth"] = std::round(k.average_depth * 100) / 100;
    o["average_plan_completeness"] =
        k.average_completeness ? boost::json::value(std::round(*k.average_completeness * 10) / 10)
                               : boost::json::value(nullptr);
    o["accounts_at_risk"] = k.at_risk;
    o["expansion_pipeline_created_cents"] = k.expansion_created_cents;
    out["kpis"] = std::move(o);
  } else {
    std::string list;
    for (auto n : kDashboards) list += (list.empty() ? "" : ", ") + std::string(n);
    return Fail(ErrorCode::kNotFound,
                "no dashboard \"" + std::string(name) + "\"; there are " + list);
  }
  return out;
}

void AddEngineRoutes(Router& r, const ApiDeps& d) {
  r.AddSchema("RetentionFigures", std::string(kFiguresSchema));
  r.AddSchema("Retention", R"({"type":"object","required":["from","to","group_by","total","groups"],
    "properties":{"from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"},
      "group_by":{"type":["string","null"],"enum":["am","am_at_start","tier","segment","industry","region",null]},
      "total":{"$ref":"#/components/schemas/RetentionFigures"},
      "groups":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/RetentionFigures"},
        {"type":"object","required":["key"],"properties":{"key":{"type":"string"}}}]}}}})");
  r.Add(
      "GET", "/api/v1/metrics/retention", FromBook(d, RetentionAnswer),
      RouteDoc(
          "NRR, GRR, expansion, contraction and churn over [from, to] (default: the trailing "
          "12 months), in total and by am (the owner at the end; am_at_start: at the start), tier, "
          "segment, industry or region",
          RouteDoc::Kind::kOther)
          .Query({"from", "to", "group_by"})
          .Response("Retention"));
  r.AddSchema("AccountHealth", R"({"type":"object",
    "required":["account_id","as_of","score","colour","computed_score","override","components",
      "explanation","moved","history","metrics"],
    "properties":{"account_id":{"type":"integer"},"as_of":{"type":"string","format":"date"},
      "score":{"type":["integer","null"]},"colour":{"type":"string",
        "enum":["green","yellow","red","none"]},
      "computed_score":{"type":["integer","null"]},"override":{"type":["object","null"]},
      "components":{"type":"array","items":{"type":"object","required":["name","value","weight",
        "share","contribution","detail"]}},
      "explanation":{"type":"array","items":{"type":"string"}},
      "moved":{"type":"array","items":{"type":"object"}},
      "history":{"type":"array","items":{"type":"object","required":["day","score","colour"]}},
      "metrics":{"type":"object"}}})");
  r.Add("GET", "/api/v1/accounts/{id}/health", FromBook(d, HealthAnswer),
        RouteDoc("One account's health: score, colour, components with their contributions, the "
                 "explanation, what moved since 7 and 30 days ago, the daily history (days, "
                 "default 90) and the account's metrics (depth, last meaningful contact, plan "
                 "completeness and freshness, whitespace, quadrant)",
                 RouteDoc::Kind::kOther)
            .Query({"days"})
            .Response("AccountHealth"));
  r.AddSchema("Dashboard", R"({"type":"object","required":["dashboard","as_of"],
    "properties":{"dashboard":{"type":"string"},"as_of":{"type":"string","format":"date"},
      "items":{"type":"array","items":{"type":"object"}},"kpis":{"type":"object"}}})");
  for (std::string_view name : kDashboards) {
    r.Add("GET", "/api/v1/dashboards/" + std::string(name),
          FromBook(d,
                   [name](const engine::ReadModel& model, const Settings& settings, Date today,
                          const Params& params) {
                     return Dashboard(name, model, settings, today, params);
                   }),
          RouteDoc("Dashboard: " + std::string(name) + " (filters: am, tier; see the parameters)",
                   RouteDoc::Kind::kOther)
              .Query({"am", "tier", "window", "from", "to", "quadrant", "limit", "offset"})
              .Response("Dashboard"));
  }
}

}  // namespace orchard::http
