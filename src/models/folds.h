// Stratified k-fold splits with a fixed seed (issue 20): every fold keeps the data's class ratio,
// and one seed gives the same folds on every machine — the shuffle is Fisher–Yates written here
// over std::mt19937_64 (whose output the standard fixes), because std::shuffle's and
// std::uniform_int_distribution's algorithms are left to each standard library.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "core/result.h"

namespace orchard::models {

// A uniform draw from [0, bound): rejection sampling, then the remainder (no modulo bias).
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound);

// Fisher–Yates: for i from the end down to 1, swap item i with item UniformBelow(i + 1).
void Shuffle(std::vector<size_t>& items, std::mt19937_64& rng);

// The fold (0 … k − 1) of each row. Each class's rows are shuffled and dealt to the folds in
// turn, the next class starting where the last left off, so fold sizes differ by at most one.
// An InvalidArgument error if k < 2 or a class has fewer than k rows.
Result<std::vector<int>> StratifiedFolds(std::span<const int> labels, int k, uint64_t seed);

// The rows of one fold (test) and of the others (train), in row order.
struct FoldRows {
  std::vector<size_t> train;
  std::vector<size_t> test;
};
FoldRows SplitFold(std::span<const int> folds, int fold);

}  // namespace orchard::models
