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
};

Router MakeRouter(const ApiDeps& deps);

}  // namespace orchard::http
