#include "models/churn_model.h"

#include <cmath>
#include <utility>

#include "models/folds.h"
#include "models/metrics.h"

namespace orchard::models {

TreeOptions ChurnTreeOptions(uint64_t seed, int threads) {
  TreeOptions options;
  options.rounds = 300;
  options.seed = seed;
  options.threads = threads;
  options.params = {{"eta", "0.05"},      {"max_depth", "3"},          {"min_child_weight", "5"},
                    {"subsample", "0.8"}, {"colsample_bytree", "0.8"}, {"lambda", "1"}};
  return options;
}

Result<ChurnOptions> TuneChurn(const Dataset& train, uint64_t seed, int threads,
                               const ChurnTuning& tuning) {
  ORCHARD_CHECK(train.CheckBothClasses());
  if (tuning.l2_grid.empty() || tuning.weight_grid.empty())
    return FailValue("tuning", "the grids must not be empty");
  for (double w : tuning.weight_grid)
    if (!(w >= 0 && w <= 1)) return FailValue("tuning", "a tree weight outside 0 … 1");
  ORCHARD_TRY(auto folds, StratifiedFolds(train.labels, tuning.inner_folds, seed));
  const size_t lambdas = tuning.l2_grid.size(), weights = tuning.weight_grid.size();
  std::vector<double> auc_sum(lambdas * weights, 0.0);
  for (int fold = 0; fold < tuning.inner_folds; ++fold) {
    const FoldRows rows = SplitFold(folds, fold);
    const Dataset inner_train = train.Subset(rows.train);
    const Dataset inner_test = train.Subset(rows.test);
    ORCHARD_TRY(auto trees, BoostedTrees::Fit(inner_train, ChurnTreeOptions(seed, threads)));
    ORCHARD_TRY(auto tree_margin, trees.PredictMargin(inner_test));
    for (size_t l = 0; l < lambdas; ++l) {
      ORCHARD_TRY(auto logistic, LogisticRegression::Fit(inner_train, {.l2 = tuning.l2_grid[l]}));
      ORCHARD_TRY(auto lr_margin, logistic.PredictMargin(inner_test));
      for (size_t w = 0; w < weights; ++w) {
        const double weight = tuning.weight_grid[w];
        std::vector<double> blend(lr_margin.size());
        for (size_t i = 0; i < blend.size(); ++i)
          blend[i] = (1 - weight) * lr_margin[i] + weight * tree_margin[i];
        ORCHARD_TRY(double auc, Auc(inner_test.labels, blend));
        auc_sum[l * weights + w] += auc;
      }
    }
  }
  size_t best = 0;
  for (size_t c = 1; c < auc_sum.size(); ++c)
    if (auc_sum[c] > auc_sum[best]) best = c;
  return ChurnOptions{tuning.l2_grid[best / weights], tuning.weight_grid[best % weights],
                      auc_sum[best] / tuning.inner_folds};
}

Result<ChurnModel> ChurnModel::Fit(const Dataset& train, uint64_t seed, int threads,
                                   ChurnOptions options) {
  if (!(options.tree_weight >= 0 && options.tree_weight <= 1))
    return FailValue("tree_weight", "must be between 0 and 1");
  ChurnModel model;
  model.options_ = options;
  ORCHARD_TRY(model.logistic_, LogisticRegression::Fit(train, {.l2 = options.l2}));
  ORCHARD_TRY(model.trees_, BoostedTrees::Fit(train, ChurnTreeOptions(seed, threads)));
  return model;
}

ChurnModel ChurnModel::FromParts(ChurnOptions options, LogisticRegression logistic,
                                 BoostedTrees trees) {
  ChurnModel model;
  model.options_ = options;
  model.logistic_ = std::move(logistic);
  model.trees_ = std::move(trees);
  return model;
}

Result<std::vector<double>> ChurnModel::PredictMargin(const Dataset& data) const {
  const double w = options_.tree_weight;
  ORCHARD_TRY(auto margin, logistic_.PredictMargin(data));
  ORCHARD_TRY(auto trees, trees_.PredictMargin(data));
  for (size_t i = 0; i < margin.size(); ++i) margin[i] = (1 - w) * margin[i] + w * trees[i];
  return margin;
}

Result<std::vector<double>> ChurnModel::Predict(const Dataset& data) const {
  ORCHARD_TRY(auto margin, PredictMargin(data));
  for (double& m : margin) m = 1.0 / (1.0 + std::exp(-m));
  return margin;
}

Result<Contributions> ChurnModel::PredictContributions(const Dataset& data) const {
  const double w = options_.tree_weight;
  ORCHARD_TRY(auto out, logistic_.PredictContributions(data));
  ORCHARD_TRY(auto trees, trees_.PredictContributions(data));
  for (size_t i = 0; i < out.values.size(); ++i)
    out.values[i] = (1 - w) * out.values[i] + w * trees.values[i];
  return out;
}

}  // namespace orchard::models
