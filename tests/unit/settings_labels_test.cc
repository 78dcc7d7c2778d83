// Every setting reads as a person reads it: a label, a group and a unit; values in that unit.
#include <gtest/gtest.h>

#include <set>

#include "domain/settings.h"

namespace orchard {
namespace {

TEST(SettingsLabelsTest, EverySettingHasALabelOfItsOwn) {
  std::set<std::string> labels;
  for (const SettingInfo& info : DescribeSettings()) {
    EXPECT_NE(info.label, info.key) << info.key << " has no row in settings.cc's descriptions";
    EXPECT_NE(info.group, "Other") << info.key;
    EXPECT_TRUE(labels.insert(info.group + " / " + info.label).second) << info.key;
  }
  EXPECT_EQ(DescribeSettings().size(), Settings{}.ToRows().size());
}

TEST(SettingsLabelsTest, UnitsAreThePersonsNotTheStoredOnes) {
  EXPECT_EQ(DescribeSetting("tiers.tier1_min_arr_cents").unit, SettingUnit::kCents);
  EXPECT_EQ(DescribeSetting("potential.medium_bp").unit, SettingUnit::kBasisPoints);
  EXPECT_EQ(DescribeSetting("coverage.tier2.plan_refresh_days").group, "Coverage · Tier 2");
  EXPECT_EQ(DescribeSetting("coverage.tier2.plan_refresh_days").label, "Plan refresh within");
  EXPECT_EQ(FormatSetting(SettingUnit::kCents, 10'000'000), "$100,000");
  EXPECT_EQ(FormatSetting(SettingUnit::kCents, 1'050), "$10.50");
  EXPECT_EQ(FormatSetting(SettingUnit::kBasisPoints, 1'000), "10 %");
  EXPECT_EQ(FormatSetting(SettingUnit::kBasisPoints, 3'050), "30.5 %");
  EXPECT_EQ(FormatSetting(SettingUnit::kDays, 90), "90 days");
  EXPECT_EQ(FormatSetting(SettingUnit::kPercent, 30), "30 %");
}

TEST(SettingsLabelsTest, ErrorsNameTheFieldByKeyAndTheSettingByLabel) {
  Settings s;
  auto r = s.Apply({{"inspection.sample", "-3"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields[0].field, "inspection.sample");
  EXPECT_EQ(r.error().message, "Random sample each month: must not be negative");
}

}  // namespace
}  // namespace orchard
