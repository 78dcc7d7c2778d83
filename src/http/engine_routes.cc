#include "http/engine_routes.h"

#include <boost/json.hpp>

#include <cmath>
#include <map>
#include <string>

#include "engine/dashboard_json.h"
#include "engine/dashboard_table.h"
#include "engine/health_report.h"
#include "engine/retention.h"
#include "http/handler_kit.h"
#include "scoring/live_scores.h"
#include "service/account_service.h"

namespace orchard::http {

namespace {

constexpr std::string_view kFiguresSchema = R"({"type":"object",
  "required":["accounts","churned_accounts","start_arr_cents","end_arr_cents","expansion_cents",
    "contraction_cents","churn_cents","nrr","grr"],
  "properties":{"accounts":{"type":"integer"},"churned_accounts":{"type":"integer"},
    "start_arr_cents":{"type":"integer"},"end_arr_cents":{"type":"integer"},
    "expansion_cents":{"type":"integer"},"contraction_cents":{"type":"integer"},
    "churn_cents":{"type":"integer"},"nrr":{"type":["number","null"]},
    "grr":{"type":["number","null"]}}})";

Result<boost::json::object> GetRetention(const engine::ReadModel& model, const Settings& settings,
                                         Date today, const HttpRequest& req) {
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("retention", {"from", "to", "group_by"}));
  ORCHARD_TRY(Date to, params.Day("to", today));
  ORCHARD_TRY(Date from, params.Day("from", to.AddYears(-1)));
  auto group_by = params.Get("group_by");
  std::string group_text = group_by.value_or("");
  ORCHARD_TRY(auto group, engine::ParseRetentionGroup(group_text));
  ORCHARD_TRY(auto report, engine::Retention(model, from, to, group, settings));
  boost::json::object out;
  out["from"] = report.from.ToString();
  out["to"] = report.to.ToString();
  out["group_by"] = group_by ? boost::json::value(group_text) : boost::json::value(nullptr);
  out["total"] = engine::RetentionFiguresJson(report.total);
  boost::json::array groups;
  for (const auto& row : report.rows) {
    boost::json::object g = engine::RetentionFiguresJson(row.figures);
    g["key"] = row.key;
    groups.push_back(std::move(g));
  }
  out["groups"] = std::move(groups);
  return out;
}

// A route answered from the in-memory book: a model present (else 503), the request handed to
// `answer`. (Signed in, as every route not marked public.)
using BookAnswer = std::function<Result<boost::json::object>(
    const engine::ReadModel&, const Settings&, Date, const HttpRequest&)>;
Handler FromBook(const ApiDeps& d, BookAnswer answer) {
  return [d, answer = std::move(answer)](const HttpRequest& req,
                                         const service::Actor&) -> Result<Reply> {
    if (d.model == nullptr) {
      return Fail(ErrorCode::kUnavailable, "this server runs without the in-memory book");
    }
    ORCHARD_TRY(auto body, answer(*d.model, d.settings.Current(), d.clock.Today(), req));
    return JsonResponse(body);
  };
}

// The query of dashboard `entry`, typed: its parameters only (another is refused, naming the
// ones it takes), read in kDashboardParams' order so the first bad one is the one reported.
// What each of the entry's parameters means, from the table's one list (kDashboardParams).
std::map<std::string, std::string> ParamDocs(const engine::DashboardEntry& entry) {
  std::map<std::string, std::string> docs;
  for (std::string_view name : entry.params) {
    if (const engine::DashboardParam* p = engine::FindDashboardParam(name)) {
      docs[std::string(name)] = std::string(p->doc);
    }
  }
  return docs;
}

