// Routes answered from the in-memory read model (engine/): retention metrics now; dashboards and
// health as the engine grows. Without a model they answer 503.
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddEngineRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
