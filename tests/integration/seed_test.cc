// The synthetic book on a real SQLite database: deterministic, realistic enough that every
// dashboard has something to show, and all-or-nothing.
#include "ingest/seed.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/arr.h"
#include "domain/schema.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/process.h"

namespace orchard::ingest {
namespace {

const Date kToday = *Date::Parse("2026-06-15");

std::unique_ptr<store::Database> Fresh(const std::string& url = "sqlite::memory:") {
  auto db = store::OpenDatabase(url);
  EXPECT_TRUE(db) << db.error().message;
  EXPECT_TRUE(store::Migrate(**db));
  return std::move(*db);
}

SeedSummary Seed(store::Database& db, int64_t accounts, uint64_t seed) {
  SeedOptions opt;
  opt.accounts = accounts;
  opt.seed = seed;
  opt.today = kToday;
  opt.batch_accounts = 97;  // batches must not change the data
  auto s = SeedBook(db, opt, nullptr);
  EXPECT_TRUE(s) << s.error().message;
  return s.value_or(SeedSummary{});
}

int64_t Count(store::Database& db, const std::string& sql) {
  auto v = db.QueryInt(sql);
  EXPECT_TRUE(v) << sql << ": " << v.error().message;
  return v ? v->value_or(0) : -1;
}

// Every row of every table, in id order, as text: equal dumps mean equal books.
std::string Dump(store::Database& db) {
  std::string out;
  for (const char* table : {"users",
                            "products",
                            "accounts",
                            "divisions",
                            "contract_lines",
                            "contacts",
                            "opportunities",
                            "activities",
                            "activity_contacts",
                            "tickets",
                            "nps_responses",
                            "usage_metrics",
                            "engagement_signals",
                            "account_plans",
                            "plan_priorities",
                            "plan_risks",
                            "whitespace_cells",
                            "plan_actions",
                            "reviews",
                            "tasks",
                            "handoffs",
                            "health_overrides"}) {
    out += table;
    out += '\n';
    auto s = db.Query(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2", {},
                      [&](const store::Row& row) -> Status {
                        for (int i = 0; i < row.size(); ++i) {
                          out += row.IsNull(i) ? "\\N" : std::string(row.GetText(i));
                          out += '|';
                        }
                        out += '\n';
                        return Ok();
                      });
    EXPECT_TRUE(s);
  }
  return out;
}

class SeedBookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = Fresh().release();
    summary_ = Seed(*db_, 1000, 11);
  }
  static void TearDownTestSuite() { delete db_; }
  static store::Database* db_;
  static SeedSummary summary_;
};
store::Database* SeedBookTest::db_ = nullptr;
SeedSummary SeedBookTest::summary_;

TEST_F(SeedBookTest, WritesExactlyTheAccountsAsked) {
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM accounts"), 1000);
  EXPECT_EQ(summary_.accounts, 1000);
  EXPECT_EQ(summary_.contacts, Count(*db_, "SELECT COUNT(*) FROM contacts"));
  EXPECT_GT(summary_.rows, 1000 * 40);
}

TEST_F(SeedBookTest, VolumesMatchTheBenchmarkShape) {
  // Per account on average: ~5 contacts, ~2 opportunities, ~40–50 signal events.
  double contacts = Count(*db_, "SELECT COUNT(*) FROM contacts") / 1000.0;
  double opps = Count(*db_, "SELECT COUNT(*) FROM opportunities") / 1000.0;
  double signals = summary_.signals / 1000.0;
  EXPECT_GE(contacts, 4.0);
  EXPECT_LE(contacts, 8.0);
  EXPECT_GE(opps, 1.5);
  EXPECT_LE(opps, 3.0);
  EXPECT_GE(signals, 35.0);
  EXPECT_LE(signals, 60.0);
}

TEST_F(SeedBookTest, ParetoArrPutsAboutTenPercentInTierOne) {
  // ARR today per account from its contract lines, then the tier rule.
  std::string today = kToday.ToString();
  int64_t tier1 = Count(*db_,
                        "SELECT COUNT(*) FROM (SELECT a.id FROM accounts a JOIN contract_lines l "
                        "ON l.account_id = a.id "
                        "WHERE l.start_date <= '" +
                            today + "' AND (l.end_date IS NULL OR l.end_date >= '" + today +
                            "') GROUP BY a.id HAVING SUM(l.arr_cents) >= 10000000) t");
  int64_t strategic_small = Count(*db_, "SELECT COUNT(*) FROM accounts WHERE strategic");
  double share = static_cast<double>(tier1 + strategic_small) / 1000.0;
  EXPECT_GE(share, 0.06);
  EXPECT_LE(share, 0.14);
}

