// Issue 18, item 9: the at-risk and renewals dashboards rank by urgency — ARR weighted by how red
// the health is and how soon the renewal comes (engine/dashboards.h, docs/DASHBOARDS.md) — so a
// tier-1 red account renewing in 6 days leads, ahead of bigger accounts; `sort=arr` keeps the
// largest-first order.
#include <gtest/gtest.h>

#include "engine/dashboard_table.h"
#include "engine/dashboards.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class UrgencyTest : public ::testing::Test {
 protected:
  // An account of `dollars` ARR whose health is `score` (a CSM's override, in force) and whose
  // only line ends `days` from today (open-ended without).
  void Add(int64_t id, int64_t dollars, int score, std::optional<int> days) {
    Account a;
    a.id = AccountId(id);
    a.owner_id = UserId(7);
    model_.Upsert(a);
    std::string end = days ? today_.AddDays(*days).ToString() : "";
    book_.AddLine(id, dollars, "2025-01-01",
                  days ? std::optional<const char*>(end.c_str()) : std::nullopt);
    book_.AddOverride(id, today_.AddDays(-1), today_.AddDays(60), score, "set for the test");
  }

  ReadModel model_;
  testing::BookBuilder book_{model_};
  Settings settings_;
  const Date today_ = D("2026-06-15");
};

