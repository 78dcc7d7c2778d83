// The account plan's routes beyond its CRUD (issue 5): what changed between two versions, and
// marking a plan reviewed.
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddPlanRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
