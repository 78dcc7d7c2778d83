// Issue 18, item 10: the pooled tier-3 team is measured against a pooled capacity (the setting
// coverage.pooled_accounts_per_am, accounts per pooled AM, default 200, within 80–120 % of it),
// not reported "under" for want of tier-1 and tier-2 accounts.
#include <gtest/gtest.h>

#include "engine/dashboards.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class PooledCoverageTest : public ::testing::Test {
 protected:
  void Add(int64_t owner, int64_t dollars, int count) {
    for (int i = 0; i < count; ++i) {
      Account a;
      a.id = AccountId(++id_);
      a.owner_id = UserId(owner);
      model_.Upsert(a);
      book_.AddLine(id_, dollars, "2025-01-01");
    }
  }
  const CoverageRow& Row(const std::vector<CoverageRow>& rows, int64_t owner) {
    for (const auto& r : rows) {
      if (r.owner_id == owner) return r;
    }
    ADD_FAILURE() << "no row for " << owner;
    return rows.front();
  }

  int64_t id_ = 0;
  ReadModel model_;
  testing::BookBuilder book_{model_};
  Settings settings_;
  const Date today_ = D("2026-06-15");
};

TEST_F(PooledCoverageTest, APooledBookIsMeasuredAgainstThePooledCapacity) {
  Add(7, 5'000, 195);  // the pooled team: 195 tier-3 accounts and 5 tier-2 (grown)
  Add(7, 50'000, 5);
  Add(8, 5'000, 400);   // a pooled AM carrying twice the capacity
  Add(9, 5'000, 60);    // a pooled AM with 60: under 80 % of 200
  Add(10, 50'000, 10);  // a named tier-2 AM with a tail of tier-3 accounts: not pooled
  Add(10, 5'000, 30);
  auto rows = Coverage(model_, settings_, today_, {});
  const CoverageRow& full = Row(rows, 7);
  EXPECT_TRUE(full.pooled);
  EXPECT_EQ(full.status, "within") << "195 of 200 is a full pooled book, not 'under' at 12.5 %";
  EXPECT_DOUBLE_EQ(full.load, 5.0 / 40 + 195.0 / 200);
  const CoverageRow& heavy = Row(rows, 8);
  EXPECT_TRUE(heavy.pooled);
  EXPECT_EQ(heavy.status, "overloaded");
  EXPECT_DOUBLE_EQ(heavy.load, 2.0);
  EXPECT_EQ(Row(rows, 9).status, "under");
  EXPECT_DOUBLE_EQ(Row(rows, 9).load, 0.3);
  const CoverageRow& named = Row(rows, 10);
  EXPECT_FALSE(named.pooled);
  EXPECT_DOUBLE_EQ(named.load, 0.25) << "tier 3 does not count in a named AM's book";

  // The capacity is a setting: at 400 per pooled AM, AM 8 is within and AM 7 under.
  settings_.pooled_accounts_per_am = 400;
  rows = Coverage(model_, settings_, today_, {});
  EXPECT_EQ(Row(rows, 8).status, "within");
  EXPECT_EQ(Row(rows, 7).status, "under");
}

TEST(PooledCoverageSettingTest, IsStoredValidatedAndDefaultsTo200) {
  Settings s;
  EXPECT_EQ(s.pooled_accounts_per_am, 200);
  bool listed = false;
  for (const auto& row : s.ToRows()) {
    if (row.key == "coverage.pooled_accounts_per_am") listed = row.value == "200";
  }
  EXPECT_TRUE(listed) << "the setting is one of the stored rows";
  ASSERT_TRUE(s.Apply({Setting{"coverage.pooled_accounts_per_am", "350"}}).has_value());
  EXPECT_EQ(s.pooled_accounts_per_am, 350);
  for (const char* bad : {"0", "100001", "-5", "many"}) {
    auto refused = s.Apply({Setting{"coverage.pooled_accounts_per_am", bad}});
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error().fields.at(0).field, "coverage.pooled_accounts_per_am") << bad;
  }
  EXPECT_EQ(s.pooled_accounts_per_am, 350) << "a refused value changes nothing";
}

}  // namespace
}  // namespace orchard::engine
