// Multithreading depth as the relationship map edits it (issue "The daily work", item 13):
// reported from the demo book, depth fell 7 → 6 → 5 after a stance and an influence change and
// stayed lower after a restart. Every contact edit the web UI makes (stance, influence, buying
// role, reports-to, title, name) leaves depth, each contact's "engaged" and health where they
// were, through a restart; only a departure (and a return) moves depth, by the one contact. The
// map's "engaged" is the definition depth counts. Both backends, the real binary over a seeded
// book.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/process.h"
#include "support/test_database.h"

namespace orchard {
namespace {

using testing::Backend;
using testing::BackgroundProcess;
using testing::RunOrchard;
namespace json = boost::json;

constexpr const char* kPassword = "a long enough secret";

class DepthTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
    auto seeded = RunOrchard({"seed", "--db", url_, "--accounts", "40", "--seed", "11"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    auto user =
        RunOrchard({"user", "add", "--db", url_, "--email", "lead@x.example", "--role", "admin"},
                   {}, std::string(kPassword) + "\n");
    ASSERT_EQ(user.exit_code, 0) << user.err;
    Serve();
  }

  void Serve() {
    client_.reset();
    if (server_) {
      ASSERT_EQ(server_->Stop(SIGTERM, 10'000), 0);
    }
    server_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
        "serve", "--db", url_, "--listen", "127.0.0.1:0", "--no-access-log"});
    const std::string line = server_->WaitForLine("serving", 30'000);
    std::smatch port;
    ASSERT_TRUE(std::regex_search(line, port, std::regex(R"(http://127\.0\.0\.1:(\d+))")))
        << server_->ReadStderr();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", std::stoi(port[1].str()));
    auto login =
        client_->Post("/api/v1/auth/login",
                      std::string(R"({"email":"lead@x.example","password":")") + kPassword + "\"}",
                      "application/json");
    ASSERT_TRUE(login);
    ASSERT_EQ(login->status, 200) << login->body;
    const std::string cookie = login->get_header_value("Set-Cookie");
    headers_ = {
        {"Cookie", cookie.substr(0, cookie.find(';'))},
        {"X-CSRF-Token", std::string(json::parse(login->body).at("csrf_token").as_string())}};
  }

  json::object Get(const std::string& path) {
    auto r = client_->Get(path, headers_);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << path << ": " << r->body;
    return json::parse(r->body).as_object();
  }

  // Patches a contact as the relationship map does: the change and the version it was read at.
  void Patch(int64_t contact, const std::string& change) {
    const std::string path = "/api/v1/contacts/" + std::to_string(contact);
    const int64_t version = Get(path).at("version").as_int64();
    auto r = client_->Patch(path, headers_,
                            "{" + change + R"(,"version":)" + std::to_string(version) + "}",
                            "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << change << ": " << r->body;
  }

  // What the account page shows: depth from the health card and from the map, each contact's
  // "engaged", and the score.
  struct Seen {
    int64_t health_depth = -1;
    int64_t map_depth = -1;
    int64_t engaged_nodes = 0;
    std::vector<std::pair<int64_t, bool>> engaged;
    std::optional<int64_t> score;
    bool operator==(const Seen&) const = default;
  };
  Seen Look(int64_t account) {
    Seen s;
    const std::string base = "/api/v1/accounts/" + std::to_string(account);
    auto health = Get(base + "/health");
    s.health_depth = health.at("metrics").at("multithreading_depth").as_int64();
    if (health.at("score").is_int64()) s.score = health.at("score").as_int64();
    auto map = Get(base + "/relationship-map");
    s.map_depth = map.at("depth").as_int64();
    for (const auto& node : map.at("nodes").as_array()) {
      const bool engaged = node.at("engaged").as_bool();
      s.engaged.emplace_back(node.at("id").as_int64(), engaged);
      s.engaged_nodes += engaged ? 1 : 0;
    }
    return s;
  }

  testing::TestDatabase test_db_;
  std::string url_;
  std::unique_ptr<BackgroundProcess> server_;
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers headers_;
};

// An engaged contact to edit, and an active contact not engaged who is not among its reports (a
// reports-to line from the first to it closes no cycle); {0, 0} if the account has none.
std::pair<int64_t, int64_t> EditPair(const json::array& nodes) {
  std::map<int64_t, int64_t> manager;
  for (const auto& n : nodes) {
    if (n.at("reports_to_id").is_int64()) {
      manager[n.at("id").as_int64()] = n.at("reports_to_id").as_int64();
    }
  }
  auto under = [&](int64_t id, int64_t boss) {
    for (int hops = 0; hops < 100 && manager.contains(id); ++hops) {
      id = manager[id];
      if (id == boss) return true;
    }
    return false;
  };
  auto active = [](const json::value& n) { return n.at("status").as_string() == "active"; };
  for (const auto& e : nodes) {
    if (!active(e) || !e.at("engaged").as_bool()) continue;
    for (const auto& i : nodes) {
      if (active(i) && !i.at("engaged").as_bool() &&
          !under(i.at("id").as_int64(), e.at("id").as_int64())) {
        return {e.at("id").as_int64(), i.at("id").as_int64()};
      }
    }
  }
  return {0, 0};
}

TEST_P(DepthTest, EveryContactEditTheUiMakesLeavesDepthWhereItWas) {
  // An account with at least two engaged contacts and one that is not.
  int64_t account = 0, engaged = 0, idle = 0;
  for (int64_t id = 1; id <= 40 && account == 0; ++id) {
    auto map = Get("/api/v1/accounts/" + std::to_string(id) + "/relationship-map");
    std::tie(engaged, idle) = EditPair(map.at("nodes").as_array());
    if (engaged != 0 && idle != 0 && map.at("depth").as_int64() >= 2) account = id;
  }
  ASSERT_NE(account, 0) << "the seeded book has no account to edit";
  const Seen before = Look(account);
  ASSERT_GE(before.health_depth, 2);
  EXPECT_EQ(before.map_depth, before.health_depth);
  EXPECT_EQ(before.engaged_nodes, before.health_depth) << "engaged is what depth counts";

  const std::vector<std::string> edits = {
      R"("stance":"champion")",
      R"("stance":"supporter")",
      R"("stance":"neutral")",
      R"("stance":"detractor")",
      R"("stance":"blocker")",
      R"("influence":1)",
      R"("influence":5)",
      R"("buying_role":"economic_buyer")",
      R"("buying_role":"champion")",
      R"("buying_role":"blocker")",
      R"("buying_role":null)",
      R"("reports_to_id":)" + std::to_string(idle),
      R"("reports_to_id":null)",
      R"("title":"Chief Operating Officer")",
      R"("first_name":"Renamed")",
      R"("last_name":"Person")",
  };
  for (const std::string& edit : edits) {
    SCOPED_TRACE(edit);
    Patch(engaged, edit);
    Seen now = Look(account);
    EXPECT_EQ(now.health_depth, before.health_depth);
    EXPECT_EQ(now.map_depth, before.health_depth);
    EXPECT_EQ(now.engaged, before.engaged);
    if (edit.find("reports_to") == std::string::npos) {
      Patch(idle, edit);
      EXPECT_EQ(Look(account).health_depth, before.health_depth);
    }
  }
  const Seen edited = Look(account);
  Serve();  // a restart reads the book back from the database
  EXPECT_EQ(Look(account), edited);

  // A departure is the one edit that moves depth: by the contact who left, and back.
  Patch(engaged, R"("status":"departed")");
  Seen gone = Look(account);
  EXPECT_EQ(gone.health_depth, before.health_depth - 1);
  EXPECT_EQ(gone.map_depth, gone.health_depth);
  Patch(engaged, R"("status":"active")");
  EXPECT_EQ(Look(account).health_depth, before.health_depth);
}

INSTANTIATE_TEST_SUITE_P(Backends, DepthTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard
