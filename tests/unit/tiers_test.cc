#include "domain/tiers.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

const Settings kDefaults;

TEST(TierRuleTest, BoundariesFromProductSpec) {
  const TierRules& r = kDefaults.tiers;
  EXPECT_EQ(RuleTier(Money::FromDollars(100'000), false, r), Tier::kStrategic);  // ≥ $100k
  EXPECT_EQ(RuleTier(Money::FromCents(9'999'999), false, r), Tier::kCore);       // $99,999.99
  EXPECT_EQ(RuleTier(Money::FromDollars(25'000), false, r), Tier::kCore);        // ≥ $25k
  EXPECT_EQ(RuleTier(Money::FromCents(2'499'999), false, r), Tier::kVolume);
  EXPECT_EQ(RuleTier(Money(), false, r), Tier::kVolume);
}

TEST(TierRuleTest, StrategicFlagMakesTierOne) {
  EXPECT_EQ(RuleTier(Money::FromDollars(1'000), true, kDefaults.tiers), Tier::kStrategic);
}

TEST(TierRuleTest, OverrideBeatsRuleAndBothAreShown) {
  Account a;
  a.tier_override = Tier::kStrategic;
  a.tier_override_reason = "global logo, board-level relationship";
  TierDecision d = DecideTier(a, Money::FromDollars(30'000), kDefaults.tiers);
  EXPECT_EQ(d.rule, Tier::kCore);
  EXPECT_EQ(d.override_tier, Tier::kStrategic);
  EXPECT_EQ(d.effective, Tier::kStrategic);

  a.tier_override.reset();
  a.tier_override_reason.reset();
  d = DecideTier(a, Money::FromDollars(30'000), kDefaults.tiers);
  EXPECT_EQ(d.effective, Tier::kCore);
  EXPECT_FALSE(d.override_tier);
}

TEST(TierRuleTest, OverrideNeedsReason) {
  Account a;
  a.tier_override = Tier::kVolume;
  auto s = ValidateTierOverride(a);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().fields.size(), 1u);
  EXPECT_EQ(s.error().fields[0].field, "tier_override_reason");
  a.tier_override_reason = "";
  EXPECT_FALSE(ValidateTierOverride(a));
  a.tier_override_reason = "pooled by agreement";
  EXPECT_TRUE(ValidateTierOverride(a));
}

TEST(TierRuleTest, CustomBoundariesApply) {
  TierRules r{Money::FromDollars(50'000), Money::FromDollars(10'000)};
  EXPECT_EQ(RuleTier(Money::FromDollars(60'000), false, r), Tier::kStrategic);
  EXPECT_EQ(RuleTier(Money::FromDollars(10'000), false, r), Tier::kCore);
}

TEST(PotentialTest, DerivedFromWhitespaceOverArr) {
  Money arr = Money::FromDollars(100'000);
  EXPECT_EQ(DerivePotential(Money::FromDollars(100'000), arr, kDefaults), Potential::kHigh);  // 1.0
  EXPECT_EQ(DerivePotential(Money::FromDollars(99'999), arr, kDefaults), Potential::kMedium);
  EXPECT_EQ(DerivePotential(Money::FromDollars(30'000), arr, kDefaults),
            Potential::kMedium);  // 0.3
  EXPECT_EQ(DerivePotential(Money::FromDollars(29'999), arr, kDefaults), Potential::kLow);
  EXPECT_EQ(DerivePotential(Money::FromDollars(1), Money(), kDefaults), Potential::kHigh);
  EXPECT_EQ(DerivePotential(Money(), Money(), kDefaults), Potential::kLow);
}

TEST(PotentialTest, SetByHandBeatsDerived) {
  Account a;
  a.growth_potential = Potential::kLow;
  EXPECT_EQ(
      EffectivePotential(a, Money::FromDollars(500'000), Money::FromDollars(10'000), kDefaults),
      Potential::kLow);
}

TEST(QuadrantTest, TwoByTwo) {
  Money high = Money::FromDollars(100'000), low = Money::FromDollars(99'999);
  EXPECT_EQ(PortfolioQuadrant(high, Potential::kHigh, kDefaults), Quadrant::kInvest);
  EXPECT_EQ(PortfolioQuadrant(high, Potential::kMedium, kDefaults), Quadrant::kProtect);
  EXPECT_EQ(PortfolioQuadrant(low, Potential::kHigh, kDefaults), Quadrant::kDevelop);
  EXPECT_EQ(PortfolioQuadrant(low, Potential::kLow, kDefaults), Quadrant::kAutomate);
}

}  // namespace
}  // namespace orchard
