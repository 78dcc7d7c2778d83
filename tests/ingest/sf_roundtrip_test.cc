// The Salesforce-format export round trip of what health and depth read (issue 21, item 5): a
// seeded, scored book written as Account, Contact, Opportunity, Contract, Task, Case and
// Orchard's custom objects, imported into an empty book on each backend, has the same
// multithreading depth, at-risk count, NRR and response SLA; a second import changes nothing;
// a Task naming an Account the book does not hold is one error naming the file, line and field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "domain/settings.h"
#include "engine/dashboards.h"
#include "engine/read_model.h"
#include "ingest/book_figures.h"
#include "ingest/salesforce_export.h"
#include "ingest/salesforce_signals.h"
#include "ingest/seed.h"
#include "ingest/sources.h"
#include "service/sentiment_backfill.h"
#include "store/migrate.h"
#include "store/pool.h"
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

constexpr const char* kSignalTables[] = {"activities", "tickets", "nps_responses", "usage_metrics",
                                         "health_overrides"};
// What the signals import writes, counted after each import.
constexpr const char* kCounted[] = {"activities",     "activity_contacts", "tickets",
                                    "nps_responses",  "usage_metrics",     "health_overrides",
                                    "text_sentiments"};

class SalesforceRoundTripTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(target_db_, GetParam(), false);
    const std::string url = "sqlite:" + dir_.path() + "/source.db";
    auto source = store::OpenDatabase(url);
    ASSERT_TRUE(source) << source.error().message;
    source_ = std::move(*source);
    ASSERT_TRUE(store::Migrate(*source_));
    SeedOptions options;
    options.accounts = 60;
    options.seed = 11;
    options.today = kToday;
    ASSERT_TRUE(SeedBook(*source_, options, nullptr));
    // The texts scored, as `orchard demo` and `orchard score` do after a seed.
    auto pool = store::ConnectionPool::Open(url, 1);
    ASSERT_TRUE(pool) << pool.error().message;
    auto scored = service::ScoreBookTexts(**pool, clock_);
    ASSERT_TRUE(scored) << scored.error().message;
    ASSERT_GT(scored->scored, 0);
    auto target = store::OpenDatabase(target_db_.url());
    ASSERT_TRUE(target) << target.error().message;
    target_ = std::move(*target);
    ASSERT_TRUE(store::Migrate(*target_));
  }

  // Every object the Salesforce export writes, into `folder` under its Salesforce name.
  std::string Export() {
    std::string folder = dir_.path() + "/salesforce";
    fs::create_directories(folder);
    for (ImportObject o : kImportObjects) {
      std::ofstream out(folder + "/" + std::string(SalesforceObjectName(o)) + ".csv",
                        std::ios::binary);
      auto rows = ExportSalesforce(*source_, o, out);
      EXPECT_TRUE(rows) << rows.error().message;
    }
    for (const char* table : kSignalTables) {
      std::ofstream out(folder + "/" + std::string(SalesforceSignalsObject(table)) + ".csv",
                        std::ios::binary);
      auto rows = ExportSalesforceSignals(*source_, table, out);
      EXPECT_TRUE(rows) << table << ": " << rows.error().message;
      EXPECT_GT(rows.value_or(0), 0) << table;
    }
    return folder;
  }

  Result<ImportSummary> Import(const std::string& folder) {
    ImportRequest request;
    request.source = "salesforce";
    request.path = folder;
    return RunImport(*target_, clock_, request, {});
  }

  std::map<std::string, int64_t> Counts(store::Database& db) {
    std::map<std::string, int64_t> counts;
    for (const char* t : kCounted) counts[t] = Count(db, std::string("SELECT COUNT(*) FROM ") + t);
    return counts;
  }

  testing::TempDir dir_;
  testing::TestDatabase target_db_;
  FixedClock clock_{*Timestamp::Parse("2026-12-07 09:00:00")};
  std::unique_ptr<store::Database> source_;
  std::unique_ptr<store::Database> target_;
};

