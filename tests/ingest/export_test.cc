// `orchard export` on a seeded book: every table comes out in schema order with the row count
// the database holds, CSV reads back through the project's own reader to the same values, JSON
// parses with the right types, secrets stay in, and a failed export to a file leaves no file.
#include "ingest/export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "domain/schema.h"
#include "ingest/csv.h"
#include "ingest/seed.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kAwkwardName = "Acme, \"Best\" Widgets\nand Co.";

class ExportTest : public ::testing::Test {
 public:  // the table helpers below call Run and Count
  void SetUp() override {
    auto db = store::OpenDatabase("sqlite::memory:");
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_));
    SeedOptions opt;
    opt.accounts = 25;
    opt.seed = 3;
    opt.today = *Date::Parse("2026-06-15");
    auto seeded = SeedBook(*db_, opt, nullptr);
    ASSERT_TRUE(seeded) << seeded.error().message;
    // A name that needs every CSV rule, an empty text and a NULL, a hash that must not leave.
    store::SqlValue name[] = {kAwkwardName};
    ASSERT_TRUE(
        db_->Exec("UPDATE accounts SET name = ?, region = '', salesforce_id = NULL "
                  "WHERE id = 2",
                  name));
    ASSERT_TRUE(db_->Exec("UPDATE users SET password_hash = 'SECRET-HASH'", {}));
  }

  std::string Run(std::string_view object, ExportFormat format) {
    std::string out;
    auto r = Export(*db_, object, format, [&](std::string_view chunk) -> Status {
      out += chunk;
      return Ok();
    });
    EXPECT_TRUE(r) << object << ": " << r.error().message;
    if (r) {
      EXPECT_EQ(r->bytes, static_cast<int64_t>(out.size()));
      EXPECT_EQ(r->rows, Count(object));
    }
    return out;
  }

  int64_t Count(std::string_view table) {
    auto n = db_->QueryInt("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(n) << n.error().message;
    return n ? n->value_or(-1) : -1;
  }

  std::unique_ptr<store::Database> db_;
};

std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::istringstream in(text);
  CsvOptions options;
  options.delimiter = ',';
  CsvReader reader(in, options);
  std::vector<std::vector<std::string>> records;
  CsvRecord record;
  CsvProblem problem;
  for (;;) {
    auto s = reader.Next(&record, &problem);
    EXPECT_TRUE(s);
    if (!s || *s == CsvReader::Status::kEnd) break;
    EXPECT_EQ(*s, CsvReader::Status::kRecord) << problem.line << ": " << problem.reason;
    if (*s == CsvReader::Status::kRecord) records.push_back(record.fields);
  }
  return records;
}

template <class T>
std::vector<std::string> SchemaColumns() {
  std::vector<std::string> names;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name != "password_hash") names.emplace_back(col.name);
  });
  return names;
}

// Every exportable table, in both formats: the schema's columns in order, every row once.
template <class T>
void ExpectWholeTable(ExportTest& test, std::vector<std::string>& seen) {
  const std::string table(EntitySchema<T>::kTable);
  seen.push_back(table);
  auto records = ReadCsv(test.Run(table, ExportFormat::kCsv));
  ASSERT_FALSE(records.empty()) << table << ": no header";
  EXPECT_EQ(records.front(), SchemaColumns<T>()) << table;
  EXPECT_EQ(static_cast<int64_t>(records.size()) - 1, test.Count(table)) << table;

  auto json = boost::json::parse(test.Run(table, ExportFormat::kJson));
  ASSERT_TRUE(json.is_array()) << table;
  EXPECT_EQ(static_cast<int64_t>(json.as_array().size()), test.Count(table)) << table;
  for (const auto& row : json.as_array()) {
    ASSERT_TRUE(row.is_object());
    std::vector<std::string> keys;
    for (const auto& [k, v] : row.as_object()) keys.emplace_back(k);
    ASSERT_EQ(keys, SchemaColumns<T>()) << table;
  }
}

template <class... T>
std::vector<std::string> ExpectWholeTables(ExportTest& test) {
  std::vector<std::string> seen;
  (ExpectWholeTable<T>(test, seen), ...);
  return seen;
}

TEST_F(ExportTest, EveryTableInSchemaOrderWithEveryRow) {
  auto seen = ExpectWholeTables<User, Account, Division, Product, ContractLine, Contact,
                                Opportunity, Activity, ActivityContact, Ticket, NpsResponse,
                                UsageMetric, EngagementSignal, Transcript, AccountPlan,
                                PlanPriority, PlanRisk, WhitespaceCell, PlanAction, PlanVersion,
                                Review, Task, Handoff, HealthOverride, AuditEntry, Setting>(*this);
  std::vector<std::string> listed(ExportableObjects().begin(), ExportableObjects().end());
  EXPECT_EQ(listed, seen);
  EXPECT_GT(Count("accounts"), 0);
  EXPECT_GT(Count("activities"), 0);
}

