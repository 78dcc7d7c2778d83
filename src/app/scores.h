// The models' scores for the commands (issue 20, item 5): `orchard serve` loads the stored models
// and keeps their scores fresh on a thread; `orchard report` has no server, so it loads them and
// scores the book once for the dashboards that show them (at-risk and renewals' churn column,
// growth).
#pragma once

#include <memory>
#include <string_view>

#include "core/result.h"
#include "engine/dashboard_table.h"
#include "scoring/live_scores.h"
#include "service/settings_service.h"
#include "store/pool.h"

namespace orchard {

// The stored models, read through a connection of `pool`; none (after a warning) when they
// cannot be read, so the server runs without them (their routes answer 503) rather than not at
// all.
std::unique_ptr<scoring::LiveScores> LoadScoresOrWarn(store::ConnectionPool& pool);

// `orchard serve`'s scoring thread: the book scored at once, then every 60 s, with the settings
// in force (none without `live`). Called once the server is up, so start-up never waits for it.
void StartScoring(scoring::LiveScores* live, const engine::ReadModel& model, const Clock& clock,
                  service::SettingsService& settings);

// Whether dashboard `name` shows the models' scores.
bool DashboardShowsScores(std::string_view name);

// For `orchard report`: the stored models of `db`, the book scored once as of `today`, handed to
// `query` (kept alive by it).
Status ScoreForReport(store::Database& db, const engine::ReadModel& model, const Settings& settings,
                      Date today, engine::DashboardQuery& query);

}  // namespace orchard