Result<engine::DashboardQuery> ReadQuery(const engine::DashboardEntry& entry,
                                         const QueryParams& params, store::ConnectionPool& pool) {
  ORCHARD_CHECK(engine::OnlyDashboardParams(entry, params.Names()));
  engine::DashboardQuery q;
  ORCHARD_TRY(q.filter.am, params.Int("am", 1, INT64_MAX));
  ORCHARD_TRY(auto team, params.Int("team", 1, INT64_MAX));
  if (team) {
    ORCHARD_TRY(q.filter.team, service::TeamOf(pool, UserId(*team)));
  }
  ORCHARD_TRY(q.filter.csm, params.Int("csm", 1, INT64_MAX));
  if (auto text = params.Get("tier")) {
    auto tier = ParseEnum<Tier>(*text);
    if (!tier) return FailField("tier", tier.error().message);
    q.filter.tier = *tier;
  }
  ORCHARD_TRY(auto window, params.Int("window", 1, 730));
  if (window) q.window_days = static_cast<int>(*window);
  ORCHARD_TRY(auto limit, params.Int("limit", 1, 10'000));
  ORCHARD_TRY(auto offset, params.Int("offset", 0, INT32_MAX));
  if (limit) q.limit = static_cast<size_t>(*limit);
  if (offset) q.offset = static_cast<size_t>(*offset);
  for (auto [name, day] : {std::pair{"to", &q.to}, std::pair{"from", &q.from}}) {
    if (auto text = params.Get(name)) {
      auto parsed = Date::Parse(*text);
      if (!parsed) return FailField(name, parsed.error().message);
      *day = *parsed;
    }
  }
  if (auto text = params.Get("quadrant")) {
    auto quadrant = ParseEnum<Quadrant>(*text);
    if (!quadrant) return FailField("quadrant", quadrant.error().message);
    q.quadrant = *quadrant;
  }
  if (auto text = params.Get("group_by")) {
    ORCHARD_TRY(q.group_by, engine::ParseRetentionGroup(*text));
  }
  if (auto text = params.Get("sort")) {
    ORCHARD_TRY(q.sort, engine::ParseDashboardSort(*text));
  }
  return q;
}

boost::json::value Opt(std::optional<int> v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::value DayJson(const std::optional<Date>& day) {
  if (!day) return nullptr;
  return boost::json::value(day->ToString());
}

boost::json::object MetricsJson(const engine::AccountMetrics& m) {
  return {{"multithreading_depth", m.multithreading_depth},
          {"multithreading_target", m.multithreading_target},
          {"single_threaded", m.single_threaded},
          {"last_meaningful_contact", DayJson(m.last_meaningful_contact)},
          {"renewal_date", DayJson(m.renewal_date)},
          {"renewal_engaged_days_before", Opt(m.renewal_engaged_days_before)},
          {"plan_completeness", m.plan_completeness},
          {"plan_freshness_days", Opt(m.plan_freshness_days)},
          {"plan_refresh_days", m.plan_refresh_days},
          {"plan_stale", m.plan_stale},
          {"overdue_actions", m.overdue_actions},
          {"economic_buyer_engaged", m.economic_buyer_engaged},
          {"whitespace_cents", m.whitespace_cents},
          {"potential", ToString(m.potential)},
          {"quadrant", ToString(m.quadrant)}};
}

// The health report as GET /api/v1/accounts/{id}/health answers it (shares and contributions to
// 4 and 2 decimals).
boost::json::object HealthJson(const engine::HealthReport& r) {
  boost::json::object out;
  out["account_id"] = r.account_id;
  out["as_of"] = r.as_of.ToString();
  out["tier"] = ToString(r.tier);
  out["arr_cents"] = r.arr_cents;
  out["score"] = Opt(r.score);
  out["colour"] = engine::ColourName(r.colour);
  out["computed_score"] = Opt(r.computed);
  if (r.override_in_force) {
    out["override"] = {{"score", r.override_in_force->score},
                       {"reason", r.override_in_force->reason},
                       {"expires_on", r.override_in_force->expires_on.ToString()}};
  } else {
    out["override"] = nullptr;
  }
  out["churned_after"] = r.churned_after ? boost::json::value(r.churned_after->ToString())
                                         : boost::json::value(nullptr);
  boost::json::array components;
  for (const auto& c : r.components) {
    components.push_back({{"name", c.name},
                          {"value", Opt(c.value)},
                          {"weight", c.weight},
                          {"share", std::round(c.share * 10000) / 10000},
                          {"contribution", std::round(c.contribution * 100) / 100},
                          {"detail", c.detail}});
  }
  boost::json::array explanation;
  for (const auto& sentence : r.explanation) explanation.emplace_back(sentence);
  boost::json::array moved;
  for (const auto& m : r.moved) {
    boost::json::array changes;
    for (const auto& c : m.components) {
      changes.push_back({{"name", c.name},
                         {"then", Opt(c.then)},
                         {"now", Opt(c.now)},
                         {"points", std::round(c.points * 100) / 100}});
    }
    moved.push_back({{"days", m.days},
                     {"score_then", Opt(m.score_then)},
                     {"change", Opt(m.change)},
                     {"components", std::move(changes)},
                     {"summary", m.summary}});
  }
  boost::json::array history;
  for (const auto& h : r.history) {
    history.push_back({{"day", h.day.ToString()},
                       {"score", Opt(h.score)},
                       {"colour", engine::ColourName(h.colour)}});
  }
  out["components"] = std::move(components);
  out["explanation"] = std::move(explanation);
  out["moved"] = std::move(moved);
  out["history"] = std::move(history);
  out["metrics"] = MetricsJson(r.metrics);
  return out;
}

// One account's health on `today`: GET /api/v1/accounts/{id}/health.
Result<boost::json::object> GetAccountHealth(const engine::ReadModel& model,
                                             const Settings& settings, Date today,
                                             const HttpRequest& req) {
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("health", {"days"}));
  ORCHARD_TRY(auto history_days, params.Int("days", 1, 730));
  // The path's {id}, named as the client knows it.
  ORCHARD_TRY(int64_t id, ParseInt("id", req.params.at("id"), 1, INT64_MAX));
  ORCHARD_TRY(auto report,
              engine::AccountHealthReport(model, settings, today, id,
                                          static_cast<int>(history_days.value_or(90))));
  return HealthJson(report);
}

}  // namespace

void AddEngineRoutes(Router& r, const ApiDeps& d) {
  r.AddSchema("RetentionFigures", std::string(kFiguresSchema));
  r.AddSchema("Retention", R"({"type":"object","required":["from","to","group_by","total","groups"],
    "properties":{"from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"},
      "group_by":{"type":["string","null"],"enum":["am","am_at_start","tier","segment","industry","region",null]},
      "total":{"$ref":"#/components/schemas/RetentionFigures"},
      "groups":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/RetentionFigures"},
        {"type":"object","required":["key"],"properties":{"key":{"type":"string"}}}]}}}})");
  r.Add(
      "GET", "/api/v1/metrics/retention", FromBook(d, GetRetention),
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
      "churned_after":{"type":["string","null"],"format":"date",
        "description":"Set when no contract line is active and one ended before: the last day of service. A churned account has no score."},
      "components":{"type":"array","items":{"type":"object","required":["name","value","weight",
        "share","contribution","detail"],
        "properties":{"name":{"type":"string"},"value":{"type":["integer","null"]},
          "weight":{"type":"integer"},"share":{"type":"number"},"contribution":{"type":"number"},
          "detail":{"type":"string"}}}},
      "explanation":{"type":"array","items":{"type":"string"}},
      "moved":{"type":"array","items":{"type":"object"}},
      "history":{"type":"array","items":{"type":"object","required":["day","score","colour"],
        "properties":{"day":{"type":"string","format":"date"},"score":{"type":["integer","null"]},
          "colour":{"type":"string","enum":["green","yellow","red","none"]}}}},
      "metrics":{"type":"object"}}})");
  r.Add("GET", "/api/v1/accounts/{id}/health", FromBook(d, GetAccountHealth),
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
  // One route per entry of the table; the entry names its parameters and answers.
  for (const engine::DashboardEntry& entry : engine::DashboardTable()) {
    r.Add("GET", "/api/v1/dashboards/" + std::string(entry.name),
          FromBook(d,
                   [&entry, &pool = d.pool, live = d.predictions](
                       const engine::ReadModel& model, const Settings& settings, Date today,
                       const HttpRequest& req) -> Result<boost::json::object> {
                     ORCHARD_TRY(auto query, ReadQuery(entry, QueryParams(req), pool));
                     // The models' latest scores: the churn column and the growth ranking.
                     if (live != nullptr) query.scores = live->Latest();
                     ORCHARD_TRY(auto answer, engine::AnswerDashboard(entry.name, model, settings,
                                                                      today, query));
                     return engine::DashboardJson(model, answer);
                   }),
          RouteDoc("Dashboard: " + std::string(entry.summary), RouteDoc::Kind::kOther)
              .Query(std::vector<std::string>(entry.params.begin(), entry.params.end()))
              .QueryDocs(ParamDocs(entry))
              .Response("Dashboard"));
  }
}

}  // namespace orchard::http
