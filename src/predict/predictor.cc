#include "predict/predictor.h"

#include <cmath>
#include <limits>

namespace orchard::predict {

class StoredModel {};

namespace {

ModelReport NotTrained(ModelKind kind) {
  ModelReport report;
  report.kind = kind;
  report.reason = "not trained yet: run `orchard model train " + std::string(ToString(kind)) + "`";
  return report;
}

}  // namespace

std::string_view ToString(ModelKind kind) { return kind == ModelKind::kChurn ? "churn" : "upsell"; }

Result<ModelKind> ParseModelKind(std::string_view name) {
  if (name == "churn") return ModelKind::kChurn;
  if (name == "upsell") return ModelKind::kUpsell;
  return FailValue("model", "unknown model '" + std::string(name) + "': churn or upsell");
}

Predictor::Predictor() {
  reports_[0] = NotTrained(ModelKind::kChurn);
  reports_[1] = NotTrained(ModelKind::kUpsell);
}
Predictor::~Predictor() = default;

Result<std::shared_ptr<Predictor>> Predictor::Load(store::Database& db) {
  auto predictor = std::make_shared<Predictor>();
  ORCHARD_CHECK(predictor->Reload(db));
  return predictor;
}

std::vector<ModelReport> Predictor::Reports() const {
  std::lock_guard lock(mu_);
  return {reports_[0], reports_[1]};
}

Prediction Predictor::Predict(ModelKind kind, const engine::ReadModel& model, AccountId account,
                              Date today, const Settings& settings) const {
  (void)model;
  (void)account;
  (void)today;
  (void)settings;
  Prediction p;
  p.kind = kind;
  std::lock_guard lock(mu_);
  p.reason = reports_[static_cast<int>(kind)].reason;
  return p;
}

Result<void> Predictor::Refresh(const engine::ReadModel& model, Date today,
                                const Settings& settings) {
  (void)settings;
  auto scores = std::make_shared<Scores>();
  scores->day = today;
  {
    auto lock = model.ReadLock();
    size_t n = model.slots();
    scores->churn.assign(n, std::numeric_limits<float>::quiet_NaN());
    scores->upsell.assign(n, std::numeric_limits<float>::quiet_NaN());
    scores->expected_expansion_cents.assign(n, 0);
  }
  std::lock_guard lock(mu_);
  latest_ = std::move(scores);
  return {};
}

std::shared_ptr<const Scores> Predictor::Latest() const {
  std::lock_guard lock(mu_);
  return latest_;
}

Result<void> Predictor::Reload(store::Database& db) {
  (void)db;
  return {};
}

Result<ModelReport> Train(ModelKind kind, store::Database& db, const engine::ReadModel& model,
                          const Settings& settings, Date today, uint64_t seed) {
  (void)db;
  (void)model;
  (void)settings;
  (void)today;
  (void)seed;
  ModelReport report = NotTrained(kind);
  report.reason = "training on the book's history is not built yet";
  return report;
}

}  // namespace orchard::predict
