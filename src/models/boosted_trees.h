// BoostedTrees: gradient-boosted trees for a 0/1 label through XGBoost's C API (Debian's
// libxgboost-dev 1.7.4). The Booster handle is owned here (freed with the object); every DMatrix
// lives only inside one call. Every XGBoost return code is checked and becomes an Error carrying
// XGBGetLastError()'s message, so a bad parameter is an InvalidArgument, never a crash.
//
// Deterministic: `seed` and `nthread` are always set, and the histogram method on the CPU gives
// the same trees for the same data, parameters and seed. Not safe to use one object from two
// threads at once (XGBoost keeps the last prediction's buffer in the handle).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "models/dataset.h"

namespace orchard::models {

struct TreeOptions {
  int rounds = 100;  // boosting rounds (trees)
  // XGBoost's own parameter names and values, applied in order after Orchard's base parameters
  // (objective binary:logistic, tree_method hist, nthread, seed, verbosity 1): a later entry wins.
  std::vector<std::pair<std::string, std::string>> params;
  int threads = 2;
  uint64_t seed = 1;

  // XGBoost's defaults (eta 0.3, max_depth 6, min_child_weight 1, no subsampling) with 100 rounds,
  // as its Python and R packages train by default.
  static TreeOptions Defaults(uint64_t seed);
};

class BoostedTrees {
 public:
  static Result<BoostedTrees> Fit(const Dataset& train, const TreeOptions& options);
  // A model saved by Save (XGBoost's JSON model format).
  static Result<BoostedTrees> Load(std::string_view bytes, int threads = 2);
  static Result<BoostedTrees> LoadFile(const std::string& path, int threads = 2);

  // P(label = 1) per row.
  Result<std::vector<double>> Predict(const Dataset& data) const;
  // The log-odds per row.
  Result<std::vector<double>> PredictMargin(const Dataset& data) const;
  // Tree SHAP contributions (XGBoost's prediction type 2): per feature, then the bias, last; each
  // row's values sum to its margin.
  Result<Contributions> PredictContributions(const Dataset& data) const;

  Result<std::string> Save() const;
  Status SaveFile(const std::string& path) const;

  size_t features() const { return features_; }

  struct BoosterFree {
    void operator()(void* handle) const;
  };

 private:
  Result<std::vector<float>> RunPrediction(const Dataset& data, int type,
                                           std::vector<size_t>* shape) const;

  std::unique_ptr<void, BoosterFree> booster_;
  size_t features_ = 0;
};

}  // namespace orchard::models
