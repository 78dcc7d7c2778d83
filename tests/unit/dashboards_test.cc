// The dashboards on a hand-built book: renewals, the NRR leaderboard, coverage and the KPI strip.
#include <gtest/gtest.h>

#include "engine/dashboards.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class DashboardsTest : public ::testing::Test {
 protected:
  void AddAccount(int64_t id, int64_t owner, int64_t dollars, const char* start,
                  std::optional<const char*> end = std::nullopt) {
    Account a;
    a.id = AccountId(id);
    if (owner) a.owner_id = UserId(owner);
    model_.Upsert(a);
    AddLine(id, dollars, start, end);
  }
  void AddLine(int64_t account, int64_t dollars, const char* start,
               std::optional<const char*> end = std::nullopt) {
    book_.AddLine(account, dollars, start, end);
  }

  ReadModel model_;
  testing::BookBuilder book_{model_};
  Settings settings_;
  const Date today_ = D("2026-06-15");
};

TEST_F(DashboardsTest, RenewalsInTheWindowLargestFirst) {
  AddAccount(1, 7, 50'000, "2025-07-01", "2026-06-30");   // renews in 15 days
  AddAccount(2, 7, 200'000, "2025-09-14", "2026-09-13");  // in 90 days: the window's last day
  AddAccount(3, 8, 90'000, "2025-09-15", "2026-09-14");   // in 91 days: outside
  AddAccount(4, 8, 30'000, "2024-01-01");                 // open-ended: never renews
  AddAccount(5, 8, 120'000, "2025-06-01", "2026-07-31");  // two lines: the sooner end counts
  AddLine(5, 10'000, "2026-01-01", "2026-06-20");
  AddAccount(6, 7, 80'000, "2025-01-01", "2026-06-14");  // ended yesterday: not active
  auto r = Renewals(model_, settings_, today_, 90, {});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].account_id, 2);
  EXPECT_EQ(r[0].days_left, 90);
  EXPECT_EQ(r[0].tier, Tier::kStrategic);
  EXPECT_EQ(r[1].account_id, 5);
  EXPECT_EQ(r[1].arr_cents, 130'000'00);
  EXPECT_EQ(r[1].renewal_date, D("2026-06-20"));
  EXPECT_EQ(r[2].account_id, 1);
  EXPECT_EQ(r[2].days_left, 15);
  DashboardFilter mine;
  mine.am = 8;
  ASSERT_EQ(Renewals(model_, settings_, today_, 90, mine).size(), 1u);
  EXPECT_EQ(Renewals(model_, settings_, today_, 10, {}).size(), 1u) << "only account 5, in 5 days";
}

TEST_F(DashboardsTest, LeaderboardRanksAmsByNrr) {
  AddAccount(1, 7, 100'000, "2024-01-01");                // AM 7: flat
  AddAccount(2, 8, 100'000, "2024-01-01", "2025-12-31");  // AM 8: $100k → $150k
  AddLine(2, 150'000, "2026-01-01");
  AddAccount(3, 9, 100'000, "2024-01-01", "2026-01-31");  // AM 9: churned
  auto rows = *NrrLeaderboard(model_, settings_, D("2025-06-15"), today_, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key, "8");
  EXPECT_EQ(rows[0].figures.nrr_bp(), 15000);
  EXPECT_EQ(rows[1].key, "7");
  EXPECT_EQ(rows[2].key, "9");
  EXPECT_EQ(rows[2].figures.churn_cents, 100'000'00);
}

TEST_F(DashboardsTest, CoverageComparesEachBookWithTheTierRatios) {
  int64_t id = 0;
  // AM 7: 13 tier-1 accounts — over the 8–12 range even at its top.
  for (int i = 0; i < 13; ++i) AddAccount(++id, 7, 150'000, "2025-01-01");
  // AM 8: 5 tier-1 and 20 tier-2 — half a tier-1 book plus half a tier-2 book: a full book.
  for (int i = 0; i < 5; ++i) AddAccount(++id, 8, 150'000, "2025-01-01");
  for (int i = 0; i < 20; ++i) AddAccount(++id, 8, 50'000, "2025-01-01");
  // AM 9: 10 tier-2 accounts and 30 tier-3 (pooled, not counted): a quarter of a book.
  for (int i = 0; i < 10; ++i) AddAccount(++id, 9, 50'000, "2025-01-01");
  for (int i = 0; i < 30; ++i) AddAccount(++id, 9, 5'000, "2025-01-01");
  AddAccount(++id, 0, 5'000, "2025-01-01");  // nobody's
  auto rows = Coverage(model_, settings_, today_, {});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].owner_id, 0);
  EXPECT_EQ(rows[0].status, "unassigned");
  EXPECT_EQ(rows[1].owner_id, 7);
  EXPECT_EQ(rows[1].status, "overloaded");
  EXPECT_DOUBLE_EQ(rows[1].load, 1.3);
  EXPECT_EQ(rows[2].status, "within");
  EXPECT_DOUBLE_EQ(rows[2].load, 1.0);
  EXPECT_EQ(rows[2].accounts_by_tier[1], 20);
  EXPECT_EQ(rows[3].status, "under");
  EXPECT_DOUBLE_EQ(rows[3].load, 0.25);
  EXPECT_EQ(rows[3].accounts_by_tier[2], 30);
  DashboardFilter tier2;
  tier2.tier = Tier::kCore;
  EXPECT_EQ(Coverage(model_, settings_, today_, tier2).size(), 2u) << "AMs 8 and 9";
}

TEST_F(DashboardsTest, KpiStripIsTheTrailingYearOfTheBook) {
  AddAccount(1, 7, 100'000, "2024-01-01", "2025-12-31");  // $100k → $120k
  AddLine(1, 120'000, "2026-01-01");
  AddAccount(2, 7, 50'000, "2024-01-01", "2026-03-31");  // churned
  AddAccount(3, 8, 40'000, "2026-02-01");                // new logo
  auto k = KpiStrip(model_, settings_, today_, {});
  EXPECT_EQ(k.accounts, 3);
  EXPECT_EQ(k.arr_cents, 160'000'00);
  EXPECT_EQ(k.retention.accounts, 2);
  EXPECT_EQ(k.retention.expansion_cents, 20'000'00);
  EXPECT_EQ(k.retention.churn_cents, 50'000'00);
  EXPECT_EQ(k.retention.nrr_bp(), 8000);  // 120 / 150
  EXPECT_EQ(k.retention.grr_bp(), 6667);  // 100 / 150
}

TEST_F(DashboardsTest, TodaysColumnsFollowEveryWrite) {
  AddAccount(1, 7, 50'000, "2025-07-01", "2026-06-30");
  ASSERT_EQ(Renewals(model_, settings_, today_, 90, {}).size(), 1u);  // builds today's columns
  ContractLine extended;
  extended.id = ContractLineId(1);
  extended.account_id = AccountId(1);
  extended.arr = Money::FromDollars(50'000);
  extended.start_date = D("2025-07-01");
  extended.end_date = D("2027-06-30");
  model_.Upsert(extended);
  EXPECT_TRUE(Renewals(model_, settings_, today_, 90, {}).empty()) << "renewed for a year";
  AddLine(1, 10'000, "2026-01-01", "2026-07-01");
  auto r = Renewals(model_, settings_, today_, 90, {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].arr_cents, 60'000'00);
  EXPECT_EQ(r[0].renewal_date, D("2026-07-01"));
  model_.EraseContractLine(ContractLineId(2));
  EXPECT_TRUE(Renewals(model_, settings_, today_, 90, {}).empty());
  AddAccount(2, 8, 20'000, "2026-01-01", "2026-08-01");  // a slot added after the columns
  ASSERT_EQ(Renewals(model_, settings_, today_, 90, {}).size(), 1u);
  EXPECT_EQ(KpiStrip(model_, settings_, today_, {}).arr_cents, 70'000'00);
  model_.EraseAccount(AccountId(2));
  EXPECT_TRUE(Renewals(model_, settings_, today_, 90, {}).empty());
  EXPECT_EQ(KpiStrip(model_, settings_, today_, {}).arr_cents, 50'000'00);
}

}  // namespace
}  // namespace orchard::engine
