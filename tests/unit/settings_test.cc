#include "domain/settings.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

TEST(SettingsTest, DefaultsFollowProductSpec) {
  Settings s;
  EXPECT_EQ(s.tiers.tier1_min_arr, Money::FromDollars(100'000));
  EXPECT_EQ(s.tiers.tier2_min_arr, Money::FromDollars(25'000));
  EXPECT_EQ(s.For(Tier::kStrategic).accounts_per_am_target, 10);
  EXPECT_EQ(s.For(Tier::kStrategic).plan_refresh_days, 90);
  EXPECT_EQ(s.For(Tier::kStrategic).multithreading_target, 5);
  EXPECT_EQ(s.For(Tier::kCore).accounts_per_am_target, 40);
  EXPECT_EQ(s.For(Tier::kCore).plan_refresh_days, 180);
  EXPECT_EQ(s.For(Tier::kCore).multithreading_target, 3);
  EXPECT_EQ(s.For(Tier::kVolume).accounts_per_am_target, 0);  // pooled
  EXPECT_EQ(s.renewal_window_days, 90);
  const auto& w = s.health_weights;
  EXPECT_EQ(w.usage + w.support + w.nps + w.engagement + w.relationships + w.sentiment, 100);
}

TEST(SettingsTest, RowsRoundTrip) {
  Settings s;
  s.tiers.tier1_min_arr = Money::FromDollars(150'000);
  s.coverage[1].accounts_per_am_target = 35;
  s.health_weights.usage = 40;
  Settings back;
  ASSERT_TRUE(back.Apply(s.ToRows()));
  EXPECT_EQ(back.tiers.tier1_min_arr, Money::FromDollars(150'000));
  EXPECT_EQ(back.coverage[1].accounts_per_am_target, 35);
  EXPECT_EQ(back.health_weights.usage, 40);
}

TEST(SettingsTest, BadRowsAreRefusedWholeNamingTheKey) {
  Settings s;
  auto r = s.Apply({{"renewals.window_days", "120"}, {"renewals.window_dayz", "5"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields[0].field, "renewals.window_dayz");
  EXPECT_EQ(s.renewal_window_days, 90) << "nothing applied from a refused batch";

  r = s.Apply({{"coverage.tier1.plan_refresh_days", "ninety"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("ninety"), std::string::npos);

  r = s.Apply({{"tiers.tier2_min_arr_cents", "20000000"}});  // above tier 1's boundary
  ASSERT_FALSE(r);
  EXPECT_EQ(s.tiers.tier2_min_arr, Money::FromDollars(25'000));
}

}  // namespace
}  // namespace orchard
