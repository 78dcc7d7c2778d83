// Round trips of a whole book (issue 21, item 5). Orchard's own export: a seeded book written by
// `orchard export --format orchard` and imported into an empty book on each backend comes back
// table by table, field by field, with the same depth, at-risk count and NRR; a book with rows is
// refused, and a bad file leaves the book empty. The Salesforce export: contacts' stance, buying
// role, influence and status and accounts' lifecycle stage and strategic flag survive it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "domain/settings.h"
#include "engine/dashboards.h"
#include "engine/read_model.h"
#include "ingest/book_export.h"
#include "ingest/book_figures.h"
#include "ingest/export.h"
#include "ingest/salesforce_export.h"
#include "ingest/seed.h"
#include "ingest/sources.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

namespace fs = std::filesystem;
using testing::BookFigures;
using testing::Count;
using testing::FiguresOf;
using ::testing::HasSubstr;
using testing::ReadAll;

const Date kToday = *Date::FromYmd(2026, 12, 7);

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class BookRoundTripTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(target_db_, GetParam(), false);
    auto source = store::OpenDatabase("sqlite:" + dir_.path() + "/source.db");
    ASSERT_TRUE(source) << source.error().message;
    source_ = std::move(*source);
    ASSERT_TRUE(store::Migrate(*source_));
    SeedOptions options;
    options.accounts = 60;
    options.seed = 7;
    options.today = kToday;
    auto seeded = SeedBook(*source_, options, nullptr);
    ASSERT_TRUE(seeded) << seeded.error().message;
    // What a seeded book may not hold: self links that point forward (to a later row), an
    // ownership history, a scored text, a password hash that must stay home.
    for (const char* sql :
         {"UPDATE users SET manager_id = (SELECT MAX(id) FROM users) WHERE id = 1",
          "UPDATE accounts SET parent_id = (SELECT MAX(id) FROM accounts) WHERE id = 1",
          "UPDATE contacts SET reports_to_id = (SELECT MAX(id) FROM contacts) WHERE id = 1",
          "UPDATE users SET password_hash = 'SECRET-HASH'",
          "INSERT INTO account_owners (account_id, owner_id, since) VALUES (2, NULL, NULL)",
          "INSERT INTO account_owners (account_id, owner_id, since) VALUES (2, 1, '2026-03-01')",
          "INSERT INTO text_sentiments (source, source_id, account_id, label, score_milli, "
          "phrases, occurred_on, scored_at, model) VALUES ('activity', 1, 2, 'negative', -640, "
          "'[]', '2026-11-30', '2026-12-01 08:00:00', 'test')",
          // The automation's: a rule with two versions, a firing with a failed action, an
          // unread notification, an observation and an opt-out.
          "INSERT INTO rules (name, description, status, enabled, version, definition, "
          "paused_reason, paused_on, builtin_key, created_at, updated_at, updated_by) VALUES "
          "('Renewal in 90 days', '', 'active', TRUE, 2, '{\"trigger\":{}}', NULL, NULL, "
          "'renewal_90', '2026-11-01 09:00:00', '2026-11-02 09:00:00', 1)",
          "INSERT INTO rule_versions VALUES (1, 1, 'Renewal', 'draft', '{}', "
          "'2026-11-01 09:00:00', 1), (1, 2, 'Renewal in 90 days', 'active', "
          "'{\"trigger\":{}}', '2026-11-02 09:00:00', NULL)",
          "INSERT INTO rule_firings (rule_id, rule_version, account_id, anchor, day, fired_at, "
          "facts, status) VALUES (1, 2, 3, 'renewal:2027-03-01', '2026-12-01', "
          "'2026-12-01 06:00:00', '{}', 'done')",
          "INSERT INTO rule_actions VALUES (1, 0, 'email', 'failed', 3, '2026-12-08 06:00:00', "
          "'SMTP refused', '')",
          "INSERT INTO notifications (user_id, account_id, firing_id, dedupe_key, title, body, "
          "link, created_at, read_at) VALUES (2, 3, 1, 'renewal:3', 'Renewal in 90 days', '', "
          "'/accounts/3', '2026-12-01 06:00:00', NULL)",
          "INSERT INTO rule_observations VALUES (3, 2, 55, 71, '2026-10-01')",
          "INSERT INTO email_opt_outs VALUES ('someone@example.com', '2026-11-20 10:00:00')"}) {
      auto done = source_->Exec(sql, {});
      ASSERT_TRUE(done) << sql << ": " << done.error().message;
    }
    auto target = store::OpenDatabase(target_db_.url());
    ASSERT_TRUE(target) << target.error().message;
    target_ = std::move(*target);
    ASSERT_TRUE(store::Migrate(*target_));
  }

  std::string Export(store::Database& db, const std::string& name) {
    std::string dir = dir_.path() + "/" + name;
    auto written = ExportBook(db, clock_, dir);
    EXPECT_TRUE(written) << written.error().message;
    return dir;
  }

  // Every table of the book empty.
  void ExpectEmpty(store::Database& db) {
    for (const auto& table : BookTables()) {
      EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM " + table), 0) << table;
    }
  }

  testing::TempDir dir_;
  testing::TestDatabase target_db_;
  FixedClock clock_{*Timestamp::Parse("2026-12-07 09:00:00")};
  std::unique_ptr<store::Database> source_;
  std::unique_ptr<store::Database> target_;
};

