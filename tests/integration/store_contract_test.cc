// One contract for the storage interface, run over every backend: SQLite in memory, SQLite in a
// file, and a real PostgreSQL (ORCHARD_TEST_PG_URL, started by scripts/test), each test in a
// fresh database (on PostgreSQL: a schema of its own). The PostgreSQL run must happen: a missing
// or unreachable server fails instead of skipping (unless ORCHARD_TEST_NO_POSTGRES=1 says so). The
// PostgresAdapter tests at the end pin what only the PostgreSQL adapter does (connection messages,
// reconnecting).
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>
#include <filesystem>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "domain/schema.h"
#include "domain/settings.h"
#include "store/migrate.h"
#include "store/pool.h"
#include "store/postgres/postgres_database.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::Backend;
using testing::BackendName;

// Every entity of domain/schema.h. The schema test also fails when the database holds a table
// that no entity here describes, so an entity added with its migration but not here is caught.
template <class... T>
struct EntityList {};
using AllEntities =
    EntityList<User, Account, Division, Product, ContractLine, Contact, Opportunity, Activity,
               ActivityContact, Ticket, NpsResponse, UsageMetric, EngagementSignal, Transcript,
               TextSentiment, AccountPlan, PlanPriority, PlanRisk, WhitespaceCell, PlanAction,
               PlanVersion, Review, Task, Handoff, HealthOverride, AuditEntry, Session, ApiToken,
               Setting>;

// A value as a person would read it in a failure message.
std::string Show(const SqlValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  return "\"" + std::get<std::string>(v) + "\"";
}

// Every field of `got` equals the one in `want`; a difference names its column.
template <class T>
void ExpectSameFields(const T& got, const T& want) {
  auto a = ToSqlValues(got);
  auto b = ToSqlValues(want);
  auto names = ColumnNames<T>();
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(Show(a[i]), Show(b[i])) << EntitySchema<T>::kTable << "." << names[i];
  }
}

Timestamp At(const char* text) { return *Timestamp::Parse(text); }
Date Day(const char* text) { return *Date::Parse(text); }

// Opens the test's database, or skips (no PostgreSQL locally) or fails fatally (no PostgreSQL in
// CI, or an unreachable one): a fatal failure keeps GoogleTest from running the test body
// without a database, which a non-fatal one would not.
void OpenTestDatabase(testing::TestDatabase& db, Backend backend) {
  if (db.Open(backend)) return;
  if (!db.skip_reason().empty()) GTEST_SKIP() << db.skip_reason();
  FAIL() << "no test database for this backend (the failure above says why)";
}

// The smallest valid rows, for tests about something other than their fields.
Account Named(std::string name) {
  Account a;
  a.name = std::move(name);
  return a;
}

Contact ContactOf(AccountId account) {
  Contact c;
  c.account_id = account;
  return c;
}

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    OpenTestDatabase(test_db_, GetParam());
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    auto db = OpenDatabase(test_db_.url());
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

  int64_t Count(std::string_view table) {
    auto n = db_->QueryInt("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(n) << n.error().message;
    return n ? n->value_or(0) : -1;
  }

  User MakeUser(const std::string& email) {
    User u;
    u.email = email;
    u.name = "Ada Okafor";
    u.role = Role::kAm;
    u.created_at = At("2026-01-02 03:04:05");
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
    a.created_at = At("2025-05-06 07:08:09");
    a.updated_at = a.created_at;
    auto saved = store_->Insert(a);
    EXPECT_TRUE(saved) << saved.error().message;
    return saved.value_or(a);
  }

  // Inserts row, reads it back by the id the database assigned, and compares every field.
  template <class T>
  T RoundTrip(T row) {
    auto saved = store_->Insert(row);
    EXPECT_TRUE(saved) << EntitySchema<T>::kTable << ": " << saved.error().message;
    if (!saved) return row;
    EXPECT_TRUE(saved->id.valid());
    auto got = store_->Get<T>(saved->id);
    EXPECT_TRUE(got) << got.error().message;
    if (!got) return *saved;
    row.id = saved->id;
    ExpectSameFields(*got, row);
    return *got;
  }

  std::vector<std::string> DatabaseTables() {
    std::string sql = db_->dialect() == Dialect::kSqlite
                          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite!_%' ESCAPE '!'"
                          : "SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema()";
    std::vector<std::string> names;
    auto s = db_->Query(sql, {}, [&](const Row& row) -> Status {
      names.emplace_back(row.GetText(0));
      return Ok();
    });
    EXPECT_TRUE(s) << s.error().message;
    return names;
  }

  std::set<std::string> DatabaseColumns(std::string_view table) {
    std::string sql = db_->dialect() == Dialect::kSqlite
                          ? "SELECT name FROM pragma_table_info(?)"
                          : "SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = ?";
    SqlValue params[] = {std::string(table)};
    std::set<std::string> names;
    auto s = db_->Query(sql, params, [&](const Row& row) -> Status {
      names.emplace(row.GetText(0));
      return Ok();
    });
    EXPECT_TRUE(s) << s.error().message;
    return names;
  }

  template <class T>
  void ExpectTableMatchesSchema(std::set<std::string>& described) {
    std::string table(EntitySchema<T>::kTable);
    described.insert(table);
    auto s = db_->Query("SELECT " + SelectList<T>() + " FROM " + table + " LIMIT 0", {}, nullptr);
    EXPECT_TRUE(s) << table << ": " << s.error().message;
    auto names = ColumnNames<T>();
    std::set<std::string> expected(names.begin(), names.end());
    EXPECT_EQ(DatabaseColumns(table), expected)
        << "the columns of " << table << " differ between the migrations and domain/schema.h";
  }

  template <class... T>
  void ExpectTablesMatchSchema(EntityList<T...>) {
    std::set<std::string> described;
    (ExpectTableMatchesSchema<T>(described), ...);
    for (const auto& table : DatabaseTables()) {
      // Bookkeeping, not entities: applied migrations, the log servers follow, the ownership
      // history the account service keeps as owners change, and ids an import reserved; and
      // automation's tables (automation/rule_store.h, rule_engine.h and outbox.h keep their
      // own SQL); and the trained models (predict/model_store.h).
      static const std::set<std::string> kOwnSql = {
          "schema_migrations", "change_log",        "account_owners",
          "id_reservations",   "webhook_endpoints", "outbox_messages",
          "delivery_attempts", "smtp_settings",     "rules",
          "rule_versions",     "rule_firings",      "rule_actions",
          "notifications",     "rule_observations", "automation_state",
          "email_opt_outs",    "predictive_models"};
      if (kOwnSql.contains(table)) continue;
      EXPECT_TRUE(described.contains(table))
          << "table " << table << " has no entity in domain/schema.h (or none in AllEntities)";
    }
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Store> store_;
};

// --- migrations and schema --------------------------------------------------------------------

TEST_P(StoreContractTest, MigrationsAreRecordedAndIdempotent) {
  auto v = SchemaVersion(*db_);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, LatestSchemaVersion());
  EXPECT_EQ(Count("schema_migrations"), static_cast<int64_t>(Migrations().size()));
  auto again = Migrate(*db_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("schema_migrations"), static_cast<int64_t>(Migrations().size()));
  EXPECT_EQ(*SchemaVersion(*db_), LatestSchemaVersion());
}

