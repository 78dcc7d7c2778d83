// A first load (ingest/import_first_load.h): an import into an empty table is one transaction
// with the table's indexes built at its end. What a user would notice: every row and every
// index is there afterwards, a second import updates rather than duplicates, an import stopped
// midway leaves whole batches (none, for a first load) and a book whose indexes work, and an
// import into a table that holds rows still commits batch by batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "ingest/import.h"
#include "ingest/import_first_load.h"
#include "ingest/sources.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using testing::Backend;

class ImportFirstLoadTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db_, GetParam(), false, db_);
    indexes_ = Indexes();
    ASSERT_FALSE(indexes_.empty());
  }

  int64_t Count(const std::string& sql) { return testing::QueryCount(*db_, sql); }

  // The accounts table's indexes and constraints, and the other tables' foreign keys that name
  // it, as the catalogue has them (on PostgreSQL in this test's own schema: tests running beside
  // it have theirs).
  std::vector<std::string> Indexes() {
    std::string sql =
        db_->dialect() == store::Dialect::kSqlite
            ? "SELECT name || ':' || COALESCE(sql, '') FROM sqlite_master "
              "WHERE type = 'index' AND tbl_name = 'accounts' ORDER BY name"
            : "SELECT indexname || ':' || indexdef FROM pg_indexes WHERE tablename = 'accounts' "
              "AND schemaname = current_schema() "
              "UNION ALL SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint "
              "WHERE conrelid = 'accounts'::regclass "
              "UNION ALL SELECT conrelid::regclass || '.' || conname || ':' || "
              "pg_get_constraintdef(oid) FROM pg_constraint "
              "WHERE confrelid = 'accounts'::regclass AND conrelid <> confrelid ORDER BY 1";
    std::vector<std::string> out;
    auto st = db_->Query(sql, {}, [&](const store::Row& r) -> Status {
      out.emplace_back(r.GetText(0));
      return Ok();
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
  }

  // Adds accounts first … last (keys sf<i>, names "<prefix> <i>") to an import begun by the
  // caller; batches of `batch` rows. A first batch that passes 9 (sf9, then sf10) is out of key
  // order, so its indexes are set aside and built again; one of sf1–sf9 ascends, so on SQLite
  // they stay (import_first_load.h): the tests below take both paths there.
  static void AddRows(Importer& im, int first, int last, const std::string& prefix) {
    for (int i = first; i <= last; ++i) {
      ImportRow row;
      row.key = Ref{KeySystem::kSalesforce, "sf" + std::to_string(i)};
      row.Set(Field::kName, prefix + " " + std::to_string(i));
      ASSERT_TRUE(im.Add(std::move(row)));
    }
  }

  // An import of accounts.csv begun, in batches of `batch` rows; the caller adds its rows.
  // Every first load here sets its primary key aside on PostgreSQL, as a large one does.
  Result<std::unique_ptr<Importer>> Begin(int batch) {
    ImportOptions o;
    o.batch_rows = batch;
    o.primary_key_aside_rows = 1;
    ORCHARD_TRY(auto im, Importer::Start(*db_, clock_, o));
    ORCHARD_CHECK(im->BeginFile("accounts.csv", ImportObject::kAccounts));
    return im;
  }

  Result<ImportSummary> Run(int first, int last, const std::string& prefix, int batch) {
    ORCHARD_TRY(auto im, Begin(batch));
    AddRows(*im, first, last, prefix);
    return im->Finish();
  }

  // A second account with a stored Salesforce id is refused: the unique index is there.
  void ExpectTheKeyIsUnique(const std::string& key) {
    Account a;
    a.name = "Duplicate";
    a.salesforce_id = key;
    store::Store store(*db_);
    auto dup = store.Insert(a);
    EXPECT_FALSE(dup) << "a second account with salesforce_id " << key << " was stored";
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_{*Timestamp::Parse("2026-06-15 09:00:00")};
  std::vector<std::string> indexes_;
};

TEST_P(ImportFirstLoadTest, AFirstLoadKeepsEveryRowAndIndexAndASecondImportUpdatesIt) {
  auto first = Run(1, 35, "Account", 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->inserted, 35);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 35);
  EXPECT_EQ(Indexes(), indexes_);  // the same indexes and foreign keys, made the same way
  ExpectTheKeyIsUnique("sf7");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'accounts'"), 4);  // a batch each

  // The table holds rows now: the second import upserts batch by batch.
  auto second = Run(30, 50, "Renamed", 10);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->updated, 6);
  EXPECT_EQ(second->inserted, 15);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 50);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT salesforce_id) FROM accounts"), 50);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name LIKE 'Renamed %'"), 21);
  EXPECT_EQ(Indexes(), indexes_);
}