// Trailing-12-month NRR by the PRODUCT.md formula, from the contract lines.
TEST_F(SeedBookTest, NetRevenueRetentionLandsBetween100And115Percent) {
  std::map<int64_t, std::vector<ContractLine>> by_account;
  store::Store store(*db_);
  int64_t cursor = 0;
  while (true) {
    store::ListQuery q;
    q.after_id = cursor;
    q.limit = 500;
    auto page = store.List<ContractLine>(q);
    ASSERT_TRUE(page);
    for (auto& l : page->items) by_account[l.account_id.value].push_back(l);
    if (!page->next_cursor) break;
    cursor = *page->next_cursor;
  }
  Date t0 = kToday.AddMonths(-12), t1 = kToday;
  Money start, end, churn, expansion;
  int cohort = 0, churned = 0, new_logos = 0;
  for (auto& [id, lines] : by_account) {
    Money s = ArrOn(lines, t0), e = ArrOn(lines, t1);
    if (s.cents() == 0) {
      if (e.cents() > 0) ++new_logos;
      continue;
    }
    ++cohort;
    start += s;
    end += e;
    if (e.cents() == 0) {
      churn += s;
      ++churned;
    } else if (e > s) {
      expansion += e - s;
    }
  }
  int64_t nrr_bp = RatioBasisPoints(end, start);
  EXPECT_GE(nrr_bp, 10000) << "NRR " << nrr_bp / 100.0 << "%";
  EXPECT_LE(nrr_bp, 11500) << "NRR " << nrr_bp / 100.0 << "%";
  EXPECT_GT(churned, 0);
  EXPECT_GT(new_logos, 0);
  EXPECT_GT(expansion.cents(), 0);
}

TEST_F(SeedBookTest, ContactsDivisionsAndCatalogueWithinRanges) {
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM (SELECT account_id, COUNT(*) n FROM contacts "
                  "GROUP BY account_id HAVING COUNT(*) < 3 OR COUNT(*) > 40) t"),
            0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(DISTINCT account_id) FROM contacts"), 1000);
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM (SELECT account_id FROM divisions "
                  "GROUP BY account_id HAVING COUNT(*) < 1 OR COUNT(*) > 15) t"),
            0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(DISTINCT account_id) FROM divisions"), 1000);
  int64_t products = Count(*db_, "SELECT COUNT(*) FROM products");
  EXPECT_GE(products, 8);
  EXPECT_LE(products, 12);
  EXPECT_GT(
      Count(*db_, "SELECT MAX(n) FROM (SELECT COUNT(*) n FROM contacts GROUP BY account_id) t"), 10)
      << "big accounts have many contacts";
}

TEST_F(SeedBookTest, EveryOpportunityStageAndTypeAppears) {
  for (auto name : EnumTraits<OpportunityStage>::kNames) {
    EXPECT_GT(
        Count(*db_, "SELECT COUNT(*) FROM opportunities WHERE stage = '" + std::string(name) + "'"),
        0)
        << name;
  }
  for (auto name : EnumTraits<OpportunityType>::kNames) {
    EXPECT_GT(
        Count(*db_, "SELECT COUNT(*) FROM opportunities WHERE type = '" + std::string(name) + "'"),
        0)
        << name;
  }
}

TEST_F(SeedBookTest, EveryDashboardHasSomethingToShow) {
  std::string today = kToday.ToString();
  std::string in90 = kToday.AddDays(90).ToString();
  std::string ago90 = kToday.AddDays(-90).ToString();
  // Renewals in the next 90 days: current contract lines ending in the window.
  EXPECT_GT(
      Count(*db_, "SELECT COUNT(DISTINCT account_id) FROM contract_lines WHERE end_date >= '" +
                      today + "' AND end_date <= '" + in90 + "'"),
      50);
  // Departed champions.
  EXPECT_GT(
      Count(*db_,
            "SELECT COUNT(*) FROM contacts WHERE buying_role = 'champion' AND status = 'departed'"),
      0);
  // Single-threaded: at most one distinct contact in meaningful activities of the last 90 days.
  EXPECT_GT(
      Count(*db_,
            "SELECT COUNT(*) FROM (SELECT a.account_id FROM activities a JOIN activity_contacts ac "
            "ON "
            "ac.activity_id = a.id JOIN contacts c ON c.id = ac.contact_id WHERE a.meaningful AND "
            "c.status = 'active' AND a.occurred_at >= '" +
                ago90 +
                "' GROUP BY a.account_id "
                "HAVING COUNT(DISTINCT ac.contact_id) <= 1) t"),
      10);
  // Stale plans: tier-2 plans older than 180 days or tier-1 older than 90 (either way, > 90).
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM account_plans WHERE last_reviewed_at < '" +
                            kToday.AddDays(-180).ToString() + "'"),
            5);
  // Open, escalated tickets; overdue actions; open handoffs; expansion pipeline.
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM tickets WHERE status <> 'closed' AND escalated"), 0);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM plan_actions WHERE status = 'open' AND due_on < '" +
                            today + "'"),
            0);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM handoffs WHERE status = 'open'"), 0);
  EXPECT_GT(
      Count(*db_,
            "SELECT COUNT(*) FROM whitespace_cells WHERE status = 'open' AND potential_cents > 0"),
      0);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM accounts WHERE lifecycle_stage = 'churned'"), 0);
}