TEST_P(SalesforceRoundTripTest, DepthAtRiskAndNrrAreTheSameInTheImportedBook) {
  const BookFigures was = FiguresOf(*source_, kToday);
  ASSERT_GT(was.depth, 0);
  ASSERT_GT(was.at_risk, 0);
  std::string folder = Export();
  EXPECT_THAT(ReadAll(folder + "/Task.csv"), HasSubstr("Orchard_Participants__c"));

  auto first = Import(folder);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->rejected, 0);
  EXPECT_EQ(FiguresOf(*target_, kToday), was);
  EXPECT_EQ(Counts(*target_), Counts(*source_));
  // Every row is on the change log (running servers read it) and the import is audited.
  EXPECT_EQ(Count(*target_, "SELECT COUNT(*) FROM change_log WHERE entity = 'activities'"),
            Count(*source_, "SELECT COUNT(*) FROM activities"));
  EXPECT_GE(Count(*target_, "SELECT COUNT(*) FROM audit_log WHERE entity = 'imports'"), 2);

  // A second import changes nothing: every row of the signal files is unchanged.
  auto counts = Counts(*target_);
  auto second = Import(folder);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(Counts(*target_), counts);
  EXPECT_EQ(FiguresOf(*target_, kToday), was);
}

// A big org's export comes in parts (Task.csv, Task_2.csv): the second part's rows for an
// account the first part brought are new rows too, not a re-import.
TEST_P(SalesforceRoundTripTest, AnObjectExportedInTwoFilesImportsBoth) {
  const BookFigures was = FiguresOf(*source_, kToday);
  std::string folder = Export();
  std::string all = ReadAll(folder + "/Task.csv");
  std::istringstream lines(all);
  std::string header, line, first, second;
  std::getline(lines, header);
  for (int n = 0; std::getline(lines, line); ++n) (n % 2 ? second : first) += line + "\n";
  std::ofstream(folder + "/Task.csv", std::ios::binary | std::ios::trunc) << header << "\n"
                                                                          << first;
  std::ofstream(folder + "/Task_2.csv", std::ios::binary) << header << "\n" << second;
  auto imported = Import(folder);
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(Counts(*target_), Counts(*source_));
  EXPECT_EQ(FiguresOf(*target_, kToday), was);
}

TEST_P(SalesforceRoundTripTest, ATaskForAnAccountTheBookDoesNotHoldIsNamedAndNothingWritten) {
  std::string folder = Export();
  {
    std::ofstream task(folder + "/Task.csv", std::ios::app | std::ios::binary);
    task << "orchard-999999,001NOSUCHACCOUNT,,2026-11-30,Call,,Call,,call,true,"
            "2026-11-30T10:00:00.000Z,\n";
  }
  auto imported = Import(folder);
  ASSERT_FALSE(imported);
  EXPECT_THAT(imported.error().message, HasSubstr("Task.csv line"));
  EXPECT_THAT(imported.error().message, HasSubstr("WhatId"));
  EXPECT_THAT(imported.error().message, HasSubstr("001NOSUCHACCOUNT"));
  for (const char* t : kCounted) {
    EXPECT_EQ(Count(*target_, std::string("SELECT COUNT(*) FROM ") + t), 0) << t;
  }
}

// The command a user runs: `orchard export --format salesforce --object activities` writes Task.
TEST(SalesforceSignalsCliTest, ExportsActivitiesAsTasks) {
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/book.db";
  auto seeded = testing::RunOrchard(
      {"seed", "--db", db, "--accounts", "5", "--seed", "3", "--today", "2026-12-07"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  const std::string out = dir.path() + "/Task.csv";
  auto exported = testing::RunOrchard(
      {"export", "--format", "salesforce", "--object", "activities", "--out", out, "--db", db});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.err, HasSubstr("as Salesforce Task rows"));
  EXPECT_THAT(ReadAll(out), HasSubstr("Id,WhatId,WhoId,ActivityDate"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SalesforceRoundTripTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