TEST_P(ImportFirstLoadTest, AKeyTwiceInAFirstLoadIsOneAccount) {
  auto im = Begin(4);
  ASSERT_TRUE(im) << im.error().message;
  AddRows(**im, 1, 10, "Account");
  AddRows(**im, 3, 5, "Again");  // in a later batch of the same transaction
  auto s = (*im)->Finish();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->inserted, 10);
  EXPECT_EQ(s->updated, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name LIKE 'Again %'"), 3);
  EXPECT_EQ(Indexes(), indexes_);
}

// The first batch gives no HubSpot id, so the partial index on hubspot_id stays in place through
// the load (import_first_load.h); the rows of a later batch that do have one are indexed.
TEST_P(ImportFirstLoadTest, AnIndexKeptThroughAFirstLoadHoldsTheRowsOfLaterBatches) {
  auto im = Begin(5);
  ASSERT_TRUE(im) << im.error().message;
  AddRows(**im, 1, 5, "Account");
  for (int i = 6; i <= 12; ++i) {
    ImportRow row;
    row.key = Ref{KeySystem::kHubspot, "hs" + std::to_string(i)};
    row.Set(Field::kName, "HubSpot " + std::to_string(i));
    ASSERT_TRUE((*im)->Add(std::move(row)));
  }
  auto s = (*im)->Finish();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->inserted, 12);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE hubspot_id IS NOT NULL"), 7);
  EXPECT_EQ(Indexes(), indexes_);
  Account a;
  a.name = "Duplicate";
  a.hubspot_id = "hs9";
  store::Store store(*db_);
  EXPECT_FALSE(store.Insert(a)) << "a second account with hubspot_id hs9 was stored";
  // A re-run finds every row by its key.
  auto rerun = Run(1, 5, "Account", 5);
  ASSERT_TRUE(rerun) << rerun.error().message;
  EXPECT_EQ(rerun->unchanged, 5);
}

TEST_P(ImportFirstLoadTest, AFirstLoadStoppedMidwayLeavesNoRowAndWorkingIndexes) {
  {
    // The process dies after two batches of ten and part of a third: no Finish.
    auto im = Begin(10);
    ASSERT_TRUE(im) << im.error().message;
    AddRows(**im, 1, 25, "Account");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 0);  // whole batches: none, in one transaction
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log"), 0);
  EXPECT_EQ(Indexes(), indexes_);
  auto rerun = Run(1, 25, "Account", 10);
  ASSERT_TRUE(rerun) << rerun.error().message;
  EXPECT_EQ(rerun->inserted, 25);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT salesforce_id) FROM accounts"), 25);
  EXPECT_EQ(Indexes(), indexes_);
  ExpectTheKeyIsUnique("sf25");
}

// SQLite: the journal mode the book is in, as any connection that opens it sees it.
std::string JournalMode(const std::string& url) {
  auto db = store::OpenDatabase(url);
  if (!db) return "(cannot open: " + db.error().message + ")";
  auto rows = testing::QueryRows(**db, "PRAGMA journal_mode");
  return rows.empty() ? "" : rows.front();
}