TEST_F(ExportTest, EveryTableIsExportedRefusedOrBookkeeping) {
  std::vector<std::string> tables;
  ASSERT_TRUE(
      db_->Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                 {}, [&](const store::Row& row) -> Status {
                   tables.emplace_back(row.GetText(0));
                   return Ok();
                 }));
  const std::set<std::string> bookkeeping = {
      "schema_migrations", "change_log", "account_owners", "id_reservations", "outbox_messages",
      "delivery_attempts",
      // automation's, read through /api/v1/rules and
      // /api/v1/inbox
      "rules", "rule_versions", "rule_firings", "rule_actions", "rule_observations",
      "notifications", "email_opt_outs",
      // derived: each text's sentiment, rebuilt by `orchard score`
      "text_sentiments",
      // derived: the churn and upsell models, rebuilt by `orchard model train`
      "predictive_models"};
  for (const auto& t : tables) {
    if (bookkeeping.contains(t)) continue;
    auto s = CheckExportable(t);
    if (!s) {
      EXPECT_THAT(s.error().message, HasSubstr("credential")) << t;
    }
  }
}

TEST_F(ExportTest, AwkwardTextRoundTripsThroughTheCsvReader) {
  auto records = ReadCsv(Run("accounts", ExportFormat::kCsv));
  const auto& header = records.front();
  auto col = [&](std::string_view name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::vector<std::string>* row = nullptr;
  for (const auto& r : records) {
    if (r[col("id")] == "2") row = &r;
  }
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[col("name")], kAwkwardName);
  EXPECT_EQ((*row)[col("region")], "");
  EXPECT_EQ((*row)[col("salesforce_id")], "");
  EXPECT_THAT((*row)[col("strategic")], ::testing::AnyOf("true", "false"));
  EXPECT_THAT((*row)[col("created_at")], ::testing::MatchesRegex("....-..-..T..:..:..Z"));

  // On the wire: the awkward name quoted with inner quotes doubled, the empty text as "" and the
  // NULL as nothing, so the two stay apart; CRLF ends every record.
  auto text = Run("accounts", ExportFormat::kCsv);
  EXPECT_THAT(text, HasSubstr("\"Acme, \"\"Best\"\" Widgets\nand Co.\""));
  EXPECT_THAT(text, HasSubstr(",\"\","));
  EXPECT_THAT(text.substr(0, text.find('\n') + 1), ::testing::EndsWith("\r\n"));
}

TEST_F(ExportTest, JsonHasTypedValues) {
  auto json = boost::json::parse(Run("accounts", ExportFormat::kJson)).as_array();
  const boost::json::object* row = nullptr;
  for (const auto& r : json) {
    if (r.as_object().at("id").as_int64() == 2) row = &r.as_object();
  }
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->at("name").as_string(), kAwkwardName);
  EXPECT_TRUE(row->at("salesforce_id").is_null());
  EXPECT_EQ(row->at("region").as_string(), "");
  EXPECT_TRUE(row->at("strategic").is_bool());
  EXPECT_TRUE(row->at("employees").is_int64());
  EXPECT_TRUE(row->at("version").is_int64());
  EXPECT_TRUE(row->at("created_at").is_string());

  auto lines = Run("accounts", ExportFormat::kJsonLines);
  std::istringstream in(lines);
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) {
    EXPECT_TRUE(boost::json::parse(line).is_object()) << line;
    ++n;
  }
  EXPECT_EQ(n, Count("accounts"));
}

TEST_F(ExportTest, UsersLeaveWithoutTheirPasswordHashes) {
  for (auto format : {ExportFormat::kCsv, ExportFormat::kJson, ExportFormat::kJsonLines}) {
    auto text = Run("users", format);
    EXPECT_THAT(text, Not(HasSubstr("password_hash")));
    EXPECT_THAT(text, Not(HasSubstr("SECRET-HASH")));
    EXPECT_THAT(text, HasSubstr("email"));
  }
}

TEST_F(ExportTest, CredentialsAreRefusedAndUnknownNamesListTheValidOnes) {
  for (const char* t : {"sessions", "api_tokens"}) {
    auto r = Export(*db_, t, ExportFormat::kCsv, [](std::string_view) { return Ok(); });
    ASSERT_FALSE(r) << t;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message, HasSubstr("credential"));
  }
  auto r = Export(*db_, "acounts", ExportFormat::kCsv, [](std::string_view) { return Ok(); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("\"acounts\""));
  EXPECT_THAT(r.error().message, HasSubstr("accounts, divisions"));
  EXPECT_THAT(r.error().message, HasSubstr("settings"));
  EXPECT_FALSE(ParseExportFormat("xml"));
  EXPECT_EQ(*ParseExportFormat("jsonl"), ExportFormat::kJsonLines);
}

