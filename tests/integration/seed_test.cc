// The synthetic book on a real SQLite database: deterministic, realistic enough that every
// dashboard has something to show, and all-or-nothing.
#include "ingest/seed.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "domain/arr.h"
#include "domain/schema.h"
#include "service/handoff.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

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

// Ids of the accounts whose contract lines active today sum to at least $100k.
std::string TierOneByArr() {
  std::string today = kToday.ToString();
  return "SELECT account_id FROM contract_lines WHERE start_date <= '" + today +
         "' AND (end_date IS NULL OR end_date >= '" + today +
         "') GROUP BY account_id HAVING SUM(arr_cents) >= 10000000";
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
                            "plan_versions",
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

// The same dump read through the typed store, so backends' text forms (booleans as 1/0 or t/f)
// do not differ: every entity re-encoded as SQL values, in id order.
template <class T>
void AppendTyped(store::Store& store, std::string& out) {
  out += EntitySchema<T>::kTable;
  out += '\n';
  store::ListQuery q;
  q.limit = 1000;
  while (true) {
    auto page = store.List<T>(q);
    ASSERT_TRUE(page) << page.error().message;
    for (const T& row : page->items) {
      for (const auto& v : store::ToSqlValues(row)) {
        if (const auto* i = std::get_if<int64_t>(&v)) out += std::to_string(*i);
        if (const auto* text = std::get_if<std::string>(&v)) out += *text;
        out += '|';
      }
      out += '\n';
    }
    if (!page->next_cursor) break;
    q.after_id = *page->next_cursor;
  }
}

std::string TypedDump(store::Database& db) {
  store::Store store(db);
  std::string out;
  AppendTyped<User>(store, out);
  AppendTyped<Product>(store, out);
  AppendTyped<Account>(store, out);
  AppendTyped<Division>(store, out);
  AppendTyped<ContractLine>(store, out);
  AppendTyped<Contact>(store, out);
  AppendTyped<Opportunity>(store, out);
  AppendTyped<Activity>(store, out);
  AppendTyped<Ticket>(store, out);
  AppendTyped<NpsResponse>(store, out);
  AppendTyped<UsageMetric>(store, out);
  AppendTyped<EngagementSignal>(store, out);
  AppendTyped<AccountPlan>(store, out);
  AppendTyped<PlanPriority>(store, out);
  AppendTyped<PlanRisk>(store, out);
  AppendTyped<WhitespaceCell>(store, out);
  AppendTyped<PlanAction>(store, out);
  AppendTyped<PlanVersion>(store, out);
  AppendTyped<Review>(store, out);
  AppendTyped<Task>(store, out);
  AppendTyped<Handoff>(store, out);
  AppendTyped<HealthOverride>(store, out);
  // The link table has only integer columns: the same text on every backend.
  auto s = db.Query("SELECT activity_id, contact_id FROM activity_contacts ORDER BY 1, 2", {},
                    [&](const store::Row& row) -> Status {
                      out += std::string(row.GetText(0)) + "|" + std::string(row.GetText(1)) + "\n";
                      return Ok();
                    });
  EXPECT_TRUE(s);
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
  // Per account on average: ~5 contacts, ~2 opportunities, ~50 signal events (the bench's 50M
  // at 1M accounts).
  double contacts = Count(*db_, "SELECT COUNT(*) FROM contacts") / 1000.0;
  double opps = Count(*db_, "SELECT COUNT(*) FROM opportunities") / 1000.0;
  double signals = summary_.signals / 1000.0;
  EXPECT_GE(contacts, 4.0);
  EXPECT_LE(contacts, 6.5);
  EXPECT_GE(opps, 1.5);
  EXPECT_LE(opps, 3.0);
  EXPECT_GE(signals, 46.0);
  EXPECT_LE(signals, 54.0);
  // Activities flagged meaningful (real conversations): 20–40%, not every email.
  double meaningful =
      static_cast<double>(Count(*db_, "SELECT COUNT(*) FROM activities WHERE meaningful")) /
      static_cast<double>(Count(*db_, "SELECT COUNT(*) FROM activities"));
  EXPECT_GE(meaningful, 0.2);
  EXPECT_LE(meaningful, 0.4);
}

TEST_F(SeedBookTest, HandoffsAreInTheShapeTheWorkflowReads) {
  // Every seeded handoff's checklist is the one the service validates and accepts: an open one
  // waits only for the handoff meeting; an accepted one has its five onboarding milestones.
  store::Store store(*db_);
  store::ListQuery all;
  all.limit = 1000;
  auto handoffs = store.List<Handoff>(all);
  ASSERT_TRUE(handoffs);
  ASSERT_FALSE(handoffs->items.empty());
  int accepted = 0;
  for (const Handoff& h : handoffs->items) {
    auto items = service::ParseChecklist(h.checklist_json);
    ASSERT_TRUE(items) << "handoff " << h.id.value << ": " << items.error().message;
    for (const auto& item : *items) {
      EXPECT_EQ(item.done, h.status == HandoffStatus::kAccepted || item.key != "handoff_meeting")
          << "handoff " << h.id.value << ", " << item.key;
    }
    if (h.status != HandoffStatus::kAccepted) continue;
    ++accepted;
    auto onboarding = service::ReadOnboarding(*db_, h.id, kToday);
    ASSERT_TRUE(onboarding);
    EXPECT_EQ(onboarding->milestones.size(), 5u) << "handoff " << h.id.value;
    EXPECT_FALSE(onboarding->status.empty());
  }
  EXPECT_GT(accepted, 0);
}

TEST_F(SeedBookTest, SummaryCountsEveryTable) {
  const std::vector<std::pair<const char*, int64_t>> tables = {
      {"users", summary_.users},
      {"products", summary_.products},
      {"accounts", summary_.accounts},
      {"divisions", summary_.divisions},
      {"contract_lines", summary_.contract_lines},
      {"contacts", summary_.contacts},
      {"opportunities", summary_.opportunities},
      {"activities", summary_.activities},
      {"activity_contacts", summary_.activity_contacts},
      {"tickets", summary_.tickets},
      {"nps_responses", summary_.nps_responses},
      {"usage_metrics", summary_.usage_metrics},
      {"engagement_signals", summary_.engagement_signals},
      {"account_plans", summary_.account_plans},
      {"plan_priorities", summary_.plan_priorities},
      {"plan_risks", summary_.plan_risks},
      {"whitespace_cells", summary_.whitespace_cells},
      {"plan_actions", summary_.plan_actions},
      {"plan_versions", summary_.plan_versions},
      {"reviews", summary_.reviews},
      {"tasks", summary_.tasks},
      {"handoffs", summary_.handoffs},
      {"health_overrides", summary_.health_overrides}};
  int64_t rows = 0;
  for (const auto& [table, count] : tables) {
    EXPECT_EQ(Count(*db_, std::string("SELECT COUNT(*) FROM ") + table), count) << table;
    EXPECT_GT(count, 0) << table << " is empty";
    rows += count;
  }
  EXPECT_EQ(summary_.rows, rows);
  EXPECT_EQ(summary_.signals, summary_.activities + summary_.tickets + summary_.nps_responses +
                                  summary_.usage_metrics + summary_.engagement_signals);
}

TEST_F(SeedBookTest, ParetoArrPutsAboutTenPercentInTierOne) {
  // ARR today per account from its contract lines, then the tier rule.
  // Tier 1 by the rule: ARR today ≥ $100k, or flagged strategic.
  int64_t tier1 = Count(
      *db_, "SELECT COUNT(*) FROM accounts WHERE strategic OR id IN (" + TierOneByArr() + ")");
  double share = static_cast<double>(tier1) / 1000.0;
  EXPECT_GE(share, 0.06);
  EXPECT_LE(share, 0.14);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM accounts WHERE strategic"), 0);
  // A long tail: the largest account is far above the median.
  EXPECT_GT(Count(*db_, "SELECT MAX(arr_cents) FROM contract_lines"), 50 * 2'500'000);
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
  Money start, end, kept, churn, expansion;
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
    kept += std::min(s, e);
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
  // Gross retention: below 100% (some churn and contraction), but a healthy book.
  int64_t grr_bp = RatioBasisPoints(kept, start);
  EXPECT_GE(grr_bp, 8500) << "GRR " << grr_bp / 100.0 << "%";
  EXPECT_LT(grr_bp, 10000) << "GRR " << grr_bp / 100.0 << "%";
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

TEST_F(SeedBookTest, RowsObeyTheDomainRules) {
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM contract_lines WHERE end_date < start_date"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM contract_lines WHERE arr_cents <= 0"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM contacts WHERE influence NOT BETWEEN 1 AND 5"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM nps_responses WHERE score NOT BETWEEN 0 AND 10"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM usage_metrics WHERE active_users > licensed_seats"),
            0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM tickets WHERE closed_at < opened_at"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM tickets WHERE first_response_at < opened_at"), 0);
  // The response SLA has something to show: requests beside tickets, answers late and on time,
  // open ones still waiting for a first response.
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM tickets WHERE channel = 'request'"), 0);
  EXPECT_GT(Count(*db_,
                  "SELECT COUNT(*) FROM tickets WHERE first_response_at IS NULL AND status = "
                  "'open'"),
            0);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM tickets WHERE first_response_at IS NOT NULL"),
            Count(*db_, "SELECT COUNT(*) FROM tickets WHERE first_response_at IS NULL"));
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM opportunities WHERE close_date < created_on"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  // Children of an account point at that account's own divisions, contacts and plans.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM contacts c JOIN divisions d ON d.id = c.division_id "
                  "WHERE d.account_id <> c.account_id"),
            0);
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM activity_contacts ac JOIN activities a ON "
                  "a.id = ac.activity_id JOIN contacts c ON c.id = ac.contact_id "
                  "WHERE a.account_id <> c.account_id"),
            0);
  EXPECT_EQ(
      Count(*db_,
            "SELECT COUNT(*) FROM whitespace_cells w JOIN account_plans p ON p.id = w.plan_id "
            "JOIN divisions d ON d.id = w.division_id WHERE d.account_id <> p.account_id"),
      0);
  // One whitespace cell per plan × division × product.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM (SELECT plan_id, division_id, product_id FROM "
                  "whitespace_cells GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) t"),
            0);
  // Ids are contiguous from 1 (explicit ids, generated in order).
  for (const char* table : {"accounts", "contacts", "contract_lines", "activities"}) {
    EXPECT_EQ(Count(*db_, std::string("SELECT MAX(id) - COUNT(*) FROM ") + table), 0) << table;
  }
}

