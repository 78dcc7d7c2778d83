// Imports that real exports survive (issue 21, items 1–3), on SQLite and PostgreSQL: a CRM
// pipeline's open deals kept without a close date and its deals without an account under a
// holding account (or rejected, as the mapping says); owners by e-mail, external id or name,
// translated by a values table, and added as inactive users on request; a sales-teams file as
// users with managers; and any system's key (external_id with its source) matching rows, links
// and the export. The fixture is tests/testdata/crm_pipeline (the shape of Maven Analytics' "CRM
// Sales Opportunities" data set).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/read_model.h"
#include "ingest/export.h"
#include "ingest/import.h"
#include "ingest/sources.h"
#include "service/auth_service.h"
#include "store/migrate.h"
#include "store/pool.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using testing::Backend;

std::string Fixture(const std::string& name) {
  return std::string(ORCHARD_SOURCE_DIR) + "/tests/testdata/crm_pipeline/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

ImportRequest Csv(const std::string& object, const std::string& path, const std::string& map) {
  ImportRequest r;
  r.source = "csv";
  r.object = object;
  r.path = path;
  r.map_json = map;
  return r;
}

class ImportRowsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), true);  // a sign-in opens its own
    auto db = store::OpenDatabase(test_db_.url());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_));
  }

  Result<ImportSummary> TryImport(const ImportRequest& request, bool create_users = false) {
    ImportOptions o;
    o.batch_rows = 4;  // several batches even in a small file
    ImportRequest r = request;
    r.create_users = create_users;
    return RunImport(*db_, clock_, r, std::move(o));
  }
  ImportSummary Import(const ImportRequest& request, bool create_users = false) {
    auto s = TryImport(request, create_users);
    EXPECT_TRUE(s) << s.error().message;
    return s.value_or(ImportSummary{});
  }
  void ImportAccounts() {
    ImportSummary s =
        Import(Csv("accounts", Fixture("accounts.csv"), ReadFile(Fixture("accounts.map.json"))));
    ASSERT_EQ(s.inserted, 6);
  }

  int64_t Count(const std::string& sql) { return testing::QueryCount(*db_, sql); }
  std::vector<std::string> Rows(const std::string& sql) { return testing::QueryRows(*db_, sql); }
  int64_t Warned(const ImportSummary& s, const std::string& message) {
    auto it = s.warnings.find(message);
    return it == s.warnings.end() ? 0 : it->second;
  }
  UserId AddUser(const std::string& email, const std::string& name, Role role = Role::kAm) {
    User u;
    u.email = email;
    u.name = name;
    u.role = role;
    u.password_hash = "$argon2id$kept";
    u.created_at = clock_.Now();
    store::Store store(*db_);
    auto saved = store.Insert(u);
    EXPECT_TRUE(saved) << saved.error().message;
    return saved ? saved->id : UserId();
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_{*Timestamp::Parse("2026-06-15 09:00:00")};
  testing::TempDir dir_;
};

TEST_P(ImportRowsTest, OpenDealsKeepAnEmptyCloseDateAndDealsWithoutAnAccountGoUnderAHolder) {
  ImportAccounts();
  auto pipeline = Csv("opportunities", Fixture("sales_pipeline.csv"),
                      ReadFile(Fixture("sales_pipeline.map.json")));
  ImportSummary s = Import(pipeline, /*create_users=*/true);
  EXPECT_EQ(s.rows, 13);
  EXPECT_EQ(s.inserted, 13);
  EXPECT_EQ(s.rejected, 0) << (s.rejections.empty() ? "" : s.rejections[0].reason);
  // Every open deal is in, its close date empty and flagged; the closed ones keep theirs.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities WHERE close_date IS NULL"), 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities WHERE close_date IS NULL AND stage IN "
                  "('closed_won', 'closed_lost')"),
            0);
  EXPECT_EQ(Warned(s, "open opportunities without a close date: kept, the close date left empty"),
            7);
  EXPECT_EQ(Rows("SELECT close_date, amount_cents FROM opportunities WHERE external_id = "
                 "'Z063OYW0' AND external_source = 'maven'"),
            std::vector<std::string>{"2017-03-11|451400"});
  // The three without an account are under the holding account the mapping names.
  EXPECT_EQ(s.unassigned_account, "Unassigned");
  EXPECT_EQ(s.unassigned, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities o JOIN accounts a ON a.id = o.account_id "
                  "WHERE a.name = 'Unassigned'"),
            3);
  EXPECT_NE(s.ToJson().find(R"("unassigned_account":{"name":"Unassigned","rows":3})"),
            std::string::npos)
      << s.ToJson();
  // The book loads and counts them as pipeline (dashboards read it so).
  auto model = engine::ReadModel::Load(*db_);
  ASSERT_TRUE(model) << model.error().message;
  // The same file again changes nothing: no row, no holding account, no user.
  int64_t users = Count("SELECT COUNT(*) FROM users");
  ImportSummary again = Import(pipeline, true);
  EXPECT_EQ(again.unchanged, 13);
  EXPECT_EQ(again.inserted + again.updated, 0);
  EXPECT_TRUE(again.created_users.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name = 'Unassigned'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), users);
}