TEST_F(ExportTest, AnEmptyTableIsAHeaderOrAnEmptyArray) {
  ASSERT_TRUE(db_->Exec("DELETE FROM health_overrides", {}));
  EXPECT_EQ(ReadCsv(Run("health_overrides", ExportFormat::kCsv)).size(), 1u);
  EXPECT_TRUE(boost::json::parse(Run("health_overrides", ExportFormat::kJson)).as_array().empty());
  EXPECT_EQ(Run("health_overrides", ExportFormat::kJsonLines), "");
}

TEST_F(ExportTest, ASinkErrorStopsTheExport) {
  int calls = 0;
  auto r = Export(*db_, "activities", ExportFormat::kJson, [&](std::string_view) -> Status {
    ++calls;
    return Fail(ErrorCode::kUnavailable, "disk full");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "disk full");
  EXPECT_EQ(calls, 1);
}

TEST_F(ExportTest, AFailureHalfwayLeavesNoFileAndTheOldOneAlone) {
  // A row the codec cannot read, at the end of a table large enough (doubled until it passes
  // a few chunks) to have been flushed to the file before the failure.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(db_->Exec(
        "INSERT INTO activities (account_id, kind, meaningful, occurred_at, user_id, subject, "
        "body) SELECT account_id, kind, meaningful, occurred_at, user_id, subject, body FROM "
        "activities",
        {}));
  }
  ASSERT_TRUE(
      db_->Exec("UPDATE activities SET occurred_at = 'not a time' WHERE id = (SELECT MAX(id) FROM "
                "activities)",
                {}));
  int64_t written = 0;
  auto partial = Export(*db_, "activities", ExportFormat::kCsv, [&](std::string_view chunk) {
    written += static_cast<int64_t>(chunk.size());
    return Ok();
  });
  ASSERT_FALSE(partial);
  EXPECT_THAT(partial.error().message, HasSubstr("activities.occurred_at"));
  ASSERT_GT(written, 128 << 10) << "the failure must come after some output, or this tests nothing";

  testing::TempDir dir;
  std::string path = dir.path() + "/activities.csv";
  auto r = ExportToFile(*db_, "activities", ExportFormat::kCsv, path);
  ASSERT_FALSE(r);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  { std::ofstream(path) << "yesterday's export\n"; }
  r = ExportToFile(*db_, "activities", ExportFormat::kCsv, path);
  ASSERT_FALSE(r);
  std::ifstream in(path);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "yesterday's export\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  auto ok = ExportToFile(*db_, "accounts", ExportFormat::kJson, dir.path() + "/accounts.json");
  ASSERT_TRUE(ok) << ok.error().message;
  std::ifstream json_in(dir.path() + "/accounts.json");
  std::string json((std::istreambuf_iterator<char>(json_in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(static_cast<int64_t>(boost::json::parse(json).as_array().size()), Count("accounts"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/accounts.json.tmp"));
}

// The same book on SQLite and PostgreSQL exports to the same bytes, table by table: booleans,
// instants, NULLs and the order come out alike whichever backend holds them.
class ExportBackendTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override { ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), false); }
  testing::TestDatabase test_db_;
};

std::unique_ptr<store::Database> SeededBook(const std::string& url) {
  auto db = store::OpenDatabase(url);
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return nullptr;
  EXPECT_TRUE(store::Migrate(**db));
  SeedOptions opt;
  opt.accounts = 12;
  opt.seed = 5;
  opt.today = *Date::Parse("2026-06-15");
  auto seeded = SeedBook(**db, opt, nullptr);
  EXPECT_TRUE(seeded) << seeded.error().message;
  return std::move(*db);
}

std::string ExportText(store::Database& db, std::string_view object, ExportFormat format) {
  std::string out;
  auto r = Export(db, object, format, [&](std::string_view chunk) -> Status {
    out += chunk;
    return Ok();
  });
  EXPECT_TRUE(r) << object << ": " << r.error().message;
  return out;
}

TEST_P(ExportBackendTest, TheSameBookExportsToTheSameBytes) {
  auto reference = SeededBook("sqlite::memory:");
  auto db = SeededBook(test_db_.url());
  ASSERT_TRUE(reference && db);
  for (auto object : ExportableObjects()) {
    for (auto format : {ExportFormat::kCsv, ExportFormat::kJson}) {
      EXPECT_EQ(ExportText(*db, object, format), ExportText(*reference, object, format))
          << object << " differs on " << db->description();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportBackendTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