TEST_F(SeedBookTest, TheSalesTeamHasAnOrgChartAndNoLogins) {
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM users WHERE password_hash <> ''"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM users WHERE role = 'admin'"), 0);
  // first.last@orchard.example; a namesake gets first.last2@….
  const std::regex email(R"(^[a-z]+\.[a-z]+([2-9]|[1-9][0-9]+)?@orchard\.example$)");
  int users = 0, numbered = 0;
  ASSERT_TRUE(db_->Query("SELECT email FROM users", {}, [&](const store::Row& row) -> Status {
    std::string text(row.GetText(0));
    EXPECT_TRUE(std::regex_match(text, email)) << text;
    ++users;
    if (text.find_first_of("0123456789") != std::string::npos) ++numbered;
    return Ok();
  }));
  EXPECT_LT(numbered * 4, users);
  // CSMs report to managers, managers to the leader.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM users u LEFT JOIN users m ON m.id = u.manager_id "
                  "WHERE u.role IN ('csm', 'manager') AND (m.id IS NULL OR "
                  "m.role NOT IN ('manager', 'leader'))"),
            0);
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM users WHERE role = 'csm'"), 0);
  // Every account has an owner; tier-1 accounts a CSM and an executive sponsor.
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM accounts WHERE owner_id IS NULL"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM accounts WHERE (strategic OR id IN (" +
                            TierOneByArr() + ")) AND (sponsor_id IS NULL OR csm_id IS NULL)"),
            0);
}