// A first load into a SQLite book nothing else has open writes around the write-ahead log
// (Database::WriteAroundTheLog) and puts it back when done — after a stop midway too; with
// another connection open (a server on the book) it keeps the log, and the reader beside it
// reads throughout.
TEST_P(ImportFirstLoadTest, AFirstLoadAloneWritesAroundTheLogAndPutsItBack) {
  if (GetParam() == Backend::kPostgres) {  // PostgreSQL's log is the server's: nothing changes
    auto around = db_->WriteAroundTheLog(true);
    ASSERT_TRUE(around) << around.error().message;
    EXPECT_FALSE(*around);
    return;
  }
  auto mode = [&] { return testing::QueryRows(*db_, "PRAGMA journal_mode").front(); };
  {
    auto im = Begin(10);
    ASSERT_TRUE(im) << im.error().message;
    EXPECT_EQ(mode(), "delete") << "alone, the first load writes straight into the file";
    AddRows(**im, 1, 25, "Account");
  }  // stopped midway
  EXPECT_EQ(mode(), "wal");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 0);
  EXPECT_EQ(JournalMode(test_db_.url()), "wal");
  auto whole = Run(1, 25, "Account", 10);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->inserted, 25);
  EXPECT_EQ(mode(), "wal");
  EXPECT_EQ(Indexes(), indexes_);
  ExpectTheKeyIsUnique("sf25");

  // Another connection has the book open: the load keeps the log, and that reader is not
  // locked out while it runs.
  ASSERT_TRUE(db_->ExecScript("DELETE FROM change_log; DELETE FROM accounts"));
  auto beside = store::OpenDatabase(test_db_.url());
  ASSERT_TRUE(beside) << beside.error().message;
  auto im = Begin(10);
  ASSERT_TRUE(im) << im.error().message;
  EXPECT_EQ(mode(), "wal");
  AddRows(**im, 1, 25, "Account");
  EXPECT_EQ(testing::QueryCount(**beside, "SELECT COUNT(*) FROM accounts"), 0)
      << "the reader beside sees the book as it was until the load commits";
  auto done = (*im)->Finish();
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(testing::QueryCount(**beside, "SELECT COUNT(*) FROM accounts"), 25);
}

TEST_P(ImportFirstLoadTest, AnImportIntoATableWithRowsStillCommitsEachBatch) {
  auto seed = Run(1000, 1000, "Seed", 10);
  ASSERT_TRUE(seed) << seed.error().message;
  {
    auto im = Begin(10);
    ASSERT_TRUE(im) << im.error().message;
    AddRows(**im, 1, 25, "Account");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 21);  // the seed and two whole batches
  EXPECT_EQ(Indexes(), indexes_);
}

// PostgreSQL: a foreign key set aside is checked again when put back. Through the partial index
// on its column when no loaded row fills it (nothing read), as a whole join otherwise: a row that
// names no one is still refused, and the planner is left as it was.
TEST_P(ImportFirstLoadTest, AForeignKeyPutBackStillRefusesARowThatNamesNoOne) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "SQLite's foreign keys stay in place";
  auto seqscan = [&] { return testing::QueryRows(*db_, "SHOW enable_seqscan").front(); };
  for (bool dangling : {false, true}) {
    SCOPED_TRACE(dangling ? "an owner who is not a user" : "no owner");
    ASSERT_TRUE(db_->Begin());
    auto aside = detail::SetAsideIndexes(*db_, "accounts", {"name", "salesforce_id"}, {});
    ASSERT_TRUE(aside) << aside.error().message;
    std::vector<std::string> through_index;
    for (const auto& key : aside->keys) {
      if (!key.column.empty()) through_index.push_back(key.column);
    }
    std::sort(through_index.begin(), through_index.end());
    EXPECT_EQ(through_index,
              (std::vector<std::string>{"csm_id", "owner_id", "parent_id", "sponsor_id"}));
    Account a;
    a.name = "Loaded";
    a.salesforce_id = "sf1";
    if (dangling) a.owner_id = UserId(424242);
    store::Store store(*db_);
    ASSERT_TRUE(store.Insert(a));  // its foreign key is set aside
    auto put = detail::PutBack(*db_, "accounts", *aside);
    if (dangling) {
      ASSERT_FALSE(put) << "an account whose owner is no user was kept";
      EXPECT_NE(put.error().message.find("accounts_owner_id_fkey"), std::string::npos)
          << put.error().message;
    } else {
      ASSERT_TRUE(put) << put.error().message;
      EXPECT_EQ(seqscan(), "on");
    }
    ASSERT_TRUE(db_->Rollback());
    EXPECT_EQ(Indexes(), indexes_);
    EXPECT_EQ(seqscan(), "on");
  }
}