TEST(RenderMigrationTest, SqliteOnlyLinesAreKeptOnSqliteAlone) {
  const std::string sql =
      "CREATE TABLE t (id {{ID}});\n{{SQLITE}} DROP INDEX IF EXISTS i;\nCREATE INDEX j ON t (id);";
  EXPECT_EQ(RenderMigration(sql, Dialect::kSqlite),
            "CREATE TABLE t (id INTEGER PRIMARY KEY);\nDROP INDEX IF EXISTS i;\n"
            "CREATE INDEX j ON t (id);");
  EXPECT_EQ(RenderMigration(sql, Dialect::kPostgres),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);\n"
            "CREATE INDEX j ON t (id);");
}

// A new SQLite book is made with 8 KB pages; a book made before keeps the pages it has.
TEST(SqliteBookTest, ANewBookHasEightKilobytePagesAnOldOneKeepsItsOwn) {
  testing::TempDir dir;
  auto page_size = [](const std::string& url) -> int64_t {
    auto db = OpenDatabase(url);
    EXPECT_TRUE(db) << db.error().message;
    if (!db) return -1;
    EXPECT_TRUE((*db)->ExecScript("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)"));
    return (*db)->QueryInt("PRAGMA page_size")->value_or(-1);
  };
  EXPECT_EQ(page_size("sqlite:" + dir.path() + "/new.db"), 8192);
  EXPECT_EQ(page_size("sqlite:" + dir.path() + "/new.db"), 8192) << "opened again";
  const std::string old = dir.path() + "/old.db";
  sqlite3* made = nullptr;  // as a book made before (SQLite's own default, 4 KB)
  ASSERT_EQ(sqlite3_open(old.c_str(), &made), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(made, "PRAGMA page_size = 4096; CREATE TABLE t (id INTEGER PRIMARY KEY)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(made);
  EXPECT_EQ(page_size("sqlite:" + old), 4096);
}

TEST_P(StoreContractTest, ServersStartingTogetherMigrateOnce) {
  testing::TestDatabase fresh;
  ORCHARD_OPEN_TEST_DATABASE(fresh, GetParam(), /*shareable=*/true);
  constexpr int kServers = 4;
  std::vector<Result<int>> results(kServers, 0);
  {
    std::vector<std::jthread> servers;
    for (int i = 0; i < kServers; ++i) {
      servers.emplace_back([&, i] {
        auto db = OpenDatabase(fresh.url());
        results[i] = db ? Migrate(**db) : std::unexpected(db.error());
      });
    }
  }
  int applied = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().message;
    applied += *r;
  }
  EXPECT_EQ(applied, static_cast<int>(Migrations().size())) << "each migration ran exactly once";
  auto db = OpenDatabase(fresh.url());
  ASSERT_TRUE(db);
  EXPECT_EQ(*SchemaVersion(**db), LatestSchemaVersion());
}

TEST_P(StoreContractTest, DatabaseFromANewerVersionIsRefused) {
  const int future = LatestSchemaVersion() + 1;
  SqlValue params[] = {int64_t{future}, std::string("future"), std::string("2030-01-01 00:00:00")};
  ASSERT_TRUE(db_->Exec(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", params));
  auto r = Migrate(*db_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(r.error().message, HasSubstr("schema version " + std::to_string(future)));
  EXPECT_THAT(r.error().message, HasSubstr("(" + std::to_string(LatestSchemaVersion()) + ")"));
  EXPECT_EQ(*SchemaVersion(*db_), future);  // refused, and left as it was
}

TEST_P(StoreContractTest, EveryEntityHasItsTableAndExactlyItsColumns) {
  ExpectTablesMatchSchema(AllEntities{});
}

// --- rows in and out --------------------------------------------------------------------------

TEST_P(StoreContractTest, UsersRoundTripEveryField) {
  User lead = MakeUser("lead@orchard.example");
  User u;
  u.email = "ada.okafor+test@orchard.example";
  u.name = "Ada Okafor-Ñúñez";
  u.role = Role::kManager;
  u.manager_id = lead.id;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.active = false;
  u.created_at = At("2024-02-29 23:59:59");
  RoundTrip(u);
}

TEST_P(StoreContractTest, AccountsRoundTripEveryField) {
  User am = MakeUser("am@orchard.example");
  User csm = MakeUser("csm@orchard.example");
  User sponsor = MakeUser("sponsor@orchard.example");
  Account parent = MakeAccount("Parent Holdings");
  Account a;
  a.name = "Zoë's Café — Ünïcode, 'quotes' and \"double\" ? marks";
  a.parent_id = parent.id;
  a.owner_id = am.id;
  a.csm_id = csm.id;
  a.sponsor_id = sponsor.id;
  a.salesforce_id = "001ABC";
  a.hubspot_id = "hs-77";
  a.industry = "Food";
  a.region = "EMEA";
  a.employees = 3'000'000'000;  // wider than 32 bits
  a.growth_potential = Potential::kHigh;
  a.strategic = true;
  a.tier_override = Tier::kCore;
  a.tier_override_reason = "pooled with its parent";
  a.lifecycle_stage = LifecycleStage::kRenewing;
  a.created_at = At("1969-12-31 23:59:59");  // before the epoch
  a.updated_at = At("2025-01-01 00:00:00");
  Account got = RoundTrip(a);
  EXPECT_EQ(got.version, 1);

  // The same entity with every optional field empty comes back empty, not as "" or 0.
  Account sparse;
  sparse.name = "";
  sparse.created_at = At("2026-01-01 00:00:00");
  sparse.updated_at = sparse.created_at;
  RoundTrip(sparse);
}

TEST_P(StoreContractTest, ContactsRoundTripEveryField) {
  User owner = MakeUser("owner@orchard.example");
  Account a = MakeAccount("Contacts Inc");
  Division d;
  d.account_id = a.id;
  d.name = "Plant 7";
  d.kind = DivisionKind::kPlant;
  d.headcount = 400;
  d.covered_by_id = owner.id;
  Division division = RoundTrip(d);

  Contact boss;
  boss.account_id = a.id;
  boss.first_name = "Grace";
  Contact saved_boss = RoundTrip(boss);

  Contact c;
  c.account_id = a.id;
  c.division_id = division.id;
  c.first_name = "Łukasz";
  c.last_name = "O'Brien";
  c.email = "lukasz@customer.example";
  c.title = "VP\tOperations";
  c.buying_role = BuyingRole::kEconomicBuyer;
  c.stance = Stance::kDetractor;
  c.influence = 5;
  c.reports_to_id = saved_boss.id;
  c.relationship_owner_id = owner.id;
  c.status = ContactStatus::kDeparted;
  c.last_engaged_on = Day("2026-02-28");
  c.salesforce_id = "003XYZ";
  c.hubspot_id = "hs-contact-1";
  RoundTrip(c);
}

TEST_P(StoreContractTest, ContractLinesRoundTripWithAndWithoutAnEndDate) {
  Account a = MakeAccount("Lines Ltd");
  Product p;
  p.sku = "ORC-1";
  p.name = "Core";
  p.family = "Platform";
  p.list_price = Money::FromCents(123456);
  p.active = false;
  Product product = RoundTrip(p);
  Division d;
  d.account_id = a.id;
  d.name = "EMEA";
  Division division = RoundTrip(d);
  for (std::optional<Date> end : {std::optional<Date>(), std::optional<Date>(Day("2026-12-31"))}) {
    ContractLine line;
    line.account_id = a.id;
    line.product_id = product.id;
    line.division_id = end ? std::optional<DivisionId>(division.id) : std::nullopt;
    line.arr = Money::FromCents(9'999'999'999);
    line.start_date = Day("2024-02-29");
    line.end_date = end;
    line.salesforce_id = end ? std::optional<std::string>("800Q") : std::nullopt;
    ContractLine got = RoundTrip(line);
    EXPECT_EQ(got.end_date, end);
  }
}

TEST_P(StoreContractTest, OpportunitiesRoundTripEveryField) {
  User owner = MakeUser("seller@orchard.example");
  Account a = MakeAccount("Pipeline plc");
  Product p;
  p.sku = "ORC-2";
  p.list_price = Money::FromCents(1);
  Product product = RoundTrip(p);
  Division d;
  d.account_id = a.id;
  Division division = RoundTrip(d);
  Opportunity o;
  o.account_id = a.id;
  o.name = "Expansion into 'Plant 7'";
  o.type = OpportunityType::kCrossSell;
  o.stage = OpportunityStage::kClosedLost;
  o.amount = Money::FromCents(4'500'000'00);
  o.created_on = Day("2025-11-30");
  o.close_date = Day("2026-01-31");
  o.product_id = product.id;
  o.division_id = division.id;
  o.owner_id = owner.id;
  o.lost_reason = "budget frozen\nuntil Q3";
  o.salesforce_id = "006OPP";
  o.hubspot_id = "deal-9";
  RoundTrip(o);
}

TEST_P(StoreContractTest, TicketsRoundTripAndAClosingTimeCanBeSetLater) {
  Account a = MakeAccount("Support Co");
  Contact c;
  c.account_id = a.id;
  Contact contact = RoundTrip(c);
  Ticket t;
  t.account_id = a.id;
  t.contact_id = contact.id;
  t.severity = TicketSeverity::kUrgent;
  t.status = TicketStatus::kPending;
  t.escalated = true;
  t.opened_at = At("2026-03-04 05:06:07");
  t.first_response_at = At("2026-03-04 06:00:00");
  t.channel = TicketChannel::kRequest;
  t.subject = "Line one\nLine two\twith a tab and a back\\slash";
  t.body = "∑ unicode ✓, 'single', \"double\", ? and $1";
  Ticket got = RoundTrip(t);
  EXPECT_FALSE(got.closed_at);
  got.closed_at = At("2026-03-05 00:00:00");
  got.status = TicketStatus::kClosed;
  ASSERT_TRUE(store_->Update(got));
  auto back = store_->Get<Ticket>(got.id);
  ASSERT_TRUE(back);
  ExpectSameFields(*back, got);
}

TEST_P(StoreContractTest, ExplicitIdsThenGeneratedIdsDoNotCollide) {
  for (int64_t id = 1; id <= 3; ++id) {
    User u;
    u.id = UserId(id);
    u.email = "u" + std::to_string(id) + "@orchard.example";
    u.created_at = At("2026-01-01 00:00:00");
    auto saved = store_->Insert(u);
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_EQ(saved->id.value, id);
  }
  ASSERT_TRUE(db_->ResetIdSequence(EntitySchema<User>::kTable));
  // Without the reset PostgreSQL's identity would hand out 1 again: a unique violation.
  EXPECT_EQ(MakeUser("next@orchard.example").id.value, 4);
  EXPECT_EQ(store_->Get<User>(UserId(2))->email, "u2@orchard.example");
}

// --- versions, missing rows, constraints ------------------------------------------------------

TEST_P(StoreContractTest, StaleVersionIsAConflictAndChangesNothing) {
  Account a = MakeAccount("Acme");
  Account first = a;
  first.name = "Acme Corp";
  auto saved = store_->Update(first, 1);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, 2);
  EXPECT_EQ(store_->Get<Account>(a.id)->version, 2);

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

TEST_P(StoreContractTest, DeleteRemovesTheRowAndItsChildren) {
  Account a = MakeAccount("Gone Inc");
  Account kept = MakeAccount("Kept Inc");
  Contact c;
  c.account_id = a.id;
  c.first_name = "Ada";
  ASSERT_TRUE(store_->Insert(c));
  ASSERT_TRUE(store_->Delete<Account>(a.id));
  EXPECT_EQ(store_->Get<Account>(a.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("contacts"), 0);
  EXPECT_TRUE(store_->Get<Account>(kept.id));
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
  EXPECT_EQ(Count("users"), 1);

  Contact orphan;
  orphan.account_id = AccountId(999);
  auto fk = store_->Insert(orphan);
  ASSERT_FALSE(fk);
  EXPECT_EQ(fk.error().code, ErrorCode::kInvalidValue);

  Account a = MakeAccount("Checks");
  Contact loud;
  loud.account_id = a.id;
  loud.influence = 9;
  auto check = store_->Insert(loud);
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, ErrorCode::kInvalidValue);
  EXPECT_EQ(Count("contacts"), 0);
}

// --- lists -------------------------------------------------------------------------------------

TEST_P(StoreContractTest, ListFiltersSearchesAndPagesEveryRowOnce) {
  User ann = MakeUser("ann@orchard.example");
  User bob = MakeUser("bob@orchard.example");
  for (int i = 0; i < 25; ++i) {
    MakeAccount((i % 5 == 0 ? "Northwind " : "Contoso ") + std::to_string(i),
                i % 2 ? ann.id : bob.id);
  }
  for (int i = 0; i < 3; ++i) MakeAccount("Unowned " + std::to_string(i));

  ListQuery q;
  q.limit = 10;
  std::vector<int64_t> seen;
  std::vector<size_t> page_sizes;
  while (true) {
    auto page = store_->List<Account>(q);
    ASSERT_TRUE(page) << page.error().message;
    page_sizes.push_back(page->items.size());
    for (const auto& a : page->items) seen.push_back(a.id.value);
    if (!page->next_cursor) break;
    ASSERT_LT(page_sizes.size(), 10u) << "paging does not end";
    q.after_id = *page->next_cursor;
  }
  EXPECT_THAT(page_sizes, ::testing::ElementsAre(10u, 10u, 8u));
  ASSERT_EQ(seen.size(), 28u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());

  // A last page that is exactly full has no cursor to an empty page after it.
  ListQuery full;
  full.limit = 14;
  auto p1 = store_->List<Account>(full);
  ASSERT_TRUE(p1 && p1->next_cursor);
  full.after_id = *p1->next_cursor;
  auto p2 = store_->List<Account>(full);
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->items.size(), 14u);
  EXPECT_FALSE(p2->next_cursor);

  ListQuery by_owner;
  by_owner.limit = 100;
  by_owner.filters.push_back({"owner_id", ann.id.value});
  auto owned = store_->List<Account>(by_owner);
  ASSERT_TRUE(owned);
  EXPECT_EQ(owned->items.size(), 12u);
  for (const auto& a : owned->items) EXPECT_EQ(a.owner_id, ann.id);

  ListQuery no_owner;
  no_owner.limit = 100;
  no_owner.filters.push_back({"owner_id", std::monostate{}});
  EXPECT_EQ(store_->List<Account>(no_owner)->items.size(), 3u);

  ListQuery search;
  search.limit = 100;
  for (const char* typed : {"NORTHWIND", "northwind", "thWin"}) {
    search.name_contains = typed;
    auto found = store_->List<Account>(search);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->items.size(), 5u) << typed;
  }
  search.name_contains = "%";  // a wildcard typed by a user is a literal character
  EXPECT_EQ(store_->List<Account>(search)->items.size(), 0u);
  search.name_contains = "northwind";
  search.filters.push_back({"owner_id", bob.id.value});  // filters and search combine
  EXPECT_EQ(store_->List<Account>(search)->items.size(), 3u);

  // Beyond ASCII, both backends fold case alike: "émile" finds "ÉMILE", "Ångström" "ÅNGSTRÖM".
  MakeAccount("ÉMILE Zola SA");
  MakeAccount("Ångström Optik AB");
  ListQuery accented;
  accented.limit = 100;
  for (const char* typed : {"émile", "ÉMILE", "Émile zola", "ångström", "ÅNGSTRÖM OPTIK"}) {
    accented.name_contains = typed;
    auto found = store_->List<Account>(accented);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->items.size(), 1u) << typed;
  }
}

TEST_P(StoreContractTest, AStatementInsideARowCallbackIsRefusedClearly) {
  MakeAccount("One");
  MakeAccount("Two");
  const std::string sql = "SELECT id FROM accounts ORDER BY id";
  int outer_rows = 0;
  Status inner = Ok();
  auto outer = db_->Query(sql, {}, [&](const Row&) -> Status {
    ++outer_rows;
    inner = db_->Query(sql, {}, [](const Row&) -> Status { return Ok(); });
    return Ok();
  });
  ASSERT_TRUE(outer) << "the outer statement is not disturbed: " << outer.error().message;
  EXPECT_EQ(outer_rows, 2);
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
  EXPECT_THAT(inner.error().message, HasSubstr("row callback"));
  EXPECT_EQ(Count("accounts"), 2) << "and the connection goes on working";
}

// --- transactions ------------------------------------------------------------------------------

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
  // The connection is still good for the next use case.
  EXPECT_TRUE(store_->Insert(Named("After")));
}

TEST_P(StoreContractTest, APoolNeverLendsOutAnOpenTransaction) {
  testing::TestDatabase shared;
  ORCHARD_OPEN_TEST_DATABASE(shared, GetParam(), /*shareable=*/true);
  auto pool = ConnectionPool::Open(shared.url(), 1);
  ASSERT_TRUE(pool) << pool.error().message;
  {
    auto lease = (*pool)->Acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(Migrate(**lease));
    ASSERT_TRUE((*lease)->Begin());
    Store s(**lease);
    Account a;
    a.name = "Never committed";
    ASSERT_TRUE(s.Insert(a));
  }  // given back mid-transaction
  auto again = (*pool)->Acquire();
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->QueryInt("SELECT COUNT(*) FROM accounts")->value_or(-1), 0);
  EXPECT_TRUE((*again)->Begin()) << "the next borrower starts from a clean connection";
  EXPECT_TRUE((*again)->Rollback());
}

// A pool's writers take turns (SQLite: WriterTurns): each transaction's end — commit, rollback,
// a lease given back mid-transaction — hands the turn on, or the next writer would wait out the
// busy timeout and fail with "database is locked".
TEST_P(StoreContractTest, APoolsWritersTakeTurnsAndEveryEndHandsTheTurnOn) {
  testing::TestDatabase shared;
  ORCHARD_OPEN_TEST_DATABASE(shared, GetParam(), /*shareable=*/true);
  auto pool = ConnectionPool::Open(shared.url(), 4);
  ASSERT_TRUE(pool) << pool.error().message;
  {
    auto lease = (*pool)->Acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(Migrate(**lease));
  }
  auto insert = [&](const std::string& name) -> Status {
    ORCHARD_TRY(auto lease, (*pool)->Acquire());
    ORCHARD_TRY(auto tx, Transaction::Begin(*lease));
    Store s(*lease);
    Account a;
    a.name = name;
    ORCHARD_CHECK(s.Insert(a));
    return tx.Commit();
  };
  {  // on one connection, one transaction after another: a commit, a rollback after a failed
     // statement
    auto lease = (*pool)->Acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->Begin());
    ASSERT_TRUE((*lease)->Commit());
    Status again = (*lease)->Begin();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_FALSE((*lease)->Exec("INSERT INTO no_such_table VALUES (1)", {}));
    ASSERT_TRUE((*lease)->Rollback());
    again = (*lease)->Begin();
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_TRUE((*lease)->Rollback());
  }
  ASSERT_TRUE(insert("after a rollback"));
  {  // a lease given back with its transaction open
    auto lease = (*pool)->Acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->Begin());
  }
  Status after_release = insert("after a lease given back mid-transaction");
  ASSERT_TRUE(after_release) << after_release.error().message;

  // Writers on every connection at once: each waits its turn, none fails.
  constexpr int kThreads = 8, kEach = 15;
  std::vector<std::thread> threads;
  std::vector<std::string> failures(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status done = insert("writer " + std::to_string(t) + " row " + std::to_string(i));
        if (!done && failures[t].empty()) failures[t] = done.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  auto lease = (*pool)->Acquire();
  ASSERT_TRUE(lease);
  EXPECT_EQ((*lease)->QueryInt("SELECT COUNT(*) FROM accounts")->value_or(-1),
            2 + kThreads * kEach);
}