TEST_F(SeedBookTest, PlansForTiersOneAndTwoSomeStaleWithHistory) {
  // Stale past the tier's refresh interval: 90 days for tier 1, 180 for tier 2.
  std::string tier1 = "(a.strategic OR a.id IN (" + TierOneByArr() + "))";
  EXPECT_GT(Count(*db_,
                  "SELECT COUNT(*) FROM account_plans p JOIN accounts a ON a.id = p.account_id "
                  "WHERE " +
                      tier1 + " AND p.last_reviewed_at < '" + kToday.AddDays(-90).ToString() + "'"),
            0);
  EXPECT_GT(
      Count(*db_,
            "SELECT COUNT(*) FROM account_plans p JOIN accounts a ON a.id = p.account_id "
            "WHERE NOT " +
                tier1 + " AND p.last_reviewed_at < '" + kToday.AddDays(-180).ToString() + "'"),
      0);
  // Fresh ones too: most plans were reviewed within their interval.
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM account_plans WHERE last_reviewed_at >= '" +
                            kToday.AddDays(-180).ToString() + "'"),
            Count(*db_, "SELECT COUNT(*) FROM account_plans") / 2);
  // A plan starts when the account's ARR first reaches tier 2 ($25k) and stays: no account whose
  // ARR never did (the most of its lines in force on any one day) has one, tier 3's accounts
  // have none but those that shrank into it, and lost customers keep the plans they had.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM account_plans p JOIN accounts a ON a.id = p.account_id "
                  "WHERE NOT a.strategic AND (SELECT MAX(s) FROM (SELECT SUM(l2.arr_cents) s "
                  "FROM contract_lines l1 JOIN contract_lines l2 ON l2.account_id = l1.account_id "
                  "AND l2.start_date <= l1.start_date AND (l2.end_date IS NULL OR l2.end_date >= "
                  "l1.start_date) WHERE l1.account_id = p.account_id GROUP BY l1.id) t) < 2500000"),
            0);
  EXPECT_GT(Count(*db_,
                  "SELECT COUNT(*) FROM account_plans p JOIN accounts a ON a.id = p.account_id "
                  "WHERE a.lifecycle_stage = 'churned'"),
            0);
  EXPECT_LT(Count(*db_,
                  "SELECT COUNT(*) FROM account_plans p JOIN accounts a ON a.id = p.account_id "
                  "WHERE a.csm_id IS NULL AND a.lifecycle_stage <> 'churned'") *
                10,
            Count(*db_, "SELECT COUNT(*) FROM account_plans"));
  // A lost customer's plan has no open action, and no review is scheduled for it.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM plan_actions x JOIN account_plans p ON p.id = x.plan_id "
                  "JOIN accounts a ON a.id = p.account_id WHERE a.lifecycle_stage = 'churned' AND "
                  "x.status IN ('open', 'in_progress')"),
            0);
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM reviews r JOIN accounts a ON a.id = r.account_id "
                  "WHERE a.lifecycle_stage = 'churned' AND r.status = 'scheduled'"),
            0);
  // Versions 1..plan.version, the last one at the last review.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM account_plans p WHERE p.version <> (SELECT COUNT(*) FROM "
                  "plan_versions v WHERE v.plan_id = p.id) OR p.version <> (SELECT MAX(version) "
                  "FROM plan_versions v WHERE v.plan_id = p.id)"),
            0);
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM account_plans p JOIN plan_versions v ON v.plan_id = p.id "
                  "AND v.version = p.version WHERE v.changed_at <> p.last_reviewed_at"),
            0);
}