TEST_P(BookRoundTripTest, TheImportedBookEqualsTheExportedOneTableByTable) {
  std::string first = Export(*source_, "first");
  auto manifest = boost::json::parse(ReadAll(first + "/manifest.json")).as_object();
  EXPECT_EQ(manifest.at("format").as_string(), "orchard-book");
  EXPECT_EQ(manifest.at("format_version").as_int64(), 1);
  EXPECT_EQ(manifest.at("schema_version").as_int64(), store::LatestSchemaVersion());
  EXPECT_TRUE(manifest.at("left_out").as_object().contains("sessions"));
  EXPECT_THAT(ReadAll(first + "/users.jsonl"), Not(HasSubstr("SECRET-HASH")));
  EXPECT_THAT(ReadAll(first + "/users.jsonl"), Not(HasSubstr("password_hash")));

  auto imported = ImportBook(*target_, clock_, first, std::nullopt);
  ASSERT_TRUE(imported) << imported.error().message;

  // Out again from the new book: every table the same bytes (every row, every field, every id
  // and so every link), but the audit log, which has one entry more: the import's own.
  std::string second = Export(*target_, "second");
  int64_t rows = 0;
  for (const auto& table : BookTables()) {
    const std::string file = "/" + table + ".jsonl";
    auto before = Lines(ReadAll(first + file));
    auto after = Lines(ReadAll(second + file));
    EXPECT_EQ(Count(*source_, "SELECT COUNT(*) FROM " + table), static_cast<int64_t>(before.size()))
        << table;
    rows += static_cast<int64_t>(before.size());
    if (table == "audit_log") {
      ASSERT_EQ(after.size(), before.size() + 1);
      EXPECT_THAT(after.back(), HasSubstr("\"entity\":\"imports\""));
      after.pop_back();
    }
    EXPECT_EQ(after, before) << table << " differs after the round trip";
  }
  EXPECT_EQ(imported->rows, rows);
  EXPECT_GT(Count(*target_, "SELECT COUNT(*) FROM activities"), 1000);
  for (const char* table :
       {"rules", "rule_versions", "rule_firings", "rule_actions", "notifications",
        "rule_observations", "email_opt_outs", "account_owners", "text_sentiments"}) {
    EXPECT_GT(Count(*target_, std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }
  EXPECT_EQ(Count(*target_, "SELECT COUNT(*) FROM users WHERE password_hash <> ''"), 0);
  EXPECT_EQ(Count(*target_, "SELECT reports_to_id FROM contacts WHERE id = 1"),
            Count(*source_, "SELECT MAX(id) FROM contacts"));

  // The figures people read: multithreading depth, the at-risk count, NRR, ARR.
  BookFigures was = FiguresOf(*source_, kToday);
  BookFigures is = FiguresOf(*target_, kToday);
  EXPECT_GT(was.depth, 0);
  EXPECT_GT(was.at_risk, 0);
  ASSERT_TRUE(was.nrr_bp);
  EXPECT_DOUBLE_EQ(is.depth, was.depth);
  EXPECT_EQ(is.at_risk, was.at_risk);
  EXPECT_EQ(is.nrr_bp, was.nrr_bp);
  EXPECT_EQ(is.arr_cents, was.arr_cents);

  // New rows take new ids after the imported ones, on both backends.
  Account fresh;
  fresh.name = "After the import";
  auto saved = store::Store(*target_).Insert(fresh);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_GT(saved->id.value, Count(*source_, "SELECT MAX(id) FROM accounts"));
}

// A table a later migration adds is in the export or in its list of what it leaves out, with a
// reason: this fails until it is one or the other.
TEST_P(BookRoundTripTest, EveryTableIsExportedOrLeftOutWithAReason) {
  std::string first = Export(*source_, "first");
  auto manifest = boost::json::parse(ReadAll(first + "/manifest.json")).as_object();
  const auto& left_out = manifest.at("left_out").as_object();
  std::set<std::string> listed;
  for (const auto& t : manifest.at("tables").as_array()) {
    listed.insert(std::string(t.at("name").as_string()));
  }
  EXPECT_EQ(listed.size(), BookTables().size());
  for (auto table : ExportableObjects()) {  // what `orchard export --object` writes, one by one
    EXPECT_TRUE(listed.contains(std::string(table))) << table;
  }
  std::vector<std::string> tables;
  ASSERT_TRUE(source_->Query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", {},
      [&](const store::Row& row) -> Status {
        tables.emplace_back(row.GetText(0));
        return Ok();
      }));
  ASSERT_GT(tables.size(), 30u);
  for (const auto& table : tables) {
    EXPECT_TRUE(listed.contains(table) || left_out.contains(table))
        << table << " is neither in the book export nor in its left_out list";
    EXPECT_FALSE(listed.contains(table) && left_out.contains(table)) << table;
  }
}

TEST_P(BookRoundTripTest, ABookWithRowsIsRefusedAndLeftAsItWas) {
  std::string first = Export(*source_, "first");
  ASSERT_TRUE(target_->Exec(
      "INSERT INTO products (sku, list_price_cents, active) VALUES ('X-1', 0, TRUE)", {}));
  auto refused = ImportBook(*target_, clock_, first, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("not empty"));
  EXPECT_THAT(refused.error().message, HasSubstr("products"));
  EXPECT_EQ(Count(*target_, "SELECT COUNT(*) FROM products"), 1);
  EXPECT_EQ(Count(*target_, "SELECT COUNT(*) FROM accounts"), 0);
  EXPECT_EQ(Count(*target_, "SELECT COUNT(*) FROM audit_log"), 0);
}

TEST_P(BookRoundTripTest, ABadValueOrAShortFileLeavesTheBookEmpty) {
  std::string first = Export(*source_, "first");
  // A stance no Orchard knows, on the last contact: every table before it was written already.
  const std::string contacts = first + "/contacts.jsonl";
  std::string text = ReadAll(contacts);
  size_t last = text.rfind("\"stance\":\"");
  ASSERT_NE(last, std::string::npos);
  size_t end = text.find('"', last + 10);
  text.replace(last + 10, end - (last + 10), "lukewarm");
  { std::ofstream(contacts, std::ios::binary | std::ios::trunc) << text; }
  auto bad = ImportBook(*target_, clock_, first, std::nullopt);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("contacts.jsonl line "));
  EXPECT_THAT(bad.error().message, HasSubstr("stance"));
  EXPECT_THAT(bad.error().message, HasSubstr("lukewarm"));
  ExpectEmpty(*target_);

  // A file cut short: the manifest's count says so.
  std::string second = Export(*source_, "second");
  auto lines = Lines(ReadAll(second + "/tickets.jsonl"));
  ASSERT_GT(lines.size(), 2u);
  {
    std::ofstream out(second + "/tickets.jsonl", std::ios::binary | std::ios::trunc);
    for (size_t i = 0; i + 1 < lines.size(); ++i) out << lines[i] << '\n';
  }
  auto short_file = ImportBook(*target_, clock_, second, std::nullopt);
  ASSERT_FALSE(short_file);
  EXPECT_THAT(short_file.error().message, HasSubstr("tickets.jsonl holds"));
  EXPECT_THAT(short_file.error().message, HasSubstr("incomplete"));
  ExpectEmpty(*target_);

  // A link to a row that is not there: the database's check, named by file.
  std::string dangling = Export(*source_, "dangling");
  std::string opportunities = ReadAll(dangling + "/opportunities.jsonl");
  size_t account = opportunities.rfind("\"account_id\":");
  ASSERT_NE(account, std::string::npos);
  opportunities.insert(account + 13, "99999");
  { std::ofstream(dangling + "/opportunities.jsonl", std::ios::binary) << opportunities; }
  auto broken = ImportBook(*target_, clock_, dangling, std::nullopt);
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("opportunities.jsonl"));
  ExpectEmpty(*target_);

  // A column this Orchard does not have: an export from a newer one.
  std::string third = Export(*source_, "third");
  std::string users = ReadAll(third + "/users.jsonl");
  users.replace(users.find("\"email\""), 7, "\"e_mail\"");
  { std::ofstream(third + "/users.jsonl", std::ios::binary | std::ios::trunc) << users; }
  auto unknown = ImportBook(*target_, clock_, third, std::nullopt);
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("users.jsonl line 1: e_mail"));
  ExpectEmpty(*target_);
}

