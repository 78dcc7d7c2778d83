// Automation rules end to end (issue 19), through the real binary on both backends: a rule is
// saved (a bad condition refused with its line and column, a loop between rules refused naming
// it), fires once per anchor however many passes and restarts run, acts (tasks with their
// checklist, inbox notifications), pauses at its cap without stopping another rule, explains why
// it fired or did not, keeps its versions, and an event rule acts right after the write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
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
using testing::RunOrchard;
namespace json = boost::json;

constexpr const char* kPassword = "a long enough secret";

// A rule's body: the trigger, the condition and the actions as JSON text.
std::string RuleBody(const std::string& name, const std::string& definition,
                     const std::string& status = "active") {
  return R"({"name":")" + name + R"(","status":")" + status + R"(","definition":)" + definition +
         "}";
}

// One `orchard serve` over the test's database, signed in as the admin.
class Server {
 public:
  // Full passes only when asked (POST /api/v1/rules/run) unless `rules_every` says otherwise;
  // event passes after every write.
  void Start(const std::string& url, const std::string& rules_every = "3600") {
    client_.reset();
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"serve", "--db", url, "--listen", "127.0.0.1:0", "--no-access-log",
                                 "--rules-every", rules_every});
    const std::string line = process_->WaitForLine("serving", 30'000);
    std::smatch port;
    ASSERT_TRUE(std::regex_search(line, port, std::regex(R"(http://127\.0\.0\.1:(\d+))")))
        << process_->ReadStderr();
    port_ = std::stoi(port[1].str());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    // A pass over a big book (a sanitizer build is several times slower) answers late.
    client_->set_read_timeout(180, 0);
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
  // Stops it with `sig` (SIGKILL: as a crash would).
  void Stop(int sig = SIGTERM) {
    client_.reset();
    if (process_) process_->Stop(sig, 10'000);
    process_.reset();
  }
  bool running() const { return process_ != nullptr; }

  json::value Call(const std::string& method, const std::string& path, const std::string& body,
                   int want) {
    httplib::Result r = method == "GET" ? client_->Get(path, headers_)
                        : method == "PATCH"
                            ? client_->Patch(path, headers_, body, "application/json")
                            : client_->Post(path, headers_, body, "application/json");
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, want) << method << " " << path << ": " << r->body;
    last_body_ = r->body;
    return json::parse(r->body);
  }
  json::object Get(const std::string& path) { return Call("GET", path, "", 200).as_object(); }
  json::object Post(const std::string& path, const std::string& body, int want = 200) {
    auto v = Call("POST", path, body, want);
    return v.is_object() ? v.as_object() : json::object();
  }
  const std::string& last_body() const { return last_body_; }
  // A client with no session, on the same server.
  httplib::Client Anonymous() const { return httplib::Client("127.0.0.1", port_); }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers headers_;
  std::string last_body_;
};

// A seeded book of `accounts` accounts with the admin lead@x.example.
void SeedBook(const std::string& url, int accounts) {
  auto seeded =
      RunOrchard({"seed", "--db", url, "--accounts", std::to_string(accounts), "--seed", "7"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  auto user =
      RunOrchard({"user", "add", "--db", url, "--email", "lead@x.example", "--role", "admin"}, {},
                 std::string(kPassword) + "\n");
  ASSERT_EQ(user.exit_code, 0) << user.err;
}

int64_t CountRows(const std::string& url, const std::string& sql) {
  auto db = store::OpenDatabase(url);
  EXPECT_TRUE(db) << db.error().ToString();
  if (!db) return -1;
  auto n = (*db)->QueryInt(sql);
  EXPECT_TRUE(n) << n.error().ToString();
  return n && *n ? **n : -1;
}

// Today, `days` from now, as the server's clock reads it: "YYYY-MM-DD".
std::string DayFromNow(int days) {
  std::time_t at = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&at));
  return text;
}

class RulesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
    SeedBook(url_, 60);
    Serve();
  }
  void Serve() {
    server_.Stop();
    server_.Start(url_);
  }
  json::value Call(const std::string& method, const std::string& path, const std::string& body,
                   int want) {
    auto v = server_.Call(method, path, body, want);
    last_body_ = server_.last_body();
    return v;
  }
  json::object Get(const std::string& path) { return Call("GET", path, "", 200).as_object(); }
  json::object Post(const std::string& path, const std::string& body, int want = 200) {
    auto v = Call("POST", path, body, want);
    return v.is_object() ? v.as_object() : json::object();
  }
  int64_t CountRows(const std::string& sql) { return orchard::CountRows(url_, sql); }

  testing::TestDatabase test_db_;
  std::string url_;
  Server server_;
  std::string last_body_;
};

constexpr const char* kRenewalRule = R"({
  "trigger": {"kind": "renewal_in", "days": 120, "catch_up_days": 120},
  "condition": "tier in (1, 2, 3) and arr > 0",
  "actions": [
    {"kind": "task", "title": "Renewal of {{account.name}} on {{renewal_date}}",
     "checklist": ["Confirm terms", "Meet the economic buyer"], "owner": "user:lead@x.example",
     "due_in_days": 10},
    {"kind": "notify", "to": ["user:lead@x.example"], "title": "{{account.name}} renews soon"}],
  "cap_per_day": 1000})";

TEST_P(RulesTest, ARenewalRuleFiresOncePerAccountAcrossPassesAndRestarts) {
  auto draft = Post("/api/v1/rules/dry-run", std::string(R"({"definition":)") + kRenewalRule + "}");
  const int64_t expected = draft.at("total").as_int64();
  ASSERT_GT(expected, 0) << "the seeded book has renewals within 120 days";
  auto rule = Post("/api/v1/rules", RuleBody("Renewals", kRenewalRule), 201);
  const int64_t id = rule.at("id").as_int64();

  auto first = Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(first.at("fired").as_int64(), expected);
  EXPECT_EQ(first.at("actions_failed").as_int64(), 0) << last_body_;
  const std::string tasks = "SELECT COUNT(*) FROM tasks WHERE source_key LIKE 'rule:%'";
  EXPECT_EQ(CountRows(tasks), expected);
  // The checklist came with the task, rendered.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM tasks WHERE source_key LIKE 'rule:%' AND checklist "
                      "LIKE '%Meet the economic buyer%' AND title LIKE 'Renewal of %'"),
            expected);
  auto inbox = Get("/api/v1/inbox?limit=5");
  EXPECT_EQ(inbox.at("unread").as_int64(), expected);
  EXPECT_THAT(std::string(inbox.at("items").as_array().at(0).at("title").as_string()),
              ::testing::EndsWith("renews soon"));

  // Again, and after a restart: nothing fires twice.
  EXPECT_EQ(Post("/api/v1/rules/run", "{}").at("fired").as_int64(), 0);
  Serve();
  EXPECT_EQ(Post("/api/v1/rules/run", "{}").at("fired").as_int64(), 0);
  EXPECT_EQ(CountRows(tasks), expected);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM rule_firings WHERE rule_id = " + std::to_string(id)),
            expected);
  // The CLI's pass (for cron) agrees: nothing left to fire.
  server_.Stop();
  auto cli = RunOrchard({"rules", "run", "--once", "--db", url_});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_THAT(cli.out, ::testing::HasSubstr(": 0 fired"));

  // Marking read empties the unread count.
  Serve();
  Post("/api/v1/inbox/read", "{}");
  EXPECT_EQ(Get("/api/v1/inbox").at("unread").as_int64(), 0);
}

TEST_P(RulesTest, ABadConditionIsRefusedWithItsPosition) {
  const std::string bad = R"({"trigger":{"kind":"renewal_in"},"condition":"tier = 1 and helth < 50",
    "actions":[{"kind":"notify","to":["am"],"title":"x"}]})";
  Post("/api/v1/rules", RuleBody("Bad", bad), 422);
  EXPECT_THAT(last_body_, ::testing::HasSubstr("line 1, column 14"));
  EXPECT_THAT(last_body_, ::testing::HasSubstr("health"));  // did you mean
  // The editor's check gives the position as numbers.
  auto check = Post("/api/v1/rules/check", R"({"condition":"arr > "})");
  EXPECT_FALSE(check.at("ok").as_bool());
  EXPECT_EQ(check.at("error").at("column").as_int64(), 7);
  // Unknown action fields and merge fields are named.
  Post("/api/v1/rules",
       RuleBody("Bad", R"({"trigger":{"kind":"plan_stale"},"actions":[{"kind":"task",
         "title":"{{acount.name}}"}]})"),
       422);
  EXPECT_THAT(last_body_, ::testing::HasSubstr("actions[0].title"));
  EXPECT_THAT(last_body_, ::testing::HasSubstr("acount.name"));
  EXPECT_EQ(Get("/api/v1/rules").at("items").as_array().size(), 12u)  // the shipped drafts only
      << last_body_;
}

