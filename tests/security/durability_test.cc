// What the server has acknowledged stays acknowledged (issue "Trust"): a `kill -9` of
// `orchard serve` in the middle of writes loses none it answered, on SQLite (whose commits sync
// fully by default) and PostgreSQL; and two edits of one version at once give one winner.
#include <gmock/gmock.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "security/harness.h"
#include "store/database.h"
#include "support/process.h"

namespace orchard::security {
namespace {

using ::testing::HasSubstr;

int PortFrom(const std::string& line) {
  auto at = line.find("http://127.0.0.1:");
  return at == std::string::npos ? 0 : std::atoi(line.c_str() + at + 17);
}

TEST(SqliteDurabilityTest, CommitsSyncFullyUnlessTheUrlAsksForNormal) {
  testing::TempDir dir;
  auto synchronous = [&](const std::string& url) -> int64_t {
    auto db = store::OpenDatabase(url);
    EXPECT_TRUE(db) << db.error().message;
    if (!db) return -1;
    return (*db)->QueryInt("PRAGMA synchronous")->value_or(-1);
  };
  EXPECT_EQ(synchronous("sqlite:" + dir.path() + "/a.db"), 2) << "FULL by default";
  EXPECT_EQ(synchronous("sqlite:" + dir.path() + "/a.db?synchronous=full"), 2);
  EXPECT_EQ(synchronous("sqlite:" + dir.path() + "/a.db?synchronous=normal"), 1);
  auto wrong = store::OpenDatabase("sqlite:" + dir.path() + "/a.db?synchronous=off");
  ASSERT_FALSE(wrong);
  EXPECT_THAT(wrong.error().message, HasSubstr("synchronous=normal"));
}

using DurabilityTest = SecurityTest;

TEST_P(DurabilityTest, KillNineOfTheServerLosesNoAcknowledgedWrite) {
  std::vector<std::string> acknowledged;
  {
    testing::BackgroundProcess serve({"serve", "--db", url_, "--listen", "127.0.0.1:0"});
    std::string serving = serve.WaitForLine("serving", 30'000);
    ASSERT_FALSE(serving.empty()) << serve.ReadStderr();
    const int port = PortFrom(serving);
    std::atomic<int> acked{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::thread writer([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_tcp_nodelay(true);
      c.set_connection_timeout(2);
      c.set_read_timeout(5);
      c.set_default_headers({{"Authorization", "Bearer " + P("admin").token}});
      // Bounded: at most 5,000 writes, and none after the kill has been seen.
      for (int i = 0; i < 5000 && !stop; ++i) {
        const std::string name = "Durable " + std::to_string(i);
        auto res = c.Post("/api/v1/accounts", json::serialize(json::object{{"name", name}}),
                          "application/json");
        if (!res) {
          if (acked > 0) break;  // the server is gone
          continue;
        }
        if (res->status == 201) {
          std::lock_guard lock(mu);
          acknowledged.push_back(name);
          ++acked;
        }
      }
    });
    for (int i = 0; i < 3000 && acked < 40; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const int before_kill = acked;
    serve.Stop(SIGKILL, 5000);
    stop = true;
    writer.join();
    ASSERT_GE(before_kill, 40) << "the writes had not started: " << serve.ReadStderr();
  }
  // Every write the server answered 201 is there after the kill.
  auto db = store::OpenDatabase(url_);
  ASSERT_TRUE(db) << db.error().message;
  for (const std::string& name : acknowledged) {
    store::SqlValue params[] = {name};
    EXPECT_EQ((*db)->QueryInt("SELECT COUNT(*) FROM accounts WHERE name = ?", params)->value_or(0),
              1)
        << name << " was acknowledged";
  }
  if ((*db)->dialect() == store::Dialect::kSqlite) {
    auto check = (*db)->Query("PRAGMA integrity_check", {}, [](const store::Row& r) -> Status {
      EXPECT_EQ(r.GetText(0), "ok");
      return Ok();
    });
    EXPECT_TRUE(check);
  }
  // And a server started again serves them.
  Restart();
  auto res = As("admin").Get("/api/v1/accounts?q=Durable&limit=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr("Durable "));
}

// Two clients PATCH the same version at the same moment, many times over: each time exactly one
// wins, the version goes up by one, and one audit entry records the one change.
TEST_P(DurabilityTest, TwoEditsOfOneVersionAtOnceGiveOneWinnerAndOneConflict) {
  const std::string path = "/api/v1/accounts/" + std::to_string(ann_account_.value);
  const std::string audit =
      "SELECT COUNT(*) FROM audit_log WHERE entity = 'accounts' AND "
      "entity_id = " +
      std::to_string(ann_account_.value);
  for (int round = 0; round < 10; ++round) {
    const int64_t version =
        Count("SELECT version FROM accounts WHERE id = " + std::to_string(ann_account_.value));
    const int64_t audits = Count(audit);
    std::barrier start(2);
    int status[2] = {0, 0};
    auto edit = [&](int who) {
      httplib::Client c = As(who == 0 ? "ann" : "mia");
      json::object body{{"version", version},
                        {"name", "Contoso " + std::to_string(round) + (who ? "b" : "a")}};
      const std::string text = json::serialize(body);
      start.arrive_and_wait();
      auto res = c.Patch(path, text, "application/json");
      status[who] = res ? res->status : -1;
    };
    std::thread a(edit, 0), b(edit, 1);
    a.join();
    b.join();
    std::multiset<int> got{status[0], status[1]};
    EXPECT_EQ(got, (std::multiset<int>{200, 409})) << "round " << round;
    EXPECT_EQ(
        Count("SELECT version FROM accounts WHERE id = " + std::to_string(ann_account_.value)),
        version + 1);
    EXPECT_EQ(Count(audit), audits + 1);
  }
}

ORCHARD_SECURITY_SUITE(DurabilityTest);

}  // namespace
}  // namespace orchard::security