TEST_P(BookRoundTripTest, AnExportGoesIntoANewFolderOnly) {
  std::string taken = dir_.path() + "/taken";
  fs::create_directories(taken);
  { std::ofstream(taken + "/notes.txt") << "mine\n"; }
  auto refused = ExportBook(*source_, clock_, taken);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("--out"));
  EXPECT_EQ(ReadAll(taken + "/notes.txt"), "mine\n");
  EXPECT_FALSE(fs::exists(taken + ".partial"));
  auto not_an_export = ImportBook(*target_, clock_, taken, std::nullopt);
  ASSERT_FALSE(not_an_export);
  EXPECT_THAT(not_an_export.error().message, HasSubstr("manifest.json"));
}

// The Salesforce-format export of the same book, imported into an empty one (with the same
// people): every contact keeps its stance, buying role, influence and status, every account its
// lifecycle stage, strategic flag, tier override and growth potential — what the relationship
// map and the dashboards read. (Depth and health need activities, tickets, NPS and usage: the
// Salesforce export writes those as Task, Case and Orchard's custom objects, sf_roundtrip_test.)
TEST_P(BookRoundTripTest, TheSalesforceExportCarriesOrchardsOwnFields) {
  std::string folder = dir_.path() + "/salesforce";
  fs::create_directories(folder);
  for (ImportObject o : kImportObjects) {
    std::ofstream out(folder + "/" + std::string(SalesforceObjectName(o)) + ".csv",
                      std::ios::binary);
    auto rows = ExportSalesforce(*source_, o, out);
    ASSERT_TRUE(rows) << rows.error().message;
  }
  EXPECT_THAT(ReadAll(folder + "/Contact.csv"), HasSubstr("Orchard_Stance__c"));
  EXPECT_THAT(ReadAll(folder + "/Account.csv"), HasSubstr("Orchard_Lifecycle_Stage__c"));
  store::Store target(*target_);
  ASSERT_TRUE(source_->Query("SELECT email, name, role FROM users ORDER BY id", {},
                             [&](const store::Row& r) -> Status {
                               User u;
                               u.email = r.GetText(0);
                               u.name = r.GetText(1);
                               ORCHARD_TRY(u.role, ParseEnum<Role>(r.GetText(2)));
                               ORCHARD_CHECK(target.Insert(u));
                               return Ok();
                             }));
  ImportRequest request;
  request.source = "salesforce";
  request.path = folder;
  auto imported = RunImport(*target_, clock_, request, {});
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(imported->rejected, 0);

  auto contacts = [](store::Database& db) {
    std::map<std::string, std::string> by_email;
    EXPECT_TRUE(db.Query(
        "SELECT email, COALESCE(buying_role, '-'), stance, influence, status FROM contacts", {},
        [&](const store::Row& r) -> Status {
          by_email[std::string(r.GetText(0))] =
              std::string(r.GetText(1)) + "/" + std::string(r.GetText(2)) + "/" +
              std::string(r.GetText(3)) + "/" + std::string(r.GetText(4));
          return Ok();
        }));
    return by_email;
  };
  auto accounts = [](store::Database& db) {
    std::map<std::string, std::string> by_name;
    EXPECT_TRUE(db.Query(
        "SELECT name, lifecycle_stage, strategic, COALESCE(tier_override, '-'), "
        "COALESCE(tier_override_reason, '-'), COALESCE(growth_potential, '-') FROM accounts",
        {}, [&](const store::Row& r) -> Status {
          ORCHARD_TRY(bool strategic, r.GetBool(2));
          by_name[std::string(r.GetText(0))] =
              std::string(r.GetText(1)) + (strategic ? "/strategic/" : "/") +
              std::string(r.GetText(3)) + "/" + std::string(r.GetText(4)) + "/" +
              std::string(r.GetText(5));
          return Ok();
        }));
    return by_name;
  };
  auto was = contacts(*source_);
  EXPECT_GT(was.size(), 100u);
  EXPECT_EQ(contacts(*target_), was);
  EXPECT_EQ(accounts(*target_), accounts(*source_));
  EXPECT_GT(Count(*source_, "SELECT COUNT(*) FROM accounts WHERE tier_override IS NOT NULL"), 0);
  EXPECT_GT(Count(*source_, "SELECT COUNT(*) FROM accounts WHERE growth_potential IS NOT NULL"), 0);
  // The map's parts, counted: champions and economic buyers as the source has them.
  const std::string champions =
      "SELECT COUNT(*) FROM contacts WHERE stance = 'champion' AND status = 'active'";
  EXPECT_GT(Count(*source_, champions), 0);
  EXPECT_EQ(Count(*target_, champions), Count(*source_, champions));
}

