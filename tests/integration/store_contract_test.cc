// One contract for the storage interface, run over every backend: SQLite in memory, SQLite in a
// file, and a real PostgreSQL (ORCHARD_TEST_PG_URL, started by scripts/test). With CI=true the
// PostgreSQL run must happen: a missing or unreachable server fails instead of skipping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "domain/schema.h"
#include "domain/settings.h"
#include "store/migrate.h"
#include "store/postgres/postgres_database.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::store {
namespace {

using ::testing::HasSubstr;

using testing::Backend;
using testing::BackendName;

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/false);
    url_ = test_db_.url();
    auto db = OpenDatabase(url_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto applied = Migrate(*db_);
    ASSERT_TRUE(applied) << applied.error().message;
    store_ = std::make_unique<Store>(*db_);
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  int64_t Count(const std::string& table) {
    auto n = db_->QueryInt("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(n) << n.error().message;
    return n ? n->value_or(0) : -1;
  }

  User MakeUser(const std::string& email) {
    User u;
    u.email = email;
    u.name = "Ada Okafor";
    u.role = Role::kAm;
    u.created_at = *Timestamp::Parse("2026-01-02 03:04:05");
    auto saved = store_->Insert(u);
    EXPECT_TRUE(saved) << saved.error().message;
    return saved.value_or(u);
  }

  Account MakeAccount(const std::string& name, std::optional<UserId> owner = std::nullopt) {
    Account a;
    a.name = name;
    a.owner_id = owner;
    a.industry = "Retail";
    a.region = "EMEA";
    a.employees = 1200;
    a.created_at = *Timestamp::Parse("2025-05-06 07:08:09");
    a.updated_at = a.created_at;
    auto saved = store_->Insert(a);
    EXPECT_TRUE(saved) << saved.error().message;
    return saved.value_or(a);
  }

  testing::TestDatabase test_db_;
  std::string url_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, MigrationsAreRecordedAndIdempotent) {
  auto v = SchemaVersion(*db_);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, LatestSchemaVersion());
  auto again = Migrate(*db_);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("schema_migrations"), static_cast<int64_t>(Migrations().size()));
}