TEST_P(StoreContractTest, CommittedWorkIsKept) {
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx);
  MakeAccount("One");
  MakeAccount("Two");
  ASSERT_TRUE(tx->Commit());
  EXPECT_EQ(Count("accounts"), 2);
  EXPECT_FALSE(tx->Commit());  // a transaction commits once
}

TEST_P(StoreContractTest, ATransactionCannotBeOpenedTwice) {
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx);
  auto nested = db_->Begin();
  EXPECT_FALSE(nested) << "a second BEGIN on one connection must not pass silently";
}

// After a statement failed inside a transaction, Commit never reports success for work it did
// not keep (PostgreSQL discards the whole transaction at its first error; SQLite keeps the rest).
TEST_P(StoreContractTest, CommitAfterAFailedStatementTellsTheTruth) {
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx);
  MakeAccount("Before the failure");
  Contact orphan;
  orphan.account_id = AccountId(999);
  EXPECT_FALSE(store_->Insert(orphan));
  Status committed = tx->Commit();
  EXPECT_EQ(committed.has_value(), Count("accounts") == 1)
      << (committed ? "committed" : committed.error().message);
  if (db_->dialect() == Dialect::kPostgres) {
    ASSERT_FALSE(committed);
    EXPECT_THAT(committed.error().message, HasSubstr("rolled back"));
  }
  EXPECT_TRUE(store_->Insert(Named("Next")));
}

