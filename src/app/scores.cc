#include "app/scores.h"

#include <spdlog/spdlog.h>

namespace orchard {

std::unique_ptr<scoring::LiveScores> LoadScoresOrWarn(store::ConnectionPool& pool) {
  auto loaded = [&]() -> Result<std::unique_ptr<scoring::LiveScores>> {
    ORCHARD_TRY(auto db, pool.Acquire());
    return scoring::LiveScores::Load(*db);
  }();
  if (loaded) return std::move(*loaded);
  spdlog::warn("the churn and upsell models could not be loaded ({}); the server runs without them",
               loaded.error().ToString());
  return nullptr;
}

void StartScoring(scoring::LiveScores* live, const engine::ReadModel& model, const Clock& clock,
                  service::SettingsService& settings) {
  if (live == nullptr) return;
  scoring::RefreshOptions refresh;  // every 60 s; stopped before the book it reads goes
  refresh.on_error = [](const Error& e) {
    spdlog::warn("scoring the book: {} (retrying)", e.ToString());
  };
  live->StartRefreshing(
      model, clock, [&settings] { return settings.Current(); }, refresh);
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
