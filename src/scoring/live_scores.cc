#include "scoring/live_scores.h"

#include <utility>

namespace orchard::scoring {

namespace {

// Why a model gives no scores, from its report ("" when it is trained).
std::string ReasonOf(const predict::ModelReport& report) {
  if (report.trained) return "";
  return report.reason.empty() ? "the model is not trained" : report.reason;
}

}  // namespace

LiveScores::LiveScores(std::shared_ptr<predict::Predictor> predictor)
    : predictor_(std::move(predictor)) {}

LiveScores::~LiveScores() { Stop(); }

Result<std::unique_ptr<LiveScores>> LiveScores::Load(store::Database& db) {
  ORCHARD_TRY(auto predictor, predict::Predictor::Load(db));
  return std::make_unique<LiveScores>(std::move(predictor));
}

Status LiveScores::Refresh(const engine::ReadModel& model, Date today, const Settings& settings) {
  std::lock_guard writing(writing_);  // the predictor has one writer at a time
  ORCHARD_CHECK(predictor_->Refresh(model, today, settings));
  std::shared_ptr<const predict::Scores> scores = predictor_->Latest();
  if (!scores) return Fail(ErrorCode::kInternal, "the models gave no scores");
  auto view = std::make_shared<engine::ModelScores>();
  view->day = scores->day;
  view->churn = scores->churn;
  view->upsell = scores->upsell;
  view->expected_expansion_cents = scores->expected_expansion_cents;
  const auto reports = predictor_->Reports();
  for (const auto& report : reports) {
    (report.kind == predict::ModelKind::kChurn ? view->churn_reason : view->upsell_reason) =
        ReasonOf(report);
  }
  view->keep = scores;
  engine::RankGrowth(model, *view);
  std::lock_guard lock(mu_);
  latest_ = std::move(view);
  return Ok();
}

std::shared_ptr<const engine::ModelScores> LiveScores::Latest() const {
  std::lock_guard lock(mu_);
  return latest_;
}

Result<predict::ModelReport> LiveScores::Train(predict::ModelKind kind, store::Database& db,
                                               const engine::ReadModel& model,
                                               const Settings& settings, Date today) {
  std::unique_lock training(training_, std::try_to_lock);
  if (!training.owns_lock()) {
    return Fail(ErrorCode::kConflict,
                "a model is being trained on this server; try again when it has finished");
  }
  ORCHARD_TRY(auto report, predict::Train(kind, db, model, settings, today));
  {
    std::lock_guard writing(writing_);  // the predictor has one writer at a time
    ORCHARD_CHECK(predictor_->Reload(db));
  }
  // The new model's scores before the answer, so what the caller reads next has them.
  ORCHARD_CHECK(Refresh(model, today, settings));
  return report;
}

void LiveScores::StartRefreshing(const engine::ReadModel& model, const Clock& clock,
                                 std::function<Settings()> settings, RefreshOptions options) {
  Stop();
  std::lock_guard lock(mu_);
  stop_ = false;
  thread_ = std::thread([this, &model, &clock, settings = std::move(settings),
                         options = std::move(options)] { Run(model, clock, settings, options); });
}

void LiveScores::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveScores::Run(const engine::ReadModel& model, const Clock& clock,
                     const std::function<Settings()>& settings, const RefreshOptions& options) {
  for (;;) {
    if (Status done = Refresh(model, clock.Today(), settings()); !done && options.on_error) {
      options.on_error(done.error());
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options.every, [&] { return stop_; });
    if (stop_) return;
  }
}

}  // namespace orchard::scoring
