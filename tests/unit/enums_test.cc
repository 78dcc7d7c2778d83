#include "domain/enums.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

TEST(EnumsTest, NamesRoundTrip) {
  EXPECT_EQ(ToString(BuyingRole::kEconomicBuyer), "economic_buyer");
  EXPECT_EQ(ParseEnum<OpportunityStage>("closed_won"), OpportunityStage::kClosedWon);
  for (size_t i = 0; i < EnumTraits<Stance>::kNames.size(); ++i) {
    auto s = static_cast<Stance>(i);
    EXPECT_EQ(ParseEnum<Stance>(ToString(s)), s);
  }
}

TEST(EnumsTest, UnknownNameListsTheChoices) {
  auto r = ParseEnum<Stance>("fan");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "stance must be one of champion, supporter, neutral, detractor, blocker; got \"fan\"");
}

}  // namespace
}  // namespace orchard