// --- bulk loads --------------------------------------------------------------------------------

TEST_P(StoreContractTest, BulkWriterRoundTripsAwkwardTextAndNulls) {
  const std::vector<std::string> samples = {"tab\there",
                                            "new\nline",
                                            "back\\slash",
                                            "cr\rlf\r\n",
                                            "quote ' and \"",
                                            "\\N",
                                            "ünïcødé ✓ 日本 🍏",
                                            "",
                                            "\\.",
                                            "trailing backslash\\"};
  const int64_t n = 10'000;
  std::vector<Account> want;
  want.reserve(n);
  for (int64_t i = 1; i <= n; ++i) {
    Account a;
    a.id = AccountId(i);
    a.name = samples[static_cast<size_t>(i) % samples.size()];
    // NULL, the empty string and the text "\N" are three different values.
    if (i % 3 == 1) a.tier_override_reason = "";
    if (i % 3 == 2) a.tier_override_reason = samples[static_cast<size_t>(i / 3) % samples.size()];
    if (i % 5 == 0)
      a.salesforce_id =
          samples[static_cast<size_t>(i / 5) % samples.size()] + "#" + std::to_string(i);  // unique
    a.industry = samples[static_cast<size_t>(i / 7) % samples.size()];
    a.employees = i * 1'000'003;
    a.strategic = i % 2 == 0;
    if (i % 4 == 0) a.growth_potential = Potential::kLow;
    a.created_at = Timestamp::FromUnixSeconds(1'700'000'000 + i);
    a.updated_at = a.created_at;
    want.push_back(std::move(a));
  }
  auto columns = ColumnNames<Account>();
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx);
  auto writer = db_->OpenBulkWriter(EntitySchema<Account>::kTable, columns);
  ASSERT_TRUE(writer) << writer.error().message;
  // The first half a row at a time, the rest as one run of rows (SQLite puts several rows in a
  // statement, then the odd ones out one at a time): every row lands, in order, either way.
  const size_t half = want.size() / 2 + 7;
  for (size_t i = 0; i < half; ++i) {
    auto values = ToSqlValues(want[i]);
    auto added = (*writer)->Add(values);
    ASSERT_TRUE(added) << added.error().message;
  }
  std::vector<SqlValue> rest;
  for (size_t i = half; i < want.size(); ++i) {
    auto values = ToSqlValues(want[i]);
    rest.insert(rest.end(), values.begin(), values.end());
  }
  auto added = (*writer)->AddRows(rest);
  ASSERT_TRUE(added) << added.error().message;
  auto finished = (*writer)->Finish();
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_EQ((*writer)->rows(), n);
  writer->reset();
  ASSERT_TRUE(db_->ResetIdSequence(EntitySchema<Account>::kTable));
  ASSERT_TRUE(tx->Commit());
  EXPECT_EQ(Count("accounts"), n);

  ListQuery q;
  q.limit = 1000;
  size_t next = 0;
  int mismatches = 0;
  while (true) {
    auto page = store_->List<Account>(q);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& got : page->items) {
      ASSERT_LT(next, want.size());
      if (ToSqlValues(got) != ToSqlValues(want[next]) && ++mismatches <= 3) {
        ExpectSameFields(got, want[next]);
      }
      ++next;
    }
    if (!page->next_cursor) break;
    q.after_id = *page->next_cursor;
  }
  EXPECT_EQ(next, want.size());
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(MakeAccount("After the load").id.value, n + 1);
}

