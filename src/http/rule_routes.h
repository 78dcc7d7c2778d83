// Automation's routes (issue 19): the rules (saved and versioned, their diffs, checks as one
// types, dry runs, traces per account, a pass on demand) and each user's inbox.
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddRuleRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
