// The review and engagement triggers' arithmetic (issue 19): an engagement spike is judged
// against the account's own 28 days, zeros included, counting only the signal kinds the rule
// names; and both triggers' parameters survive a save and a read, or are refused naming the path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "automation/rule.h"
#include "automation/triggers.h"

namespace orchard::automation {
namespace {

constexpr int32_t kToday = 20'000;
const std::vector<EngagementKind> kBuying{EngagementKind::kPricingPageVisit,
                                          EngagementKind::kCaseStudyDownload};

std::vector<SignalDay> Repeat(EngagementKind kind, int32_t day, int times) {
  return std::vector<SignalDay>(static_cast<size_t>(times), SignalDay{kind, day});
}

TEST(EngagementZ, ThreeVisitsOnAQuietAccountAreASpikeOfThree) {
  auto signals = Repeat(EngagementKind::kPricingPageVisit, kToday, 2);
  signals.push_back({EngagementKind::kCaseStudyDownload, kToday});
  auto jump = EngagementZ(signals, kToday, kBuying);
  ASSERT_TRUE(jump);
  EXPECT_EQ(jump->day, kToday);
  EXPECT_DOUBLE_EQ(jump->value, 3);
  EXPECT_DOUBLE_EQ(jump->median, 0);
  EXPECT_DOUBLE_EQ(jump->z, 3);
}

TEST(EngagementZ, OnlyTheKindsTheRuleNamesCount) {
  auto signals = Repeat(EngagementKind::kWebinarAttended, kToday, 9);
  EXPECT_FALSE(EngagementZ(signals, kToday, kBuying));
  signals.push_back({EngagementKind::kPricingPageVisit, kToday});
  EXPECT_DOUBLE_EQ(EngagementZ(signals, kToday, kBuying)->value, 1);
}

TEST(EngagementZ, ABusyAccountsUsualDayIsNoSpike) {
  std::vector<SignalDay> signals;
  for (int32_t d = kToday - 28; d <= kToday; ++d) {
    auto day = Repeat(EngagementKind::kPricingPageVisit, d, d % 2 == 0 ? 4 : 6);
    signals.insert(signals.end(), day.begin(), day.end());
  }
  auto jump = EngagementZ(signals, kToday, kBuying);
  ASSERT_TRUE(jump);
  EXPECT_DOUBLE_EQ(jump->median, 5);
  EXPECT_LT(std::abs(jump->z), 1.0);
  // Twenty on one day is far above that normal; a day with one is far below it.
  auto busy = signals;
  auto more = Repeat(EngagementKind::kPricingPageVisit, kToday, 16);
  busy.insert(busy.end(), more.begin(), more.end());
  EXPECT_GE(EngagementZ(busy, kToday, kBuying)->z, 3);
}

TEST(EngagementZ, OldSignalsAreNotNews) {
  auto signals = Repeat(EngagementKind::kPricingPageVisit, kToday - 4, 5);
  EXPECT_FALSE(EngagementZ(signals, kToday, kBuying));
  // Within three days, the spike is judged on its own day.
  signals = Repeat(EngagementKind::kPricingPageVisit, kToday - 2, 5);
  EXPECT_EQ(EngagementZ(signals, kToday, kBuying)->day, kToday - 2);
}

constexpr const char* kActions = R"("actions":[{"kind":"notify","to":["am"],"title":"x"}])";

TEST(TriggerParameters, EngagementAndReviewTriggersSurviveASaveAndARead) {
  for (std::string trigger :
       {R"({"kind":"engagement_spike","signals":["webinar_attended"],"z":2.5})",
        R"({"kind":"engagement_drop"})", R"({"kind":"review_due","days":14,"review":"customer"})",
        R"({"kind":"review_due"})"}) {
    auto d = ParseDefinition(R"({"trigger":)" + trigger + "," + kActions + "}");
    ASSERT_TRUE(d) << trigger << ": " << d.error().ToString();
    auto again = ParseDefinition(DefinitionJson(*d));
    ASSERT_TRUE(again) << again.error().ToString();
    EXPECT_EQ(*again, *d) << trigger;
  }
  auto spike =
      ParseDefinition(R"({"trigger":{"kind":"engagement_drop"},)" + std::string(kActions) + "}");
  EXPECT_EQ(spike->trigger.signals, kBuying);  // the buying signals unless told otherwise
  auto review =
      ParseDefinition(R"({"trigger":{"kind":"review_due"},)" + std::string(kActions) + "}");
  EXPECT_EQ(review->trigger.days, 7);
  EXPECT_FALSE(review->trigger.review);
}

TEST(TriggerParameters, AWrongSignalOrReviewKindIsRefusedNamingThePath) {
  auto bad = [](const std::string& trigger) {
    auto d = ParseDefinition(R"({"trigger":)" + trigger + "," + kActions + "}");
    EXPECT_FALSE(d) << trigger;
    return d ? std::string() : d.error().ToString();
  };
  EXPECT_THAT(bad(R"({"kind":"engagement_spike","signals":["pricing_page"]})"),
              ::testing::AllOf(::testing::HasSubstr("trigger.signals"),
                               ::testing::HasSubstr("pricing_page")));
  EXPECT_THAT(bad(R"({"kind":"engagement_spike","signals":[]})"),
              ::testing::HasSubstr("at least one"));
  EXPECT_THAT(bad(R"({"kind":"review_due","review":"quarterly"})"),
              ::testing::HasSubstr("trigger.review"));
  EXPECT_THAT(bad(R"({"kind":"review_due","days":-1})"), ::testing::HasSubstr("trigger.days"));
}

}  // namespace
}  // namespace orchard::automation
