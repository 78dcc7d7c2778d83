// ChurnModel: Orchard's churn learner (issue 20) — logistic regression and shallow boosted trees
// on the churn features, blended on the log-odds scale: margin = (1 − w) · margin_lr +
// w · margin_trees, P = σ(margin). Blending log-odds rather than probabilities keeps the drivers
// exact: each feature's driver is (1 − w) × its logistic contribution (coefficient × standardised
// value) + w × its tree SHAP value, the bias likewise, and a row's drivers plus the bias sum to its
// margin.
//
// The logistic penalty λ and the trees' weight w are chosen by TuneChurn on inner stratified folds
// of the training rows alone (nested cross-validation: the rows a model is scored on never take
// part in choosing them). docs/MODELS.md has the choice and the figures.
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

struct ChurnOptions {
  double l2 = 1.0;           // logistic regression's λ
  double tree_weight = 0.5;  // w: the trees' share of the blended log-odds, 0 … 1
  double inner_auc = 0;      // TuneChurn: the mean inner-fold AUC of this choice (0 if not tuned)
};

// The grid TuneChurn searches and its inner folds.
struct ChurnTuning {
  std::vector<double> l2_grid = {0.3, 1, 3, 10, 30};
  std::vector<double> weight_grid = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};
  int inner_folds = 4;
};

// Chooses λ and w on `train` alone: `tuning.inner_folds` stratified folds of its rows (from
// `seed`); per inner fold the trees are fitted once and logistic regression once per λ; every
// (λ, w) pair is scored by its mean inner-fold AUC of the blended margins and the best wins (the
// first in grid order on a tie). Deterministic for a seed.
Result<ChurnOptions> TuneChurn(const Dataset& train, uint64_t seed, int threads,
                               const ChurnTuning& tuning = {});

class ChurnModel {
 public:
  static Result<ChurnModel> Fit(const Dataset& train, uint64_t seed, int threads = 1,
                                ChurnOptions options = {});

  Result<std::vector<double>> Predict(const Dataset& data) const;
  Result<std::vector<double>> PredictMargin(const Dataset& data) const;
  // Per feature (1 − w) × the logistic contribution + w × the tree SHAP value; the bias last.
  Result<Contributions> PredictContributions(const Dataset& data) const;

  const ChurnOptions& options() const { return options_; }
  // The two learners apart (their own AUCs in a backtest; storing the model).
  const LogisticRegression& logistic() const { return logistic_; }
  const BoostedTrees& trees() const { return trees_; }
  // A model stored before: its parts as logistic(), trees() and options() gave them.
  static ChurnModel FromParts(ChurnOptions options, LogisticRegression logistic,
                              BoostedTrees trees);

 private:
  ChurnOptions options_;
  LogisticRegression logistic_;
  BoostedTrees trees_;
};

}  // namespace orchard::models
