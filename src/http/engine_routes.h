// Routes answered from the in-memory read model (engine/): the dashboards (one route per entry of
// engine/dashboard_table.h), retention metrics and each account's health. Without a model they
// answer 503. The handlers only read the query into the engine's typed question and render the
// typed answer as JSON.
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddEngineRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
