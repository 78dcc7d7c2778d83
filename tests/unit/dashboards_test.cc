// The dashboards on a hand-built book: at risk, renewals, the expansion pipeline, the NRR
// leaderboard, portfolio, coverage, the inspection queue and the KPI strip.
#include <gtest/gtest.h>

#include <sstream>

#include "engine/dashboards.h"
#include "engine/health.h"
#include "engine/parallel.h"
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

// Red: a tier-2 account whose one meaningful contact was 90 days ago: engagement 0 (3 × the
// 30-day cadence), relationships 0 (outside the 90-day window) → 0.
void MakeRed(testing::BookBuilder& book, int64_t account, Date today) {
  int64_t c = book.AddContact(account);
  book.AddActivity(account, today.AddDays(-90), {c});
}
// Green: a recent meaningful contact with three people: engagement and relationships 100.
void MakeGreen(testing::BookBuilder& book, int64_t account, Date today) {
  std::vector<int64_t> people;
  for (int i = 0; i < 5; ++i) people.push_back(book.AddContact(account));
  book.AddActivity(account, today.AddDays(-2), people);
}

TEST_F(DashboardsTest, AtRiskListsYellowAndRedByArrWithWhy) {
  AddAccount(1, 7, 50'000, "2025-01-01");
  MakeRed(book_, 1, today_);
  AddAccount(2, 8, 80'000, "2025-01-01", "2026-08-01");
  MakeRed(book_, 2, today_);
  AddAccount(3, 7, 90'000, "2025-01-01");
  MakeGreen(book_, 3, today_);
  AddAccount(4, 7, 10'000, "2025-01-01");  // tier 3 with no signal: no score, not at risk
  auto page = AccountsAtRisk(model_, settings_, today_, {}, 0, 10);
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(page.total_arr_cents, 130'000'00);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].account_id, 2);
  EXPECT_EQ(page.items[0].renewal_date, D("2026-08-01"));
  EXPECT_EQ(page.items[0].last_meaningful, today_.AddDays(-90));
  EXPECT_EQ(page.items[0].colour, 3);
  ASSERT_FALSE(page.items[0].why.empty());
  EXPECT_EQ(page.items[0].why[0].rfind("engagement 0/100", 0), 0u) << page.items[0].why[0];
  EXPECT_EQ(page.items[1].account_id, 1);
  // Paging: the second page holds the second account alone.
  auto second = AccountsAtRisk(model_, settings_, today_, {}, 1, 1);
  EXPECT_EQ(second.total, 2);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].account_id, 1);
  DashboardFilter mine;
  mine.am = 7;
  EXPECT_EQ(AccountsAtRisk(model_, settings_, today_, mine, 0, 10).total, 1);
  // A signal changes the answer at once: account 1 talks to five people today.
  MakeGreen(book_, 1, today_);
  EXPECT_EQ(AccountsAtRisk(model_, settings_, today_, {}, 0, 10).total, 1);
  // Renewals carry health and whether the account is at risk.
  auto renewals = Renewals(model_, settings_, today_, 90, {});
  ASSERT_EQ(renewals.size(), 1u);
  EXPECT_TRUE(renewals[0].at_risk);
  EXPECT_EQ(renewals[0].engaged_days_before, 47 + 90) << "first touch 90 days ago, 47 to go";
}