TEST_P(ImportRowsTest, WithoutAHoldingAccountDealsWithoutOneAreRejectedSayingWhy) {
  ImportAccounts();
  std::string map = ReadFile(Fixture("sales_pipeline.map.json"));
  map.replace(map.find(R"("unassigned_account": "Unassigned",)"),
              std::string(R"("unassigned_account": "Unassigned",)").size(), "");
  ImportSummary s = Import(Csv("opportunities", Fixture("sales_pipeline.csv"), map));
  EXPECT_EQ(s.inserted, 10);
  EXPECT_EQ(s.rejected, 3);
  ASSERT_EQ(s.rejections.size(), 3u);
  EXPECT_EQ(s.rejections[0].line, 11);
  EXPECT_EQ(s.rejections[0].column_name, "account");
  EXPECT_NE(s.rejections[0].reason.find("no account"), std::string::npos);
  EXPECT_NE(s.rejections[0].reason.find("unassigned_account"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name = 'Unassigned'"), 0);
  EXPECT_TRUE(s.unassigned_account.empty());
}

TEST_P(ImportRowsTest, AClosedDealStillNeedsItsCloseDate) {
  ImportAccounts();
  std::string csv = dir_.path() + "/deals.csv";
  WriteFile(csv,
            "Deal,Account,Stage,Closes\n"
            "Won without a day,Cancity,Won,\n"
            "Open without a day,Cancity,Engaging,\n");
  ImportSummary s = Import(Csv("opportunities", csv, R"({"columns": {"Deal": "name",
      "Account": "account.name", "Stage": {"field": "stage", "values": {"Won": "closed_won",
      "Engaging": "discovery"}}, "Closes": "close_date"}})"));
  EXPECT_EQ(s.inserted, 1);
  ASSERT_EQ(s.rejections.size(), 1u);
  EXPECT_EQ(s.rejections[0].line, 2);
  EXPECT_EQ(s.rejections[0].column_name, "Closes");
  EXPECT_EQ(s.rejections[0].reason, "a closed opportunity needs a close date");
}

TEST_P(ImportRowsTest, OwnersMatchByEmailExternalIdOrNameAfterTheValuesTable) {
  UserId dana = AddUser("dana@x.example", "Dana Ruiz");
  UserId kim = AddUser("kim@x.example", "Kim Obi");
  ASSERT_TRUE(
      db_->ExecScript("UPDATE users SET external_id = 'U-7', external_source = 'crm' WHERE "
                      "email = 'kim@x.example'"));
  AddUser("sam.lee@x.example", "Sam Lee");
  AddUser("sam.lee2@x.example", "sam lee");
  std::string csv = dir_.path() + "/accounts.csv";
  WriteFile(csv,
            "Company,Owner\n"
            "By e-mail,DANA@x.example\n"
            "By external id,U-7\n"
            "By name,dana ruiz\n"
            "By the values table,DR\n"
            "By a shared name,Sam Lee\n"
            "By nobody,Nobody Here\n");
  ImportSummary s = Import(Csv("accounts", csv, R"({"columns": {"Company": "name",
      "Owner": {"field": "owner", "values": {"DR": "dana@x.example"}}}})"));
  EXPECT_EQ(s.inserted, 6);
  EXPECT_EQ(Rows("SELECT name, owner_id FROM accounts ORDER BY id"),
            (std::vector<std::string>{"By e-mail|" + std::to_string(dana.value),
                                      "By external id|" + std::to_string(kim.value),
                                      "By name|" + std::to_string(dana.value),
                                      "By the values table|" + std::to_string(dana.value),
                                      "By a shared name|NULL", "By nobody|NULL"}));
  EXPECT_EQ(Warned(s,
                   "owner \"Sam Lee\" names more than one user (sam.lee@x.example, "
                   "sam.lee2@x.example): left as it was"),
            1);
  EXPECT_EQ(Warned(s,
                   "owner Nobody Here is not an Orchard user: left as it was "
                   "(--create-users adds such owners)"),
            1);
  EXPECT_TRUE(s.created_users.empty());
}

