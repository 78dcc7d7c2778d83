// Dataset: a dense table of float features (row-major, NaN = missing) and 0/1 labels, the one
// input of the learners in models/ (issue 20). A plain value: learners copy what they keep.
// Contributions: what each feature added to one row's score (the drivers shown beside a score).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace orchard::models {

struct Dataset {
  std::vector<std::string> feature_names;
  std::vector<float> values;  // rows() × cols(), row-major; NaN is a missing value
  std::vector<int> labels;    // 0 or 1, one per row (empty for data to score only)

  size_t cols() const { return feature_names.size(); }
  size_t rows() const { return cols() == 0 ? 0 : values.size() / cols(); }
  float At(size_t row, size_t col) const { return values[row * cols() + col]; }
  std::span<const float> Row(size_t row) const { return {values.data() + row * cols(), cols()}; }

  // The rows named, in that order, with their labels.
  Dataset Subset(std::span<const size_t> rows) const;
  // Sizes agree, labels (if any) are one per row and 0 or 1: an InvalidArgument error if not.
  Status Check() const;
  // With labels: both classes are present (a learner cannot fit one class).
  Status CheckBothClasses() const;
};

// Per row: one value per feature (on the score's log-odds scale) and, last, the bias, so that a
// row's values sum to its margin (the log-odds before the sigmoid).
struct Contributions {
  size_t rows = 0;
  size_t cols = 0;             // features + 1 (the bias, last)
  std::vector<double> values;  // rows × cols, row-major

  double At(size_t row, size_t col) const { return values[row * cols + col]; }
};

struct Driver {
  std::string feature;
  double contribution = 0;  // log-odds; > 0 pushes towards churn
};

// The `count` features with the largest |contribution| in one row, largest first (bias excluded).
std::vector<Driver> TopDrivers(const Contributions& contributions, size_t row,
                               std::span<const std::string> feature_names, size_t count);

}  // namespace orchard::models