TEST_P(StoreContractTest, DatabaseFromANewerVersionIsRefused) {
  SqlValue params[] = {int64_t{LatestSchemaVersion() + 1}, std::string("future"),
                       std::string("2030-01-01 00:00:00")};
  ASSERT_TRUE(db_->Exec(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", params));
  auto r = Migrate(*db_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(r.error().message,
              HasSubstr("schema version " + std::to_string(LatestSchemaVersion() + 1)));
  EXPECT_THAT(r.error().message,
              HasSubstr("knows (" + std::to_string(LatestSchemaVersion()) + ")"));
}

// Every entity of schema.h has its table and every column: SELECT them all.
template <class... T>
void ExpectTablesMatchSchema(Database& db) {
  (
      [&] {
        std::string sql = "SELECT " + SelectList<T>() + " FROM " +
                          std::string(EntitySchema<T>::kTable) + " LIMIT 0";
        auto s = db.Query(sql, {}, nullptr);
        EXPECT_TRUE(s) << EntitySchema<T>::kTable << ": " << s.error().message;
      }(),
      ...);
}

TEST_P(StoreContractTest, EveryEntityHasItsTableAndColumns) {
  ExpectTablesMatchSchema<User, Account, Division, Product, ContractLine, Contact, Opportunity,
                          Activity, ActivityContact, Ticket, NpsResponse, UsageMetric,
                          EngagementSignal, AccountPlan, PlanPriority, PlanRisk, WhitespaceCell,
                          PlanAction, PlanVersion, Review, Task, Handoff, HealthOverride,
                          AuditEntry, Setting>(*db_);
}

TEST_P(StoreContractTest, InsertAndGetRoundTripEveryFieldType) {
  User owner = MakeUser("owner@orchard.example");
  Account a;
  a.name = "Zoë's Café — Ünïcode, 'quotes' and \"double\"";
  a.owner_id = owner.id;
  a.salesforce_id = "001ABC";
  a.industry = "Food";
  a.region = "EMEA";
  a.employees = 42;
  a.growth_potential = Potential::kHigh;
  a.strategic = true;
  a.tier_override = Tier::kCore;
  a.tier_override_reason = "pooled";
  a.lifecycle_stage = LifecycleStage::kRenewing;
  a.created_at = *Timestamp::Parse("2024-02-29 23:59:59");
  a.updated_at = *Timestamp::Parse("2025-01-01 00:00:00");
  auto saved = store_->Insert(a);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_TRUE(saved->id.valid());
  auto got = store_->Get<Account>(saved->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, a.name);
  EXPECT_EQ(got->owner_id, owner.id);
  EXPECT_EQ(got->salesforce_id, "001ABC");
  EXPECT_FALSE(got->hubspot_id);
  EXPECT_FALSE(got->parent_id);
  EXPECT_EQ(got->growth_potential, Potential::kHigh);
  EXPECT_TRUE(got->strategic);
  EXPECT_EQ(got->tier_override, Tier::kCore);
  EXPECT_EQ(got->lifecycle_stage, LifecycleStage::kRenewing);
  EXPECT_EQ(got->created_at, a.created_at);
  EXPECT_EQ(got->updated_at, a.updated_at);
  EXPECT_EQ(got->version, 1);

  Product p;
  p.sku = "ORC-1";
  p.name = "Core";
  p.list_price = Money::FromCents(123456);
  auto product = store_->Insert(p);
  ASSERT_TRUE(product);
  for (std::optional<Date> end :
       {std::optional<Date>(), std::optional<Date>(*Date::Parse("2026-12-31"))}) {
    ContractLine line;
    line.account_id = saved->id;
    line.product_id = product->id;
    line.arr = Money::FromCents(9'999'999'999);
    line.start_date = *Date::Parse("2024-02-29");
    line.end_date = end;
    auto l = store_->Insert(line);
    ASSERT_TRUE(l) << l.error().message;
    auto back = store_->Get<ContractLine>(l->id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->arr, line.arr);
    EXPECT_EQ(back->start_date, line.start_date);
    EXPECT_EQ(back->end_date, end);
  }

  Ticket t;
  t.account_id = saved->id;
  t.severity = TicketSeverity::kUrgent;
  t.escalated = true;
  t.opened_at = *Timestamp::Parse("2026-03-04 05:06:07");
  t.subject = "Line one\nLine two\twith a tab and a back\\slash";
  auto ticket = store_->Insert(t);
  ASSERT_TRUE(ticket);
  auto tb = store_->Get<Ticket>(ticket->id);
  ASSERT_TRUE(tb);
  EXPECT_FALSE(tb->closed_at);
  EXPECT_TRUE(tb->escalated);
  EXPECT_EQ(tb->subject, t.subject);
  EXPECT_EQ(tb->opened_at, t.opened_at);
  tb->closed_at = *Timestamp::Parse("2026-03-05 00:00:00");
  ASSERT_TRUE(store_->Update(*tb));
  EXPECT_EQ(store_->Get<Ticket>(ticket->id)->closed_at, tb->closed_at);
}

TEST_P(StoreContractTest, ExplicitIdsThenGeneratedIdsDoNotCollide) {
  std::string_view cols[] = {"id",     "email",      "name",         "role",
                             "active", "created_at", "password_hash"};
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx);
  auto writer = db_->OpenBulkWriter("users", cols);
  ASSERT_TRUE(writer) << writer.error().message;
  for (int64_t i = 1; i <= 5; ++i) {
    SqlValue row[] = {
        i,          "u" + std::to_string(i) + "@x.example", std::string("U"), std::string("am"),
        int64_t{1}, std::string("2026-01-01 00:00:00"),     std::string("")};
    ASSERT_TRUE((*writer)->Add(row));
  }
  ASSERT_TRUE((*writer)->Finish());
  writer->reset();
  ASSERT_TRUE(db_->ResetIdSequence("users"));
  ASSERT_TRUE(tx->Commit());
  User next = MakeUser("next@x.example");
  EXPECT_EQ(next.id.value, 6);
}

TEST_P(StoreContractTest, StaleVersionIsAConflictAndChangesNothing) {
  Account a = MakeAccount("Acme");
  Account first = a;
  first.name = "Acme Corp";
  auto saved = store_->Update(first, 1);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, 2);

  Account stale = a;
  stale.name = "Acme Industries";
  auto conflict = store_->Update(stale, 1);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  EXPECT_THAT(conflict.error().message, HasSubstr("now at version 2"));
  auto now = store_->Get<Account>(a.id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->name, "Acme Corp");
  EXPECT_EQ(now->version, 2);
}

TEST_P(StoreContractTest, MissingRowsAreNotFound) {
  auto g = store_->Get<Account>(AccountId(424242));
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(g.error().message, HasSubstr("424242"));
  Account ghost;
  ghost.id = AccountId(424242);
  auto u = store_->Update(ghost, 1);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Delete<Account>(AccountId(424242)).error().code, ErrorCode::kNotFound);
}

// Contacts often arrive without an e-mail; many may share the empty one.
TEST_P(StoreContractTest, ContactsWithoutEmailDoNotCollide) {
  Account a = MakeAccount("Quiet Co");
  for (const char* name : {"Ann", "Bo"}) {
    Contact c;
    c.account_id = a.id;
    c.first_name = name;
    auto saved = store_->Insert(c);
    EXPECT_TRUE(saved) << saved.error().message;
  }
  EXPECT_EQ(Count("contacts"), 2);
}

TEST_P(StoreContractTest, DeleteRemovesTheRowAndItsChildren) {
  Account a = MakeAccount("Gone Inc");
  Contact c;
  c.account_id = a.id;
  c.first_name = "Ada";
  ASSERT_TRUE(store_->Insert(c));
  ASSERT_TRUE(store_->Delete<Account>(a.id));
  EXPECT_EQ(store_->Get<Account>(a.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("contacts"), 0);
}

TEST_P(StoreContractTest, ConstraintViolationsMapToClearCodes) {
  MakeUser("same@orchard.example");
  User dup;
  dup.email = "same@orchard.example";
  dup.created_at = Timestamp::FromUnixSeconds(0);
  auto d = store_->Insert(dup);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kAlreadyExists);
  EXPECT_THAT(d.error().message, HasSubstr("email"));

  Contact orphan;
  orphan.account_id = AccountId(999);
  auto fk = store_->Insert(orphan);
  ASSERT_FALSE(fk);
  EXPECT_EQ(fk.error().code, ErrorCode::kInvalidArgument);

  Account a = MakeAccount("Checks");
  Contact loud;
  loud.account_id = a.id;
  loud.influence = 9;
  auto check = store_->Insert(loud);
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count("contacts"), 0);
}

