#include "support/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace orchard::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::kSqliteMemory:
      return "SqliteMemory";
    case Backend::kSqliteFile:
      return "SqliteFile";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

bool TestDatabase::Open(Backend backend, bool shareable) {
  if (backend == Backend::kSqliteMemory && !shareable) {
    url_ = "sqlite::memory:";
    return true;
  }
  if (backend != Backend::kPostgres) {
    dir_ = std::make_unique<TempDir>();
    url_ = "sqlite:" + dir_->path() + "/test.db";
    return true;
  }
  const char* admin = std::getenv("ORCHARD_TEST_PG_URL");
  const char* opt_out = std::getenv("ORCHARD_TEST_NO_POSTGRES");
  if (admin == nullptr || *admin == '\0') {
    // Nothing skips silently: a run without PostgreSQL fails, unless it said it has none.
    if (opt_out != nullptr && std::string(opt_out) == "1") {
      skip_reason_ = "ORCHARD_TEST_NO_POSTGRES=1: the PostgreSQL runs are skipped";
    } else {
      ADD_FAILURE() << "ORCHARD_TEST_PG_URL is not set: scripts/test starts PostgreSQL for these "
                       "runs (scripts/pg-test-server start DIR prints its URL); set "
                       "ORCHARD_TEST_NO_POSTGRES=1 to skip them knowingly";
    }
    return false;
  }
  auto conn = store::OpenDatabase(admin);
  if (!conn) {
    ADD_FAILURE() << "PostgreSQL at ORCHARD_TEST_PG_URL is unreachable: " << conn.error().message;
    return false;
  }
  admin_ = std::move(*conn);
  // Each test gets its own schema: isolated, and dropped afterwards.
  static std::atomic<int> counter{0};
  schema_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  if (!admin_->ExecScript("CREATE SCHEMA " + schema_)) {
    ADD_FAILURE() << "cannot create schema " << schema_;
    return false;
  }
  std::string base(admin);
  url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema_;
  return true;
}

TestDatabase::~TestDatabase() {
  if (admin_ && !schema_.empty()) (void)admin_->ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
}

int64_t QueryCount(store::Database& db, const std::string& sql) {
  auto v = db.QueryInt(sql);
  EXPECT_TRUE(v) << sql << ": " << v.error().message;
  return v ? v->value_or(0) : -1;
}

std::vector<std::string> QueryRows(store::Database& db, const std::string& sql) {
  std::vector<std::string> out;
  auto st = db.Query(sql, {}, [&](const store::Row& r) -> Status {
    std::string line;
    for (int i = 0; i < r.size(); ++i) {
      if (i) line += "|";
      line += r.IsNull(i) ? "NULL" : std::string(r.GetText(i));
    }
    out.push_back(line);
    return Ok();
  });
  EXPECT_TRUE(st) << sql << ": " << st.error().message;
  return out;
}

}  // namespace orchard::testing