TEST_P(StoreContractTest, ABadRowFailsTheBulkLoadAndKeepsNothing) {
  std::string_view cols[] = {"account_id", "first_name", "stance",
                             "influence",  "status",     "version"};
  Account a = MakeAccount("Bulk target");
  // Row by row, and as one run of rows (on SQLite, row 500 then sits inside a multi-row INSERT).
  for (bool as_run : {false, true}) {
    SCOPED_TRACE(as_run ? "AddRows" : "Add");
    Status failed = Ok();
    {
      auto tx = Transaction::Begin(*db_);
      ASSERT_TRUE(tx);
      auto writer = db_->OpenBulkWriter(EntitySchema<Contact>::kTable, cols);
      ASSERT_TRUE(writer) << writer.error().message;
      std::vector<SqlValue> rows;
      for (int i = 0; i < 1000 && failed; ++i) {
        // Row 500 names an account that does not exist.
        std::vector<SqlValue> row = {i == 500 ? int64_t{987654} : a.id.value,
                                     "c" + std::to_string(i),
                                     std::string("neutral"),
                                     int64_t{3},
                                     std::string("active"),
                                     int64_t{1}};
        if (as_run) {
          rows.insert(rows.end(), row.begin(), row.end());
        } else {
          failed = (*writer)->Add(row);
        }
      }
      if (failed && as_run) failed = (*writer)->AddRows(rows);
      if (failed) failed = (*writer)->Finish();
    }  // rolled back
    ASSERT_FALSE(failed) << "a foreign-key violation must fail the load";
    EXPECT_EQ(failed.error().code, ErrorCode::kInvalidValue) << failed.error().message;
    EXPECT_EQ(Count("contacts"), 0);
  }
  EXPECT_TRUE(store_->Insert(ContactOf(a.id)));
}

