// The honest evaluation of issue 20's churn learners: k-fold stratified cross-validation with a
// fixed seed, every learner on the same folds, each fold's test rows scored by a model that never
// saw them. Per learner: AUC per fold with mean ± sd, and the Brier score, log loss and expected
// calibration error of the pooled out-of-fold predictions; and the reliability curve of the
// learner Orchard chooses for churn. docs/MODELS.md has the figures and how to reproduce them.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "models/boosted_trees.h"
#include "models/churn_model.h"
#include "models/dataset.h"
#include "models/logistic.h"
#include "models/metrics.h"
#include "models/telco.h"

namespace orchard::models {

// Fits on `train`, returns P(label = 1) for each row of `test`.
using Learner =
    std::function<Result<std::vector<double>>(const Dataset& train, const Dataset& test)>;

// The learners, as CrossValidate takes them.
Learner LogisticLearner(LogisticOptions options = {});
Learner TreeLearner(TreeOptions options);
// The mean of the learners' probabilities.
Learner AveragedLearner(std::vector<Learner> learners);
// Orchard's churn learner (models/churn_model.h): λ and the trees' weight tuned by TuneChurn on
// the training rows it is given, then fitted on all of them. Each fit's choice is appended to
// `tuned` if not null.
Learner ChurnLearner(uint64_t seed, int threads, std::vector<ChurnOptions>* tuned = nullptr);

// The "default boosted trees" of issue 20 as scikit-learn's GradientBoostingClassifier trains by
// default: 100 rounds of depth-3 trees at eta 0.1 (XGBoost's other defaults: min_child_weight 1,
// lambda 1, no subsampling).
TreeOptions ShallowTreeOptions(uint64_t seed, int threads);
inline constexpr const char* kShallowTreesName = "boosted trees (depth 3, eta 0.1, 100 rounds)";

struct LearnerReport {
  std::string name;
  std::string description;
  std::vector<double> fold_auc;
  double mean_auc = 0;
  double sd_auc = 0;        // sample standard deviation over the folds
  double brier = 0;         // pooled out-of-fold
  double log_loss = 0;      // pooled out-of-fold
  double ece = 0;           // pooled out-of-fold, 10 equal-width bins
  double seconds = 0;       // wall time of its k fits and predictions
  std::vector<double> oof;  // the out-of-fold probability of every row
};

// Cross-validates one learner over the folds (fold of each row, 0 … k − 1).
Result<LearnerReport> CrossValidate(const std::string& name, const Dataset& data,
                                    std::span<const int> folds, const Learner& learner);

struct ChurnEvaluation {
  size_t rows = 0;
  size_t positives = 0;
  int k = 5;
  uint64_t seed = 1;
  // Logistic regression, XGBoost defaults, boosted trees (depth 3, eta 0.1), Orchard's choice.
  std::vector<LearnerReport> learners;
  size_t chosen = 0;  // index into learners
  // Per outer fold, the λ and tree weight TuneChurn chose for the chosen learner on its training
  // rows, with their mean inner-fold AUC.
  std::vector<ChurnOptions> tuned;
  std::vector<ReliabilityBin> reliability;  // of the chosen learner, 10 equal-width bins

  // The first fold's highest-risk customers as the chosen learner scores them (trained on the
  // other folds), each with its top drivers: what a renewal list would show.
  struct ScoredCustomer {
    std::string id;
    double probability = 0;
    bool churned = false;
    std::vector<Driver> drivers;
  };
  std::vector<ScoredCustomer> examples;
};

// The four learners of docs/MODELS.md on the Telco data, k stratified folds from `seed`.
// `threads` is XGBoost's nthread: 1 by default, because on data this small (5,600 training rows)
// a second OpenMP thread cost more than it saved on a busy 2-core machine (docs/MODELS.md).
Result<ChurnEvaluation> EvaluateChurn(const TelcoData& data, uint64_t seed, int k = 5,
                                      int threads = 1);

}  // namespace orchard::models