TEST_P(RulesTest, ALoopBetweenRulesIsRefusedNamingIt) {
  // A sets strategic (which moves the tier) when a condition on the tier holds: its own loop.
  Post("/api/v1/rules", RuleBody("Self", R"({"trigger":{"kind":"plan_stale"},
      "condition":"tier = 2","actions":[{"kind":"set_field","field":"strategic","value":"true"}]})"),
       422);
  EXPECT_THAT(last_body_, ::testing::HasSubstr("rule 'Self' changes tier"));
  // Two rules: A sets growth potential (moves the quadrant), B reads the quadrant and sets
  // strategic (moves the tier), which A reads.
  Post("/api/v1/rules", RuleBody("A", R"({"trigger":{"kind":"plan_stale"},"condition":"tier = 1",
      "actions":[{"kind":"set_field","field":"growth_potential","value":"high"}]})"),
       201);
  Post("/api/v1/rules", RuleBody("B", R"({"trigger":{"kind":"plan_stale"},
      "condition":"quadrant = \"invest\"",
      "actions":[{"kind":"set_field","field":"strategic","value":"true"}]})"),
       422);
  EXPECT_THAT(last_body_, ::testing::HasSubstr("rule 'B' changes"));
  EXPECT_THAT(last_body_, ::testing::HasSubstr("rule 'A' reads"));
  // As a draft it may be kept: only active rules run.
  Post("/api/v1/rules",
       RuleBody("B", R"({"trigger":{"kind":"plan_stale"},
      "condition":"quadrant = \"invest\"",
      "actions":[{"kind":"set_field","field":"strategic","value":"true"}]})",
                "draft"),
       201);
}

TEST_P(RulesTest, ACapPausesOnlyItsRuleAndTellsTheAdmins) {
  const std::string capped = R"({"trigger":{"kind":"renewal_in","days":365,"catch_up_days":365},
    "actions":[{"kind":"notify","to":["user:lead@x.example"],"title":"capped"}],"cap_per_day":2})";
  const std::string other = R"({"trigger":{"kind":"renewal_in","days":365,"catch_up_days":365},
    "condition":"tier = 3 or tier = 2 or tier = 1",
    "actions":[{"kind":"notify","to":["user:lead@x.example"],"title":"other"}]})";
  const int64_t capped_id =
      Post("/api/v1/rules", RuleBody("Capped", capped), 201).at("id").as_int64();
  Post("/api/v1/rules", RuleBody("Other", other), 201);
  auto run = Post("/api/v1/rules/run", "{}");
  const int64_t all = Post("/api/v1/rules/dry-run", std::string(R"({"definition":)") + other + "}")
                          .at("total")
                          .as_int64();
  ASSERT_GT(all, 2);
  EXPECT_EQ(run.at("fired").as_int64(), 2 + all);  // the other rule fired for every account
  auto rule = Get("/api/v1/rules/" + std::to_string(capped_id));
  EXPECT_FALSE(rule.at("live").as_bool());
  EXPECT_THAT(std::string(rule.at("paused_reason").as_string()),
              ::testing::HasSubstr("reached its cap of 2"));
  EXPECT_EQ(rule.at("fired_today").as_int64(), 2);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM notifications WHERE title LIKE '%paused at its cap'"),
            1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM notifications WHERE title LIKE '%80 %% of its cap'"),
            1);
  // Resumed, it acts again; still capped for the day, it pauses again at once.
  auto resumed = Post("/api/v1/rules/" + std::to_string(capped_id) + "/resume", "{}");
  EXPECT_TRUE(resumed.at("live").as_bool());
}