TEST_P(ImportRowsTest, CreateUsersAddsMissingOwnersWhoCannotSignIn) {
  ImportAccounts();
  auto pipeline = Csv("opportunities", Fixture("sales_pipeline.csv"),
                      ReadFile(Fixture("sales_pipeline.map.json")));
  ImportSummary s = Import(pipeline, /*create_users=*/true);
  EXPECT_EQ(s.created_users,
            (std::vector<std::string>{"Moses Frase <moses.frase@maven.invalid>",
                                      "Darcel Schlecht <darcel.schlecht@maven.invalid>",
                                      "Zane Levy <zane.levy@maven.invalid>",
                                      "Anna Snelling <anna.snelling@maven.invalid>",
                                      "Vicki Laflamme <vicki.laflamme@maven.invalid>"}));
  EXPECT_NE(s.ToJson().find(R"("created_users":["Moses Frase <moses.frase@maven.invalid>")"),
            std::string::npos);
  EXPECT_EQ(Rows("SELECT role, active, password_hash FROM users WHERE name = 'Zane Levy'"),
            std::vector<std::string>{std::string("am|") +
                                     (GetParam() == Backend::kPostgres ? "f" : "0") + "|"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities o JOIN users u ON u.id = o.owner_id WHERE "
                  "u.name = 'Anna Snelling'"),
            3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'users' AND action = 'create'"),
            5);
  // They cannot sign in, whatever they try.
  auto pool = store::ConnectionPool::Open(test_db_.url(), 1);
  ASSERT_TRUE(pool) << pool.error().message;
  service::AuthService auth(**pool, clock_);
  EXPECT_FALSE(auth.Login("zane.levy@maven.invalid", "", "127.0.0.1"));
  EXPECT_FALSE(auth.Login("zane.levy@maven.invalid", "anything at all", "127.0.0.1"));
}

