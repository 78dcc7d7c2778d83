// Retention (PRODUCT.md, Metrics) on hand-computed books: every edge case the definition names.
#include <gtest/gtest.h>

#include "engine/retention.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class RetentionTest : public ::testing::Test {
 protected:
  void AddAccount(int64_t id, std::optional<int64_t> owner, std::string industry = "Retail") {
    Account a;
    a.id = AccountId(id);
    a.name = "Account " + std::to_string(id);
    if (owner) a.owner_id = UserId(*owner);
    a.industry = std::move(industry);
    model_.Upsert(a);
  }
  void AddLine(int64_t account, int64_t dollars, const char* start,
               std::optional<const char*> end = std::nullopt) {
    book_.AddLine(account, dollars, start, end);
  }
  RetentionReport Run(RetentionGroup group = RetentionGroup::kNone) {
    auto r = Retention(model_, D("2025-07-01"), D("2026-06-30"), group, Settings{});
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  // The period is [2025-07-01, 2026-06-30].
  void SetUp() override {
    AddAccount(1, 1);  // flat: $100k throughout
    AddLine(1, 100'000, "2024-01-01");
    // Expansion and contraction in one account: s = 50k + 20k, e = 50k + 40k. The first line
    // ends on the period's last day, which still counts (the end date is the last day served).
    AddAccount(2, 1);
    AddLine(2, 50'000, "2024-01-01", "2026-06-30");
    AddLine(2, 20'000, "2024-01-01", "2025-12-31");
    AddLine(2, 40'000, "2026-01-01");
    AddAccount(3, 2);  // churn to zero: its line ends the day before t1
    AddLine(3, 30'000, "2024-01-01", "2026-06-29");
    AddAccount(4, 2);  // a new logo inside the period: not in the cohort
    AddLine(4, 80'000, "2025-09-01");
    AddAccount(5, 2);  // contraction on renewal: $60k → $40k
    AddLine(5, 60'000, "2024-01-01", "2025-12-31");
    AddLine(5, 40'000, "2026-01-01");
    AddAccount(6, std::nullopt, "Energy");  // overlapping lines both count, no AM
    AddLine(6, 10'000, "2025-01-01");
    AddLine(6, 10'000, "2025-06-01", "2027-01-01");
    AddAccount(7, 1);  // gone before the period: its line ended the day before t0
    AddLine(7, 25'000, "2024-01-01", "2025-06-30");
  }

  ReadModel model_;
  testing::BookBuilder book_{model_};
};

TEST_F(RetentionTest, TotalsFollowTheDefinitionExactly) {
  auto r = Run();
  EXPECT_EQ(r.total.accounts, 5) << "accounts 1, 2, 3, 5 and 6; not the new logo or the gone one";
  EXPECT_EQ(r.total.start_cents, 280'000'00);  // 100 + 70 + 30 + 60 + 20
  EXPECT_EQ(r.total.end_cents, 250'000'00);    // 100 + 90 + 0 + 40 + 20
  EXPECT_EQ(r.total.expansion_cents, 20'000'00);
  EXPECT_EQ(r.total.contraction_cents, 20'000'00);
  EXPECT_EQ(r.total.churn_cents, 30'000'00);
  EXPECT_EQ(r.total.churned_accounts, 1);
  EXPECT_EQ(r.total.retained_cents, 230'000'00);  // Σ min(e, s)
  EXPECT_EQ(r.total.nrr_bp(), 8929);              // 250 / 280 = 89.2857%
  EXPECT_EQ(r.total.grr_bp(), 8214);              // 230 / 280 = 82.1429%
  EXPECT_TRUE(r.rows.empty());
}

TEST_F(RetentionTest, ByAmUsesTheOwnerNowAndFollowsAChangeOfAm) {
  auto r = Run(RetentionGroup::kAm);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].key, "");  // no AM
  EXPECT_EQ(r.rows[0].figures.nrr_bp(), 10000);
  EXPECT_EQ(r.rows[1].key, "1");
  EXPECT_EQ(r.rows[1].figures.start_cents, 170'000'00);
  EXPECT_EQ(r.rows[1].figures.nrr_bp(), 11176);  // 190 / 170
  EXPECT_EQ(r.rows[2].key, "2");
  EXPECT_EQ(r.rows[2].figures.nrr_bp(), 4444);  // 40 / 90
  // Account 2 moves to AM 2: its whole story goes with it.
  Account moved;
  moved.id = AccountId(2);
  moved.owner_id = UserId(2);
  moved.industry = "Retail";
  model_.Upsert(moved);
  r = Run(RetentionGroup::kAm);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[1].figures.start_cents, 100'000'00);
  EXPECT_EQ(r.rows[2].figures.start_cents, 160'000'00);
  EXPECT_EQ(r.rows[2].figures.end_cents, 130'000'00);
  EXPECT_EQ(r.total.nrr_bp(), 8929) << "the total does not depend on the grouping";
}

TEST_F(RetentionTest, ByAmTakesTheOwnerAtTheEndOrTheStartFromTheHistory) {
  // Account 2 (s = 70k, e = 90k) was AM 1's from the start, AM 2's from 2026-01-15 and is AM 3's
  // from 2026-08-01, after the period: at its end (2026-06-30) it is AM 2's, at its start AM 1's.
  using Since = ReadModel::OwnerSince;
  std::vector<Since> spans = {
      {kNoDay, 1}, {D("2026-01-15").days(), 2}, {D("2026-08-01").days(), 3}};
  model_.SetOwnerHistory(2, spans);
  auto key_of = [](const RetentionReport& r, std::string_view key) -> const RetentionFigures* {
    for (const auto& row : r.rows) {
      if (row.key == key) return &row.figures;
    }
    return nullptr;
  };
  auto at_end = Run(RetentionGroup::kAm);
  ASSERT_NE(key_of(at_end, "1"), nullptr);
  EXPECT_EQ(key_of(at_end, "1")->start_cents, 100'000'00);  // account 1 alone
  ASSERT_NE(key_of(at_end, "2"), nullptr);
  EXPECT_EQ(key_of(at_end, "2")->start_cents, (90'000 + 70'000) * 100);
  EXPECT_EQ(key_of(at_end, "3"), nullptr);
  auto at_start = Run(RetentionGroup::kAmAtStart);
  ASSERT_NE(key_of(at_start, "1"), nullptr);
  EXPECT_EQ(key_of(at_start, "1")->start_cents, 170'000'00);
  EXPECT_EQ(key_of(at_start, "1")->nrr_bp(), 11176);
  EXPECT_EQ(key_of(at_start, "2")->start_cents, 90'000'00);
  EXPECT_EQ(at_start.total.nrr_bp(), at_end.total.nrr_bp());
  // A history that begins inside the period: before its first span, its first owner.
  model_.SetOwnerHistory(2, std::vector<Since>{{D("2025-09-01").days(), 2}});
  EXPECT_EQ(key_of(Run(RetentionGroup::kAmAtStart), "2")->start_cents, 160'000'00);
  EXPECT_FALSE(ParseRetentionGroup("am_at_end")) << "only the groupings it names";
}

TEST_F(RetentionTest, ByTierUsesTheTierAtTheStartOrTheOverride) {
  Account f;
  f.id = AccountId(6);
  f.industry = "Energy";
  f.tier_override = Tier::kStrategic;
  f.tier_override_reason = "global logo";
  model_.Upsert(f);
  auto r = Run(RetentionGroup::kTier);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].key, "1");  // $100k by the rule, and account 6 by its override
  EXPECT_EQ(r.rows[0].figures.accounts, 2);
  EXPECT_EQ(r.rows[1].key, "2");  // $70k, $30k and $60k at t0
  EXPECT_EQ(r.rows[1].figures.accounts, 3);
  EXPECT_EQ(r.rows[1].figures.churn_cents, 30'000'00);
}

TEST_F(RetentionTest, BySegmentUsesTheQuadrantOnArrAtTheStart) {
  // Account 5 ($60k at t0) has $60k of open whitespace: 1.0 × ARR is high potential → develop.
  int64_t plan = book_.AddPlan(5, D("2026-01-01"));
  WhitespaceCell cell;
  cell.id = WhitespaceCellId(1);
  cell.plan_id = PlanId(plan);
  cell.potential = Money::FromDollars(60'000);
  model_.Upsert(cell);
  auto r = Run(RetentionGroup::kSegment);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].key, "automate");  // accounts 2, 3 and 6: under $100k, no whitespace
  EXPECT_EQ(r.rows[0].figures.accounts, 3);
  EXPECT_EQ(r.rows[1].key, "develop");
  EXPECT_EQ(r.rows[1].figures.start_cents, 60'000'00);
  EXPECT_EQ(r.rows[1].figures.contraction_cents, 20'000'00);
  EXPECT_EQ(r.rows[2].key, "protect");  // account 1: $100k, no whitespace
  EXPECT_EQ(r.rows[2].figures.nrr_bp(), 10000);
}

TEST_F(RetentionTest, ByIndustry) {
  auto r = Run(RetentionGroup::kIndustry);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].key, "Energy");
  EXPECT_EQ(r.rows[0].figures.start_cents, 20'000'00);
  EXPECT_EQ(r.rows[1].key, "Retail");
  EXPECT_EQ(r.rows[1].figures.accounts, 4);
}

TEST_F(RetentionTest, DeletionsAndEditsReachTheFigures) {
  model_.EraseAccount(AccountId(3));  // the churned account is deleted with its lines
  auto r = Run();
  EXPECT_EQ(r.total.churn_cents, 0);
  EXPECT_EQ(r.total.start_cents, 250'000'00);
  EXPECT_EQ(model_.line_count(), 10u);
  // The flat account's line is cut in half from 2026: contraction of $50k.
  ContractLine half;
  half.id = ContractLineId(1);
  half.account_id = AccountId(1);
  half.arr = Money::FromDollars(50'000);
  half.start_date = D("2026-01-01");
  model_.Upsert(half);
  r = Run();
  EXPECT_EQ(r.total.accounts, 3) << "accounts 2, 5 and 6: account 1 now starts in 2026, a new logo";
  model_.EraseContractLine(ContractLineId(1));
  EXPECT_EQ(model_.ArrOn(AccountId(1), D("2026-06-30")), Money());
}

TEST_F(RetentionTest, AnEmptyCohortHasNoRatiosAndABackwardPeriodIsRefused) {
  auto empty = Retention(model_, D("2020-01-01"), D("2021-01-01"), RetentionGroup::kNone, {});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->total.accounts, 0);
  EXPECT_FALSE(empty->total.nrr_bp());
  EXPECT_FALSE(empty->total.grr_bp());
  auto backward = Retention(model_, D("2026-01-01"), D("2025-01-01"), RetentionGroup::kNone, {});
  ASSERT_FALSE(backward);
  EXPECT_EQ(backward.error().code, ErrorCode::kInvalidValue);
  EXPECT_EQ(backward.error().fields.at(0).field, "from");
  EXPECT_FALSE(ParseRetentionGroup("galaxy"));
}

}  // namespace
}  // namespace orchard::engine