TEST_F(SeedBookTest, PeopleWhoLeftShowJobChanges) {
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM contacts WHERE status = 'departed'"), 50);
  // Job-change signals are about people who left, after they were last engaged.
  EXPECT_GT(Count(*db_, "SELECT COUNT(*) FROM engagement_signals WHERE kind = 'job_change'"), 0);
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM engagement_signals s JOIN contacts c ON c.id = "
                  "s.contact_id WHERE s.kind = 'job_change' AND (c.status <> 'departed' OR "
                  "date(s.occurred_at) < c.last_engaged_on)"),
            0);
  // Meaningful conversations involve only people still there.
  EXPECT_EQ(Count(*db_,
                  "SELECT COUNT(*) FROM activities a JOIN activity_contacts ac ON "
                  "ac.activity_id = a.id JOIN contacts c ON c.id = ac.contact_id WHERE "
                  "a.meaningful AND c.status = 'departed'"),
            0);
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
  for (const char* signal :
       {"SELECT COUNT(*) FROM tickets WHERE opened_at > '2026-06-16'",
        "SELECT COUNT(*) FROM tickets WHERE first_response_at > '2026-06-16'",
        "SELECT COUNT(*) FROM nps_responses WHERE responded_on > '2026-06-15'",
        "SELECT COUNT(*) FROM usage_metrics WHERE day > '2026-06-15'",
        "SELECT COUNT(*) FROM engagement_signals WHERE occurred_at > '2026-06-16'",
        "SELECT COUNT(*) FROM plan_versions WHERE changed_at > '2026-06-16'"}) {
    EXPECT_EQ(Count(*a, signal), 0) << signal;
  }
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