TEST_P(StoreContractTest, ListFiltersSearchesAndPagesEveryRowOnce) {
  User ann = MakeUser("ann@orchard.example");
  User bob = MakeUser("bob@orchard.example");
  for (int i = 0; i < 25; ++i) {
    MakeAccount((i % 5 == 0 ? "Northwind " : "Contoso ") + std::to_string(i),
                i % 2 ? ann.id : bob.id);
  }
  ListQuery q;
  q.limit = 10;
  std::vector<int64_t> seen;
  int pages = 0;
  while (true) {
    auto page = store_->List<Account>(q);
    ASSERT_TRUE(page) << page.error().message;
    ++pages;
    for (const auto& a : page->items) seen.push_back(a.id.value);
    if (!page->next_cursor) break;
    q.after_id = *page->next_cursor;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());

  ListQuery by_owner;
  by_owner.limit = 100;
  by_owner.filters.push_back({"owner_id", ann.id.value});
  EXPECT_EQ(store_->List<Account>(by_owner)->items.size(), 12u);

  ListQuery search;
  search.limit = 100;
  search.name_contains = "NORTHWIND";
  auto found = store_->List<Account>(search);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->items.size(), 5u);
  search.name_contains = "%";  // a wildcard typed by a user is a literal character
  EXPECT_EQ(store_->List<Account>(search)->items.size(), 0u);
}