// The commands as a user runs them: a whole book out and into a new SQLite file, the figures
// the KPI report prints the same, and the mistakes a user makes named.
TEST(BookRoundTripCliTest, ExportAndImportFromTheCommandLine) {
  testing::TempDir dir;
  const std::string from = "sqlite:" + dir.path() + "/from.db";
  const std::string to = "sqlite:" + dir.path() + "/to.db";
  const std::string out = dir.path() + "/book";
  auto seeded = testing::RunOrchard(
      {"seed", "--db", from, "--accounts", "40", "--seed", "3", "--today", "2026-12-07"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  auto exported =
      testing::RunOrchard({"export", "--format", "orchard", "--out", out, "--db", from});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.err, HasSubstr("Exported"));
  EXPECT_TRUE(fs::exists(out + "/manifest.json"));

  auto imported = testing::RunOrchard({"import", "orchard", out, "--db", to});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("accounts: 40 rows"));
  EXPECT_THAT(imported.out, HasSubstr("orchard user add"));
  auto kpis = [&](const std::string& db) {
    auto r = testing::RunOrchard(
        {"report", "kpis", "--db", db, "--today", "2026-12-07", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return boost::json::parse(r.out).at("kpis");
  };
  EXPECT_EQ(kpis(to), kpis(from));

  auto again = testing::RunOrchard({"import", "orchard", out, "--db", to});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("not empty"));
  auto taken = testing::RunOrchard({"export", "--format", "orchard", "--out", out, "--db", from});
  EXPECT_EQ(taken.exit_code, 2);
  EXPECT_THAT(taken.err, HasSubstr("--out"));
  auto no_out = testing::RunOrchard({"export", "--format", "orchard", "--db", from});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_THAT(no_out.err, HasSubstr("--out"));
  auto no_object = testing::RunOrchard({"export", "--format", "csv", "--db", from});
  EXPECT_EQ(no_object.exit_code, 2);
  EXPECT_THAT(no_object.err, HasSubstr("--object"));
  auto help = testing::RunOrchard({"import", "--help"});
  EXPECT_THAT(help.out, HasSubstr("orchard"));
}

INSTANTIATE_TEST_SUITE_P(Backends, BookRoundTripTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
