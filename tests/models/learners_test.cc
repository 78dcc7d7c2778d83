// The learners on synthetic data whose truth is known: logistic regression recovers the signs and
// sizes of the coefficients; XGBoost learns a threshold rule, its contributions sum to its margin,
// it is deterministic for a seed, round-trips through its saved form, and a bad parameter is an
// Error, not a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

#include "models/boosted_trees.h"
#include "models/churn_model.h"
#include "models/folds.h"
#include "models/logistic.h"
#include "models/metrics.h"

namespace orchard::models {
namespace {

// Uniform in [0, 1) from the generator's bits (no library-specific distribution).
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double Normal(std::mt19937_64& rng) {  // Box–Muller
  const double u = 1.0 - Unit(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * Unit(rng));
}

// Features x0, x1 ~ N(0, 1) and x2 noise; P(y = 1) = σ(0.5 + 1.5 x0 − 1.0 x1).
Dataset Linear(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Dataset d;
  d.feature_names = {"x0", "x1", "x2"};
  for (size_t i = 0; i < n; ++i) {
    const double x0 = Normal(rng), x1 = Normal(rng), x2 = Normal(rng);
    const double p = 1.0 / (1.0 + std::exp(-(0.5 + 1.5 * x0 - 1.0 * x1)));
    d.values.insert(d.values.end(), {float(x0), float(x1), float(x2)});
    d.labels.push_back(Unit(rng) < p ? 1 : 0);
  }
  return d;
}

// y = 1 exactly when x0 > 0.3; x1 is noise.
Dataset Threshold(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Dataset d;
  d.feature_names = {"x0", "x1"};
  for (size_t i = 0; i < n; ++i) {
    const double x0 = Unit(rng), x1 = Unit(rng);
    d.values.insert(d.values.end(), {float(x0), float(x1)});
    d.labels.push_back(x0 > 0.3 ? 1 : 0);
  }
  return d;
}

TEST(ModelLogistic, RecoversKnownCoefficients) {
  const Dataset train = Linear(20000, 1);
  auto model = LogisticRegression::Fit(train);
  ASSERT_TRUE(model) << model.error().ToString();
  // Standardised features with sd ≈ 1: the coefficients are the true ones, give or take noise.
  EXPECT_NEAR(model->coefficients()[0], 1.5, 0.1);
  EXPECT_NEAR(model->coefficients()[1], -1.0, 0.1);
  EXPECT_NEAR(model->coefficients()[2], 0.0, 0.06);
  EXPECT_NEAR(model->intercept(), 0.5, 0.1);
  EXPECT_LT(model->iterations(), 20);

  const Dataset test = Linear(2000, 2);
  auto p = model->Predict(test);
  ASSERT_TRUE(p);
  EXPECT_GT(*Auc(test.labels, *p), 0.8);
  // Contributions (coefficient × standardised value, intercept last) sum to the margin.
  auto margin = model->PredictMargin(test);
  auto contributions = model->PredictContributions(test);
  ASSERT_TRUE(margin && contributions);
  ASSERT_EQ(contributions->cols, 4u);
  for (size_t i = 0; i < 50; ++i) {
    double sum = 0;
    for (size_t j = 0; j < contributions->cols; ++j) sum += contributions->At(i, j);
    EXPECT_NEAR(sum, (*margin)[i], 1e-9);
  }
  const auto drivers = TopDrivers(*contributions, 0, test.feature_names, 2);
  ASSERT_EQ(drivers.size(), 2u);
  EXPECT_GE(std::abs(drivers[0].contribution), std::abs(drivers[1].contribution));
}

TEST(ModelLogistic, MissingValuesAndBadInput) {
  Dataset train = Linear(2000, 3);
  train.values[0] = NAN;  // the training mean stands in: no contribution
  auto model = LogisticRegression::Fit(train);
  ASSERT_TRUE(model);
  auto contributions = model->PredictContributions(train);
  ASSERT_TRUE(contributions);
  EXPECT_EQ(contributions->At(0, 0), 0.0);

  Dataset one_class = train;
  std::fill(one_class.labels.begin(), one_class.labels.end(), 1);
  EXPECT_FALSE(LogisticRegression::Fit(one_class));
  Dataset narrow = Threshold(10, 1);
  EXPECT_FALSE(model->Predict(narrow));  // 2 features, trained on 3
}

TEST(ModelTrees, LearnsAThresholdAndContributionsSumToTheMargin) {
  TreeOptions options = TreeOptions::Defaults(1);
  options.rounds = 30;
  auto model = BoostedTrees::Fit(Threshold(3000, 1), options);
  ASSERT_TRUE(model) << model.error().ToString();
  const Dataset test = Threshold(1000, 2);
  auto p = model->Predict(test);
  ASSERT_TRUE(p);
  EXPECT_GT(*Auc(test.labels, *p), 0.99);
  for (size_t i = 0; i < test.rows(); ++i)
    EXPECT_EQ((*p)[i] > 0.5, test.labels[i] == 1) << "x0 = " << test.At(i, 0);

  auto margin = model->PredictMargin(test);
  auto contributions = model->PredictContributions(test);
  ASSERT_TRUE(margin && contributions);
  ASSERT_EQ(contributions->cols, 3u);  // x0, x1, the bias
  for (size_t i = 0; i < test.rows(); ++i) {
    double sum = 0;
    for (size_t j = 0; j < contributions->cols; ++j) sum += contributions->At(i, j);
    EXPECT_NEAR(sum, (*margin)[i], 1e-3);
    // The rule reads x0 only: it drives every score.
    EXPECT_GT(std::abs(contributions->At(i, 0)), std::abs(contributions->At(i, 1)));
  }
}

TEST(ModelTrees, DeterministicForASeedAndSavedModelsPredictTheSame) {
  TreeOptions options = TreeOptions::Defaults(5);
  options.rounds = 20;
  options.params = {{"subsample", "0.7"}, {"colsample_bytree", "0.5"}, {"max_depth", "3"}};
  const Dataset train = Linear(2000, 4);
  const Dataset test = Linear(500, 5);
  auto a = BoostedTrees::Fit(train, options);
  auto b = BoostedTrees::Fit(train, options);
  ASSERT_TRUE(a && b);
  auto pa = a->Predict(test);
  ASSERT_TRUE(pa);
  EXPECT_EQ(*pa, *b->Predict(test));

  auto bytes = a->Save();
  ASSERT_TRUE(bytes);
  auto loaded = BoostedTrees::Load(*bytes);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_EQ(loaded->features(), 3u);
  EXPECT_EQ(*loaded->Predict(test), *pa);

  const auto path = std::filesystem::temp_directory_path() / "orchard_models_test_trees.json";
  ASSERT_TRUE(a->SaveFile(path.string()));
  auto from_file = BoostedTrees::LoadFile(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(from_file);
  EXPECT_EQ(*from_file->Predict(test), *pa);
  auto garbage = BoostedTrees::Load("not a model");
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message.find("XGBoost: loading the model: "), std::string::npos);
  EXPECT_EQ(garbage.error().message.find("Stack trace"), std::string::npos)
      << garbage.error().message;
}

TEST(ModelTrees, ABadParameterIsAClearError) {
  TreeOptions options = TreeOptions::Defaults(1);
  options.rounds = 5;
  options.params = {{"max_depth", "-3"}};
  auto model = BoostedTrees::Fit(Threshold(200, 1), options);
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("XGBoost"), std::string::npos) << model.error().message;
  EXPECT_NE(model.error().message.find("max_depth"), std::string::npos) << model.error().message;