TEST_P(RulesTest, AnEventRuleActsRightAfterTheWrite) {
  Post("/api/v1/rules", RuleBody("Detractor", R"({"trigger":{"kind":"nps_detractor"},
      "actions":[{"kind":"task","title":"Call back {{account.name}}: NPS detractor",
      "owner":"user:lead@x.example","due_in_days":1}]})"),
       201);
  auto accounts = Get("/api/v1/accounts?limit=1");
  const int64_t account = accounts.at("items").as_array().at(0).at("id").as_int64();
  const auto wrote = std::chrono::steady_clock::now();
  Post("/api/v1/accounts/" + std::to_string(account) + "/nps-responses",
       R"({"score":3,"comment":"slow support","responded_on":")" + DayFromNow(0) + "\"}", 201);
  // The task comes from the runner woken by the write: no pass was asked for.
  int64_t tasks = 0;
  while (std::chrono::steady_clock::now() - wrote < std::chrono::seconds(10)) {
    tasks = CountRows("SELECT COUNT(*) FROM tasks WHERE title LIKE 'Call back %'");
    if (tasks > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(tasks, 1);
  // A second detractor response is a new anchor; the first is not fired again.
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM tasks WHERE title LIKE 'Call back %'"), 1);
}

TEST_P(RulesTest, AReviewDueSoonFiresOnceAndARescheduledOneAgain) {
  auto rule = Post("/api/v1/rules", RuleBody("QBR prep", R"({"trigger":{"kind":"review_due",
      "days":7,"review":"customer"},"actions":[{"kind":"task","title":
      "Prepare the QBR of {{account.name}}","owner":"user:lead@x.example","due_in_days":2}]})"),
                   201);
  const std::string id = std::to_string(rule.at("id").as_int64());
  const int64_t account =
      Get("/api/v1/accounts?limit=1").at("items").as_array().at(0).at("id").as_int64();
  const std::string base = "/api/v1/accounts/" + std::to_string(account);
  auto firings = [&] {
    return CountRows("SELECT COUNT(*) FROM rule_firings WHERE rule_id = " + id +
                     " AND account_id = " + std::to_string(account));
  };
  auto cancel_scheduled = [&] {  // the seed's own reviews of the account, out of the way
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec(
        "UPDATE reviews SET status = 'cancelled' WHERE account_id = " + std::to_string(account),
        {}));
  };
  cancel_scheduled();
  // An internal review is not the rule's kind, and a customer one 20 days out is too far.
  Post(base + "/reviews",
       R"({"kind":"internal","status":"scheduled","due_on":")" + DayFromNow(2) + "\"}", 201);
  auto later =
      Post(base + "/reviews",
           R"({"kind":"customer","status":"scheduled","due_on":")" + DayFromNow(20) + "\"}", 201);
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(firings(), 0);
  auto trace = Get("/api/v1/rules/" + id + "/trace?account=" + std::to_string(account));
  EXPECT_FALSE(trace.at("trigger_holds").as_bool());
  EXPECT_THAT(std::string(trace.at("trigger").as_string()),
              ::testing::HasSubstr("no customer review is scheduled within 7 days"));
  // Brought forward to 3 days out: it fires, once, however many passes run.
  const std::string review = std::to_string(later.at("id").as_int64());
  Call("PATCH", "/api/v1/reviews/" + review, R"({"due_on":")" + DayFromNow(3) + "\"}", 200);
  Post("/api/v1/rules/run", "{}");
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(firings(), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM rule_firings WHERE rule_id = " + id +
                      " AND anchor = 'review:" + review + ":" + DayFromNow(3) + "'"),
            1);
  trace = Get("/api/v1/rules/" + id + "/trace?account=" + std::to_string(account));
  EXPECT_THAT(std::string(trace.at("trigger").as_string()),
              ::testing::HasSubstr("is due on " + DayFromNow(3) + ", in 3 days"));
  // Rescheduled to another day inside the window: a new anchor, a second reminder.
  Call("PATCH", "/api/v1/reviews/" + review, R"({"due_on":")" + DayFromNow(5) + "\"}", 200);
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(firings(), 2);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM tasks WHERE title LIKE 'Prepare the QBR of%' AND "
                      "account_id = " +
                      std::to_string(account)),
            2);
}