TEST_P(ImportRowsTest, ASalesTeamsFileImportsAsUsersWithManagersAndOffices) {
  // Someone already in Orchard keeps their role and password; the file only links them.
  UserId cara = AddUser("cara@x.example", "Cara Losch", Role::kLeader);
  auto teams = Csv("users", Fixture("sales_teams.csv"), ReadFile(Fixture("sales_teams.map.json")));
  ImportSummary s = Import(teams);
  EXPECT_EQ(s.rows, 5);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(s.inserted, 8);  // five agents and three managers who were not users yet
  EXPECT_EQ(Rows("SELECT u.name, u.role, u.office, m.name FROM users u JOIN users m ON m.id = "
                 "u.manager_id ORDER BY u.name"),
            (std::vector<std::string>{
                "Anna Snelling|am|Central|Dustin Brinkmann",
                "Darcel Schlecht|am|Central|Melvin Marxen", "Moses Frase|am|East|Cara Losch",
                "Vicki Laflamme|am|West|Summer Sewald", "Zane Levy|am|West|Summer Sewald"}));
  EXPECT_EQ(
      Rows("SELECT role, password_hash, email FROM users WHERE id = " + std::to_string(cara.value)),
      std::vector<std::string>{"leader|$argon2id$kept|cara@x.example"});
  EXPECT_EQ(Rows("SELECT role FROM users WHERE name = 'Summer Sewald'"),
            std::vector<std::string>{"manager"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'users'"), 8);
  // Again: nothing changes.
  ImportSummary again = Import(teams);
  EXPECT_EQ(again.inserted + again.updated, 0);
  EXPECT_EQ(again.unchanged, 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 9);
  // The pipeline's owners are then these users, by name.
  ImportAccounts();
  ImportSummary deals = Import(Csv("opportunities", Fixture("sales_pipeline.csv"),
                                   ReadFile(Fixture("sales_pipeline.map.json"))));
  EXPECT_EQ(deals.inserted, 13);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities WHERE owner_id IS NULL"), 0);
}

TEST_P(ImportRowsTest, ExternalIdsKeyRowsAndLinksAndComeBackInTheExport) {
  std::string accounts = dir_.path() + "/accounts.csv";
  std::string contacts = dir_.path() + "/contacts.csv";
  WriteFile(accounts, "account_id,company\nA-1,Raven One\nA-2,Raven Two\n");
  WriteFile(contacts,
            "person_id,account_id,email\nP-1,A-1,ann@raven.example\nP-2,A-2,"
            "bo@raven.example\n");
  std::string account_map =
      R"({"source": "ravenstack", "columns": {"account_id": "external_id", "company": "name"}})";
  std::string contact_map = R"({"source": "ravenstack", "columns": {"person_id": "external_id",
      "account_id": "account.external_id", "email": "email"}})";
  EXPECT_EQ(Import(Csv("accounts", accounts, account_map)).inserted, 2);
  EXPECT_EQ(Import(Csv("contacts", contacts, contact_map)).inserted, 2);
  EXPECT_EQ(Rows("SELECT c.external_source, c.external_id, a.name FROM contacts c JOIN accounts "
                 "a ON a.id = c.account_id ORDER BY c.id"),
            (std::vector<std::string>{"ravenstack|P-1|Raven One", "ravenstack|P-2|Raven Two"}));
  // Twice: nothing changes, on either object.
  ImportSummary again = Import(Csv("accounts", accounts, account_map));
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(again.inserted + again.updated, 0);
  again = Import(Csv("contacts", contacts, contact_map));
  EXPECT_EQ(again.unchanged, 2);
  // An edited name updates the row its key names.
  WriteFile(accounts, "account_id,company\nA-1,Raven One Ltd\nA-2,Raven Two\n");
  EXPECT_EQ(Import(Csv("accounts", accounts, account_map)).updated, 1);
  // The export writes the key back, and importing the export changes nothing.
  std::string exported = dir_.path() + "/accounts.export.csv";
  ASSERT_TRUE(ExportToFile(*db_, "accounts", ExportFormat::kCsv, exported));
  std::string text = ReadFile(exported);
  EXPECT_NE(text.find("external_source,external_id"), std::string::npos) << text;
  EXPECT_NE(text.find("ravenstack,A-1"), std::string::npos) << text;
  ImportRequest back =
      Csv("accounts", exported, R"({"columns": {"external_id": "external_id", "name": "name"}})");
  back.source_name = "ravenstack";
  ImportSummary round = Import(back);
  EXPECT_EQ(round.unchanged, 2);
  EXPECT_EQ(round.inserted + round.updated, 0);

  // The same id from another system is another row.
  std::string other = R"({"source": "legacy", "columns": {"account_id": "external_id",
      "company": "name"}})";
  WriteFile(accounts, "account_id,company\nA-1,Legacy One\n");
  EXPECT_EQ(Import(Csv("accounts", accounts, other)).inserted, 1);
  // Without a source name, external_id is refused before any row.
  auto nameless = TryImport(Csv("accounts", accounts, R"({"columns": {"account_id":
      "external_id", "company": "name"}})"));
  ASSERT_FALSE(nameless);
  EXPECT_EQ(nameless.error().fields.at(0).field, "source");
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportRowsTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

// The command as a user runs it: the pipeline with --create-users, the teams file after it,
// and every metric computed over a book with open deals that have no close date.
TEST(ImportRowsCliTest, PipelineThenTeamsThroughTheCommandLine) {
  testing::TempDir dir;
  std::string db = "sqlite:" + dir.path() + "/book.db";
  auto run = [&](std::vector<std::string> args) {
    auto r = testing::RunOrchard(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.empty() ? boost::json::object() : boost::json::parse(r.out).as_object();
  };
  run({"import", "csv", "--db", db, "--object", "accounts", "--map", Fixture("accounts.map.json"),
       Fixture("accounts.csv")});
  auto deals = run({"import", "csv", "--db", db, "--object", "opportunities", "--map",
                    Fixture("sales_pipeline.map.json"), "--source-name", "maven", "--create-users",
                    Fixture("sales_pipeline.csv")});
  EXPECT_EQ(deals.at("inserted").as_int64(), 13);
  EXPECT_EQ(deals.at("created_users").as_array().size(), 5u);
  auto teams = run({"import", "csv", "--db", db, "--object", "users", "--map",
                    Fixture("sales_teams.map.json"), Fixture("sales_teams.csv")});
  EXPECT_EQ(teams.at("inserted").as_int64(), 4);  // the four managers; the agents were there
  EXPECT_EQ(teams.at("updated").as_int64(), 5);   // linked to them, with their offices
  auto score = testing::RunOrchard({"score", "--db", db, "--today", "2017-12-31"});
  EXPECT_EQ(score.exit_code, 0) << score.err;
}

}  // namespace
}  // namespace orchard::ingest
