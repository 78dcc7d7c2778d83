// FlatTrees: the trees of a stored model (XGBoost's JSON model) evaluated here, for scoring every
// account at once (Predictor::Refresh). XGBoost's own CPU predictor spent about 10 ns a tree per
// row on the model's 300 depth-3 trees — 6 s of one core for two models over 1M accounts, 70 % of
// a Refresh — because it walks a general tree layout through a DMatrix; these trees are packed
// as small nodes and walked straight from the feature row. The same rule as XGBoost: go left
// when the value is below the split (as floats), a missing value (NaN) goes the node's default
// way; the margin is the sum of the leaves plus the base score's log-odds. A test holds it to
// XGBoost's margins. Drivers (one account) still come from XGBoost's SHAP contributions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace orchard::predict {

class FlatTrees {
 public:
  // From BoostedTrees::Save()'s text (binary:logistic, one target, numerical splits only).
  static Result<FlatTrees> FromXgboostJson(std::string_view json, size_t features);

  double Margin(std::span<const float> row) const;
  // The margins of `n` rows of `cols` features (row-major) into out[0 … n): the same as Margin,
  // eight rows walking a tree side by side.
  void Margins(const float* rows, size_t n, size_t cols, double* out) const;

 private:
  // XGBoost puts a node's two children side by side (right = left + 1), so a step is
  // left + (went right), no branch. A leaf points at itself and always "goes left" (its split is
  // +∞, missing goes left), so every walk takes its tree's depth in steps, no branch on the data.
  struct Node {
    int32_t left = 0;
    int32_t feature = 0;
    float split = 0;
    float leaf = 0;  // a leaf's value (0 elsewhere)
    uint8_t default_left = 0;
  };
  struct Tree {
    int32_t root = 0;
    int32_t depth = 0;
  };
  std::vector<Node> nodes_;
  std::vector<Tree> trees_;
  double base_margin_ = 0;
};

}  // namespace orchard::predict