TEST(UrgencyRuleTest, WeightIsOneWithinThirtyDaysThenFallsToAQuarterAtTheWindowsEnd) {
  EXPECT_EQ(UrgencyWeightBp(0, 90), 10'000);
  EXPECT_EQ(UrgencyWeightBp(6, 90), 10'000);
  EXPECT_EQ(UrgencyWeightBp(30, 90), 10'000);
  EXPECT_EQ(UrgencyWeightBp(60, 90), 6'250);
  EXPECT_EQ(UrgencyWeightBp(90, 90), 2'500);
  EXPECT_EQ(UrgencyWeightBp(91, 90), 2'500);
  EXPECT_EQ(UrgencyWeightBp(std::nullopt, 90), 2'500) << "no renewal";
  EXPECT_EQ(UrgencyWeightBp(20, 30), 10'000) << "a window within 30 days is all weight 1";
  // ARR × ((100 − health)/100)² × weight: $150k at health 25 renewing in 6 days.
  EXPECT_EQ(UrgencyCents(150'000'00, 25, 6, 90), 84'375'00);
  EXPECT_EQ(UrgencyCents(1'000'000'00, 85, 45, 90), 18'281'25);
  EXPECT_EQ(UrgencyCents(100'00, -1, 6, 90), 25'00) << "no score counts as health 50";
}

TEST_F(UrgencyTest, ARedTierOneRenewingInSixDaysLeadsBothPanels) {
  Add(1, 1'000'000, 85, 45);          // big and green, renewing in 45 days
  Add(2, 150'000, 25, 6);             // tier 1, red, renewing in 6 days
  Add(3, 900'000, 60, 80);            // big, yellow, renewing in 80 days
  Add(4, 400'000, 35, std::nullopt);  // red, no renewal
  DashboardQuery q;
  auto renewals = AnswerDashboard("renewals", model_, settings_, today_, q);
  ASSERT_TRUE(renewals.has_value()) << renewals.error().message;
  const auto& r = std::get<RenewalsDashboard>(renewals->body);
  EXPECT_EQ(r.sort, DashboardSort::kUrgency) << "urgency is the default";
  ASSERT_EQ(r.answer.items.size(), 3u);
  EXPECT_EQ(r.answer.items[0].account_id, 2);
  EXPECT_EQ(r.answer.items[0].tier, Tier::kStrategic);
  EXPECT_EQ(r.answer.items[0].days_left, 6);
  EXPECT_EQ(r.answer.items[0].urgency_cents, 84'375'00);
  EXPECT_EQ(r.answer.items[1].account_id, 3);  // 900k × 0.16 × 0.375 = 54k
  EXPECT_EQ(r.answer.items[2].account_id, 1);

  auto risk = AnswerDashboard("at-risk", model_, settings_, today_, q);
  ASSERT_TRUE(risk.has_value());
  const auto& a = std::get<AtRiskDashboard>(risk->body);
  ASSERT_EQ(a.answer.items.size(), 3u) << "yellow and red only";
  EXPECT_EQ(a.answer.items[0].account_id, 2);
  EXPECT_EQ(a.answer.items[1].account_id, 3);  // 54k
  EXPECT_EQ(a.answer.items[2].account_id, 4);  // 400k × 0.4225 × 0.25 = 42.25k
  EXPECT_EQ(a.answer.items[2].urgency_cents, 42'250'00);

  // ARR stays a sort option: largest first.
  q.sort = DashboardSort::kArr;
  auto by_arr = AnswerDashboard("at-risk", model_, settings_, today_, q);
  const auto& b = std::get<AtRiskDashboard>(by_arr->body);
  EXPECT_EQ(b.sort, DashboardSort::kArr);
  EXPECT_EQ(b.answer.items[0].account_id, 3);
  EXPECT_EQ(b.answer.items[1].account_id, 4);
  EXPECT_EQ(b.answer.items[2].account_id, 2);
  auto renewals_by_arr = AnswerDashboard("renewals", model_, settings_, today_, q);
  EXPECT_EQ(std::get<RenewalsDashboard>(renewals_by_arr->body).answer.items[0].account_id, 1);

  // Paging keeps the order: the second row alone.
  q.sort.reset();
  q.offset = 1;
  q.limit = 1;
  auto second = AnswerDashboard("at-risk", model_, settings_, today_, q);
  const auto& s = std::get<AtRiskDashboard>(second->body);
  EXPECT_EQ(s.page.total, 3);
  ASSERT_EQ(s.answer.items.size(), 1u);
  EXPECT_EQ(s.answer.items[0].account_id, 3);
}

// Item 8: a manager's team (the owners' ids) and a CSM narrow every dashboard as an AM does,
// including those the whole book answers from kept totals (the KPI strip, the leaderboard).
TEST_F(UrgencyTest, TeamAndCsmNarrowEveryDashboard) {
  Add(1, 150'000, 25, 6);   // AM 7
  Add(2, 300'000, 30, 20);  // AM 8, CSM 9
  Account two;
  two.id = AccountId(2);
  two.owner_id = UserId(8);
  two.csm_id = UserId(9);
  model_.Upsert(two);
  Add(3, 200'000, 35, 40);  // AM 7
  DashboardQuery q;
  q.filter.team = std::vector<int64_t>{7, 11};  // a manager 11 and AM 7
  auto risk = AnswerDashboard("at-risk", model_, settings_, today_, q);
  const auto& r = std::get<AtRiskDashboard>(risk->body);
  EXPECT_EQ(r.answer.total, 2);
  EXPECT_EQ(r.answer.total_arr_cents, 350'000'00);
  auto kpis = AnswerDashboard("kpis", model_, settings_, today_, q);
  EXPECT_EQ(std::get<KpiDashboard>(kpis->body).kpis.accounts, 2);
  auto board = AnswerDashboard("nrr-leaderboard", model_, settings_, today_, q);
  const auto& b = std::get<NrrDashboard>(board->body);
  ASSERT_EQ(b.items.size(), 1u);
  EXPECT_EQ(b.items[0].key, "7");
  DashboardQuery csm;
  csm.filter.csm = 9;
  auto covered = AnswerDashboard("renewals", model_, settings_, today_, csm);
  const auto& c = std::get<RenewalsDashboard>(covered->body);
  ASSERT_EQ(c.answer.items.size(), 1u);
  EXPECT_EQ(c.answer.items[0].account_id, 2);
}

TEST(UrgencyRuleTest, SortParsesUrgencyOrArrAndNamesTheParameterOtherwise) {
  EXPECT_EQ(*ParseDashboardSort("urgency"), DashboardSort::kUrgency);
  EXPECT_EQ(*ParseDashboardSort("arr"), DashboardSort::kArr);
  auto bad = ParseDashboardSort("size");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace orchard::engine