TEST_P(RulesTest, AnEngagementSpikeAgainstTheAccountsOwnNormalFiresOnceADay) {
  auto rule = Post("/api/v1/rules", RuleBody("Buying signal", R"({"trigger":{"kind":
      "engagement_spike","signals":["pricing_page_visit","case_study_download"],"z":3},
      "actions":[{"kind":"notify","to":["user:lead@x.example"],"title":
      "Buying signal at {{account.name}}"}]})"),
                   201);
  const std::string id = std::to_string(rule.at("id").as_int64());
  // A signal kind the rule does not count, or an unknown one, is refused on save.
  Post("/api/v1/rules", RuleBody("Bad", R"({"trigger":{"kind":"engagement_spike",
      "signals":["pricing_page"]},"actions":[{"kind":"notify","to":["am"],"title":"x"}]})"),
       422);
  EXPECT_THAT(last_body_, ::testing::HasSubstr("trigger.signals"));
  const int64_t account =
      Get("/api/v1/accounts?limit=1").at("items").as_array().at(0).at("id").as_int64();
  {  // a quiet account: no signals in the last five weeks
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec(
        "DELETE FROM engagement_signals WHERE account_id = " + std::to_string(account), {}));
  }
  auto firings = [&] {
    return CountRows("SELECT COUNT(*) FROM rule_firings WHERE rule_id = " + id +
                     " AND account_id = " + std::to_string(account));
  };
  const std::string path = "/api/v1/accounts/" + std::to_string(account) + "/engagement-signals";
  const std::string at = DayFromNow(0);  // midnight today
  auto signal = [&](const char* kind) {
    Post(path, std::string(R"({"kind":")") + kind + R"(","occurred_at":")" + at + "\"}", 201);
  };
  // Webinars do not count; two pricing-page visits are z 2: not yet a spike.
  signal("webinar_attended");
  signal("webinar_attended");
  signal("webinar_attended");
  signal("pricing_page_visit");
  signal("pricing_page_visit");
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(firings(), 0);
  // A case-study download makes three: the runner, woken by the write, fires.
  const auto wrote = std::chrono::steady_clock::now();
  signal("case_study_download");
  while (firings() == 0 && std::chrono::steady_clock::now() - wrote < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(firings(), 1);
  // More visits the same day are the same spike.
  signal("pricing_page_visit");
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(firings(), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM notifications WHERE title LIKE 'Buying signal at%'"),
            1);
  auto trace = Get("/api/v1/rules/" + id + "/trace?account=" + std::to_string(account));
  const auto& fired = trace.at("firings").as_array().at(0);
  EXPECT_EQ(fired.at("anchor").as_string(), "engagement:" + DayFromNow(0));
}

TEST_P(RulesTest, TheTraceSaysWhyItFiredOrWhyNot) {
  auto rule = Post("/api/v1/rules", RuleBody("Renewals", kRenewalRule), 201);
  const std::string id = std::to_string(rule.at("id").as_int64());
  auto draft = Post("/api/v1/rules/dry-run", std::string(R"({"definition":)") + kRenewalRule + "}");
  const int64_t hit = draft.at("accounts").as_array().at(0).at("account_id").as_int64();
  auto before = Get("/api/v1/rules/" + id + "/trace?account=" + std::to_string(hit));
  EXPECT_TRUE(before.at("trigger_holds").as_bool());
  EXPECT_TRUE(before.at("condition_holds").as_bool());
  EXPECT_THAT(std::string(before.at("verdict").as_string()),
              ::testing::HasSubstr("fires on renewal:"));
  Post("/api/v1/rules/run", "{}");
  auto after = Get("/api/v1/rules/" + id + "/trace?account=" + std::to_string(hit));
  EXPECT_THAT(std::string(after.at("verdict").as_string()), ::testing::HasSubstr("already"));
  const auto& firing = after.at("firings").as_array().at(0);
  EXPECT_EQ(firing.at("status").as_string(), "done");
  EXPECT_THAT(std::string(firing.at("actions").as_array().at(0).at("result").as_string()),
              ::testing::StartsWith("task "));
  // The values that made the condition true are kept with the firing.
  EXPECT_TRUE(firing.at("facts").at("values").as_object().contains("arr"));
  // An account the trigger does not hold for says which part failed.
  auto accounts = Get("/api/v1/accounts?limit=200").at("items").as_array();
  for (const auto& a : accounts) {
    auto t = Get("/api/v1/rules/" + id + "/trace?account=" + std::to_string(a.at("id").as_int64()));
    if (t.at("trigger_holds").as_bool()) continue;
    EXPECT_THAT(std::string(t.at("verdict").as_string()),
                ::testing::HasSubstr("Its trigger does not hold"));
    break;
  }
}

