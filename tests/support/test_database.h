// A fresh, empty database for one test on a chosen backend: SQLite in memory, SQLite in a temp
// file, or its own schema on the PostgreSQL that scripts/test starts (ORCHARD_TEST_PG_URL).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/migrate.h"
#include "support/process.h"

namespace orchard::testing {

enum class Backend { kSqliteMemory, kSqliteFile, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

class TestDatabase {
 public:
  // Call from SetUp; on PostgreSQL without a server it returns false and either sets
  // skip_reason() (only with ORCHARD_TEST_NO_POSTGRES=1: the caller skips) or records a failure.
  // An in-memory SQLite URL is not shareable between connections, so `shareable` asks for a file
  // instead.
  bool Open(Backend backend, bool shareable = false);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  const std::string& skip_reason() const { return skip_reason_; }

 private:
  std::string url_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<store::Database> admin_;
  std::string schema_;
  std::string skip_reason_;
};

// In SetUp: opens `db` on the test's backend, or skips / fails the test and returns.
#define ORCHARD_OPEN_TEST_DATABASE(db, backend, shareable)                 \
  do {                                                                     \
    if (!(db).Open((backend), (shareable))) {                              \
      if (!(db).skip_reason().empty()) GTEST_SKIP() << (db).skip_reason(); \
      FAIL() << "no test database: the body must not run without it";      \
    }                                                                      \
  } while (0)

// In SetUp: as ORCHARD_OPEN_TEST_DATABASE, then `out` (a std::unique_ptr<store::Database>)
// connected to it and migrated to the latest schema.
#define ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db, backend, shareable, out) \
  do {                                                                        \
    ORCHARD_OPEN_TEST_DATABASE(test_db, backend, shareable);                  \
    auto opened_ = ::orchard::store::OpenDatabase((test_db).url());           \
    ASSERT_TRUE(opened_) << opened_.error().message;                          \
    (out) = std::move(*opened_);                                              \
    auto migrated_ = ::orchard::store::Migrate(*(out));                       \
    ASSERT_TRUE(migrated_) << migrated_.error().message;                      \
  } while (0)

// The one integer `sql` answers: 0 for no row, -1 (and a failed expectation) when it fails.
int64_t QueryCount(store::Database& db, const std::string& sql);
// The rows `sql` answers as "a|b|c" lines (NULL for a null), in its order; a failure fails the
// expectation.
std::vector<std::string> QueryRows(store::Database& db, const std::string& sql);

}  // namespace orchard::testing
