#include "http/engine_routes.h"

#include <boost/json.hpp>

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

Result<Date> DateParam(const QueryParams& q, std::string_view name, Date fallback) {
  auto text = q.Get(name);
  if (!text) return fallback;
  auto day = Date::Parse(*text);
  if (!day) return FailField(std::string(name), day.error().message);
  return *day;
}

HttpResponse Retention(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  if (d.model == nullptr) {
    return ErrorResponse(
        Error{ErrorCode::kUnavailable, "this server runs without the in-memory book", {}});
  }
  QueryParams q(req);
  auto report = [&]() -> Result<engine::RetentionReport> {
    ORCHARD_CHECK(q.OnlyKnown({"from", "to", "group_by"}));
    ORCHARD_TRY(Date to, DateParam(q, "to", d.clock.Today()));
    ORCHARD_TRY(Date from, DateParam(q, "from", to.AddYears(-1)));
    ORCHARD_TRY(auto group, engine::ParseRetentionGroup(q.Get("group_by").value_or("")));
    return engine::Retention(*d.model, from, to, group, d.settings.Current().tiers);
  }();
  if (!report) return ErrorResponse(report.error());
  boost::json::object out;
  out["from"] = report->from.ToString();
  out["to"] = report->to.ToString();
  out["group_by"] = q.Get("group_by") ? boost::json::value(*q.Get("group_by")) : nullptr;
  out["total"] = FiguresJson(report->total);
  boost::json::array groups;
  for (const auto& row : report->rows) {
    boost::json::object g = FiguresJson(row.figures);
    g["key"] = row.key;
    groups.push_back(std::move(g));
  }
  out["groups"] = std::move(groups);
  return JsonResponse(out);
}

}  // namespace

void AddEngineRoutes(Router& r, const ApiDeps& d) {
  r.AddSchema("RetentionFigures", std::string(kFiguresSchema));
  r.AddSchema("Retention", R"({"type":"object","required":["from","to","group_by","total","groups"],
    "properties":{"from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"},
      "group_by":{"type":["string","null"],"enum":["am","tier","industry","region",null]},
      "total":{"$ref":"#/components/schemas/RetentionFigures"},
      "groups":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/RetentionFigures"},
        {"type":"object","required":["key"],"properties":{"key":{"type":"string"}}}]}}}})");
  r.Add(
      "GET", "/api/v1/metrics/retention", [d](const HttpRequest& q) { return Retention(d, q); },
      RouteDoc("NRR, GRR, expansion, contraction and churn over [from, to] (default: the trailing "
               "12 months), in total and by am, tier, industry or region",
               RouteDoc::Kind::kOther)
          .Query({"from", "to", "group_by"})
          .Response("Retention"));
}

}  // namespace orchard::http
