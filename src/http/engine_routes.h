// Routes answered from the in-memory read model (engine/): retention metrics now; dashboards and
// health as the engine grows. Without a model they answer 503.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddEngineRoutes(Router& r, const ApiDeps& d);

// The dashboards by name (renewals, nrr-leaderboard, coverage, kpis), as the API answers them:
// for `orchard report` too. `params` are the query parameters (am, tier, window, from, to).
inline constexpr std::string_view kDashboards[] = {"renewals", "nrr-leaderboard", "coverage",
                                                   "kpis"};
Result<boost::json::object> Dashboard(std::string_view name, const engine::ReadModel& model,
                                      const Settings& settings, Date today,
                                      const std::map<std::string, std::string>& params);

}  // namespace orchard::http