TEST_F(SeedBookTest, AmBooksFollowTheCoverageRatios) {
  // Tier-1 owners carry about 10 accounts each (8–12), never a tier-2-sized book.
  std::string today = kToday.ToString();
  int64_t worst =
      Count(*db_,
            "SELECT MAX(n) FROM (SELECT owner_id, COUNT(*) n FROM accounts WHERE id IN ("
            "SELECT account_id FROM contract_lines WHERE start_date <= '" +
                today + "' AND end_date >= '" + today +
                "' GROUP BY account_id HAVING SUM(arr_cents) >= 10000000) GROUP BY owner_id) t");
  EXPECT_LE(worst, 12);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM users WHERE role = 'am'"), 5);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM users WHERE role = 'manager'"), 0);
}

TEST_F(SeedBookTest, ReportingLinesNeverCycle) {
  // Every contact reports to an earlier contact of the same account: no cycles, no strangers.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM contacts c JOIN contacts b ON b.id = c.reports_to_id "
                  "WHERE b.id >= c.id OR b.account_id <> c.account_id"),
            0);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM contacts WHERE reports_to_id IS NOT NULL"), 1000);
}

TEST(SeedDeterminismTest, SameSeedAndDayGiveTheSameBookByteForByte) {
  auto a = Fresh();
  auto b = Fresh();
  Seed(*a, 150, 5);
  SeedOptions opt;
  opt.accounts = 150;
  opt.seed = 5;
  opt.today = kToday;
  opt.batch_accounts = 1000;  // a different batch size
  ASSERT_TRUE(SeedBook(*b, opt, nullptr));
  EXPECT_EQ(Dump(*a), Dump(*b));
}

TEST(SeedDeterminismTest, DifferentSeedGivesADifferentBook) {
  auto a = Fresh();
  auto b = Fresh();
  Seed(*a, 100, 5);
  Seed(*b, 100, 6);
  EXPECT_NE(Dump(*a), Dump(*b));
}

TEST(SeedDeterminismTest, DatesFollowTheReferenceDay) {
  auto a = Fresh();
  Seed(*a, 50, 5);
  // Nothing happens after the reference day except scheduled things (renewals, due dates).
  EXPECT_EQ(Count(*a, "SELECT COUNT(*) FROM activities WHERE occurred_at > '2026-06-16'"), 0);
  EXPECT_EQ(Count(*a, "SELECT COUNT(*) FROM contract_lines WHERE start_date > '2026-06-15'"), 0);
  EXPECT_GT(Count(*a, "SELECT COUNT(*) FROM activities WHERE occurred_at > '2026-01-01'"), 0);
}

TEST(SeedSafetyTest, RefusesANonEmptyBookAndLeavesItAlone) {
  auto db = Fresh();
  Seed(*db, 20, 1);
  std::string before = Dump(*db);
  SeedOptions opt;
  opt.accounts = 5;
  opt.today = kToday;
  auto again = SeedBook(*db, opt, nullptr);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message.find("already holds 20 accounts"), std::string::npos);
  EXPECT_EQ(Dump(*db), before);
}

TEST(SeedSafetyTest, AFailureMidwayLeavesNothingBehind) {
  testing::TempDir dir;
  auto db = Fresh("sqlite:" + dir.path() + "/broken.db");
  // A table the seed writes late is gone: the seed fails after writing accounts and contacts.
  ASSERT_TRUE(db->ExecScript("DROP TABLE health_overrides; DROP TABLE handoffs;"));
  SeedOptions opt;
  opt.accounts = 300;
  opt.today = kToday;
  opt.batch_accounts = 50;
  auto r = SeedBook(*db, opt, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM accounts"), 0);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM contacts"), 0);
}

TEST(SeedSafetyTest, ReportsProgress) {
  auto db = Fresh();
  SeedOptions opt;
  opt.accounts = 120;
  opt.today = kToday;
  opt.batch_accounts = 40;
  std::vector<SeedProgress> seen;
  ASSERT_TRUE(SeedBook(*db, opt, [&](const SeedProgress& p) { seen.push_back(p); }));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().accounts_done, 120);
  EXPECT_EQ(seen.back().accounts_total, 120);
  EXPECT_GT(seen.back().rows_written, 120);
}

}  // namespace
}  // namespace orchard::ingest
