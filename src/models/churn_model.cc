#include "models/churn_model.h"

#include <cmath>

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

Result<ChurnModel> ChurnModel::Fit(const Dataset& train, uint64_t seed, int threads) {
  ChurnModel model;
  ORCHARD_TRY(model.logistic_, LogisticRegression::Fit(train));
  ORCHARD_TRY(model.trees_, BoostedTrees::Fit(train, ChurnTreeOptions(seed, threads)));
  return model;
}

Result<std::vector<double>> ChurnModel::PredictMargin(const Dataset& data) const {
  ORCHARD_TRY(auto margin, logistic_.PredictMargin(data));
  ORCHARD_TRY(auto trees, trees_.PredictMargin(data));
  for (size_t i = 0; i < margin.size(); ++i) margin[i] = (margin[i] + trees[i]) / 2;
  return margin;
}

Result<std::vector<double>> ChurnModel::Predict(const Dataset& data) const {
  ORCHARD_TRY(auto margin, PredictMargin(data));
  for (double& m : margin) m = 1.0 / (1.0 + std::exp(-m));
  return margin;
}

Result<Contributions> ChurnModel::PredictContributions(const Dataset& data) const {
  ORCHARD_TRY(auto out, logistic_.PredictContributions(data));
  ORCHARD_TRY(auto trees, trees_.PredictContributions(data));
  for (size_t i = 0; i < out.values.size(); ++i)
    out.values[i] = (out.values[i] + trees.values[i]) / 2;
  return out;
}

}  // namespace orchard::models
