// A bulk write (Database::OpenBulkWriter) stores exactly what it was given on either backend;
// on PostgreSQL it goes as binary COPY (store/postgres/binary_copy.h): text with the characters
// that text COPY escapes, NULLs, booleans, large integers and timestamps on both sides of
// PostgreSQL's own epoch (2000-01-01) read back unchanged.
#include <gtest/gtest.h>

#include <algorithm>
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

// Rows of accounts as "id|name|hubspot_id|employees|lifecycle_stage|created_at" lines.
std::vector<std::string> ReadAccounts(Database& db) {
  std::vector<std::string> got;
  Status read = db.Query(
      "SELECT id, name, COALESCE(hubspot_id, '-'), employees, lifecycle_stage, created_at "
      "FROM accounts ORDER BY id",
      {}, [&](const Row& r) -> Status {
        std::string line;
        for (int c = 0; c < r.size(); ++c) line += (c ? "|" : "") + std::string(r.GetText(c));
        got.push_back(std::move(line));
        return Ok();
      });
  EXPECT_TRUE(read) << read.error().message;
  return got;
}

// Overwrites every text in place and frees the values, as a caller done with them would: a
// writer that kept pointing into them would store the X's, or (under ASan) read freed memory.
void Spoil(std::vector<SqlValue>& rows) {
  for (SqlValue& v : rows) {
    if (auto* t = std::get_if<std::string>(&v)) std::fill(t->begin(), t->end(), 'X');
  }
  std::vector<SqlValue>().swap(rows);
}

constexpr std::string_view kAccountColumns[] = {"id",         "name",       "hubspot_id",
                                                "employees",  "strategic",  "lifecycle_stage",
                                                "created_at", "updated_at", "version"};

// Appends an account row; `hubspot` empty for none.
void AddAccount(std::vector<SqlValue>& rows, std::vector<std::string>& want, int64_t id,
                const std::string& hubspot, int64_t employees) {
  const std::string name = "Account " + std::to_string(id);
  rows.insert(rows.end(), {id, name, hubspot.empty() ? SqlValue() : SqlValue(hubspot), employees,
                           int64_t{0}, std::string("customer"), std::string("2026-06-15 09:30:07"),
                           std::string("2026-06-15 09:30:07"), int64_t{1}});
  want.push_back(std::to_string(id) + "|" + name + "|" + (hubspot.empty() ? "-" : hubspot) + "|" +
                 std::to_string(employees) + "|customer|2026-06-15 09:30:07");
}

// SQLite's writer sends 64 rows a statement, leaves out ids that are the next ones SQLite would
// give, and binds only the values that changed since its last statement: every row still reads
// back with its own id and values, NULLs where they were NULL, whatever came before.
TEST_P(BulkCopyTypesTest, ManyRowsReadBackWithTheirIdsAndValuesWhateverCameBefore) {
  std::vector<SqlValue> rows;
  std::vector<std::string> want;
  for (int64_t id = 1; id <= 64; ++id) AddAccount(rows, want, id, "", 10);  // ids come next
  for (int64_t id = 65; id <= 128; ++id) {  // NULL, then text, at the same places; counts move
    AddAccount(rows, want, id, id % 3 == 0 ? "hs-" + std::to_string(id) : "", id % 5 ? 10 : id);
  }
  for (int64_t id = 200; id < 264; ++id) AddAccount(rows, want, id, "", 11);  // after a gap
  for (int64_t id = 264; id < 328; ++id) AddAccount(rows, want, id, "", 11);  // next again
  for (int64_t id = 500; id < 505; ++id)
    AddAccount(rows, want, id, "h" + std::to_string(id), 12);  // not 64 rows
  std::vector<SqlValue> more;  // a second call of the same writer, after the single rows
  for (int64_t id = 505; id < 569; ++id) AddAccount(more, want, id, "", 12);
  std::vector<SqlValue> descending;  // ids not in order: each its own
  for (int64_t id = 700; id > 636; --id) AddAccount(descending, want, id, "", 13);
  std::sort(want.begin(), want.end(), [](const std::string& a, const std::string& b) {
    return std::stoll(a) < std::stoll(b);
  });

  ASSERT_TRUE(db_->Begin());
  auto writer = db_->OpenBulkWriter("accounts", kAccountColumns);
  ASSERT_TRUE(writer) << writer.error().message;
  ASSERT_TRUE((*writer)->AddRows(rows));
  Spoil(rows);
  ASSERT_TRUE((*writer)->AddRows(more));
  Spoil(more);
  ASSERT_TRUE((*writer)->AddRows(descending));
  ASSERT_TRUE((*writer)->Finish());
  writer->reset();
  ASSERT_TRUE(db_->Commit());
  EXPECT_EQ(ReadAccounts(*db_), want);
}

// Two writers of one table share SQLite's cached statement: neither keeps the other's values.
TEST_P(BulkCopyTypesTest, TwoWritersOfOneTableKeepTheirOwnValues) {
  if (GetParam() == Backend::kPostgres) GTEST_SKIP() << "one COPY at a time on a connection";
  std::vector<SqlValue> first, second, third;
  std::vector<std::string> want;
  for (int64_t id = 1; id <= 64; ++id) AddAccount(first, want, id, "", 10);
  for (int64_t id = 65; id <= 128; ++id)
    AddAccount(second, want, id, "b-" + std::to_string(id), 20);
  for (int64_t id = 129; id <= 192; ++id) AddAccount(third, want, id, "", 10);
  ASSERT_TRUE(db_->Begin());
  auto a = db_->OpenBulkWriter("accounts", kAccountColumns);
  auto b = db_->OpenBulkWriter("accounts", kAccountColumns);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->AddRows(first));
  Spoil(first);
  ASSERT_TRUE((*b)->AddRows(second));
  Spoil(second);
  ASSERT_TRUE((*a)->AddRows(third));  // its NULLs and counts must be bound again
  a->reset();
  b->reset();
  ASSERT_TRUE(db_->Commit());
  EXPECT_EQ(ReadAccounts(*db_), want);
}

// SQLite gives a row its id itself only where the id is the table's rowid: an id that is a
// primary key of another type is always written as given.
TEST_P(BulkCopyTypesTest, AnIdThatIsNotSqlitesRowidIsWrittenAsGiven) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE bulk_plain (id BIGINT PRIMARY KEY, name TEXT)"));
  std::string_view cols[] = {"id", "name"};
  std::vector<SqlValue> rows;
  for (int64_t id = 1; id <= 128; ++id) rows.insert(rows.end(), {id, "n" + std::to_string(id)});
  ASSERT_TRUE(db_->Begin());
  auto writer = db_->OpenBulkWriter("bulk_plain", cols);
  ASSERT_TRUE(writer) << writer.error().message;
  ASSERT_TRUE((*writer)->AddRows(rows));
  ASSERT_TRUE((*writer)->Finish());
  writer->reset();
  ASSERT_TRUE(db_->Commit());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM bulk_plain WHERE id IS NULL")->value_or(-1), 0);
  EXPECT_EQ(db_->QueryInt("SELECT SUM(id) FROM bulk_plain WHERE name = 'n' || id")->value_or(-1),
            128 * 129 / 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkCopyTypesTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::store
