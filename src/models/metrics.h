// The quality of probability scores against 0/1 outcomes (issue 20): ranking (AUC) and
// calibration (Brier score, log loss, the reliability curve and its expected calibration error).
#pragma once

#include <span>
#include <vector>

#include "core/result.h"

namespace orchard::models {

// The area under the ROC curve: the probability that a random positive scores above a random
// negative, ties counting one half (midranks). An InvalidArgument error without both classes.
Result<double> Auc(std::span<const int> labels, std::span<const double> scores);

// The mean squared difference between probability and outcome (0 is perfect; 0.25 is a coin).
Result<double> BrierScore(std::span<const int> labels, std::span<const double> scores);

// The mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15].
Result<double> LogLoss(std::span<const int> labels, std::span<const double> scores);

enum class Binning {
  kEqualWidth,  // [0, 0.1), [0.1, 0.2), …, [0.9, 1]
  kEqualCount,  // by rank: each bin holds n / bins scores (ties may straddle a boundary)
};

struct ReliabilityBin {
  double lower = 0;  // the bin's score range (equal count: the lowest and highest score in it)
  double upper = 0;
  size_t count = 0;
  double mean_predicted = 0;
  double observed_rate = 0;
};

// Mean predicted probability against the observed rate per bin; empty bins are left out.
Result<std::vector<ReliabilityBin>> ReliabilityCurve(std::span<const int> labels,
                                                     std::span<const double> scores, int bins = 10,
                                                     Binning binning = Binning::kEqualWidth);

// Σ (count / n) × |mean predicted − observed rate| over the curve's bins.
double ExpectedCalibrationError(std::span<const ReliabilityBin> curve);

}  // namespace orchard::models