TEST_F(DashboardsTest, ExpansionPipelineByStageAndCreated) {
  AddAccount(1, 7, 50'000, "2025-01-01");
  AddAccount(2, 8, 50'000, "2025-01-01");
  using T = OpportunityType;
  using S = OpportunityStage;
  book_.AddOpportunity(1, T::kUpsell, S::kProposal, 10'000, today_.AddDays(-10));
  book_.AddOpportunity(1, T::kCrossSell, S::kProposal, 5'000, today_.AddDays(-400));
  book_.AddOpportunity(2, T::kUpsell, S::kDiscovery, 7'000, today_.AddDays(-20));
  book_.AddOpportunity(2, T::kUpsell, S::kClosedWon, 3'000, today_.AddDays(-30));
  book_.AddOpportunity(2, T::kRenewal, S::kProposal, 99'000, today_.AddDays(-5));  // not expansion
  book_.AddOpportunity(2, T::kNewBusiness, S::kProposal, 99'000, today_.AddDays(-5));
  auto p = ExpansionPipeline(model_, settings_, today_, today_.AddYears(-1), today_, {});
  ASSERT_EQ(p.stages.size(), 5u) << "prospecting to negotiation";
  EXPECT_EQ(p.stages[3].stage, S::kProposal);
  EXPECT_EQ(p.stages[3].count, 2);
  EXPECT_EQ(p.stages[3].amount_cents, 15'000'00);
  EXPECT_EQ(p.stages[2].count, 1);
  EXPECT_EQ(p.open_count, 3);
  EXPECT_EQ(p.open_cents, 22'000'00);
  EXPECT_EQ(p.created_count, 3) << "the cross-sell from 400 days ago is outside the year";
  EXPECT_EQ(p.created_cents, 20'000'00);
  EXPECT_EQ(p.won_cents, 3'000'00);
  DashboardFilter mine;
  mine.am = 7;
  EXPECT_EQ(
      ExpansionPipeline(model_, settings_, today_, today_.AddYears(-1), today_, mine).open_cents,
      15'000'00);
  EXPECT_EQ(KpiStrip(model_, settings_, today_, {}).expansion_created_cents, 20'000'00);
  // The whole book over the default period reads totals kept by each write; a filter that
  // admits everyone walks the opportunities: the same answer, after edits and deletions too.
  auto everyone = [&] {
    DashboardFilter f;
    f.tier = Tier::kCore;  // both accounts are $50k
    return ExpansionPipeline(model_, settings_, today_, today_.AddYears(-1), today_, f);
  };
  auto same = [&](const Pipeline& a, const Pipeline& b) {
    for (size_t i = 0; i < a.stages.size(); ++i) {
      if (a.stages[i].count != b.stages[i].count) return false;
      if (a.stages[i].amount_cents != b.stages[i].amount_cents) return false;
    }
    return a.open_cents == b.open_cents && a.created_count == b.created_count &&
           a.created_cents == b.created_cents && a.won_cents == b.won_cents;
  };
  EXPECT_TRUE(same(p, everyone()));
  Opportunity won;  // the proposal on account 1 is won
  won.id = OpportunityId(1001);
  won.account_id = AccountId(1);
  won.type = T::kUpsell;
  won.stage = S::kClosedWon;
  won.amount = Money::FromDollars(12'000);
  won.created_on = today_.AddDays(-10);
  won.close_date = today_;
  model_.Upsert(won);
  model_.EraseRow<Opportunity>(1003, 2);  // the discovery one goes
  auto after = ExpansionPipeline(model_, settings_, today_, today_.AddYears(-1), today_, {});
  EXPECT_EQ(after.open_count, 1);
  EXPECT_EQ(after.won_cents, 15'000'00);
  EXPECT_TRUE(same(after, everyone()));
  model_.EraseAccount(AccountId(2));
  EXPECT_EQ(
      ExpansionPipeline(model_, settings_, today_, today_.AddYears(-1), today_, {}).created_cents,
      12'000'00);
}

TEST_F(DashboardsTest, PortfolioSortsAccountsIntoTheGrid) {
  AddAccount(1, 7, 150'000, "2025-01-01");  // high value, no whitespace: protect
  AddAccount(2, 7, 20'000, "2025-01-01");   // low value, low potential: automate
  AddAccount(3, 7, 30'000, "2025-01-01");   // low value, whitespace 2× ARR: develop
  int64_t plan = book_.AddPlan(3, today_);
  WhitespaceCell cell;
  cell.id = WhitespaceCellId(1);
  cell.plan_id = PlanId(plan);
  cell.potential = Money::FromDollars(60'000);
  model_.Upsert(cell);
  auto p = PortfolioGrid(model_, settings_, today_, {}, std::nullopt, 0, 10);
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.cells[static_cast<size_t>(Quadrant::kProtect)].accounts, 1);
  EXPECT_EQ(p.cells[static_cast<size_t>(Quadrant::kAutomate)].arr_cents, 20'000'00);
  EXPECT_EQ(p.cells[static_cast<size_t>(Quadrant::kDevelop)].whitespace_cents, 60'000'00);
  EXPECT_EQ(p.cells[static_cast<size_t>(Quadrant::kInvest)].accounts, 0);
  ASSERT_EQ(p.items.size(), 3u);
  EXPECT_EQ(p.items[0].account_id, 1);
  auto develop = PortfolioGrid(model_, settings_, today_, {}, Quadrant::kDevelop, 0, 10);
  ASSERT_EQ(develop.items.size(), 1u);
  EXPECT_EQ(develop.items[0].account_id, 3);
}

TEST_F(DashboardsTest, InspectionQueueFlagsTierOneAndSamplesTheRestEachMonth) {
  // Tier 1, single-threaded with no plan: flagged (single-threaded, stale plan, no EB engaged).
  AddAccount(1, 7, 150'000, "2025-01-01");
  // Tier 1, healthy and covered: five people, an engaged EB, a fresh plan: not flagged.
  AddAccount(2, 7, 200'000, "2025-01-01");
  std::vector<int64_t> people{book_.AddContact(2, BuyingRole::kEconomicBuyer)};
  for (int i = 0; i < 4; ++i) people.push_back(book_.AddContact(2));
  book_.AddActivity(2, today_.AddDays(-3), people);
  book_.AddPlan(2, today_.AddDays(-10));
  // Tier 2 accounts are never flagged, only sampled.
  for (int64_t id = 10; id < 40; ++id) AddAccount(id, 8, 50'000, "2025-01-01");
  settings_.inspection_sample = 5;
  auto q = InspectionQueueFor(model_, settings_, today_, {}, 0, 100);
  EXPECT_EQ(q.month, "2026-06");
  EXPECT_EQ(q.flagged, 1);
  EXPECT_EQ(q.sampled, 5);
  ASSERT_EQ(q.items.size(), 6u);
  EXPECT_EQ(q.items[0].account_id, 1);
  EXPECT_FALSE(q.items[0].sampled);
  EXPECT_EQ(q.items[0].flags, (std::vector<std::string>{"single_threaded", "stale_plan",
                                                        "no_economic_buyer_engaged"}));
  for (size_t i = 1; i < q.items.size(); ++i) EXPECT_TRUE(q.items[i].sampled);
  // The same sample all month; another month draws another.
  auto ids = [](const InspectionQueue& queue) {
    std::vector<int64_t> out;
    for (const auto& item : queue.items) out.push_back(item.account_id);
    return out;
  };
  EXPECT_EQ(ids(q), ids(InspectionQueueFor(model_, settings_, D("2026-06-29"), {}, 0, 100)));
  EXPECT_NE(ids(q), ids(InspectionQueueFor(model_, settings_, D("2026-07-01"), {}, 0, 100)));
}

TEST_F(DashboardsTest, EveryPageIsThatSliceOfTheWholeList) {
  // 40 accounts with repeated ARRs (ties ordered by id), half red, several renewing soon, a few
  // of them tier 1 and flagged; each dashboard's pages, at every offset and a few page sizes,
  // are exactly the slices of its whole list, with the same total.
  for (int64_t id = 1; id <= 40; ++id) {
    int64_t dollars = (id % 7 == 0) ? 150'000 + 1'000 * (id % 3) : 10'000 * (1 + id % 5);
    AddAccount(id, 7, dollars, "2025-01-01",
               id % 3 == 0 ? std::optional<const char*>("2026-08-01") : std::nullopt);
    if (id % 2 == 0) MakeRed(book_, id, today_);
  }
  settings_.inspection_sample = 4;
  auto ids = [](const auto& items) {
    std::vector<int64_t> out;
    for (const auto& item : items) out.push_back(item.account_id);
    return out;
  };
  auto check = [&](const char* name, auto ask) {
    auto whole = ask(0, SIZE_MAX);
    std::vector<int64_t> all = ids(whole.items);
    EXPECT_GE(all.size(), 5u) << name;
    for (size_t limit : {1, 3, 7}) {
      for (size_t offset = 0; offset <= all.size() + 1; ++offset) {
        auto page = ask(offset, limit);
        std::vector<int64_t> want(
            all.begin() + static_cast<std::ptrdiff_t>(std::min(offset, all.size())),
            all.begin() + static_cast<std::ptrdiff_t>(std::min(offset + limit, all.size())));
        EXPECT_EQ(ids(page.items), want) << name << " offset " << offset << " limit " << limit;
      }
    }
    return whole;
  };
  auto at_risk = check("at-risk", [&](size_t offset, size_t limit) {
    return AccountsAtRisk(model_, settings_, today_, {}, offset, limit);
  });
  EXPECT_EQ(at_risk.total, static_cast<int64_t>(at_risk.items.size()));
  for (const auto& item : at_risk.items) EXPECT_GE(item.colour, 2) << item.account_id;
  auto renewals = check("renewals", [&](size_t offset, size_t limit) {
    return RenewalsPaged(model_, settings_, today_, 90, {}, offset, limit);
  });
  EXPECT_EQ(renewals.total, 13);  // ids 3, 6, …, 39 renew on 2026-08-01
  auto portfolio = check("portfolio", [&](size_t offset, size_t limit) {
    return PortfolioGrid(model_, settings_, today_, {}, std::nullopt, offset, limit);
  });
  EXPECT_EQ(portfolio.total, 40);
  auto queue = check("inspection", [&](size_t offset, size_t limit) {
    return InspectionQueueFor(model_, settings_, today_, {}, offset, limit);
  });
  EXPECT_GT(queue.flagged, 0);
  EXPECT_EQ(queue.sampled, 4);
  EXPECT_EQ(queue.items.size(), static_cast<size_t>(queue.flagged + queue.sampled));
  // The whole lists are in their order: by ARR, largest first, ties by id.
  for (size_t i = 1; i < portfolio.items.size(); ++i) {
    const auto &a = portfolio.items[i - 1], &b = portfolio.items[i];
    EXPECT_TRUE(a.arr_cents > b.arr_cents ||
                (a.arr_cents == b.arr_cents && a.account_id < b.account_id));
  }
}

TEST_F(DashboardsTest, APassSplitOverSeveralRangesGivesTheAnswersOfOne) {
  // At 1M accounts the dashboards scan on every core, each range keeping its own page and sums;
  // a small book runs in one range unless the range size is lowered. Every answer must be the
  // same both ways: the same pages, in the same order, with the same totals.
  for (int64_t id = 1; id <= 40; ++id) {
    int64_t dollars = (id % 7 == 0) ? 150'000 + 1'000 * (id % 3) : 10'000 * (1 + id % 5);
    AddAccount(id, id % 2 == 0 ? 7 : 8, dollars, "2025-01-01",
               id % 3 == 0 ? std::optional<const char*>("2026-08-01") : std::nullopt);
    if (id % 2 == 0) MakeRed(book_, id, today_);
  }
  settings_.inspection_sample = 4;
  DashboardFilter tier1;
  tier1.tier = Tier::kStrategic;
  auto answers = [&] {
    std::ostringstream out;
    for (size_t offset : {0, 3}) {
      auto risk = AccountsAtRisk(model_, settings_, today_, {}, offset, 5);
      out << "at-risk " << risk.total << " " << risk.total_arr_cents << ":";
      for (const auto& r : risk.items) out << " " << r.account_id;
      auto renewals = RenewalsPaged(model_, settings_, today_, 90, {}, offset, 5);
      out << "\nrenewals " << renewals.total << " " << renewals.total_arr_cents << " "
          << renewals.at_risk << ":";
      for (const auto& r : renewals.items) out << " " << r.account_id;
      auto grid = PortfolioGrid(model_, settings_, today_, {}, std::nullopt, offset, 5);
      out << "\nportfolio " << grid.total << ":";
      for (const auto& c : grid.cells) out << " " << c.accounts << "/" << c.arr_cents;
      for (const auto& p : grid.items) out << " " << p.account_id;
      auto queue = InspectionQueueFor(model_, settings_, today_, {}, offset, 5);
      out << "\ninspection " << queue.flagged << " " << queue.sampled << ":";
      for (const auto& i : queue.items) out << " " << i.account_id;
      out << "\n";
    }
    for (const auto& filter : {DashboardFilter{}, tier1}) {
      Kpis k = KpiStrip(model_, settings_, today_, filter);
      out << "kpis " << k.accounts << " " << k.arr_cents << " " << k.at_risk << " "
          << k.average_depth << " " << k.retention.end_cents << "\n";
    }
    for (const auto& row : Coverage(model_, settings_, today_, {})) {
      out << "coverage " << row.owner_id << " " << row.arr_cents << "\n";
    }
    return out.str();
  };
  const std::string one = answers();
  const size_t saved = MinPerRange();
  MinPerRange() = 3;
  ASSERT_GT(RangesFor(model_.slots()), 1u);
  const std::string split = answers();
  MinPerRange() = saved;
  EXPECT_EQ(split, one);
  EXPECT_EQ(one.find("at-risk 0 "), std::string::npos) << "the book has accounts at risk: " << one;
}

TEST_F(DashboardsTest, KpiStripAveragesDepthAndPlanCompleteness) {
  AddAccount(1, 7, 150'000, "2025-01-01");
  MakeGreen(book_, 1, today_);  // depth 5; five active contacts, no roles: map 20/3 → 7
  AddAccount(2, 7, 50'000, "2025-01-01");  // depth 0, completeness 0
  AddAccount(3, 7, 5'000, "2025-01-01");   // tier 3: not in the completeness average
  auto k = KpiStrip(model_, settings_, today_, {});
  EXPECT_DOUBLE_EQ(k.average_depth, 5.0 / 3);
  ASSERT_TRUE(k.average_completeness);
  EXPECT_DOUBLE_EQ(*k.average_completeness, 3.5);
  EXPECT_EQ(k.at_risk, 1) << "account 2: engagement and relationships 0, red; account 3 (tier "
                             "3, no signal) has no score";
}

}  // namespace
}  // namespace orchard::engine
