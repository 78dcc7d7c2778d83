// The routes of the HTTP API and their handlers: authenticate, parse and check parameters, call
// a service, map the result to JSON. Handlers know HTTP; services do not.
#pragma once

#include "core/clock.h"
#include "engine/read_model.h"
#include "http/metrics.h"
#include "http/router.h"
#include "service/account_service.h"
#include "service/auth_service.h"
#include "service/settings_service.h"
#include "store/pool.h"

namespace orchard::automation {
class RuleService;
class RuleEngine;
}  // namespace orchard::automation

namespace orchard::scoring {
class LiveScores;
}  // namespace orchard::scoring

namespace orchard::http {

struct ApiDeps {
  store::ConnectionPool& pool;
  const Clock& clock;
  service::AccountService& accounts;
  service::AuthService& auth;
  service::SettingsService& settings;
  Metrics* metrics = nullptr;  // serves /metrics when set
  // The in-memory book: kept current by every write, and the source of the metrics routes
  // (which answer 503 without it).
  engine::ReadModel* model = nullptr;
  // PDF exports (a Chromium process each) at once, on this server and per user; past either,
  // 429 with Retry-After.
  int pdf_exports_at_once = 2;
  int pdf_exports_per_user = 1;
  // Automation (issue 19): the rules and the engine that runs them; their routes answer 503
  // without them.
  automation::RuleService* rules = nullptr;
  automation::RuleEngine* rule_engine = nullptr;
  // The churn and upsell models and their latest scores (issue 20): the predictions and models
  // routes answer 503 without them, and the dashboards' churn and growth columns are empty.
  scoring::LiveScores* predictions = nullptr;
};

Router MakeRouter(const ApiDeps& deps);

}  // namespace orchard::http