TEST_P(RulesTest, EverySaveIsAVersionAndTwoCanBeCompared) {
  auto rule = Post("/api/v1/rules", RuleBody("Renewals", kRenewalRule, "draft"), 201);
  const std::string id = std::to_string(rule.at("id").as_int64());
  auto changed = Call("PATCH", "/api/v1/rules/" + id,
                      R"({"version":1,"status":"active","definition":)" +
                          std::string(kRenewalRule)
                              .replace(std::string(kRenewalRule).find("arr > 0"), 7, "arr > 1000") +
                          "}",
                      200);
  EXPECT_EQ(changed.at("version").as_int64(), 2);
  // A stale version is a conflict naming the current one.
  Call("PATCH", "/api/v1/rules/" + id, R"({"version":1,"name":"x"})", 409);
  auto versions = Get("/api/v1/rules/" + id + "/versions");
  EXPECT_EQ(versions.at("items").as_array().size(), 2u);
  auto diff = Get("/api/v1/rules/" + id + "/diff?from=1&to=2");
  std::string all;
  for (const auto& c : diff.at("changes").as_array()) all += std::string(c.as_string()) + "\n";
  EXPECT_THAT(all, ::testing::HasSubstr("status: draft → active"));
  EXPECT_THAT(all, ::testing::HasSubstr("arr > 1000"));
}

TEST_P(RulesTest, ABacktestReplaysTheYearAndComparesTheOutcomes) {
  const std::string rule = R"({"trigger":{"kind":"renewal_in","days":90,"catch_up_days":30},
    "actions":[{"kind":"notify","to":["am"],"title":"x"}]})";
  auto b = Post("/api/v1/rules/backtest", std::string(R"({"definition":)") + rule + "}");
  const int64_t firings = b.at("firings").as_int64();
  ASSERT_GT(firings, 0) << last_body_;
  int64_t summed = 0;
  for (const auto& m : b.at("by_month").as_array()) summed += m.at("firings").as_int64();
  EXPECT_EQ(summed, firings);
  // Each firing came between 60 and 90 days before its renewal, as the live rule would.
  for (const auto& f : b.at("sample").as_array()) {
    const int64_t days = f.at("days_to_renewal").as_int64();
    EXPECT_GE(days, 60) << json::serialize(f);
    EXPECT_LE(days, 90) << json::serialize(f);
    EXPECT_GE(std::string(f.at("day").as_string()), std::string(b.at("from").as_string()));
  }
  EXPECT_GT(b.at("fired").at("evaluable").as_int64(), 0);
  EXPECT_GT(b.at("not_fired").at("evaluable").as_int64(), 0);
  // The CLI prints the same replay.
  server_.Stop();
  const int64_t id = [&] {
    auto db = store::OpenDatabase(url_);
    EXPECT_TRUE(db);
    auto r = (*db)->Exec(
        "INSERT INTO rules (name, description, status, enabled, version, definition, created_at, "
        "updated_at) VALUES ('Replayed', '', 'draft', TRUE, 1, '" +
            json::serialize(json::parse(rule)) + "', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        {});
    EXPECT_TRUE(r);
    return CountRows("SELECT MAX(id) FROM rules");
  }();
  auto cli = RunOrchard({"rules", "backtest", std::to_string(id), "--db", url_});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_THAT(cli.out, ::testing::HasSubstr(std::to_string(firings) + " firings"));
  EXPECT_THAT(cli.out, ::testing::HasSubstr("ARR fell within 90 days"));
}

