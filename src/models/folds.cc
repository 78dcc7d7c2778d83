#include "models/folds.h"

#include <limits>
#include <string>
#include <utility>

namespace orchard::models {

uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound) {
  // The largest multiple of bound that fits: draws at or above it would favour small remainders.
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const uint64_t limit = max - (max % bound + 1) % bound;
  uint64_t draw = rng();
  while (draw > limit) draw = rng();
  return draw % bound;
}

void Shuffle(std::vector<size_t>& items, std::mt19937_64& rng) {
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[UniformBelow(rng, i)]);
}

Result<std::vector<int>> StratifiedFolds(std::span<const int> labels, int k, uint64_t seed) {
  if (k < 2) return FailValue("folds", "must be 2 or more");
  std::vector<size_t> by_class[2];
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1)
      return Fail(ErrorCode::kInvalidArgument, "folds: a label is neither 0 nor 1");
    by_class[labels[i]].push_back(i);
  }
  std::mt19937_64 rng(seed);
  std::vector<int> folds(labels.size(), 0);
  size_t next = 0;
  for (auto& rows : by_class) {
    if (rows.size() < static_cast<size_t>(k))
      return FailValue("folds", "a class has " + std::to_string(rows.size()) +
                                    " rows, fewer than " + std::to_string(k) + " folds");
    Shuffle(rows, rng);
    for (size_t row : rows) folds[row] = static_cast<int>(next++ % static_cast<size_t>(k));
  }
  return folds;
}

FoldRows SplitFold(std::span<const int> folds, int fold) {
  FoldRows out;
  for (size_t i = 0; i < folds.size(); ++i) (folds[i] == fold ? out.test : out.train).push_back(i);
  return out;
}

}  // namespace orchard::models
