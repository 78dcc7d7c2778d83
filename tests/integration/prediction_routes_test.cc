// The models in the API and the dashboards (issue 20, item 5), through the real binary on both
// backends: a small book (too few churn events) shows no score and says why — on the account,
// the models, the churn column of at-risk and renewals, and growth; only admins and leaders
// train; bad input names its field. A book seeded with enough history, once trained, gives each
// account a probability in [0, 1] with its drivers, lists both models with their AUC and
// reliability, ranks growth by expected expansion, fills the churn column, and `orchard report`
// (no server: it scores the book itself) agrees with the API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard {
namespace {

using testing::Backend;
using testing::BackgroundProcess;
using ::testing::HasSubstr;
using testing::RunOrchard;
namespace json = boost::json;

constexpr const char* kPassword = "a long enough secret";

class PredictionRoutesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
  }
  void TearDown() override { Stop(); }

  // A seeded book with a leader and an AM who owns none of it.
  void Seed(int accounts) {
    auto seeded =
        RunOrchard({"seed", "--db", url_, "--accounts", std::to_string(accounts), "--seed", "7"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    for (const char* role : {"leader", "am"}) {
      auto user = RunOrchard({"user", "add", "--db", url_, "--email",
                              std::string(role) + "@x.example", "--role", role},
                             {}, std::string(kPassword) + "\n");
      ASSERT_EQ(user.exit_code, 0) << user.err;
    }
  }

  void Serve() {
    Stop();
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"serve", "--db", url_, "--listen", "127.0.0.1:0",
                                 "--no-access-log", "--rules-every", "3600"});
    const std::string line = process_->WaitForLine("serving", 60'000);
    std::smatch port;
    ASSERT_TRUE(std::regex_search(line, port, std::regex(R"(http://127\.0\.0\.1:(\d+))")))
        << process_->ReadStderr();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", std::stoi(port[1].str()));
    client_->set_read_timeout(600, 0);
    client_->set_tcp_nodelay(true);
  }
  void Stop() {
    client_.reset();
    if (process_) process_->Stop(SIGTERM, 10'000);
    process_.reset();
  }

  httplib::Headers SignIn(const std::string& email) {
    auto login = client_->Post(
        "/api/v1/auth/login",
        R"({"email":")" + email + R"(","password":")" + std::string(kPassword) + "\"}",
        "application/json");
    EXPECT_TRUE(login);
    if (!login) return {};
    EXPECT_EQ(login->status, 200) << login->body;
    const std::string cookie = login->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", std::string(json::parse(login->body).at("csrf_token").as_string())}};
  }

  json::value Call(const httplib::Headers& who, const std::string& method, const std::string& path,
                   int want) {
    httplib::Result r = method == "GET" ? client_->Get(path, who)
                                        : client_->Post(path, who, "", "application/json");
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, want) << method << " " << path << ": " << r->body;
    return r->body.empty() ? json::value(nullptr) : json::parse(r->body);
  }
  json::object Get(const httplib::Headers& who, const std::string& path) {
    auto v = Call(who, "GET", path, 200);
    return v.is_object() ? v.as_object() : json::object();
  }

  int64_t Count(const std::string& sql) {
    auto db = store::OpenDatabase(url_);
    EXPECT_TRUE(db) << db.error().ToString();
    if (!db) return -1;
    auto n = (*db)->QueryInt(sql);
    EXPECT_TRUE(n) << n.error().ToString();
    return n && *n ? **n : -1;
  }

  int64_t FirstAccount(const httplib::Headers& who) {
    auto list = Get(who, "/api/v1/accounts?limit=1");
    return list.at("items").as_array().at(0).at("id").as_int64();
  }

  testing::TestDatabase test_db_;
  std::string url_;
  std::unique_ptr<BackgroundProcess> process_;
  std::unique_ptr<httplib::Client> client_;
};

