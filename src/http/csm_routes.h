// The CSM's scoreboard (issue 18): adoption, time to first value, CSAT and onboarding over the
// accounts a CSM covers (engine/csm_kpis.h defines each figure).
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddCsmRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
