#include "models/logistic.h"

#include <Eigen/Dense>
#include <cmath>
#include <utility>

namespace orchard::models {

namespace {

double Sigmoid(double z) {
  return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

}  // namespace

double LogisticRegression::Standardised(float value, size_t col) const {
  if (std::isnan(value)) return 0;
  return (static_cast<double>(value) - means_[col]) / scales_[col];
}

Result<LogisticRegression> LogisticRegression::Fit(const Dataset& train, LogisticOptions options) {
  ORCHARD_CHECK(train.CheckBothClasses());
  if (!(options.l2 >= 0)) return FailValue("l2", "must be 0 or more");
  const size_t n = train.rows(), p = train.cols();
  LogisticRegression model;
  model.means_.assign(p, 0.0);
  model.scales_.assign(p, 1.0);
  for (size_t j = 0; j < p; ++j) {
    double sum = 0, sum2 = 0, count = 0;
    for (size_t i = 0; i < n; ++i) {
      const float v = train.At(i, j);
      if (std::isnan(v)) continue;
      sum += v;
      sum2 += static_cast<double>(v) * v;
      count += 1;
    }
    if (count == 0) continue;
    const double mean = sum / count;
    const double var = std::max(0.0, sum2 / count - mean * mean);
    model.means_[j] = mean;
    model.scales_[j] = var > 1e-24 ? std::sqrt(var) : 1.0;  // a constant column stays 0
  }
  // The design matrix: the intercept's column of ones first, then the standardised features.
  Eigen::MatrixXd x(n, p + 1);
  Eigen::VectorXd y(n);
  for (size_t i = 0; i < n; ++i) {
    x(i, 0) = 1.0;
    for (size_t j = 0; j < p; ++j) x(i, j + 1) = model.Standardised(train.At(i, j), j);
    y(i) = train.labels[i];
  }
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p + 1);
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(p + 1, options.l2);
  penalty(0) = 0;
  for (model.iterations_ = 1; model.iterations_ <= options.max_iterations; ++model.iterations_) {
    Eigen::VectorXd prob = (x * beta).unaryExpr([](double z) { return Sigmoid(z); });
    Eigen::VectorXd weight = (prob.array() * (1.0 - prob.array())).max(1e-12).matrix();
    Eigen::VectorXd gradient = x.transpose() * (prob - y) + penalty.cwiseProduct(beta);
    Eigen::MatrixXd hessian = x.transpose() * weight.asDiagonal() * x;
    hessian.diagonal() += penalty;
    hessian.diagonal().array() += 1e-10;  // keeps an unpenalised, separable fit solvable
    Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    if (!step.allFinite())
      return Fail(ErrorCode::kInternal, "logistic regression: the Newton step is not finite");
    beta -= step;
    if (step.lpNorm<Eigen::Infinity>() < options.tolerance) break;
  }
  model.intercept_ = beta(0);
  model.coefficients_.assign(beta.data() + 1, beta.data() + 1 + p);
  return model;
}

Result<LogisticRegression> LogisticRegression::FromState(State state) {
  const size_t n = state.coefficients.size();
  if (state.means.size() != n || state.scales.size() != n)
    return FailValue("model", "logistic regression: means, scales and coefficients differ in size");
  for (double s : state.scales)
    if (!(s > 0)) return FailValue("model", "logistic regression: a scale is not positive");
  LogisticRegression model;
  model.means_ = std::move(state.means);
  model.scales_ = std::move(state.scales);
  model.coefficients_ = std::move(state.coefficients);
  model.intercept_ = state.intercept;
  return model;
}

Status LogisticRegression::CheckShape(const Dataset& data) const {
  ORCHARD_CHECK(data.Check());
  if (data.cols() != coefficients_.size())
    return Fail(ErrorCode::kInvalidArgument, "logistic regression: " + std::to_string(data.cols()) +
                                                 " features, trained on " +
                                                 std::to_string(coefficients_.size()));
  return Ok();
}

Result<std::vector<double>> LogisticRegression::PredictMargin(const Dataset& data) const {
  ORCHARD_CHECK(CheckShape(data));
  std::vector<double> out(data.rows(), intercept_);
  for (size_t i = 0; i < data.rows(); ++i)
    for (size_t j = 0; j < data.cols(); ++j)
      out[i] += coefficients_[j] * Standardised(data.At(i, j), j);
  return out;
}

Result<std::vector<double>> LogisticRegression::Predict(const Dataset& data) const {
  ORCHARD_TRY(auto margin, PredictMargin(data));
  for (double& m : margin) m = Sigmoid(m);
  return margin;
}

Result<Contributions> LogisticRegression::PredictContributions(const Dataset& data) const {
  ORCHARD_CHECK(CheckShape(data));
  Contributions out{data.rows(), data.cols() + 1, {}};
  out.values.reserve(out.rows * out.cols);
  for (size_t i = 0; i < data.rows(); ++i) {
    for (size_t j = 0; j < data.cols(); ++j)
      out.values.push_back(coefficients_[j] * Standardised(data.At(i, j), j));
    out.values.push_back(intercept_);
  }
  return out;
}

}  // namespace orchard::models
