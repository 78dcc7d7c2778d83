// ImportJobs, the background imports behind /api/v1/imports, on real databases (SQLite in a file,
// so a job's own connection sees it, and PostgreSQL): who may import, a request refused before
// it runs, a job followed to its end with its rejected rows, an upload's name kept to its last
// part, and the oldest finished jobs forgotten past kKept. The routes' JSON and statuses are
// tests/integration/import_test.cc's ImportApiTest.
#include "ingest/import_jobs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/migrate.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using testing::Backend;

constexpr char kAccounts[] =
    "Company,Employees\n"
    "Acme,12\n"
    "Globex,many\n"
    "Initech,40\n";

ImportUpload Upload(std::string file_name, std::string content = kAccounts) {
  ImportUpload u;
  u.request.source = "csv";
  u.request.object = "accounts";
  u.request.map_json = R"({"columns": {"Company": "name", "Employees": "employees"}})";
  u.file_name = std::move(file_name);
  u.content = std::move(content);
  return u;
}

class ImportJobsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), true);
    auto db = store::OpenDatabase(test_db_.url());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_));
    admin_.role = Role::kAdmin;
  }

  ImportJobState WaitFor(const ImportJobs& jobs, int64_t id) {
    ImportJobState job;
    for (int i = 0; i < 1000; ++i) {
      auto got = jobs.Get(admin_, id);
      EXPECT_TRUE(got) << got.error().message;
      if (!got) break;
      job = *got;
      if (job.status != ImportJobStatus::kRunning) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return job;
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_{*Timestamp::Parse("2026-06-15 09:00:00")};
  service::Actor admin_;
};

TEST_P(ImportJobsTest, OnlyAdminsStartListOrReadJobs) {
  ImportJobs jobs(test_db_.url(), clock_);
  for (Role role : {Role::kViewer, Role::kAm, Role::kCsm, Role::kManager, Role::kLeader}) {
    service::Actor actor;
    actor.role = role;
    EXPECT_FALSE(CheckMayImport(actor));
    auto started = jobs.Start(actor, Upload("a.csv"));
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(started.error().message, "only admins import data");
    EXPECT_FALSE(jobs.List(actor));
    EXPECT_FALSE(jobs.Get(actor, 1));
    EXPECT_FALSE(jobs.RejectedCsv(actor, 1));
  }
  EXPECT_TRUE(CheckMayImport(admin_));
  auto all = jobs.List(admin_);
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST_P(ImportJobsTest, AWrongRequestIsRefusedBeforeAnyJobRuns) {
  ImportJobs jobs(test_db_.url(), clock_);
  ImportUpload upload = Upload("a.csv");
  upload.request.object = "tickets";
  auto started = jobs.Start(admin_, upload);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(jobs.List(admin_)->empty());
}

TEST_P(ImportJobsTest, AJobRunsToItsEndWithItsSummaryAndRejectedRows) {
  ImportJobs jobs(test_db_.url(), clock_);
  // Only the name is kept: the file goes to the job's own folder, wherever the client points.
  auto started = jobs.Start(admin_, Upload("../../etc/accounts.csv"));
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->file_name, "accounts.csv");
  EXPECT_EQ(started->source, "csv");
  EXPECT_EQ(started->object, "accounts");
  EXPECT_EQ(started->started_at, clock_.Now());

  ImportJobState job = WaitFor(jobs, started->id);
  ASSERT_EQ(job.status, ImportJobStatus::kDone) << job.error;
  ASSERT_TRUE(job.summary);
  EXPECT_EQ(job.summary->inserted, 2);
  EXPECT_EQ(job.summary->rejected, 1);
  EXPECT_EQ(job.progress.rows, 3);
  EXPECT_EQ(job.progress.bytes, job.progress.total_bytes);
  EXPECT_EQ(job.EtaSeconds(), 0);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM accounts")->value_or(0), 2);

  auto csv = jobs.RejectedCsv(admin_, job.id);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_TRUE(csv->starts_with("file,line,column,column_name,reason\naccounts.csv,3,2,Employees,"))
      << *csv;

  // A clean import has no report: the CSV is its header alone.
  started = jobs.Start(admin_, Upload("clean.csv", "Company,Employees\nHooli,7\n"));
  ASSERT_TRUE(started) << started.error().message;
  job = WaitFor(jobs, started->id);
  ASSERT_EQ(job.status, ImportJobStatus::kDone) << job.error;
  EXPECT_EQ(*jobs.RejectedCsv(admin_, job.id), "file,line,column,column_name,reason\n");

  auto all = jobs.List(admin_);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().file_name, "clean.csv");  // newest first
}

TEST_P(ImportJobsTest, AFailedJobNamesTheFileAsUploaded) {
  ImportJobs jobs(test_db_.url(), clock_);
  ImportUpload upload = Upload("c.csv");
  upload.request.map_json = R"({"columns": {"Nme": "name"}})";
  auto started = jobs.Start(admin_, upload);
  ASSERT_TRUE(started) << started.error().message;
  ImportJobState job = WaitFor(jobs, started->id);
  EXPECT_EQ(job.status, ImportJobStatus::kFailed);
  EXPECT_TRUE(job.error.starts_with("c.csv: the mapping names \"Nme\"")) << job.error;
}

TEST_P(ImportJobsTest, TheOldestFinishedJobsAreForgottenPastKept) {
  ImportJobs jobs(test_db_.url(), clock_);
  int64_t first = 0;
  for (size_t i = 0; i < ImportJobs::kKept + 1; ++i) {
    auto started = jobs.Start(admin_, Upload("a.csv"));
    ASSERT_TRUE(started) << started.error().message;
    if (i == 0) first = started->id;
    ASSERT_NE(WaitFor(jobs, started->id).status, ImportJobStatus::kRunning);
  }
  EXPECT_EQ(jobs.List(admin_)->size(), ImportJobs::kKept);
  auto gone = jobs.Get(admin_, first);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_NE(gone.error().message.find("the last 20"), std::string::npos) << gone.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportJobsTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
