// Training on the book's history: the examples (predict/examples.h), the time-based backtest and
// the refit on everything known, stored by Train (docs/MODELS.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <utility>

#include "models/churn_model.h"
#include "models/metrics.h"
#include "predict/examples.h"
#include "predict/features.h"
#include "predict/model_store.h"
#include "predict/predictor.h"

namespace orchard::predict {
namespace {

// XGBoost's nthread when training: one, as models::EvaluateChurn found on a busy 2-core machine
// (a second OpenMP thread cost more than it saved); scoring (Predictor) uses two.
constexpr int kThreads = 1;

std::string EventWords(ModelKind kind, int64_t n) {
  const char* what = kind == ModelKind::kChurn ? (n == 1 ? "churn or contraction at renewal"
                                                         : "churns or contractions at renewal")
                                               : (n == 1 ? "expansion" : "expansions");
  return std::to_string(n) + " " + what;
}

std::string NowIso8601() {
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return Timestamp::FromUnixSeconds(now.time_since_epoch().count()).ToIso8601();
}

struct Backtested {
  ModelReport report;
  Examples examples;
  models::ChurnOptions options;  // λ and the trees' weight TuneChurn chose on the training part
};

Result<double> AucOf(const models::Dataset& test, Result<std::vector<double>> p) {
  if (!p) return std::unexpected(p.error());
  return models::Auc(test.labels, *p);
}

Result<Backtested> RunBacktest(ModelKind kind, const engine::ReadModel& model,
                               const Settings& settings, Date today, uint64_t seed) {
  Backtested out;
  ModelReport& r = out.report;
  r.kind = kind;
  r.features = FeatureKeys();
  out.examples = BuildExamples(kind, model, settings, today);
  const Examples& ex = out.examples;
  r.examples = static_cast<int64_t>(ex.data.rows());
  for (int label : ex.data.labels) r.events += label;
  r.accounts = static_cast<int64_t>(std::set(ex.account.begin(), ex.account.end()).size());
  if (r.events < 50) {
    r.reason = "the book's history holds " + EventWords(kind, r.events) + "; 50 are needed";
    return out;
  }
  const Split split = SplitAtCutoff(ex);
  r.cutoff = Date::FromDays(split.cutoff);
  models::Dataset train = ex.data.Subset(split.train), test = ex.data.Subset(split.test);
  r.train_examples = static_cast<int64_t>(train.rows());
  r.test_examples = static_cast<int64_t>(test.rows());
  if (!train.CheckBothClasses() || !test.CheckBothClasses()) {
    r.reason = "the history before or after the backtest's cutoff " + r.cutoff.ToString() +
               " holds only one outcome: too short a history to test the model";
    return out;
  }
  ORCHARD_TRY(out.options, models::TuneChurn(train, seed, kThreads));
  ORCHARD_TRY(auto fitted, models::ChurnModel::Fit(train, seed, kThreads, out.options));
  ORCHARD_TRY(auto p, fitted.Predict(test));
  ORCHARD_TRY(r.auc, models::Auc(test.labels, p));
  ORCHARD_TRY(r.brier, models::BrierScore(test.labels, p));
  ORCHARD_TRY(r.auc_logistic, AucOf(test, fitted.logistic().Predict(test)));
  ORCHARD_TRY(r.auc_trees, AucOf(test, fitted.trees().Predict(test)));
  ORCHARD_TRY(auto curve, models::ReliabilityCurve(test.labels, p, 10));
  for (const auto& b : curve) {
    r.reliability.push_back(
        {b.lower, b.upper, static_cast<int64_t>(b.count), b.mean_predicted, b.observed_rate});
  }
  r.trained = true;
  return out;
}

}  // namespace

Result<ModelReport> Backtest(ModelKind kind, const engine::ReadModel& model,
                             const Settings& settings, Date today, uint64_t seed) {
  ORCHARD_TRY(auto done, RunBacktest(kind, model, settings, today, seed));
  if (done.report.trained) done.report.reason.clear();
  // A backtest stores nothing: "trained" says only that it could be run.
  return done.report;
}

Result<ModelReport> Train(ModelKind kind, store::Database& db, const engine::ReadModel& model,
                          const Settings& settings, Date today, uint64_t seed) {
  ORCHARD_TRY(auto done, RunBacktest(kind, model, settings, today, seed));
  ModelReport report = std::move(done.report);
  if (!report.trained) return report;
  // The stored model: refit on every example whose outcome is known (all of them are), with the
  // λ and trees' weight the backtest's tuning chose (tuning again would double the training time
  // for a choice the backtest has already been scored on).
  const models::Dataset& all = done.examples.data;
  ORCHARD_TRY(auto fitted, models::ChurnModel::Fit(all, seed, kThreads, done.options));
  report.trained_at = NowIso8601();
  ORCHARD_TRY(report.version, SaveModel(db, report, fitted));
  return report;
}

}  // namespace orchard::predict