// PostgreSQL: a primary key set aside for a large first load comes back with the other tables'
// foreign keys that name it, and both still refuse what they refused: two accounts with one id,
// a contact of an account that does not exist.
TEST_P(ImportFirstLoadTest, APrimaryKeySetAsideComesBackAndStillRefusesADuplicateId) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "SQLite's key is the row's own id";
  const int64_t naming = Count(
      "SELECT COUNT(*) FROM pg_constraint WHERE confrelid = 'accounts'::regclass "
      "AND conrelid <> confrelid");
  ASSERT_GT(naming, 10);  // contacts, opportunities, activities, tickets …
  for (const char* broken : {"", "two accounts with one id", "a contact of no account"}) {
    SCOPED_TRACE(*broken ? broken : "nothing broken");
    ASSERT_TRUE(db_->Begin());
    auto aside = detail::SetAsideIndexes(*db_, "accounts", {"name", "salesforce_id"}, {}, true);
    ASSERT_TRUE(aside) << aside.error().message;
    EXPECT_EQ(aside->primary_key,
              "ALTER TABLE accounts ADD CONSTRAINT \"accounts_pkey\" "
              "PRIMARY KEY (id)");
    EXPECT_EQ(static_cast<int64_t>(aside->naming_keys.size()), naming);
    store::Store store(*db_);
    Account one;
    one.name = "One";
    ASSERT_TRUE(store.Insert(one));
    const std::string b = broken;
    if (b == "two accounts with one id") {
      ASSERT_TRUE(db_->ExecScript("INSERT INTO accounts SELECT * FROM accounts"));
    } else if (b == "a contact of no account") {
      Contact c;
      c.account_id = AccountId(424242);
      c.first_name = "No";
      auto stored = store.Insert(c);
      ASSERT_TRUE(stored) << "the contacts' key to accounts is set aside: "
                          << stored.error().message;
    }
    auto put = detail::PutBack(*db_, "accounts", *aside);
    if (b.empty()) {
      ASSERT_TRUE(put) << put.error().message;
      EXPECT_EQ(Indexes(), indexes_);
    } else {
      ASSERT_FALSE(put) << "put back over " << b;
      const char* named =
          b == "a contact of no account" ? "contacts_account_id_fkey" : "accounts_pkey";
      EXPECT_NE(put.error().message.find(named), std::string::npos) << put.error().message;
    }
    ASSERT_TRUE(db_->Rollback());
    EXPECT_EQ(Indexes(), indexes_);
  }
}

// PostgreSQL: a first load beside a session reading a table whose foreign key names accounts
// (a server answering a request) neither waits for it nor deadlocks with it: the primary key
// stays in place for that load, and the load completes while the reader's transaction is open.
TEST_P(ImportFirstLoadTest, AFirstLoadBesideAReaderOfANamingTableDoesNotWaitForIt) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "SQLite's key is the row's own id";
  auto reader = store::OpenDatabase(test_db_.url());
  ASSERT_TRUE(reader) << reader.error().message;
  ASSERT_TRUE((*reader)->Begin());
  EXPECT_EQ(testing::QueryCount(**reader, "SELECT COUNT(*) FROM contacts"), 0);  // holds it
  auto load = std::async(std::launch::async, [&] { return Run(1, 35, "Account", 10); });
  if (load.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "the first load waited for the reader of contacts";
    ASSERT_TRUE((*reader)->Rollback());  // lets it finish, so the test can end
  }
  auto done = load.get();
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->inserted, 35);
  ASSERT_TRUE((*reader)->Rollback());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 35);
  EXPECT_EQ(Indexes(), indexes_);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportFirstLoadTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::ingest
