// The route table of the HTTP API: which file answers which resource, in the order the OpenAPI
// document lists them. The handlers live by resource (auth_routes.cc, account_routes.cc,
// admin_routes.cc, plan_routes.cc, review_routes.cc, import_routes.cc, engine_routes.cc), the
// generic entity routes in crud.h (entity_routes.h), the helpers they share in handler_kit.h.
#include "http/api.h"

#include <boost/json.hpp>

#include <memory>

#include "http/account_routes.h"
#include "http/admin_routes.h"
#include "http/auth_routes.h"
#include "http/csm_routes.h"
#include "http/engine_routes.h"
#include "http/entity_routes.h"
#include "http/health.h"
#include "http/import_routes.h"
#include "http/openapi.h"
#include "http/plan_routes.h"
#include "http/prediction_routes.h"
#include "http/review_routes.h"
#include "http/rule_routes.h"
#include "http/sentiment_routes.h"
#include "http/session.h"
#include "http/web.h"
#include "http/webhook_routes.h"

namespace orchard::http {

namespace {

// Everything under an account and the parts of a plan: reachable on their own and from their
// parent (entity_routes.h), with the hand-written routes beside them.
void AddEntityRoutes(Router& r, const ApiDeps& d) {
  AddDivisionContractContactRoutes(r, d);
  AddRelationshipMapRoute(r, d);
  AddOpportunityActivityRoutes(r, d);
  AddParticipantRoutes(r, d);
  AddTicketRoutes(r, d);
  AddSignalAndWorkRoutes(r, d);
  AddSentimentRoutes(r, d);
  AddPlanPartRoutes(r, d);
}

}  // namespace

Router MakeRouter(const ApiDeps& d) {
  service::AuthService& auth = d.auth;
  // Every route not marked public is signed in here, before its handler runs.
  Router r([&auth](const HttpRequest& q) { return Authenticate(auth, q); });
  using K = RouteDoc::Kind;

  // The web UI: its files, and its index page for "/" and every other page path.
  r.Add(
      "GET", "/", [](const HttpRequest& q) -> Result<Reply> { return *ServeWeb(q); },
      RouteDoc("The web UI", K::kOther).Public());
  r.SetFallback(ServeWeb);
  AddHealthRoutes(r, d.pool);
  AddAuthRoutes(r, d);
  AddAccountRoutes(r, d);
  AddEntityRoutes(r, d);
  AddAdminRoutes(r, d);
  AddPlanVersionRoutes(r, d);
  AddPlanRoutes(r, d);
  AddReviewRoutes(r, d);
  AddCsmRoutes(r, d);
  AddRuleRoutes(r, d);
  AddImportRoutes(r, d);
  AddWebhookRoutes(r, d);
  AddAuditRoutes(r, d);
  AddEngineRoutes(r, d);
  AddPredictionRoutes(r, d);

  if (d.metrics != nullptr) {
    r.Add(
        "GET", "/metrics",
        [metrics = d.metrics](const HttpRequest& q) -> Result<Reply> { return metrics->Serve(q); },
        RouteDoc("Prometheus metrics: requests, latency, database pool (the metrics token, "
                 "or a server on loopback only)",
                 K::kOther)
            .Public());
  }

  // The document describes every route above, and itself.
  auto document = std::make_shared<std::string>();
  r.Add(
      "GET", "/api/v1/openapi.json",
      [document](const HttpRequest&) -> Result<Reply> {
        Reply res;
        res.body = *document;
        return res;
      },
      RouteDoc("This OpenAPI 3.1 document", K::kOther).Public());
  *document = boost::json::serialize(BuildOpenApi(r));
  return r;
}

}  // namespace orchard::http
