// Ids an import reserves while it holds its table (a first load on PostgreSQL, which set the
// table's indexes and foreign keys aside): one step moves the sequence past them
// (Database::ReserveIdsOfHeldTable), and nothing else can take one of them meanwhile — an insert
// beside the import, and another import's reservation, wait for the table and come after.
#include <gtest/gtest.h>

#include <future>
#include <set>

#include "store/migrate.h"
#include "store/store.h"
#include "support/test_database.h"

namespace orchard {
namespace {

using testing::Backend;

class HeldIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, Backend::kPostgres, true);
    auto db = store::OpenDatabase(test_db_.url());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_));
  }
  std::unique_ptr<store::Database> Open() {
    auto db = store::OpenDatabase(test_db_.url());
    EXPECT_TRUE(db);
    return db ? std::move(*db) : nullptr;
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(HeldIdsTest, NothingTakesAnIdReservedWhileTheTableIsHeld) {
  store::Store s(*db_);
  Account first;
  first.name = "Before";
  auto before = s.Insert(first);
  ASSERT_TRUE(before) << before.error().message;

  ASSERT_TRUE(db_->Begin());
  ASSERT_TRUE(db_->ExecScript("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"));
  auto held = db_->ReserveIdsOfHeldTable("accounts", 1000);
  ASSERT_TRUE(held) << held.error().message;
  ASSERT_EQ(held->size(), 1u) << "one range";
  const store::IdRange range = held->front();
  EXPECT_EQ(range.count, 1000);
  EXPECT_GT(range.first, before->id.value);

  // Beside it: an insert and another reservation, each on a connection of its own; both wait.
  auto other = Open();
  auto third = Open();
  ASSERT_TRUE(other && third);
  auto inserted = std::async(std::launch::async, [&] {
    store::Store o(*other);
    Account a;
    a.name = "Beside";
    return o.Insert(a);
  });
  auto reserved = std::async(std::launch::async, [&] { return third->ReserveIds("accounts", 50); });
  EXPECT_EQ(inserted.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "an insert ran while the import held the table";
  EXPECT_EQ(reserved.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "a reservation ran while the import held the table";
  // The import writes its rows with the reserved ids, and commits.
  for (int64_t id = range.first; id < range.first + 3; ++id) {
    store::SqlValue p[] = {id, "Imported " + std::to_string(id)};
    ASSERT_TRUE(
        db_->Exec("INSERT INTO accounts (id, name, industry, region, employees, strategic, "
                  "lifecycle_stage, created_at, updated_at, version) VALUES (?, ?, '', '', "
                  "0, false, 'customer', '2026-12-07', '2026-12-07', 1)",
                  p));
  }
  ASSERT_TRUE(db_->Commit());

  auto beside = inserted.get();
  ASSERT_TRUE(beside) << beside.error().message;
  EXPECT_GE(beside->id.value, range.first + range.count) << "the insert took a reserved id";
  auto after = reserved.get();
  ASSERT_TRUE(after) << after.error().message;
  for (const store::IdRange& r : *after) {
    EXPECT_GE(r.first, range.first + range.count) << "a reservation overlapped the held one";
  }
}

}  // namespace
}  // namespace orchard
