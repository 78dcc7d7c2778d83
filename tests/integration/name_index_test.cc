// Migration 0020: on PostgreSQL the (name, id) index of the accounts is kept only where the
// database orders text otherwise than byte by byte — where the in-memory book cannot answer the
// accounts list sorted by name and SQL pages through the index. Under a byte-order collation
// (the test server's C.UTF-8) the book orders names itself and the index is not made: an import
// of a million accounts no longer builds it. Migration 0021: other systems' keys compare byte by
// byte whatever the database's collation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "engine/read_model.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/test_database.h"

namespace orchard {
namespace {

using testing::Backend;
using testing::QueryCount;

int64_t NameIndexes(store::Database& db) {
  return QueryCount(db,
                    "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() "
                    "AND indexname = 'accounts_name'");
}

TEST(NameIndexTest, UnderByteOrderTheBookSortsNamesAndNoIndexIsKept) {
  testing::TestDatabase test_db;
  ORCHARD_OPEN_TEST_DATABASE(test_db, Backend::kPostgres, true);
  auto db = store::OpenDatabase(test_db.url());
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(store::Migrate(**db));
  EXPECT_EQ(NameIndexes(**db), 0) << "C.UTF-8 orders bytes: the book sorts the names";
  // What the index was for: the list in name order, which the book answers here.
  store::Store s(**db);
  for (std::string name : {"beta", "Alpha", "alpha", "Zulu", "\xc3\x89mile"}) {
    Account a;
    a.name = name;
    ASSERT_TRUE(s.Insert(a));
  }
  auto book = engine::ReadModel::Load(**db);
  ASSERT_TRUE(book) << book.error().message;
  auto lock = (*book)->ReadLock();
  auto order = (*book)->AccountOrder("name", **db);
  ASSERT_TRUE(order) << order.error().message;
  ASSERT_NE(*order, nullptr) << "the book orders names under a byte-order collation";
  std::vector<std::string> names;
  (*order)->Walk(false, store::SqlValue(), 0, [&](uint32_t slot) {
    names.push_back(std::get<std::string>((*order)->value(slot)));
    return true;
  });
  std::vector<std::string> want = {"Alpha", "Zulu", "alpha", "beta", "\xc3\x89mile"};
  EXPECT_EQ(names, want);
}

// A database whose collation is not byte order (ICU's root locale): the index stays, since SQL
// answers the sorted list there.
TEST(NameIndexTest, UnderAnotherCollationTheIndexStays) {
  const char* admin_url = std::getenv("ORCHARD_TEST_PG_URL");
  if (admin_url == nullptr || *admin_url == '\0') {
    testing::TestDatabase probe;  // fails (or skips) as every PostgreSQL test does without one
    ORCHARD_OPEN_TEST_DATABASE(probe, Backend::kPostgres, true);
  }
  auto admin = store::OpenDatabase(admin_url);
  ASSERT_TRUE(admin) << admin.error().message;
  const std::string name = "orchard_icu_" + std::to_string(getpid());
  (void)(*admin)->ExecScript("DROP DATABASE IF EXISTS " + name);
  auto made = (*admin)->ExecScript("CREATE DATABASE " + name +
                                   " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und' "
                                   "LOCALE 'C.UTF-8'");
  if (!made)
    GTEST_SKIP() << "this PostgreSQL cannot make an ICU database: " << made.error().message;
  std::string url(admin_url);
  url = url.substr(0, url.rfind('/') + 1) + name;
  {
    auto db = store::OpenDatabase(url);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(store::Migrate(**db));
    EXPECT_EQ(NameIndexes(**db), 1) << "ICU orders names as the book does not: SQL needs it";
    // Migration 0021: other systems' keys are identifiers, compared byte by byte whatever the
    // database's collation (ICU would put 001a before 001B); a key's case is part of it.
    store::Store s(**db);
    for (std::string sf : {"001b", "001B", "001a"}) {
      Account a;
      a.name = "Account " + sf;
      a.salesforce_id = sf;
      ASSERT_TRUE(s.Insert(a)) << sf << " is a key of its own";
    }
    EXPECT_EQ(testing::QueryRows(**db, "SELECT salesforce_id FROM accounts ORDER BY salesforce_id"),
              (std::vector<std::string>{"001B", "001a", "001b"}));
  }
  EXPECT_TRUE((*admin)->ExecScript("DROP DATABASE " + name));
}

}  // namespace
}  // namespace orchard
