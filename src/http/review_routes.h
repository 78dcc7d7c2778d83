// Reviews and cadence, and the closed-won handoff (issue 5): scheduling reviews from the tiers'
// cadences, what is due and overdue per AM and team, a review held; a handoff accepted.
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddReviewRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