TEST(SeedSafetyTest, ReportsProgress) {
  auto db = Fresh();
  SeedOptions opt;
  opt.accounts = 120;
  opt.today = kToday;
  opt.batch_accounts = 1;  // a flush per account: the callback must still be throttled
  std::vector<SeedProgress> seen;
  auto s = SeedBook(*db, opt, [&](const SeedProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(s);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().accounts_done, 120);
  EXPECT_EQ(seen.back().accounts_total, 120);
  EXPECT_EQ(seen.back().rows_written, s->rows);
  // At most about four calls a second (plus the first and the last).
  EXPECT_LE(static_cast<double>(seen.size()), s->seconds * 4 + 2);
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GT(seen[i].accounts_done, seen[i - 1].accounts_done);
  }
}

}  // namespace
}  // namespace orchard::ingest

namespace orchard::ingest {
namespace {

// The file-backed SQLite (WAL) and PostgreSQL (COPY, identity sequences) paths.
class SeedBackendTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override { ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), false); }
  testing::TestDatabase test_db_;
};

TEST_P(SeedBackendTest, WritesTheSameBookAsSqliteAndNewIdsFollowIt) {
  auto db = Fresh(test_db_.url());
  auto reference = Fresh();
  SeedSummary summary = Seed(*db, 120, 9);
  Seed(*reference, 120, 9);
  EXPECT_EQ(TypedDump(*db), TypedDump(*reference));
  // Rows added later get fresh ids after the seeded ones (PostgreSQL identities were moved on).
  store::Store store(*db);
  Account added;
  added.name = "Added after the seed";
  added.created_at = Timestamp::At(kToday, 12);
  added.updated_at = added.created_at;
  auto saved = store.Insert(added);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->id.value, summary.accounts + 1);
  User user;
  user.email = "late.joiner@orchard.example";
  user.role = Role::kAm;
  user.created_at = added.created_at;
  auto saved_user = store.Insert(user);
  ASSERT_TRUE(saved_user) << saved_user.error().message;
  EXPECT_EQ(saved_user->id.value, summary.users + 1);
}

// A table the seed writes late is gone, so it fails after writing users, accounts and contacts.
TEST_P(SeedBackendTest, AFailureMidwayLeavesNothingBehind) {
  auto db = Fresh(test_db_.url());
  ASSERT_TRUE(db->ExecScript("DROP TABLE health_overrides; DROP TABLE handoffs;"));
  SeedOptions opt;
  opt.accounts = 300;
  opt.today = kToday;
  opt.batch_accounts = 50;
  ASSERT_FALSE(SeedBook(*db, opt, nullptr));
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM accounts"), 0);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM contacts"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SeedBackendTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
