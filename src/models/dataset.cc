#include "models/dataset.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace orchard::models {

Dataset Dataset::Subset(std::span<const size_t> rows) const {
  Dataset out;
  out.feature_names = feature_names;
  out.values.reserve(rows.size() * cols());
  for (size_t r : rows) {
    auto row = Row(r);
    out.values.insert(out.values.end(), row.begin(), row.end());
    if (!labels.empty()) out.labels.push_back(labels[r]);
  }
  return out;
}

Status Dataset::Check() const {
  if (cols() == 0) return Fail(ErrorCode::kInvalidArgument, "data set: no features");
  if (values.size() % cols() != 0)
    return Fail(ErrorCode::kInvalidArgument, "data set: the values are not rows × features");
  if (!labels.empty() && labels.size() != rows())
    return Fail(ErrorCode::kInvalidArgument, "data set: " + std::to_string(labels.size()) +
                                                 " labels for " + std::to_string(rows()) + " rows");
  for (int y : labels)
    if (y != 0 && y != 1)
      return Fail(ErrorCode::kInvalidArgument, "data set: a label is neither 0 nor 1");
  return Ok();
}

Status Dataset::CheckBothClasses() const {
  ORCHARD_CHECK(Check());
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  if (positives == 0 || positives == static_cast<std::ptrdiff_t>(labels.size()))
    return Fail(ErrorCode::kInvalidArgument, "data set: training needs rows of both classes");
  return Ok();
}

std::vector<Driver> TopDrivers(const Contributions& contributions, size_t row,
                               std::span<const std::string> feature_names, size_t count) {
  const size_t features = contributions.cols == 0 ? 0 : contributions.cols - 1;
  std::vector<size_t> order(std::min(features, feature_names.size()));
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::abs(contributions.At(row, a)) > std::abs(contributions.At(row, b));
  });
  std::vector<Driver> out;
  for (size_t i = 0; i < order.size() && out.size() < count; ++i)
    out.push_back({feature_names[order[i]], contributions.At(row, order[i])});
  return out;
}

}  // namespace orchard::models
