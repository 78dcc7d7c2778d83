// Relationship alerts (engine/relationships.h) on hand-built maps: each rule, what clears it, and
// that the Summary flags every dashboard reads say the same as the sentences.
#include <gtest/gtest.h>

#include "engine/health.h"
#include "engine/relationships.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class RelationshipsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Account a;
    a.id = AccountId(1);
    a.owner_id = UserId(7);
    model_.Upsert(a);
    book_.AddLine(1, 80'000, "2025-01-01");
  }
  std::vector<std::string> Codes() {
    std::vector<std::string> out;
    for (const auto& a : RelationshipAlerts(model_, *model_.SlotOf(1), today_.days())) {
      out.emplace_back(a.code);
    }
    return out;
  }
  uint16_t Flags() { return RelationshipFlags(model_, *model_.SlotOf(1), today_.days()); }
  // A contact with everything the rules read.
  int64_t Put(int64_t id, std::optional<BuyingRole> role, Stance stance, int influence,
              ContactStatus status = ContactStatus::kActive,
              std::optional<Date> last_engaged = std::nullopt) {
    Contact c;
    c.id = ContactId(id);
    c.account_id = AccountId(1);
    c.buying_role = role;
    c.stance = stance;
    c.influence = influence;
    c.status = status;
    c.last_engaged_on = last_engaged;
    model_.Upsert(c);
    return id;
  }

  ReadModel model_;
  testing::BookBuilder book_{model_};
  const Date today_ = D("2026-06-15");
};

TEST_F(RelationshipsTest, AMapWithAnEconomicBuyerAndAChampionRaisesNothing) {
  Put(100, BuyingRole::kEconomicBuyer, Stance::kSupporter, 5);
  Put(101, std::nullopt, Stance::kChampion, 3);  // a champion by stance
  EXPECT_TRUE(Codes().empty());
  EXPECT_EQ(Flags(), 0);
}

TEST_F(RelationshipsTest, ADepartedChampionFlagsTheAccountUntilSomeoneTakesThePart) {
  Put(100, BuyingRole::kEconomicBuyer, Stance::kSupporter, 5);
  Put(101, BuyingRole::kChampion, Stance::kChampion, 4, ContactStatus::kDeparted);
  EXPECT_EQ(Codes(), (std::vector<std::string>{"champion_lost"}));
  EXPECT_EQ(Flags(), Summary::kChampionLost);
  auto alerts = RelationshipAlerts(model_, *model_.SlotOf(1), today_.days());
  EXPECT_EQ(alerts[0].contact_id, 101);
  EXPECT_EQ(alerts[0].why,
            "contact 101, a champion, has departed and no active contact has taken that part: "
            "re-thread the account");
  // The dashboards see it too: the summary carries the flag.
  auto lock = model_.ReadLock();
  EXPECT_TRUE(model_.On(today_.days(), Settings{}).summary[*model_.SlotOf(1)].flags &
              Summary::kChampionLost);
  lock.unlock();
  Put(102, std::nullopt, Stance::kChampion, 3);  // re-threaded: a new champion
  EXPECT_TRUE(Codes().empty());
}

TEST_F(RelationshipsTest, ADepartedEconomicBuyerIsLostAndMissing) {
  Put(100, BuyingRole::kEconomicBuyer, Stance::kNeutral, 5, ContactStatus::kDeparted);
  Put(101, BuyingRole::kChampion, Stance::kChampion, 3);
  EXPECT_EQ(Codes(), (std::vector<std::string>{"champion_lost", "no_economic_buyer"}));
  EXPECT_EQ(Flags(), Summary::kChampionLost | Summary::kMissingEconomicBuyer);
  // A departed plain user is no loss.
  Put(100, BuyingRole::kUser, Stance::kNeutral, 5, ContactStatus::kDeparted);
  EXPECT_EQ(Codes(), (std::vector<std::string>{"no_economic_buyer"}));
}

TEST_F(RelationshipsTest, AnInfluentialDetractorNotEngagedFor60DaysIsFlagged) {
  Put(100, BuyingRole::kEconomicBuyer, Stance::kSupporter, 5);
  Put(101, std::nullopt, Stance::kDetractor, 4, ContactStatus::kActive, today_.AddDays(-60));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"detractor_dark"}));
  EXPECT_EQ(RelationshipAlerts(model_, *model_.SlotOf(1), today_.days())[0].why,
            "contact 101, a detractor with influence 4, was last engaged 60 days ago");
  // 59 days is not yet dark; nor is influence 3; a blocker counts like a detractor.
  Put(101, std::nullopt, Stance::kDetractor, 4, ContactStatus::kActive, today_.AddDays(-59));
  EXPECT_TRUE(Codes().empty());
  Put(101, std::nullopt, Stance::kDetractor, 3, ContactStatus::kActive);
  EXPECT_TRUE(Codes().empty());
  Put(101, std::nullopt, Stance::kBlocker, 5, ContactStatus::kActive);
  EXPECT_EQ(Codes(), (std::vector<std::string>{"detractor_dark"}));
  // Taking part in a meaningful activity ten days ago engages them; a later date (tomorrow's
  // meeting) does not count today.
  book_.AddActivity(1, today_.AddDays(1), {101});
  EXPECT_EQ(Codes(), (std::vector<std::string>{"detractor_dark"}));
  book_.AddActivity(1, today_.AddDays(-10), {101});
  EXPECT_TRUE(Codes().empty());
  EXPECT_EQ(Flags(), 0);
}

}  // namespace
}  // namespace orchard::engine
