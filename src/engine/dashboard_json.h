// The dashboards' answers as JSON: the API's form, which `orchard report` also prints (as is with
// --format json, or as a table or CSV of its rows). A library of its own (orchard_dashboard_json)
// so the CLI and bench/ render a dashboard exactly as the API does without linking http/.
#pragma once

#include <boost/json/object.hpp>

#include "engine/dashboard_table.h"
#include "engine/read_model.h"
#include "engine/retention.h"

namespace orchard::engine {

// NRR, GRR and the sums behind them (the retention route's figures too).
boost::json::object RetentionFiguresJson(const RetentionFigures& figures);

// {"dashboard", "as_of", ...the dashboard's own fields}. Rows about an account carry its name
// ("account_name", null for an account erased since the answer), read under the model's lock.
boost::json::object DashboardJson(const ReadModel& model, const DashboardAnswer& answer);

}  // namespace orchard::engine