  options.params = {{"objective", "binary:nonsense"}};
  model = BoostedTrees::Fit(Threshold(200, 1), options);
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("nonsense"), std::string::npos) << model.error().message;

  options.params = {};
  options.rounds = 0;
  EXPECT_FALSE(BoostedTrees::Fit(Threshold(200, 1), options));
}

TEST(ModelChurn, TheAveragedLearnerScoresWellAndItsDriversSumToItsMargin) {
  auto model = ChurnModel::Fit(Linear(3000, 6), 1);
  ASSERT_TRUE(model) << model.error().ToString();
  const Dataset test = Linear(500, 7);
  auto p = model->Predict(test);
  auto margin = model->PredictMargin(test);
  auto contributions = model->PredictContributions(test);
  ASSERT_TRUE(p && margin && contributions);
  EXPECT_GT(*Auc(test.labels, *p), 0.8);
  for (size_t i = 0; i < test.rows(); ++i) {
    double sum = 0;
    for (size_t j = 0; j < contributions->cols; ++j) sum += contributions->At(i, j);
    EXPECT_NEAR(sum, (*margin)[i], 1e-3);
    EXPECT_NEAR((*p)[i], 1.0 / (1.0 + std::exp(-(*margin)[i])), 1e-12);
  }
}

// TuneChurn chooses from its grids on inner folds of the training rows, the same choice for the
// same seed; a blend with any tree weight keeps the drivers exact.
TEST(ModelChurn, TuningChoosesFromTheGridAndBlendedDriversStayExact) {
  const Dataset train = Linear(1500, 8);
  const ChurnTuning tuning{.l2_grid = {1, 100}, .weight_grid = {0, 0.3, 1}, .inner_folds = 3};
  auto options = TuneChurn(train, 1, 1, tuning);
  ASSERT_TRUE(options) << options.error().ToString();
  EXPECT_TRUE(options->l2 == 1 || options->l2 == 100);
  EXPECT_TRUE(options->tree_weight == 0 || options->tree_weight == 0.3 ||
              options->tree_weight == 1);
  EXPECT_GT(options->inner_auc, 0.8);
  // The truth is linear: logistic regression alone must not lose to the trees alone.
  EXPECT_LT(options->tree_weight, 1);
  auto again = TuneChurn(train, 1, 1, tuning);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->l2, options->l2);
  EXPECT_EQ(again->tree_weight, options->tree_weight);
  EXPECT_EQ(again->inner_auc, options->inner_auc);

  auto model = ChurnModel::Fit(train, 1, 1, {.l2 = 3, .tree_weight = 0.3});
  ASSERT_TRUE(model) << model.error().ToString();
  const Dataset test = Linear(300, 9);
  auto margin = model->PredictMargin(test);
  auto contributions = model->PredictContributions(test);
  ASSERT_TRUE(margin && contributions);
  for (size_t i = 0; i < test.rows(); ++i) {
    double sum = 0;
    for (size_t j = 0; j < contributions->cols; ++j) sum += contributions->At(i, j);
    EXPECT_NEAR(sum, (*margin)[i], 1e-3);
  }

  EXPECT_FALSE(ChurnModel::Fit(train, 1, 1, {.l2 = 1, .tree_weight = 1.5}));
  EXPECT_FALSE(TuneChurn(train, 1, 1, {.l2_grid = {}, .weight_grid = {0.5}, .inner_folds = 3}));
}

}  // namespace
}  // namespace orchard::models
