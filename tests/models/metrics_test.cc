// AUC, Brier score, log loss and the reliability curve on cases small enough to check by hand.
#include "models/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace orchard::models {
namespace {

TEST(ModelMetrics, AucPerfectInvertedAndTied) {
  const std::vector<int> y = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*Auc(y, std::vector<double>{0.1, 0.2, 0.8, 0.9}), 1.0);
  EXPECT_DOUBLE_EQ(*Auc(y, std::vector<double>{0.9, 0.8, 0.2, 0.1}), 0.0);
  EXPECT_DOUBLE_EQ(*Auc(y, std::vector<double>{0.5, 0.5, 0.5, 0.5}), 0.5);
}

TEST(ModelMetrics, AucByHandWithATie) {
  // Pairs (positive, negative): (0.35, 0.1) won, (0.35, 0.4) lost, (0.8, both) won: 3 of 4.
  EXPECT_DOUBLE_EQ(*Auc(std::vector<int>{0, 0, 1, 1}, std::vector<double>{0.1, 0.4, 0.35, 0.8}),
                   0.75);
  // (0.5, 0.5) a tie counts ½, (0.5, 0.2) won, (0.9, both) won: 3.5 of 4.
  EXPECT_DOUBLE_EQ(*Auc(std::vector<int>{0, 1, 0, 1}, std::vector<double>{0.5, 0.5, 0.2, 0.9}),
                   0.875);
}

TEST(ModelMetrics, AucNeedsBothClassesAndMatchingSizes) {
  auto one_class = Auc(std::vector<int>{1, 1}, std::vector<double>{0.2, 0.3});
  ASSERT_FALSE(one_class);
  EXPECT_NE(one_class.error().message.find("both"), std::string::npos);
  EXPECT_FALSE(Auc(std::vector<int>{0, 1}, std::vector<double>{0.2}));
  EXPECT_FALSE(Auc(std::vector<int>{0, 1}, std::vector<double>{0.2, NAN}));
}

TEST(ModelMetrics, BrierAndLogLossByHand) {
  const std::vector<int> y = {1, 0};
  const std::vector<double> p = {0.8, 0.4};
  EXPECT_NEAR(*BrierScore(y, p), (0.04 + 0.16) / 2, 1e-12);
  EXPECT_NEAR(*LogLoss(y, p), -(std::log(0.8) + std::log(0.6)) / 2, 1e-12);
  EXPECT_DOUBLE_EQ(*BrierScore(std::vector<int>{1, 0}, std::vector<double>{1.0, 0.0}), 0.0);
  EXPECT_TRUE(std::isfinite(*LogLoss(std::vector<int>{1}, std::vector<double>{0.0})));
}

TEST(ModelMetrics, ReliabilityEqualWidthBins) {
  const std::vector<int> y = {0, 1, 0, 1};
  const std::vector<double> p = {0.05, 0.05, 0.15, 1.0};
  auto curve = ReliabilityCurve(y, p, 10, Binning::kEqualWidth);
  ASSERT_TRUE(curve);
  ASSERT_EQ(curve->size(), 3u);  // empty bins are left out; 1.0 falls in the last bin
  EXPECT_EQ((*curve)[0].count, 2u);
  EXPECT_DOUBLE_EQ((*curve)[0].lower, 0.0);
  EXPECT_DOUBLE_EQ((*curve)[0].upper, 0.1);
  EXPECT_DOUBLE_EQ((*curve)[0].mean_predicted, 0.05);
  EXPECT_DOUBLE_EQ((*curve)[0].observed_rate, 0.5);
  EXPECT_EQ((*curve)[1].count, 1u);
  EXPECT_DOUBLE_EQ((*curve)[1].observed_rate, 0.0);
  EXPECT_DOUBLE_EQ((*curve)[2].lower, 0.9);
  EXPECT_DOUBLE_EQ((*curve)[2].observed_rate, 1.0);
  // (2 × 0.45 + 1 × 0.15 + 1 × 0.0) / 4
  EXPECT_NEAR(ExpectedCalibrationError(*curve), 0.2625, 1e-12);
}

TEST(ModelMetrics, ReliabilityEqualCountBins) {
  const std::vector<int> y = {1, 0, 0, 1};
  const std::vector<double> p = {0.9, 0.1, 0.3, 0.2};
  auto curve = ReliabilityCurve(y, p, 2, Binning::kEqualCount);
  ASSERT_TRUE(curve);
  ASSERT_EQ(curve->size(), 2u);
  EXPECT_EQ((*curve)[0].count, 2u);  // 0.1 and 0.2
  EXPECT_DOUBLE_EQ((*curve)[0].lower, 0.1);
  EXPECT_DOUBLE_EQ((*curve)[0].upper, 0.2);
  EXPECT_DOUBLE_EQ((*curve)[0].observed_rate, 0.5);
  EXPECT_DOUBLE_EQ((*curve)[1].mean_predicted, 0.6);  // 0.3 and 0.9
  EXPECT_FALSE(ReliabilityCurve(y, p, 0));
}

}  // namespace
}  // namespace orchard::models
