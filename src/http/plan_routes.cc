#include "http/plan_routes.h"

#include <boost/json.hpp>

#include "http/crud.h"
#include "http/errors.h"
#include "http/params.h"
#include "service/entity_service.h"
#include "service/plan_history.h"

namespace orchard::http {

namespace {

// A version without its snapshot: who changed what, when.
boost::json::object VersionJson(const PlanVersion& v) {
  boost::json::object out = service::ToJson(v);
  out.erase("snapshot_json");
  return out;
}

// GET /api/v1/plans/{id}/diff?from=&to=: the versions from `from` to `to` and what changed.
HttpResponse PlanDiffAnswer(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  Params params(req.query.begin(), req.query.end());
  if (auto known = OnlyParams(params, "a plan's diff", {"from", "to"}); !known) {
    return ErrorResponse(known.error());
  }
  auto from = IntParam(params, "from", 1, INT64_MAX);
  if (!from) return ErrorResponse(from.error());
  auto to = IntParam(params, "to", 1, INT64_MAX);
  if (!to) return ErrorResponse(to.error());
  auto diff = service::DiffPlan(d.pool, PlanId(*id), *from, *to);
  if (!diff) return ErrorResponse(diff.error());
  boost::json::array versions;
  for (const PlanVersion& v : diff->versions) versions.push_back(VersionJson(v));
  return JsonResponse(boost::json::object{{"plan_id", *id},
                                          {"from", VersionJson(diff->versions.front())},
                                          {"to", VersionJson(diff->versions.back())},
                                          {"versions", std::move(versions)},
                                          {"changes", std::move(diff->changes)}});
}

// POST /api/v1/plans/{id}/reviewed: the plan was reviewed now, which resets its freshness.
HttpResponse MarkReviewed(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  service::EntityService<AccountPlan> plans(d.pool, d.clock, d.model);
  auto current = plans.Get(*actor, PlanId(*id));
  if (!current) return ErrorResponse(current.error());
  auto saved = plans.Update(*actor, PlanId(*id), current->version, [&](AccountPlan& p) -> Status {
    p.last_reviewed_at = d.clock.Now();
    return Ok();
  });
  if (!saved) return ErrorResponse(saved.error());
  return JsonResponse(service::ToJson(*saved));
}

}  // namespace

void AddPlanRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("PlanDiff",
              R"({"type":"object","required":["plan_id","from","to","versions","changes"],
    "properties":{"plan_id":{"type":"integer"},"from":{"type":"object"},"to":{"type":"object"},
      "versions":{"type":"array","items":{"type":"object"}},
      "changes":{"type":"object","required":["plan","priorities","risks","whitespace_cells","incomplete",
        "actions"]}}})");
  r.Add(
      "GET", "/api/v1/plans/{id}/diff", [d](const HttpRequest& q) { return PlanDiffAnswer(d, q); },
      RouteDoc("What changed in a plan from version `from` to version `to` (default: the latest "
               "and the one before): the versions between, who made them and when, the plan's "
               "changed fields, and each part's added, removed and changed rows",
               K::kOther)
          .Query({"from", "to"})
          .Response("PlanDiff"));
  r.Add(
      "POST", "/api/v1/plans/{id}/reviewed",
      [d](const HttpRequest& q) { return MarkReviewed(d, q); },
      RouteDoc("Mark the plan reviewed now: its freshness starts again", K::kOther)
          .Response("plans"));
}

}  // namespace orchard::http
