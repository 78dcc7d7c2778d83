// Routes answered from the in-memory read model (engine/): the dashboards, retention metrics and
// each account's health. Without a model they answer 503.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddEngineRoutes(Router& r, const ApiDeps& d);

// The dashboards by name, as the API answers them: for `orchard report` too. `params` are the
// query parameters (am, tier, window, from, to, quadrant, limit, offset; each dashboard names the
// ones it takes). Long answers come a page at a time: `limit` (default 100, at most 10,000) rows
// from `offset`, with `total`.
inline constexpr std::string_view kDashboards[] = {
    "at-risk",   "renewals", "expansion-pipeline", "nrr-leaderboard",
    "portfolio", "coverage", "inspection",         "kpis"};
Result<boost::json::object> Dashboard(std::string_view name, const engine::ReadModel& model,
                                      const Settings& settings, Date today,
                                      const std::map<std::string, std::string>& params);

// One account's health as GET /api/v1/accounts/{id}/health answers it (the plan page shows it).
Result<boost::json::object> AccountHealth(const engine::ReadModel& model, const Settings& settings,
                                          Date today, int64_t account_id);

}  // namespace orchard::http