TEST_P(RulesTest, TechTouchEMailIsLoggedAndHonoursUnsubscribe) {
  const std::string rule = R"({"trigger":{"kind":"renewal_in","days":365,"catch_up_days":365},
    "actions":[{"kind":"tech_touch","audience":"all","subject":"{{account.name}} renews on {{renewal_date}}",
      "body":"Hello {{contact.first_name}}, stop these: {{unsubscribe_url}}"}]})";
  Post("/api/v1/rules", RuleBody("Tech touch", rule), 201);
  Post("/api/v1/rules/run", "{}");
  const int64_t sent = CountRows("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'email'");
  ASSERT_GT(sent, 0);
  // Every send is on its account's activity log.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM activities WHERE body LIKE 'Tech-touch e-mail from "
                      "rule %'"),
            sent);
  // The link in the first e-mail: a page that asks, a POST that unsubscribes.
  std::string payload;
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Query("SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id",
                             {}, [&](const store::Row& row) -> Status {
                               if (payload.empty()) payload = std::string(row.GetText(0));
                               return Ok();
                             }));
  }
  std::smatch link;
  ASSERT_TRUE(std::regex_search(
      payload, link, std::regex(R"((/api/v1/unsubscribe\?email=([^&]+)&sig=[0-9a-f]+))")))
      << payload;
  const std::string path = link[1].str();
  httplib::Client anonymous = server_.Anonymous();
  auto page = anonymous.Get(path);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, ::testing::HasSubstr("Stop these e-mails"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM email_opt_outs"), 0);  // asking changes nothing
  auto forged = anonymous.Post(path.substr(0, path.size() - 2) + "00", "", "text/plain");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 422);
  auto done = anonymous.Post(path, "", "text/plain");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM email_opt_outs"), 1);
  // A second rule writes to everyone else, not to the address that left.
  Post("/api/v1/rules", RuleBody("Tech touch again", rule), 201);
  Post("/api/v1/rules/run", "{}");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'email'"), 2 * sent - 1);
}

// A rule of two actions over many accounts: every account renewing within a year, a task and a
// notification each — enough work that a pass takes a while.
constexpr const char* kWideRule = R"({
  "trigger": {"kind": "renewal_in", "days": 365, "catch_up_days": 365},
  "actions": [
    {"kind": "task", "title": "Renewal of {{account.name}}", "owner": "user:lead@x.example"},
    {"kind": "notify", "to": ["user:lead@x.example"], "title": "{{account.name}} renews"}],
  "cap_per_day": 100000})";

// What a finished set of passes must show: one firing per account the rule is true for, each
// with both actions done, one task and one notification per firing — nothing twice, nothing
// missed.
void ExpectEachAccountActedOnOnce(const std::string& url, int64_t rule, int64_t expected) {
  const std::string id = std::to_string(rule);
  EXPECT_EQ(CountRows(url, "SELECT COUNT(*) FROM rule_firings WHERE rule_id = " + id), expected);
  EXPECT_EQ(
      CountRows(url, "SELECT COUNT(DISTINCT account_id) FROM rule_firings WHERE rule_id = " + id),
      expected);
  EXPECT_EQ(CountRows(url,
                      "SELECT COUNT(*) FROM rule_actions a JOIN rule_firings f ON f.id = "
                      "a.firing_id WHERE a.status = 'done' AND f.rule_id = " +
                          id),
            2 * expected);
  EXPECT_EQ(CountRows(url, "SELECT COUNT(*) FROM tasks WHERE title LIKE 'Renewal of %'"), expected);
  EXPECT_EQ(CountRows(url, "SELECT COUNT(*) FROM notifications WHERE title LIKE '% renews'"),
            expected);
}

// kill -9 in the middle of passes, three times at different moments, then a restart: nothing
// fires or acts twice, and nothing is missed.
// A book big enough that a pass over it takes a while (about 1,400 firings of two actions).
class RulesCrashTest : public RulesTest {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
    SeedBook(url_, 1500);
    Serve();
  }
};

