// A bulk write (Database::OpenBulkWriter) stores exactly what it was given on either backend;
// on PostgreSQL it goes as binary COPY (store/postgres/binary_copy.h): text with the characters
// that text COPY escapes, NULLs, booleans, large integers and timestamps on both sides of
// PostgreSQL's own epoch (2000-01-01) read back unchanged.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/database.h"
#include "store/migrate.h"
#include "support/test_database.h"

namespace orchard::store {
namespace {

using testing::Backend;

class BulkCopyTypesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db_, GetParam(), false, db_); }

  testing::TestDatabase test_db_;
  std::unique_ptr<Database> db_;
};

TEST_P(BulkCopyTypesTest, EveryValueReadsBackAsItWasWritten) {
  const std::vector<std::string> names = {"Tab\there",
                                          "Line\nbreak and\r\ncarriage return",
                                          "Back\\slash \\N not null",
                                          "Quote \" and 'apostrophe', comma",
                                          "Ünïcödé — 東京",
                                          ""};
  std::string_view cols[] = {"id",         "name",      "salesforce_id",   "hubspot_id",
                             "employees",  "strategic", "lifecycle_stage", "created_at",
                             "updated_at", "version"};
  ASSERT_TRUE(db_->Begin());
  auto writer = db_->OpenBulkWriter("accounts", cols);
  ASSERT_TRUE(writer) << writer.error().message;
  std::vector<SqlValue> rows;
  const char* stamps[] = {"1999-12-31 23:59:59", "2000-01-01 00:00:00", "2026-06-15 09:30:07"};
  for (size_t i = 0; i < names.size(); ++i) {
    int64_t id = static_cast<int64_t>(i) + 1;
    rows.insert(rows.end(),
                {id, names[i], "sf-" + names[i], SqlValue(), int64_t{9'000'000'000'000} + id,
                 int64_t(i % 2), std::string("customer"), std::string(stamps[i % 3]),
                 std::string(stamps[(i + 1) % 3]), int64_t{1}});
  }
  ASSERT_TRUE((*writer)->AddRows(rows));
  ASSERT_TRUE((*writer)->Finish());
  writer->reset();
  ASSERT_TRUE(db_->Commit());

  std::vector<std::string> got;
  auto read = db_->Query(
      "SELECT name, salesforce_id, CASE WHEN hubspot_id IS NULL THEN 1 ELSE 0 END, employees, "
      "CASE WHEN strategic THEN 1 ELSE 0 END, created_at, updated_at FROM accounts ORDER BY id",
      {}, [&](const Row& r) -> Status {
        std::string line;
        for (int c = 0; c < r.size(); ++c) line += std::string(r.GetText(c)) + "|";
        got.push_back(line);
        return Ok();
      });
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(got.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    std::string want = names[i] + "|sf-" + names[i] + "|1|" +
                       std::to_string(9'000'000'000'000 + static_cast<int64_t>(i) + 1) + "|" +
                       std::to_string(i % 2) + "|" + stamps[i % 3] + "|" + stamps[(i + 1) % 3] +
                       "|";
    EXPECT_EQ(got[i], want) << "row " << i;
  }
}

TEST_P(BulkCopyTypesTest, AValueThatDoesNotFitItsColumnFailsTheWriteNotTheData) {
  // SQLite keeps such a value as text (its columns have affinities, not types).
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL's column types only";
  std::string_view cols[] = {
      "id",         "name",       "employees", "strategic", "lifecycle_stage",
      "created_at", "updated_at", "version"};
  ASSERT_TRUE(db_->Begin());
  auto writer = db_->OpenBulkWriter("accounts", cols);
  ASSERT_TRUE(writer) << writer.error().message;
  SqlValue row[] = {int64_t{1},
                    std::string("A"),
                    std::string("many"),
                    int64_t{0},
                    std::string("customer"),
                    std::string("2026-06-15 09:30:07"),
                    std::string("2026-06-15 09:30:07"),
                    int64_t{1}};
  Status added = (*writer)->Add(row);
  Status finished = added ? (*writer)->Finish() : added;
  EXPECT_FALSE(finished) << "'many' was stored as a number of employees";
  writer->reset();
  (void)db_->Rollback();
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM accounts")->value_or(-1), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkCopyTypesTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::store