// The field an error names (the one JSON error shape's first field).
std::string FieldOf(const json::value& error) {
  const auto& fields = error.at("error").at("fields").as_array();
  return fields.empty() ? "" : std::string(fields.at(0).at("field").as_string());
}

TEST_P(PredictionRoutesTest, WithTooFewEventsNoScoreIsShownAndEveryPlaceSaysWhy) {
  ASSERT_NO_FATAL_FAILURE(Seed(12));
  ASSERT_NO_FATAL_FAILURE(Serve());
  const auto leader = SignIn("leader@x.example");
  const int64_t account = FirstAccount(leader);

  auto models = Get(leader, "/api/v1/models");
  ASSERT_EQ(models.at("items").as_array().size(), 2u);
  EXPECT_EQ(models.at("items").at(0).at("kind"), "churn");
  EXPECT_EQ(models.at("items").at(1).at("kind"), "upsell");
  for (const auto& m : models.at("items").as_array()) {
    EXPECT_FALSE(m.at("trained").as_bool());
    EXPECT_TRUE(m.at("reason").is_string());
    EXPECT_TRUE(m.at("auc").is_null());
  }
  EXPECT_TRUE(models.at("may_train").as_bool());

  // Training on a book with too few churn events stores nothing and says why.
  auto trained = Call(leader, "POST", "/api/v1/models/churn/train", 200);
  EXPECT_FALSE(trained.at("trained").as_bool());
  EXPECT_THAT(std::string(trained.at("reason").as_string()), HasSubstr("50"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM predictive_models"), 0);

  auto p = Get(leader, "/api/v1/accounts/" + std::to_string(account) + "/predictions");
  EXPECT_EQ(p.at("account_id").as_int64(), account);
  for (const char* kind : {"churn", "upsell"}) {
    const auto& one = p.at(kind).as_object();
    EXPECT_FALSE(one.at("available").as_bool()) << kind;
    EXPECT_TRUE(one.at("probability").is_null()) << kind;
    EXPECT_FALSE(std::string(one.at("reason").as_string()).empty()) << kind;
  }
  EXPECT_TRUE(p.at("expected_expansion_cents").is_null());

  // The churn column is there, empty, with the reason beside it; growth says why it has no rows.
  for (const char* name : {"at-risk", "renewals?window=365"}) {
    auto d = Get(leader, std::string("/api/v1/dashboards/") + name);
    EXPECT_TRUE(d.at("churn_reason").is_string()) << name;
    for (const auto& row : d.at("items").as_array()) {
      EXPECT_TRUE(row.at("churn_probability").is_null()) << name;
    }
  }
  auto growth = Get(leader, "/api/v1/dashboards/growth");
  EXPECT_FALSE(growth.at("available").as_bool());
  EXPECT_TRUE(growth.at("reason").is_string());
  EXPECT_EQ(growth.at("total").as_int64(), 0);

  // Who may do what: everyone signed in reads (as every account read), only admins and leaders
  // train, anonymous callers nothing.
  const auto am = SignIn("am@x.example");
  Get(am, "/api/v1/accounts/" + std::to_string(account) + "/predictions");
  EXPECT_FALSE(Get(am, "/api/v1/models").at("may_train").as_bool());
  auto refused = Call(am, "POST", "/api/v1/models/upsell/train", 403);
  EXPECT_THAT(json::serialize(refused), HasSubstr("admins and leaders"));
  Call({}, "GET", "/api/v1/accounts/" + std::to_string(account) + "/predictions", 401);
  Call({}, "GET", "/api/v1/models", 401);
  Call(leader, "GET", "/api/v1/accounts/999999/predictions", 404);

  // Bad input names its field.
  auto kind = Call(leader, "POST", "/api/v1/models/attrition/train", 400);
  EXPECT_EQ(FieldOf(kind), "kind");
  EXPECT_THAT(json::serialize(kind), HasSubstr("attrition"));
  EXPECT_EQ(FieldOf(Call(leader, "GET", "/api/v1/dashboards/growth?limit=0", 400)), "limit");
  EXPECT_EQ(FieldOf(Call(leader, "GET", "/api/v1/dashboards/growth?window=30", 400)), "window");
}

TEST_P(PredictionRoutesTest, AStoredModelThatCannotBeReadLeavesTheServerUpWithoutTheModels) {
  ASSERT_NO_FATAL_FAILURE(Seed(12));
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db) << db.error().ToString();
    ASSERT_TRUE((*db)->ExecScript(
        "INSERT INTO predictive_models (kind, version, trained_at, features, report, model) "
        "VALUES ('churn', 1, '2026-12-07 00:00:00', '[]', '{}', 'not a model')"));
  }
  ASSERT_NO_FATAL_FAILURE(Serve());  // it serves (it refused to start before)
  const auto leader = SignIn("leader@x.example");
  auto refused = Call(leader, "GET", "/api/v1/models", 503);
  EXPECT_THAT(json::serialize(refused), HasSubstr("without the models"));
  // The dashboards answer; the churn column is empty and says why.
  auto risk = Get(leader, "/api/v1/dashboards/at-risk");
  EXPECT_TRUE(risk.at("churn_reason").is_string());
}

