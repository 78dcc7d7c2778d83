// A re-import: the stored rows a batch's keys match are read for the batch in one statement per
// 500 (Store::GetMany, Importer::ReadMatched), not one per row. What a user would notice: every
// matched row is updated or left as it was exactly as before, a key twice in one batch ends
// with its last values, and rows keyed by a name match too.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/import.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using testing::Backend;

class ImportRematchTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db_, GetParam(), false, db_); }

  // Accounts sf<first> … sf<last> named "<prefix> <i>"; a row with key "" is matched by name.
  Result<ImportSummary> Run(const std::vector<std::pair<std::string, std::string>>& rows,
                            int batch) {
    ImportOptions o;
    o.batch_rows = batch;
    ORCHARD_TRY(auto im, Importer::Start(*db_, clock_, o));
    ORCHARD_CHECK(im->BeginFile("accounts.csv", ImportObject::kAccounts));
    for (const auto& [key, name] : rows) {
      ImportRow row;
      if (!key.empty()) row.key = Ref{KeySystem::kSalesforce, key};
      row.Set(Field::kName, name);
      ORCHARD_CHECK(im->Add(std::move(row)));
    }
    return im->Finish();
  }
  static std::vector<std::pair<std::string, std::string>> Rows(int first, int last,
                                                               const std::string& prefix) {
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = first; i <= last; ++i) {
      out.emplace_back("sf" + std::to_string(i), prefix + " " + std::to_string(i));
    }
    return out;
  }
  std::string NameOf(const std::string& key) {
    auto rows =
        testing::QueryRows(*db_, "SELECT name FROM accounts WHERE salesforce_id = '" + key + "'");
    return rows.empty() ? "(none)" : rows.front();
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_{*Timestamp::Parse("2026-06-15 09:00:00")};
};

// Past one statement's 500 ids, and an id no row has left out.
TEST_P(ImportRematchTest, GetManyReadsEveryStoredRowOfItsIds) {
  auto first = Run(Rows(1, 620, "Account"), 1000);
  ASSERT_TRUE(first) << first.error().message;
  store::Store store(*db_);
  std::vector<int64_t> ids;
  auto all = testing::QueryRows(*db_, "SELECT id FROM accounts ORDER BY id DESC");
  for (const auto& id : all) ids.push_back(std::stoll(id));
  ids.push_back(999'999'999);  // no such account
  auto got = store.GetMany<Account>(ids);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 620u);
  std::vector<std::string> names;
  for (const Account& a : *got) names.push_back(a.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names.front(), "Account 1");
  EXPECT_EQ(std::count(names.begin(), names.end(), "Account 620"), 1);
}

TEST_P(ImportRematchTest, MatchedRowsAreUpdatedOrLeftAsTheyWere) {
  auto first = Run(Rows(1, 30, "Account"), 10);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->inserted, 30);

  // Batches of 10: sf5 twice in the first (renamed, then renamed again), sf12–sf20 renamed,
  // the rest as they are, "Account 25" by its name alone, and one new key.
  auto rows = Rows(1, 10, "Account");
  rows[4].second = "Renamed 5";
  rows.insert(rows.begin() + 8, {"sf5", "Again 5"});
  for (auto& r : Rows(11, 20, "Account")) rows.push_back(r);
  for (size_t i = 12; i < rows.size(); ++i) rows[i].second = "Renamed " + rows[i].first.substr(2);
  rows.emplace_back("", "Account 25");
  rows.emplace_back("sf31", "Account 31");
  auto second = Run(rows, 10);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->updated, 1 + 1 + 9);  // sf5, its second row, sf12–sf20
  EXPECT_EQ(second->unchanged, 10 + 1);   // sf1–sf11 but sf5, and Account 25
  EXPECT_EQ(NameOf("sf5"), "Again 5");
  EXPECT_EQ(NameOf("sf11"), "Account 11");
  EXPECT_EQ(NameOf("sf12"), "Renamed 12");
  EXPECT_EQ(NameOf("sf20"), "Renamed 20");
  EXPECT_EQ(NameOf("sf31"), "Account 31");
  EXPECT_EQ(testing::QueryCount(*db_, "SELECT COUNT(*) FROM accounts"), 31);
}

// Database::ExecEach: a statement run once per row, in pipelines of 500 on PostgreSQL; what each
// run changed comes back in order, and a failure stops it with the database's message.
TEST_P(ImportRematchTest, ExecEachSaysWhatEveryRunChangedAndStopsAtAFailure) {
  auto first = Run(Rows(1, 1200, "Account"), 2000);
  ASSERT_TRUE(first) << first.error().message;
  std::vector<store::SqlValue> params;
  for (int i = 1; i <= 1201; ++i) {  // sf1201 is no account: it changes nothing
    params.emplace_back("Renamed " + std::to_string(i));
    params.emplace_back("sf" + std::to_string(i));
  }
  auto changed = db_->ExecEach("UPDATE accounts SET name = ? WHERE salesforce_id = ?", params, 2);
  ASSERT_TRUE(changed) << changed.error().message;
  ASSERT_EQ(changed->size(), 1201u);
  EXPECT_EQ(std::count(changed->begin(), changed->end(), 1), 1200);
  EXPECT_EQ(changed->back(), 0);
  EXPECT_EQ(NameOf("sf777"), "Renamed 777");

  // The third run takes a key the first holds: the unique index refuses it, and the
  // transaction rolled back keeps every row as it was.
  ASSERT_TRUE(db_->Begin());
  std::vector<store::SqlValue> clash = {std::string("sfX"), std::string("sf1"), std::string("sfY"),
                                        std::string("sf2"), std::string("sfX"), std::string("sf3"),
                                        std::string("sfZ"), std::string("sf4")};
  auto failed =
      db_->ExecEach("UPDATE accounts SET salesforce_id = ? WHERE salesforce_id = ?", clash, 2);
  ASSERT_FALSE(failed) << "two accounts were given the key sfX";
  EXPECT_EQ(failed.error().code, ErrorCode::kAlreadyExists) << failed.error().message;
  (void)db_->Rollback();
  EXPECT_EQ(NameOf("sf1"), "Renamed 1");
  EXPECT_EQ(NameOf("sf4"), "Renamed 4");
  EXPECT_EQ(NameOf("sfX"), "(none)");
}

// Store::UpdateMany: rows read at a version someone has since changed fail as Update fails.
TEST_P(ImportRematchTest, UpdateManyRefusesARowChangedSinceItWasRead) {
  auto first = Run(Rows(1, 3, "Account"), 10);
  ASSERT_TRUE(first) << first.error().message;
  store::Store store(*db_);
  std::vector<int64_t> ids;
  for (const auto& id : testing::QueryRows(*db_, "SELECT id FROM accounts ORDER BY id")) {
    ids.push_back(std::stoll(id));
  }
  auto read = store.GetMany<Account>(ids);
  ASSERT_TRUE(read) << read.error().message;
  std::vector<std::pair<Account, int64_t>> rows;
  for (Account a : *read) {
    a.name = "Batch " + a.name;
    rows.emplace_back(a, a.version);
  }
  auto all = store.UpdateMany<Account>(rows);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(NameOf("sf2"), "Batch Account 2");
  // Read at version 1; the store is at 2 now.
  auto stale = store.UpdateMany<Account>(rows);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict) << stale.error().message;
  EXPECT_NE(stale.error().message.find("it is now at version 2"), std::string::npos)
      << stale.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportRematchTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