TEST_P(StoreContractTest, BackgroundCheckpointsKeepEveryCommitAndBoundTheLog) {
  // A copy every 16 pages of log (64 KB), so that 60 commits of ~100 KB each start the log
  // afresh many times over.
  ASSERT_TRUE(db_->CheckpointInBackground(true, 16));
  const std::string filler(400, 'x');
  int64_t id = 0;
  for (int t = 0; t < 60; ++t) {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx);
    std::string_view cols[] = {"id",         "name",      "industry",        "region",
                               "employees",  "strategic", "lifecycle_stage", "created_at",
                               "updated_at", "version"};
    auto writer = db_->OpenBulkWriter("accounts", cols);
    ASSERT_TRUE(writer) << writer.error().message;
    std::vector<SqlValue> rows;
    for (int i = 0; i < 200; ++i) {
      ++id;
      rows.insert(rows.end(),
                  {id, "Account " + std::to_string(id), filler, std::string("EMEA"), int64_t{10},
                   int64_t{0}, std::string("active"), std::string("2026-01-01 00:00:00"),
                   std::string("2026-01-01 00:00:00"), int64_t{1}});
    }
    ASSERT_TRUE((*writer)->AddRows(rows));
    ASSERT_TRUE((*writer)->Finish());
    writer->reset();
    ASSERT_TRUE(db_->ResetIdSequence("accounts"));
    ASSERT_TRUE(tx->Commit());
  }
  ASSERT_TRUE(db_->CheckpointInBackground(false, 0));
  // Every commit is there, seen from another connection (an in-memory database has one), and
  // the database is sound.
  Database* reader = db_.get();
  std::unique_ptr<Database> other;
  if (GetParam() != Backend::kSqliteMemory) {
    auto opened = OpenDatabase(test_db_.url());
    ASSERT_TRUE(opened) << opened.error().message;
    other = std::move(*opened);
    reader = other.get();
  }
  auto n = reader->QueryInt("SELECT COUNT(*) FROM accounts");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->value_or(0), 12'000);
  if (GetParam() == Backend::kSqliteFile) {
    std::string integrity;
    ASSERT_TRUE(reader->Query("PRAGMA integrity_check", {}, [&](const Row& r) -> Status {
      integrity += std::string(r.GetText(0));
      return Ok();
    }));
    EXPECT_EQ(integrity, "ok");
    // 60 commits wrote about 6 MB of log; started afresh as it went, it never held much of it.
    std::string path = test_db_.url().substr(std::string("sqlite:").size()) + "-wal";
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    ASSERT_FALSE(ec) << path << ": " << ec.message();
    EXPECT_LT(size, 2u << 20) << "the write-ahead log grew to " << size << " bytes";
  }
  // The connection writes on as before, with SQLite's own checkpoints.
  EXPECT_EQ(MakeAccount("After the background copies").id.value, 12'001);
}

TEST_P(StoreContractTest, AnAbandonedBulkLoadRollsBackAndTheConnectionStaysUsable) {
  std::string_view cols[] = {"email", "role", "active", "created_at"};
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx);
    auto writer = db_->OpenBulkWriter(EntitySchema<User>::kTable, cols);
    ASSERT_TRUE(writer) << writer.error().message;
    for (int i = 0; i < 100; ++i) {
      SqlValue row[] = {"b" + std::to_string(i) + "@orchard.example", std::string("am"), int64_t{1},
                        std::string("2026-01-01 00:00:00")};
      ASSERT_TRUE((*writer)->Add(row));
    }
  }  // writer dropped without Finish(), then the transaction rolls back
  EXPECT_EQ(Count("users"), 0);
  EXPECT_EQ(MakeUser("after@orchard.example").email, "after@orchard.example");
}

// --- settings ----------------------------------------------------------------------------------

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

// --- the PostgreSQL adapter alone --------------------------------------------------------------

TEST(PostgresUrlTest, PasswordsAreRedacted) {
  EXPECT_EQ(RedactUrl("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(RedactUrl("postgresql://u@h:5432/db"), "postgresql://u@h:5432/db");
  EXPECT_EQ(RedactUrl("postgresql://h:5432/db"), "postgresql://h:5432/db");
  EXPECT_EQ(RedactUrl("postgres://u:p@ss@h/db?sslmode=require"),
            "postgres://u:***@h/db?sslmode=require");
  EXPECT_EQ(RedactUrl("postgresql://h/db?user=u&password=secret&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("postgresql://h/db?password=secret"), "postgresql://h/db?password=***");
}

TEST(PostgresUrlTest, PlaceholdersOutsideQuotesAreNumbered) {
  EXPECT_EQ(RewritePlaceholders("SELECT ? WHERE a = '?' AND b = ? AND c = 'it''s ?'"),
            "SELECT $1 WHERE a = '?' AND b = $2 AND c = 'it''s ?'");
  EXPECT_EQ(RewritePlaceholders("SELECT \"odd?name\" FROM t WHERE x = ?"),
            "SELECT \"odd?name\" FROM t WHERE x = $1");
}

// A port nothing listens on: bound once by us, then released.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(PostgresAdapterTest, AnUnreachableServerIsOneClearLineWithoutThePassword) {
  int port = ClosedPort();
  auto db =
      OpenDatabase("postgresql://orchard:s3cret-pw@127.0.0.1:" + std::to_string(port) + "/orchard");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().message, "cannot connect to PostgreSQL at 127.0.0.1:" +
                                    std::to_string(port) + ": connection refused");
}

TEST(PostgresAdapterTest, AMalformedUrlIsInvalidAndHidesThePassword) {
  auto db = OpenDatabase("postgresql://orchard:s3cret-pw@127.0.0.1/orchard?no_such_option=1");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(db.error().message, HasSubstr("no_such_option"));
  EXPECT_THAT(db.error().message, Not(HasSubstr("s3cret-pw")));
  EXPECT_THAT(db.error().message, Not(HasSubstr("\n")));
}

class PostgresAdapterServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenTestDatabase(test_db_, Backend::kPostgres);
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    auto db = OpenDatabase(test_db_.url());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(Migrate(*db_));
    auto other = OpenDatabase(test_db_.url());
    ASSERT_TRUE(other) << other.error().message;
    other_ = std::move(*other);
  }

  // Ends db_'s server process, as a restart or an idle timeout would.
  void DropConnection() {
    auto pid = db_->QueryInt("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid && *pid);
    SqlValue params[] = {**pid};
    auto ended =
        other_->Query("SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", params, nullptr);
    ASSERT_TRUE(ended) << ended.error().message;
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Database> other_;
};

TEST_F(PostgresAdapterServerTest, TheDescriptionNeverShowsThePassword) {
  std::string url = test_db_.url();
  size_t at = url.find('@');
  if (at == std::string::npos || url.find(':', url.find("://") + 3) < at) {
    GTEST_SKIP() << "ORCHARD_TEST_PG_URL has no user or already has a password";
  }
  url.insert(at, ":s3cret-pw");  // trust authentication ignores it
  auto db = OpenDatabase(url);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_THAT((*db)->description(), HasSubstr(":***@"));
  EXPECT_THAT((*db)->description(), Not(HasSubstr("s3cret-pw")));
}

TEST_F(PostgresAdapterServerTest, ADroppedConnectionIsReopenedBetweenTransactions) {
  DropConnection();
  // The call that finds the connection gone fails (its statement may or may not have run);
  // the next one reconnects, with the URL's options (here: the test's schema) intact.
  auto first = db_->QueryInt("SELECT COUNT(*) FROM accounts");
  if (!first) {
    EXPECT_EQ(first.error().code, ErrorCode::kUnavailable) << first.error().message;
  }
  auto second = db_->QueryInt("SELECT COUNT(*) FROM accounts");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, 0);
}

TEST_F(PostgresAdapterServerTest, AConnectionLostInsideATransactionFailsUntilRolledBack) {
  Store store(*db_);
  ASSERT_TRUE(db_->Begin());
  ASSERT_TRUE(store.Insert(Named("Lost")));
  DropConnection();
  auto during = store.Insert(Named("Also lost"));
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, ErrorCode::kUnavailable);
  // Not quietly reconnected: the rest of the use case would run outside any transaction.
  auto after = db_->QueryInt("SELECT COUNT(*) FROM accounts");
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(after.error().message, HasSubstr("inside a transaction"));
  ASSERT_TRUE(db_->Rollback());
  auto count = db_->QueryInt("SELECT COUNT(*) FROM accounts");
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 0);
}

TEST_F(PostgresAdapterServerTest, ServerErrorsAreOneLineWithTheirDetail) {
  Store store(*db_);
  User u;
  u.email = "twice@orchard.example";
  u.created_at = At("2026-01-01 00:00:00");
  ASSERT_TRUE(store.Insert(u));
  auto again = store.Insert(u);
  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message, HasSubstr("duplicate key"));
  EXPECT_THAT(again.error().message, HasSubstr("(email)=(twice@orchard.example)"));
  EXPECT_THAT(again.error().message, Not(HasSubstr("\n")));
  auto bad = db_->Exec("SELECT no_such_column FROM accounts", {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  SqlValue no_such_day[] = {std::string("2026-02-30")};
  auto date = db_->Exec("SELECT CAST(? AS DATE)", no_such_day);
  ASSERT_FALSE(date);
  EXPECT_EQ(date.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace orchard::store