// A book with years of history: enough churn events and expansions to train both models.
constexpr int kTrainableBook = 250;

TEST_P(PredictionRoutesTest, TrainedOnTheBooksHistoryEveryPlaceShowsTheScores) {
  ASSERT_NO_FATAL_FAILURE(Seed(kTrainableBook));
  ASSERT_NO_FATAL_FAILURE(Serve());
  const auto leader = SignIn("leader@x.example");
  for (const char* kind : {"churn", "upsell"}) {
    auto report = Call(leader, "POST", std::string("/api/v1/models/") + kind + "/train", 200);
    ASSERT_TRUE(report.at("trained").as_bool()) << kind << ": " << json::serialize(report);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM predictive_models"), 2);
  // Each training through the API names who asked (the store's own entry has no actor).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'predictive_models' AND "
                  "actor_id IS NOT NULL"),
            2);

  auto models = Get(leader, "/api/v1/models");
  for (const auto& m : models.at("items").as_array()) {
    EXPECT_TRUE(m.at("trained").as_bool());
    const double auc = m.at("auc").to_number<double>();
    EXPECT_GE(auc, 0.0);
    EXPECT_LE(auc, 1.0);
    EXPECT_GT(m.at("events").as_int64(), 50);
    EXPECT_GT(m.at("test_examples").as_int64(), 0);
    // Ten equal-width bins, those with test examples (an empty one has nothing to plot).
    const auto& bins = m.at("reliability").as_array();
    EXPECT_GE(bins.size(), 2u);
    EXPECT_LE(bins.size(), 10u);
    for (const auto& bin : bins) {
      EXPECT_GE(bin.at("lo").to_number<double>(), 0.0);
      EXPECT_LE(bin.at("hi").to_number<double>(), 1.0 + 1e-9);
      EXPECT_GT(bin.at("count").as_int64(), 0);
    }
    EXPECT_TRUE(m.at("trained_at").is_string());
    EXPECT_TRUE(m.at("cutoff").is_string());
  }

  // Growth: ranked by expected expansion, largest first, paged to its end.
  auto growth = Get(leader, "/api/v1/dashboards/growth?limit=10000");
  ASSERT_TRUE(growth.at("available").as_bool()) << json::serialize(growth);
  const auto& rows = growth.at("items").as_array();
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(growth.at("total").as_int64(), static_cast<int64_t>(rows.size()));
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_GE(rows[i - 1].at("expected_expansion_cents").as_int64(),
              rows[i].at("expected_expansion_cents").as_int64());
  }
  for (const auto& row : rows) {
    const double upsell = row.at("upsell_probability").to_number<double>();
    EXPECT_GE(upsell, 0.0);
    EXPECT_LE(upsell, 1.0);
    EXPECT_GT(row.at("whitespace_cents").as_int64(), 0);
  }
  // Filtered: the same order, only that tier's accounts, counted.
  auto tier1 = Get(leader, "/api/v1/dashboards/growth?tier=1&limit=10000");
  std::vector<int64_t> expected_tier1;
  for (const auto& row : rows) {
    if (row.at("tier") == "1") expected_tier1.push_back(row.at("account_id").as_int64());
  }
  std::vector<int64_t> got_tier1;
  for (const auto& row : tier1.at("items").as_array()) {
    got_tier1.push_back(row.at("account_id").as_int64());
  }
  EXPECT_EQ(got_tier1, expected_tier1);
  EXPECT_EQ(tier1.at("total").as_int64(), static_cast<int64_t>(expected_tier1.size()));
  auto second = Get(leader, "/api/v1/dashboards/growth?limit=1&offset=1");
  EXPECT_EQ(second.at("items").at(0).at("account_id"), rows[1].at("account_id"));

  // The first account of growth: its predictions, with drivers, actionable ones first.
  const int64_t account = rows[0].at("account_id").as_int64();
  auto p = Get(leader, "/api/v1/accounts/" + std::to_string(account) + "/predictions");
  for (const char* kind : {"churn", "upsell"}) {
    const auto& one = p.at(kind).as_object();
    ASSERT_TRUE(one.at("available").as_bool()) << kind << ": " << json::serialize(one);
    const double probability = one.at("probability").to_number<double>();
    EXPECT_GE(probability, 0.0);
    EXPECT_LE(probability, 1.0);
    const auto& drivers = one.at("drivers").as_array();
    EXPECT_GE(drivers.size(), 1u) << kind;
    EXPECT_LE(drivers.size(), 5u) << kind;
    bool acting = true;
    for (const auto& d : drivers) {
      EXPECT_FALSE(std::string(d.at("words").as_string()).empty());
      if (!d.at("actionable").as_bool()) acting = false;
      if (acting) continue;
      EXPECT_FALSE(d.at("actionable").as_bool()) << "actionable drivers come first";
    }
  }
  EXPECT_EQ(p.at("expected_expansion_cents"), rows[0].at("expected_expansion_cents"));

  // The churn column on at-risk and renewals.
  for (const char* name : {"at-risk", "renewals"}) {
    auto d = Get(leader, std::string("/api/v1/dashboards/") + name + "?limit=50");
    EXPECT_TRUE(d.at("churn_reason").is_null()) << name;
    int scored = 0;
    for (const auto& row : d.at("items").as_array()) {
      if (row.at("churn_probability").is_null()) continue;
      ++scored;
      EXPECT_LE(row.at("churn_probability").to_number<double>(), 1.0);
    }
    EXPECT_GT(scored, 0) << name;
  }

  // A restarted server loads the stored models and scores the book on its refresh thread, after
  // it has started serving: growth fills in without anyone training again.
  ASSERT_NO_FATAL_FAILURE(Serve());
  const auto again = SignIn("leader@x.example");
  json::object restarted;
  for (int i = 0; i < 600; ++i) {  // until the first refresh has ended (at most a minute)
    restarted = Get(again, "/api/v1/dashboards/growth?limit=1");
    if (restarted.at("available").as_bool()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(restarted.at("available").as_bool()) << json::serialize(restarted);
  EXPECT_EQ(restarted.at("items").at(0).at("account_id").as_int64(), account);

  // `orchard report` has no server: it loads the stored models and scores the book itself.
  auto report = RunOrchard({"report", "growth", "--db", url_, "--format", "json", "--limit", "3"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  auto printed = json::parse(report.out).as_object();
  EXPECT_EQ(printed.at("items").at(0).at("account_id").as_int64(), account);
  auto csv = RunOrchard({"report", "at-risk", "--db", url_, "--format", "csv", "--limit", "3"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out.substr(0, csv.out.find('\n')), HasSubstr("churn_probability"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PredictionRoutesTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard
