// LogisticRegression: L2-regularised logistic regression on standardised features, fitted by
// Newton's method (iteratively reweighted least squares) with Eigen — exact and deterministic: the
// same data gives the same coefficients, bit for bit, on every run.
//
// Standardisation (mean 0, sd 1, from the training rows) puts every coefficient on one scale, so
// the penalty treats features alike and a contribution (coefficient × standardised value) reads
// as "how many log-odds this feature moved this account from the average one". A missing value is
// replaced by the training mean (standardised 0: no contribution). The intercept is not penalised.
#pragma once

#include <vector>

#include "core/result.h"
#include "models/dataset.h"

namespace orchard::models {

struct LogisticOptions {
  double l2 = 1.0;           // λ in ½λ‖β‖², on the summed (not mean) log loss
  int max_iterations = 100;  // Newton steps; it converges in well under 20 on real data
  double tolerance = 1e-9;   // stop when no coefficient moves more than this
};

class LogisticRegression {
 public:
  static Result<LogisticRegression> Fit(const Dataset& train, LogisticOptions options = {});

  // P(label = 1) per row. The rows must have the training features (an error otherwise).
  Result<std::vector<double>> Predict(const Dataset& data) const;
  // The log-odds per row.
  Result<std::vector<double>> PredictMargin(const Dataset& data) const;
  // coefficient × standardised value per feature, and the intercept last (the sum is the margin).
  Result<Contributions> PredictContributions(const Dataset& data) const;

  double intercept() const { return intercept_; }
  // On the standardised scale: log-odds per standard deviation of the feature.
  const std::vector<double>& coefficients() const { return coefficients_; }
  int iterations() const { return iterations_; }

  // Everything a fitted model is, for storing it (predict/ keeps models in the database) and
  // rebuilding it: the training means and scales, the coefficients and the intercept.
  struct State {
    std::vector<double> means, scales, coefficients;
    double intercept = 0;
  };
  State state() const { return {means_, scales_, coefficients_, intercept_}; }
  // InvalidArgument unless the three vectors have one entry per feature, scales positive.
  static Result<LogisticRegression> FromState(State state);

 private:
  Status CheckShape(const Dataset& data) const;
  double Standardised(float value, size_t col) const;

  std::vector<double> means_;
  std::vector<double> scales_;
  std::vector<double> coefficients_;
  double intercept_ = 0;
  int iterations_ = 0;
};

}  // namespace orchard::models
