// ChurnModel: Orchard's churn learner (issue 20) — logistic regression and shallow boosted trees
// on the churn features, averaged on the log-odds scale: P = σ((margin_lr + margin_trees) / 2).
// Averaging log-odds rather than probabilities keeps the drivers exact: each feature's driver is
// the mean of its two contributions (coefficient × standardised value, and its tree SHAP value),
// and a row's drivers plus the bias sum to its margin. docs/MODELS.md has the choice and figures.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "models/boosted_trees.h"
#include "models/dataset.h"
#include "models/logistic.h"

namespace orchard::models {

// The trees' settings, fixed before the evaluation (docs/MODELS.md): shallow (depth 3) so each
// tree is an interaction of at most three features, a small step (0.05) over 300 rounds,
// min_child_weight 5 and row and column subsampling (0.8, seeded) against overfitting.
TreeOptions ChurnTreeOptions(uint64_t seed, int threads);

class ChurnModel {
 public:
  static Result<ChurnModel> Fit(const Dataset& train, uint64_t seed, int threads = 1);

  Result<std::vector<double>> Predict(const Dataset& data) const;
  Result<std::vector<double>> PredictMargin(const Dataset& data) const;
  // Per feature the mean of the two learners' contributions; the bias last.
  Result<Contributions> PredictContributions(const Dataset& data) const;

 private:
  LogisticRegression logistic_;
  BoostedTrees trees_;
};

}  // namespace orchard::models