TEST_P(StoreContractTest, RollbackLeavesNothing) {
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx);
    MakeAccount("Temporary");
    EXPECT_EQ(Count("accounts"), 1);
  }  // not committed
  EXPECT_EQ(Count("accounts"), 0);

  MakeAccount("Kept");
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx);
    MakeAccount("Half");
    Contact orphan;
    orphan.account_id = AccountId(999);
    EXPECT_FALSE(store_->Insert(orphan));  // fails inside the transaction
    ASSERT_TRUE(db_->Rollback());
  }
  EXPECT_EQ(Count("accounts"), 1);
  ListQuery q;
  EXPECT_EQ(store_->List<Account>(q)->items.at(0).name, "Kept");
}

TEST_P(StoreContractTest, BulkWriterRoundTripsAwkwardText) {
  Account a = MakeAccount("Bulk");
  std::string_view cols[] = {"id",          "account_id", "kind",    "meaningful",
                             "occurred_at", "user_id",    "subject", "body"};
  std::vector<std::string> samples = {
      "tab\there",      "new\nline",      "back\\slash", "cr\rlf\r\n",
      "quote ' and \"", "ünïcødé ✓ 日本", "\\N",         ""};
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx);
  auto writer = db_->OpenBulkWriter("activities", cols);
  ASSERT_TRUE(writer) << writer.error().message;
  const int64_t n = 10'000;
  for (int64_t i = 1; i <= n; ++i) {
    SqlValue row[] = {i,
                      a.id.value,
                      std::string("email"),
                      int64_t{i % 2},
                      std::string("2026-01-01 00:00:00"),
                      std::monostate{},
                      samples[static_cast<size_t>(i) % samples.size()],
                      std::string("body ") + std::to_string(i)};
    ASSERT_TRUE((*writer)->Add(row));
  }
  ASSERT_TRUE((*writer)->Finish());
  EXPECT_EQ((*writer)->rows(), n);
  writer->reset();
  ASSERT_TRUE(tx->Commit());
  EXPECT_EQ(Count("activities"), n);
  for (int64_t i : {int64_t{1}, int64_t{2}, int64_t{3}, int64_t{4}, int64_t{5}, int64_t{6},
                    int64_t{7}, int64_t{8}, n}) {
    auto got = store_->Get<Activity>(ActivityId(i));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->subject, samples[static_cast<size_t>(i) % samples.size()]) << i;
    EXPECT_FALSE(got->user_id);
    EXPECT_EQ(got->meaningful, i % 2 == 1);
  }
}

TEST_P(StoreContractTest, SettingsRoundTripAndUpsert) {
  ASSERT_TRUE(store_->SaveSetting({"renewals.window_days", "120"}));
  ASSERT_TRUE(store_->SaveSetting({"renewals.window_days", "60"}));
  ASSERT_TRUE(store_->SaveSetting({"health.weight.usage", "35"}));
  auto rows = store_->LoadSettings();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  Settings s;
  ASSERT_TRUE(s.Apply(*rows));
  EXPECT_EQ(s.renewal_window_days, 60);
  EXPECT_EQ(s.health_weights.usage, 35);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kSqliteFile,
                                           Backend::kPostgres),
                         BackendName);

TEST(PostgresUrlTest, PasswordsAreRedacted) {
  EXPECT_EQ(RedactUrl("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(RedactUrl("postgresql://u@h:5432/db"), "postgresql://u@h:5432/db");
  EXPECT_EQ(RedactUrl("postgresql://h:5432/db"), "postgresql://h:5432/db");
}

TEST(PostgresUrlTest, PlaceholdersOutsideLiteralsAreNumbered) {
  EXPECT_EQ(RewritePlaceholders("SELECT ? WHERE a = '?' AND b = ? AND c = 'it''s ?'"),
            "SELECT $1 WHERE a = '?' AND b = $2 AND c = 'it''s ?'");
}

}  // namespace
}  // namespace orchard::store
