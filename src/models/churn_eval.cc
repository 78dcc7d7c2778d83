#include "models/churn_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "models/folds.h"

namespace orchard::models {

Learner LogisticLearner(LogisticOptions options) {
  return [options](const Dataset& train, const Dataset& test) -> Result<std::vector<double>> {
    ORCHARD_TRY(auto model, LogisticRegression::Fit(train, options));
    return model.Predict(test);
  };
}

Learner TreeLearner(TreeOptions options) {
  return [options](const Dataset& train, const Dataset& test) -> Result<std::vector<double>> {
    ORCHARD_TRY(auto model, BoostedTrees::Fit(train, options));
    return model.Predict(test);
  };
}

Learner AveragedLearner(std::vector<Learner> learners) {
  return [learners](const Dataset& train, const Dataset& test) -> Result<std::vector<double>> {
    std::vector<double> sum(test.rows(), 0.0);
    for (const auto& learner : learners) {
      ORCHARD_TRY(auto p, learner(train, test));
      for (size_t i = 0; i < sum.size(); ++i) sum[i] += p[i];
    }
    for (double& s : sum) s /= static_cast<double>(learners.size());
    return sum;
  };
}

Learner ChurnLearner(uint64_t seed, int threads, std::vector<ChurnOptions>* tuned) {
  return [seed, threads, tuned](const Dataset& train,
                                const Dataset& test) -> Result<std::vector<double>> {
    ORCHARD_TRY(auto options, TuneChurn(train, seed, threads));
    if (tuned != nullptr) tuned->push_back(options);
    ORCHARD_TRY(auto model, ChurnModel::Fit(train, seed, threads, options));
    return model.Predict(test);
  };
}

TreeOptions ShallowTreeOptions(uint64_t seed, int threads) {
  TreeOptions options = TreeOptions::Defaults(seed);
  options.threads = threads;
  options.params = {{"max_depth", "3"}, {"eta", "0.1"}};
  return options;
}

namespace {

// The first fold's three highest-risk customers, scored by the chosen learner trained on the
// other folds, with their top three drivers.
Result<std::vector<ChurnEvaluation::ScoredCustomer>> Examples(const TelcoData& data,
                                                              std::span<const int> folds,
                                                              uint64_t seed, int threads) {
  const FoldRows rows = SplitFold(folds, 0);
  const Dataset train = data.engineered.Subset(rows.train);
  const Dataset test = data.engineered.Subset(rows.test);
  ORCHARD_TRY(auto options, TuneChurn(train, seed, threads));
  ORCHARD_TRY(auto model, ChurnModel::Fit(train, seed, threads, options));
  ORCHARD_TRY(auto p, model.Predict(test));
  ORCHARD_TRY(auto contributions, model.PredictContributions(test));
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
  std::vector<ChurnEvaluation::ScoredCustomer> out;
  for (size_t i = 0; i < std::min<size_t>(3, order.size()); ++i) {
    const size_t r = order[i];
    out.push_back({data.ids[rows.test[r]], p[r], test.labels[r] == 1,
                   TopDrivers(contributions, r, test.feature_names, 3)});
  }
  return out;
}

}  // namespace

Result<LearnerReport> CrossValidate(const std::string& name, const Dataset& data,
                                    std::span<const int> folds, const Learner& learner) {
  LearnerReport report;
  report.name = name;
  report.oof.assign(data.rows(), 0.0);
  int k = 0;
  for (int f : folds) k = std::max(k, f + 1);
  const auto start = std::chrono::steady_clock::now();
  for (int fold = 0; fold < k; ++fold) {
    const FoldRows rows = SplitFold(folds, fold);
    const Dataset train = data.Subset(rows.train);
    const Dataset test = data.Subset(rows.test);
    ORCHARD_TRY(auto p, learner(train, test));
    ORCHARD_TRY(double auc, Auc(test.labels, p));
    report.fold_auc.push_back(auc);
    for (size_t i = 0; i < rows.test.size(); ++i) report.oof[rows.test[i]] = p[i];
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double sum = 0, sum2 = 0;
  for (double a : report.fold_auc) sum += a;
  report.mean_auc = sum / k;
  for (double a : report.fold_auc) sum2 += (a - report.mean_auc) * (a - report.mean_auc);
  report.sd_auc = k > 1 ? std::sqrt(sum2 / (k - 1)) : 0;
  ORCHARD_TRY(report.brier, BrierScore(data.labels, report.oof));
  ORCHARD_TRY(report.log_loss, LogLoss(data.labels, report.oof));
  ORCHARD_TRY(auto curve, ReliabilityCurve(data.labels, report.oof));
  report.ece = ExpectedCalibrationError(curve);
  return report;
}

Result<ChurnEvaluation> EvaluateChurn(const TelcoData& data, uint64_t seed, int k, int threads) {
  ChurnEvaluation out;
  out.rows = data.raw.rows();
  for (int y : data.raw.labels) out.positives += static_cast<size_t>(y);
  out.k = k;
  out.seed = seed;
  ORCHARD_TRY(auto folds, StratifiedFolds(data.raw.labels, k, seed));
  TreeOptions defaults = TreeOptions::Defaults(seed);
  defaults.threads = threads;

  ORCHARD_TRY(auto logistic,
              CrossValidate("logistic regression", data.raw, folds, LogisticLearner()));
  logistic.description = "L2 (λ = 1), standardised one-hot features, Newton's method";
  ORCHARD_TRY(auto trees,
              CrossValidate("XGBoost defaults", data.raw, folds, TreeLearner(defaults)));
  trees.description = "eta 0.3, max_depth 6, 100 rounds, on the same features";
  ORCHARD_TRY(auto shallow, CrossValidate(kShallowTreesName, data.raw, folds,
                                          TreeLearner(ShallowTreeOptions(seed, threads))));
  shallow.description =
      "XGBoost's defaults but max_depth 3 and eta 0.1 (scikit-learn's GradientBoostingClassifier "
      "defaults), on the same features";
  ORCHARD_TRY(auto chosen, CrossValidate("Orchard churn", data.engineered, folds,
                                         ChurnLearner(seed, threads, &out.tuned)));
  chosen.description =
      "logistic regression and shallow trees (depth 3, eta 0.05, 300 rounds) blended in log-odds, "
      "on the churn features; λ and the trees' weight chosen per fold by 4 inner folds of its "
      "training rows";
  ORCHARD_TRY(out.reliability, ReliabilityCurve(data.raw.labels, chosen.oof));
  ORCHARD_TRY(out.examples, Examples(data, folds, seed, threads));
  out.learners = {std::move(logistic), std::move(trees), std::move(shallow), std::move(chosen)};
  out.chosen = 3;
  return out;
}

}  // namespace orchard::models
