// Retention for any period, whole and by group (issue 21, item 9): the NRR leaderboard keeps the
// accounts of no AM in a row of their own, last, and groups by tier, industry or region; the KPI
// strip answers any period, whole and by group, and its groups add up to the whole.
#include <gtest/gtest.h>

#include "engine/dashboard_table.h"
#include "engine/dashboards.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class KpiPeriodTest : public ::testing::Test {
 protected:
  void AddAccount(int64_t id, int64_t owner, const char* industry, int64_t dollars,
                  const char* start, std::optional<const char*> end = std::nullopt) {
    Account a;
    a.id = AccountId(id);
    if (owner) a.owner_id = UserId(owner);
    a.industry = industry;
    model_.Upsert(a);
    book_.AddLine(id, dollars, start, end);
  }
  // Three AMs and one account nobody owns, over the year to today:
  //   AM 7: $100k flat (Retail); AM 8: $100k → $150k (Retail);
  //   AM 9: $100k churned (Energy); no AM: $40k → $20k (no industry);
  //   AM 7 again: a new logo after the year began (not in the cohort, in the book).
  void AddBook() {
    AddAccount(1, 7, "Retail", 100'000, "2024-01-01");
    AddAccount(2, 8, "Retail", 100'000, "2024-01-01", "2025-12-31");
    book_.AddLine(2, 150'000, "2026-01-01");
    AddAccount(3, 9, "Energy", 100'000, "2024-01-01", "2026-01-31");
    AddAccount(4, 0, "", 40'000, "2024-01-01", "2025-12-31");
    book_.AddLine(4, 20'000, "2026-01-01");
    AddAccount(5, 7, "Retail", 60'000, "2026-03-01");
  }

  ReadModel model_;
  testing::BookBuilder book_{model_};
  Settings settings_;
  const Date today_ = D("2026-06-15");
  const Date year_ago_ = D("2025-06-15");
};

TEST_F(KpiPeriodTest, TheLeaderboardShowsTheAccountsOfNoAmLastSoItsRowsAddUp) {
  AddBook();
  auto rows = *NrrLeaderboard(model_, settings_, year_ago_, today_, {});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].key, "8");
  EXPECT_EQ(rows[1].key, "7");
  EXPECT_EQ(rows[2].key, "9");
  EXPECT_EQ(rows[3].key, "") << "no AM: last, though its NRR (50 %) beats AM 9's (0 %)";
  EXPECT_EQ(rows[3].figures.nrr_bp(), 5000);
  int64_t start = 0;
  for (const auto& r : rows) start += r.figures.start_cents.cents();
  EXPECT_EQ(start, 340'000'00) << "the book's cohort, every account of it";
}

TEST_F(KpiPeriodTest, TheLeaderboardGroupsByIndustryWithTheUnnamedLast) {
  AddBook();
  auto rows = *NrrLeaderboard(model_, settings_, year_ago_, today_, {}, RetentionGroup::kIndustry);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key, "Retail");
  EXPECT_EQ(rows[0].figures.nrr_bp(), 12500) << "$200k → $250k";
  EXPECT_EQ(rows[1].key, "Energy");
  EXPECT_EQ(rows[2].key, "");
  DashboardQuery q;
  q.group_by = RetentionGroup::kNone;
  auto none = AnswerDashboard("nrr-leaderboard", model_, settings_, today_, q);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().fields.at(0).field, "group_by");
}

TEST_F(KpiPeriodTest, TheStripAnswersAnyPeriodAndItsGroupsAddUpToTheWhole) {
  AddBook();
  // The trailing year, as the dashboards page shows it, is the period's answer for that year.
  const Kpis strip = KpiStrip(model_, settings_, today_, {});
  auto year = *KpiReportFor(model_, settings_, today_, year_ago_, today_, {}, RetentionGroup::kAm);
  EXPECT_EQ(year.total.retention.start_cents, strip.retention.start_cents);
  EXPECT_EQ(year.total.arr_cents, strip.arr_cents);
  EXPECT_EQ(year.total.accounts, 5);
  EXPECT_EQ(year.total.arr_cents, (100'000 + 150'000 + 20'000 + 60'000) * 100LL);
  ASSERT_EQ(year.groups.size(), 4u) << "AMs 7, 8, 9 and nobody";
  EXPECT_EQ(year.groups[0].owner_id, 7) << "largest ARR first: $160k";
  EXPECT_EQ(year.groups[0].kpis.accounts, 2) << "the new logo is in the book, not the cohort";
  EXPECT_EQ(year.groups[0].kpis.retention.accounts, 1);
  EXPECT_EQ(year.groups.back().key, "");
  EXPECT_EQ(year.groups.back().owner_id, 0);
  int64_t accounts = 0, arr = 0, start = 0;
  for (const auto& g : year.groups) {
    accounts += g.kpis.accounts;
    arr += g.kpis.arr_cents;
    start += g.kpis.retention.start_cents.cents();
  }
  EXPECT_EQ(accounts, year.total.accounts);
  EXPECT_EQ(arr, year.total.arr_cents);
  EXPECT_EQ(start, year.total.retention.start_cents.cents());

  // A past period: the book as it stood on its last day, the retention over it.
  auto past = *KpiReportFor(model_, settings_, today_, D("2025-01-01"), D("2025-12-31"), {},
                            RetentionGroup::kNone);
  EXPECT_EQ(past.total.arr_cents, 340'000'00) << "the new logo of 2026 had no ARR in 2025";
  EXPECT_EQ(past.total.retention.accounts, 4);
  EXPECT_EQ(past.total.retention.nrr_bp(), 10000) << "nothing moved in 2025";
  EXPECT_TRUE(past.groups.empty());
  auto q1 = *KpiReportFor(model_, settings_, today_, D("2026-01-01"), D("2026-03-31"), {},
                          RetentionGroup::kNone);
  EXPECT_EQ(q1.total.retention.churn_cents, 100'000'00) << "AM 9's account ended in January";

  // The period's ends are checked, each named.
  auto reversed =
      KpiReportFor(model_, settings_, today_, today_, year_ago_, {}, RetentionGroup::kNone);
  ASSERT_FALSE(reversed.has_value());
  EXPECT_EQ(reversed.error().fields.at(0).field, "from");
  auto future = KpiReportFor(model_, settings_, today_, year_ago_, D("2026-07-01"), {},
                             RetentionGroup::kNone);
  ASSERT_FALSE(future.has_value());
  EXPECT_EQ(future.error().fields.at(0).field, "to");
}

TEST_F(KpiPeriodTest, TheStripByTierPutsTheCohortUnderItsTierAtThePeriodsStart) {
  AddBook();
  auto tiers =
      *KpiReportFor(model_, settings_, today_, year_ago_, today_, {}, RetentionGroup::kTier);
  auto board = *NrrLeaderboard(model_, settings_, year_ago_, today_, {}, RetentionGroup::kTier);
  // Each tier's retention is the leaderboard's by tier: the same cohort under the same tier.
  for (const auto& row : board) {
    auto it = std::find_if(tiers.groups.begin(), tiers.groups.end(),
                           [&](const KpiGroupRow& g) { return g.key == row.key; });
    ASSERT_NE(it, tiers.groups.end()) << "tier " << row.key;
    EXPECT_EQ(it->kpis.retention.start_cents, row.figures.start_cents) << "tier " << row.key;
    EXPECT_EQ(it->kpis.retention.end_cents, row.figures.end_cents) << "tier " << row.key;
  }
}

}  // namespace
}  // namespace orchard::engine
