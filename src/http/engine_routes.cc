#include "http/engine_routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/dashboards.h"
#include "engine/retention.h"
#include "http/crud.h"

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
  o["start_arr_cents"] = f.start_cents;
  o["end_arr_cents"] = f.end_cents;
  o["expansion_cents"] = f.expansion_cents;
  o["contraction_cents"] = f.contraction_cents;
  o["churn_cents"] = f.churn_cents;
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

using Params = std::map<std::string, std::string>;

Result<std::optional<int64_t>> IntParam(const Params& params, const std::string& name, int64_t min,
                                        int64_t max) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  int64_t v = 0;
  const std::string& t = it->second;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v < min || v > max) {
    return FailField(name, "must be a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + "; got \"" + t + "\"");
  }
  return v;
}

Result<Date> DayParam(const Params& params, const std::string& name, Date fallback) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  auto day = Date::Parse(it->second);
  if (!day) return FailField(name, day.error().message);
  return *day;
}

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

// Names the first parameter `what` does not take, and the ones it does.
Status OnlyParams(const Params& params, std::string_view what,
                  std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : params) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      std::string list;
      for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
      return FailField(k, "unknown parameter; " + std::string(what) + " takes " + list);
    }
  }
  return Ok();
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
  ORCHARD_TRY(auto report, engine::Retention(model, from, to, group, settings.tiers));
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
    auto body = answer(*d.model, d.settings.Current(), d.clock.Today(), params);
    if (!body) return ErrorResponse(body.error());
    return JsonResponse(*body);
  };
}

}  // namespace

Result<boost::json::object> Dashboard(std::string_view name, const engine::ReadModel& model,
                                      const Settings& settings, Date today, const Params& params) {
  boost::json::object out;
  out["dashboard"] = std::string(name);
  out["as_of"] = today.ToString();
  if (name == "renewals") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "window"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(auto window, IntParam(params, "window", 1, 730));
    int days = static_cast<int>(window.value_or(settings.renewal_window_days));
    boost::json::array items;
    for (const auto& r : engine::Renewals(model, settings, today, days, filter)) {
      items.push_back({{"account_id", r.account_id},
                       {"owner_id", Id(r.owner_id)},
                       {"tier", ToString(r.tier)},
                       {"arr_cents", r.arr_cents},
                       {"renewal_date", r.renewal_date.ToString()},
                       {"days_left", r.days_left}});
    }
    out["window_days"] = days;
    out["items"] = std::move(items);
  } else if (name == "nrr-leaderboard") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier", "from", "to"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    ORCHARD_TRY(Date to, DayParam(params, "to", today));
    ORCHARD_TRY(Date from, DayParam(params, "from", to.AddYears(-1)));
    ORCHARD_TRY(auto board, engine::NrrLeaderboard(model, settings, from, to, filter));
    boost::json::array items;
    for (const auto& row : board) {
      boost::json::object o = FiguresJson(row.figures);
      o["owner_id"] = std::stoll(row.key);
      items.push_back(std::move(o));
    }
    out["from"] = from.ToString();
    out["to"] = to.ToString();
    out["items"] = std::move(items);
  } else if (name == "coverage") {
    ORCHARD_CHECK(OnlyParams(params, name, {"am", "tier"}));
    ORCHARD_TRY(auto filter, FilterParams(params));
    boost::json::array items;
    for (const auto& row : engine::Coverage(model, settings, today, filter)) {
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
      "group_by":{"type":["string","null"],"enum":["am","tier","industry","region",null]},
      "total":{"$ref":"#/components/schemas/RetentionFigures"},
      "groups":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/RetentionFigures"},
        {"type":"object","required":["key"],"properties":{"key":{"type":"string"}}}]}}}})");
  r.Add(
      "GET", "/api/v1/metrics/retention", FromBook(d, RetentionAnswer),
      RouteDoc("NRR, GRR, expansion, contraction and churn over [from, to] (default: the trailing "
               "12 months), in total and by am, tier, industry or region",
               RouteDoc::Kind::kOther)
          .Query({"from", "to", "group_by"})
          .Response("Retention"));
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
              .Query({"am", "tier", "window", "from", "to"})
              .Response("Dashboard"));
  }
}

}  // namespace orchard::http