TEST_P(RulesCrashTest, AKillNineMidPassNeitherRepeatsNorLosesAFiring) {
  const int64_t rule = Post("/api/v1/rules", RuleBody("Wide", kWideRule), 201).at("id").as_int64();
  const int64_t expected =
      Post("/api/v1/rules/dry-run", std::string(R"({"definition":)") + kWideRule + "}")
          .at("total")
          .as_int64();
  ASSERT_GT(expected, 1000);
  server_.Stop();
  for (int delay_ms : {0, 300, 900}) {
    // Its first full pass starts as it starts serving.
    server_.Start(url_, "1");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    server_.Stop(SIGKILL);
    std::fprintf(stderr, "after kill -9 at %d ms: %lld firings, %lld of their actions done\n",
                 delay_ms, static_cast<long long>(CountRows("SELECT COUNT(*) FROM rule_firings")),
                 static_cast<long long>(
                     CountRows("SELECT COUNT(*) FROM rule_actions WHERE status = 'done'")));
  }
  Serve();
  Post("/api/v1/rules/run", "{}");
  ExpectEachAccountActedOnOnce(url_, rule, expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, RulesTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, RulesCrashTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

// Two servers on one PostgreSQL, each running passes every second: one leader acts, and a time
// rule fires once per account whichever server's pass reached it.
TEST(RulesClusterTest, TwoServersOnOnePostgresFireATimeRuleOnce) {
  testing::TestDatabase test_db;
  ORCHARD_OPEN_TEST_DATABASE(test_db, Backend::kPostgres, /*shareable=*/true);
  const std::string url = test_db.url();
  SeedBook(url, 120);
  Server a, b;
  a.Start(url, "1");
  b.Start(url, "1");
  const int64_t expected =
      a.Post("/api/v1/rules/dry-run", std::string(R"({"definition":)") + kWideRule + "}")
          .at("total")
          .as_int64();
  ASSERT_GT(expected, 20);
  const int64_t rule =
      a.Post("/api/v1/rules", RuleBody("Wide", kWideRule), 201).at("id").as_int64();
  // Both servers pass every second; wait until the firings are all there and stay.
  const auto start = std::chrono::steady_clock::now();
  int64_t done = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
    done = CountRows(url, "SELECT COUNT(*) FROM rule_actions WHERE status = 'done'");
    if (done >= 2 * expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // two more passes each
  // Either server may also be asked directly: still nothing twice.
  b.Post("/api/v1/rules/run", "{}");
  ExpectEachAccountActedOnOnce(url, rule, expected);
}

// Two books on one PostgreSQL database (a schema each, as the tests here and any two Orchard
// installations sharing a database have): each book's servers elect their own leader. The lock
// was one key for the whole database, so while one book's server led, the other book's rules
// never ran (its negative-sentiment test failed whenever another book's server ran beside it).
TEST(RulesClusterTest, TwoBooksOnOnePostgresEachRunTheirRules) {
  testing::TestDatabase first_db, second_db;
  ORCHARD_OPEN_TEST_DATABASE(first_db, Backend::kPostgres, /*shareable=*/true);
  ORCHARD_OPEN_TEST_DATABASE(second_db, Backend::kPostgres, /*shareable=*/true);
  SeedBook(first_db.url(), 60);
  SeedBook(second_db.url(), 60);
  Server a, b;
  a.Start(first_db.url(), "1");
  b.Start(second_db.url(), "1");
  struct Book {
    Server& server;
    std::string url;
    int64_t rule = 0, expected = 0;
  };
  Book books[] = {{a, first_db.url()}, {b, second_db.url()}};
  for (Book& book : books) {
    book.expected =
        book.server
            .Post("/api/v1/rules/dry-run", std::string(R"({"definition":)") + kWideRule + "}")
            .at("total")
            .as_int64();
    ASSERT_GT(book.expected, 10);
    book.rule =
        book.server.Post("/api/v1/rules", RuleBody("Wide", kWideRule), 201).at("id").as_int64();
  }
  // Neither is asked to run: each book's own leader passes every second.
  for (Book& book : books) {
    const auto start = std::chrono::steady_clock::now();
    int64_t done = 0;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
      done = CountRows(book.url, "SELECT COUNT(*) FROM rule_actions WHERE status = 'done'");
      if (done >= 2 * book.expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(done, 2 * book.expected) << book.url << ": its rule ran on no server";
    ExpectEachAccountActedOnOnce(book.url, book.rule, book.expected);
  }
}

}  // namespace
}  // namespace orchard
