#include "app/scores.h"

namespace orchard {

Result<std::unique_ptr<scoring::LiveScores>> LoadScores(store::ConnectionPool& pool) {
  ORCHARD_TRY(auto db, pool.Acquire());
  return scoring::LiveScores::Load(*db);
}

bool DashboardShowsScores(std::string_view name) {
  return name == "at-risk" || name == "renewals" || name == "growth";
}

Status ScoreForReport(store::Database& db, const engine::ReadModel& model, const Settings& settings,
                      Date today, engine::DashboardQuery& query) {
  ORCHARD_TRY(auto live, scoring::LiveScores::Load(db));
  ORCHARD_CHECK(live->Refresh(model, today, settings));
  std::shared_ptr<const engine::ModelScores> latest = live->Latest();
  // The view keeps the predictor's scores alive; the LiveScores goes with this function.
  query.scores = std::move(latest);
  return Ok();
}

}  // namespace orchard
