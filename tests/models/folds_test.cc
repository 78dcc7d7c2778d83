// Stratified folds: each keeps the class ratio, one seed gives the same folds (on any standard
// library: the shuffle is written in models/folds.cc), another seed different ones.
#include "models/folds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace orchard::models {
namespace {

std::vector<int> Labels(int n, int positives) {
  std::vector<int> y(n, 0);
  for (int i = 0; i < positives; ++i) y[i * n / positives] = 1;
  return y;
}

TEST(ModelFolds, KeepTheClassRatio) {
  const auto y = Labels(1000, 265);
  auto folds = StratifiedFolds(y, 5, 1);
  ASSERT_TRUE(folds);
  for (int f = 0; f < 5; ++f) {
    const auto rows = SplitFold(*folds, f);
    EXPECT_EQ(rows.test.size(), 200u);
    EXPECT_EQ(rows.train.size(), 800u);
    int positives = 0;
    for (size_t r : rows.test) positives += y[r];
    EXPECT_GE(positives, 53);  // 265 / 5 = 53, give or take the last one
    EXPECT_LE(positives, 54);
  }
}

TEST(ModelFolds, OneSeedOneSplitAnotherSeedAnother) {
  const auto y = Labels(500, 120);
  EXPECT_EQ(*StratifiedFolds(y, 5, 7), *StratifiedFolds(y, 5, 7));
  EXPECT_NE(*StratifiedFolds(y, 5, 7), *StratifiedFolds(y, 5, 8));
}

TEST(ModelFolds, TheSameOnEveryStandardLibrary) {
  // std::mt19937_64's output is fixed by the standard and the shuffle is ours: these are the
  // folds of seed 42 everywhere. A change here changes every published figure (docs/MODELS.md).
  const std::vector<int> y = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  EXPECT_EQ(*StratifiedFolds(y, 2, 42), (std::vector<int>{1, 1, 1, 0, 0, 0, 1, 0, 0, 1}));
}

TEST(ModelFolds, ShuffleIsAPermutationAndDrawsStayInRange) {
  std::mt19937_64 rng(3);
  std::vector<size_t> items(100);
  std::iota(items.begin(), items.end(), size_t{0});
  Shuffle(items, rng);
  auto sorted = items;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_FALSE(std::is_sorted(items.begin(), items.end()));
  for (uint64_t bound : {1ull, 2ull, 3ull, 7ull, 1000ull})
    for (int i = 0; i < 100; ++i) EXPECT_LT(UniformBelow(rng, bound), bound);
}

TEST(ModelFolds, TooFewRowsOfAClassIsAnError) {
  EXPECT_FALSE(StratifiedFolds(std::vector<int>{0, 0, 0, 1}, 2, 1));
  EXPECT_FALSE(StratifiedFolds(std::vector<int>{0, 1, 0, 1}, 1, 1));
}

}  // namespace
}  // namespace orchard::models
