#include "models/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace orchard::models {

namespace {

Status CheckSizes(std::span<const int> labels, std::span<const double> scores) {
  if (labels.size() != scores.size())
    return Fail(ErrorCode::kInvalidArgument, "metrics: " + std::to_string(labels.size()) +
                                                 " labels for " + std::to_string(scores.size()) +
                                                 " scores");
  if (labels.empty()) return Fail(ErrorCode::kInvalidArgument, "metrics: no scores");
  for (int y : labels)
    if (y != 0 && y != 1) return Fail(ErrorCode::kInvalidArgument, "metrics: a label not 0 or 1");
  for (double s : scores)
    if (!std::isfinite(s)) return Fail(ErrorCode::kInvalidArgument, "metrics: a score not finite");
  return Ok();
}

}  // namespace

Result<double> Auc(std::span<const int> labels, std::span<const double> scores) {
  ORCHARD_CHECK(CheckSizes(labels, scores));
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Rank sum of the positives (Mann–Whitney U), tied scores sharing their mean rank.
  double positive_rank_sum = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k)
      if (labels[order[k]] == 1) positive_rank_sum += midrank;
    i = j;
  }
  const double positives = static_cast<double>(std::count(labels.begin(), labels.end(), 1));
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0)
    return Fail(ErrorCode::kInvalidArgument, "AUC: needs both positive and negative labels");
  return (positive_rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

Result<double> BrierScore(std::span<const int> labels, std::span<const double> scores) {
  ORCHARD_CHECK(CheckSizes(labels, scores));
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double d = scores[i] - labels[i];
    sum += d * d;
  }
  return sum / static_cast<double>(labels.size());
}

Result<double> LogLoss(std::span<const int> labels, std::span<const double> scores) {
  ORCHARD_CHECK(CheckSizes(labels, scores));
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(scores[i], 1e-15, 1 - 1e-15);
    sum -= labels[i] == 1 ? std::log(p) : std::log(1 - p);
  }
  return sum / static_cast<double>(labels.size());
}

Result<std::vector<ReliabilityBin>> ReliabilityCurve(std::span<const int> labels,
                                                     std::span<const double> scores, int bins,
                                                     Binning binning) {
  ORCHARD_CHECK(CheckSizes(labels, scores));
  if (bins < 1) return FailValue("bins", "must be 1 or more");
  const size_t n = scores.size();
  const size_t k = static_cast<size_t>(bins);
  std::vector<size_t> bin_of(n);
  if (binning == Binning::kEqualWidth) {
    for (size_t i = 0; i < n; ++i) {
      const double s = std::clamp(scores[i], 0.0, 1.0);
      bin_of[i] = std::min(k - 1, static_cast<size_t>(s * static_cast<double>(k)));
    }
  } else {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    for (size_t r = 0; r < n; ++r) bin_of[order[r]] = r * k / n;
  }
  std::vector<ReliabilityBin> curve(k);
  std::vector<double> positives(k, 0.0);
  for (size_t b = 0; b < k; ++b) {
    curve[b].lower = 1;
    curve[b].upper = 0;
  }
  for (size_t i = 0; i < n; ++i) {
    auto& bin = curve[bin_of[i]];
    ++bin.count;
    bin.mean_predicted += scores[i];
    positives[bin_of[i]] += labels[i];
    bin.lower = std::min(bin.lower, scores[i]);
    bin.upper = std::max(bin.upper, scores[i]);
  }
  std::vector<ReliabilityBin> out;
  for (size_t b = 0; b < k; ++b) {
    auto bin = curve[b];
    if (bin.count == 0) continue;
    bin.mean_predicted /= static_cast<double>(bin.count);
    bin.observed_rate = positives[b] / static_cast<double>(bin.count);
    if (binning == Binning::kEqualWidth) {
      bin.lower = static_cast<double>(b) / static_cast<double>(k);
      bin.upper = static_cast<double>(b + 1) / static_cast<double>(k);
    }
    out.push_back(bin);
  }
  return out;
}

double ExpectedCalibrationError(std::span<const ReliabilityBin> curve) {
  double total = 0, weighted = 0;
  for (const auto& bin : curve) {
    total += static_cast<double>(bin.count);
    weighted += static_cast<double>(bin.count) * std::abs(bin.mean_predicted - bin.observed_rate);
  }
  return total == 0 ? 0 : weighted / total;
}

}  // namespace orchard::models
