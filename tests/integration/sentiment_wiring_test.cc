// Sentiment on every text (issue 20, item 1), through the real binary on both backends: a bad
// e-mail logged through the API gets a negative score with the phrases that drove it and pulls
// the account's health sentiment component below 50; editing it rescores it; `orchard score`
// scores what was written before (the seed's texts) and a second run finds nothing; a
// negative_sentiment rule fires once per text; a transcript over its size bound is refused and
// nothing of it is stored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
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
using ::testing::HasSubstr;
using testing::RunOrchard;
namespace json = boost::json;

constexpr const char* kPassword = "a long enough secret";
constexpr const char* kBadEmail =
    "This is unacceptable. The export has been broken for a week and nobody answers our "
    "tickets. We are very disappointed and considering other vendors.";
constexpr const char* kGoodEmail =
    "Thanks, the fix works great and the team is really happy with the quick help!";

std::string Today() {
  std::time_t at = std::time(nullptr);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&at));
  return text;
}

std::string Quoted(const std::string& text) { return json::serialize(json::value(text)); }

class SentimentWiringTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
    auto seeded = RunOrchard({"seed", "--db", url_, "--accounts", "12", "--seed", "7"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
    auto user =
        RunOrchard({"user", "add", "--db", url_, "--email", "lead@x.example", "--role", "admin"},
                   {}, std::string(kPassword) + "\n");
    ASSERT_EQ(user.exit_code, 0) << user.err;
  }
  void TearDown() override { Stop(); }

  void Serve() {
    Stop();
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"serve", "--db", url_, "--listen", "127.0.0.1:0",
                                 "--no-access-log", "--rules-every", "3600"});
    const std::string line = process_->WaitForLine("serving", 30'000);
    std::smatch port;
    ASSERT_TRUE(std::regex_search(line, port, std::regex(R"(http://127\.0\.0\.1:(\d+))")))
        << process_->ReadStderr();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", std::stoi(port[1].str()));
    client_->set_read_timeout(60, 0);
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
  void Stop() {
    client_.reset();
    if (process_) process_->Stop(SIGTERM, 10'000);
    process_.reset();
  }

  json::value Call(const std::string& method, const std::string& path, const std::string& body,
                   int want) {
    httplib::Result r = method == "GET"      ? client_->Get(path, headers_)
                        : method == "DELETE" ? client_->Delete(path, headers_)
                        : method == "PATCH"
                            ? client_->Patch(path, headers_, body, "application/json")
                            : client_->Post(path, headers_, body, "application/json");
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, want) << method << " " << path << ": " << r->body;
    last_body_ = r->body;
    if (r->body.empty()) return nullptr;
    return json::parse(r->body);
  }
  json::object Get(const std::string& path) {
    auto v = Call("GET", path, "", 200);
    return v.is_object() ? v.as_object() : json::object();
  }
  json::object Post(const std::string& path, const std::string& body, int want) {
    auto v = Call("POST", path, body, want);
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

  int64_t FirstAccount() {
    return Get("/api/v1/accounts?limit=1").at("items").as_array().at(0).at("id").as_int64();
  }
  // Logs an e-mail on the account today; its id.
  int64_t LogEmail(int64_t account, const std::string& body) {
    return Post("/api/v1/accounts/" + std::to_string(account) + "/activities",
                R"({"kind":"email","subject":"Export","body":)" + Quoted(body) +
                    R"(,"occurred_at":")" + Today() + R"(T09:00:00Z"})",
                201)
        .at("id")
        .as_int64();
  }
  json::object HealthPart(int64_t account, const std::string& name) {
    auto health = Get("/api/v1/accounts/" + std::to_string(account) + "/health");
    for (const auto& c : health.at("components").as_array()) {
      if (c.at("name").as_string() == name) return c.as_object();
    }
    ADD_FAILURE() << "no component " << name << ": " << last_body_;
    return {};
  }

  testing::TestDatabase test_db_;
  std::string url_;
  std::unique_ptr<BackgroundProcess> process_;
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers headers_;
  std::string last_body_;
};

TEST_P(SentimentWiringTest, ABadEmailIsNegativeWithItsPhrasesAndPullsTheHealthDown) {
  Serve();
  const int64_t account = FirstAccount();
  const std::string base = "/api/v1/accounts/" + std::to_string(account);
  const int64_t email = LogEmail(account, kBadEmail);

  auto items = Get(base + "/sentiments").at("items").as_array();
  ASSERT_FALSE(items.empty()) << last_body_;
  const auto& scored = items.at(0).as_object();
  EXPECT_EQ(scored.at("source").as_string(), "activity");
  EXPECT_EQ(scored.at("source_id").as_int64(), email);
  EXPECT_EQ(scored.at("label").as_string(), "negative");
  EXPECT_LT(scored.at("score").as_double(), -0.3);
  EXPECT_EQ(scored.at("day").as_string(), Today());
  EXPECT_THAT(std::string(scored.at("excerpt").as_string()), HasSubstr("Export\nThis is"));
  // The phrases point into the scored text (the subject, a newline, the body).
  const std::string text = std::string("Export\n") + kBadEmail;
  const auto& phrases = scored.at("phrases").as_array();
  ASSERT_FALSE(phrases.empty());
  for (const auto& p : phrases) {
    const auto begin = static_cast<size_t>(p.at("begin").as_int64());
    const auto end = static_cast<size_t>(p.at("end").as_int64());
    ASSERT_LE(end, text.size());
    EXPECT_EQ(text.substr(begin, end - begin), p.at("text").as_string());
  }
  EXPECT_LT(phrases.at(0).at("weight").as_double(), 0);

  // The health's sentiment component fills in below 50 and says why.
  auto part = HealthPart(account, "sentiment");
  ASSERT_TRUE(part.at("value").is_int64()) << last_body_;
  EXPECT_LT(part.at("value").as_int64(), 50);
  EXPECT_THAT(std::string(part.at("detail").as_string()),
              HasSubstr("most negative: an activity on " + Today()));

  // Edited into thanks, it is rescored: one row still, now positive, and the health follows.
  Call("PATCH", "/api/v1/activities/" + std::to_string(email),
       R"({"body":)" + Quoted(kGoodEmail) + "}", 200);
  items = Get(base + "/sentiments").at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << last_body_;
  EXPECT_EQ(items.at(0).at("label").as_string(), "positive");
  EXPECT_GT(HealthPart(account, "sentiment").at("value").as_int64(), 50);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM text_sentiments WHERE source = 'activity' AND "
                  "source_id = " +
                  std::to_string(email)),
            1);

  // Deleted, its score goes with it.
  Call("DELETE", "/api/v1/activities/" + std::to_string(email), "", 204);
  EXPECT_TRUE(Get(base + "/sentiments").at("items").as_array().empty()) << last_body_;
}

TEST_P(SentimentWiringTest, ScoreFillsTheTextsWrittenBeforeAndASecondRunChangesNothing) {
  EXPECT_EQ(Count("SELECT COUNT(*) FROM text_sentiments"), 0) << "the seed writes no scores";
  auto first = RunOrchard({"score", "--db", url_});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("Scored the sentiment of"));
  const int64_t rows = Count("SELECT COUNT(*) FROM text_sentiments");
  EXPECT_GT(rows, 0);
  // Every seeded text with words has its row.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tickets WHERE subject <> '' OR body <> ''"),
            Count("SELECT COUNT(*) FROM text_sentiments WHERE source = 'ticket'"));
  const int64_t last_seq = Count("SELECT COALESCE(MAX(seq), 0) FROM change_log");

  auto second = RunOrchard({"score", "--db", url_});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("Scored the sentiment of 0 texts"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM text_sentiments"), rows);
  EXPECT_EQ(Count("SELECT COALESCE(MAX(seq), 0) FROM change_log"), last_seq);

  // A server started on the scored book shows them.
  Serve();
  int64_t with_scores = 0;
  const auto accounts = Get("/api/v1/accounts?limit=20").at("items").as_array();
  for (const auto& a : accounts) {
    auto items = Get("/api/v1/accounts/" + std::to_string(a.at("id").as_int64()) + "/sentiments")
                     .at("items")
                     .as_array();
    with_scores += items.empty() ? 0 : 1;
  }
  EXPECT_GT(with_scores, 0);
}

TEST_P(SentimentWiringTest, ANegativeSentimentRuleFiresOncePerText) {
  Serve();
  Post("/api/v1/rules", R"({"name":"Unhappy","status":"active","definition":{
      "trigger":{"kind":"negative_sentiment","score":-0.4},
      "actions":[{"kind":"task","title":"Call {{account.name}}: an unhappy message",
      "owner":"user:lead@x.example","due_in_days":1}]}})",
       201);
  const int64_t account = FirstAccount();
  const int64_t email = LogEmail(account, kBadEmail);
  const std::string tasks = "SELECT COUNT(*) FROM tasks WHERE title LIKE 'Call %unhappy message'";
  const auto wrote = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - wrote < std::chrono::seconds(10) && Count(tasks) == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Count(tasks), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_firings WHERE anchor = 'sentiment:activity:" +
                  std::to_string(email) + "'"),
            1);
  // Edited, still bad: rescored, but the same text fires no second time.
  Call("PATCH", "/api/v1/activities/" + std::to_string(email),
       R"({"body":"Still broken. This is terrible and we are angry."})", 200);
  Post("/api/v1/rules/run", "{}", 200);
  EXPECT_EQ(Count(tasks), 1);
  // A positive e-mail fires nothing; another bad one fires again.
  LogEmail(account, kGoodEmail);
  LogEmail(account, "Awful experience, the worst support we have ever had. Very frustrated.");
  Post("/api/v1/rules/run", "{}", 200);
  // The firing may come from the server's own event pass after the write rather than from the
  // pass asked for (under load on PostgreSQL it once came later than the pass's return): wait
  // for the task, as for the first.
  const auto asked = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - asked < std::chrono::seconds(10) && Count(tasks) < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Count(tasks), 2);
}

TEST_P(SentimentWiringTest, ATranscriptOverItsBoundIsRefusedAndNothingIsStored) {
  Serve();
  const int64_t account = FirstAccount();
  const std::string base = "/api/v1/accounts/" + std::to_string(account);
  Post(base + "/transcripts", R"({"text":)" + Quoted(std::string(200'001, 'a')) + "}", 422);
  EXPECT_THAT(last_body_, HasSubstr("text"));
  EXPECT_THAT(last_body_, HasSubstr("200000"));
  // The bound is in bytes too: 100,001 two-byte characters are over it.
  std::string accents;
  for (int i = 0; i < 100'001; ++i) accents += "\xc3\xa9";
  Post(base + "/transcripts", R"({"text":)" + Quoted(accents) + "}", 422);
  EXPECT_THAT(last_body_, HasSubstr("at most 200000 bytes"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM transcripts"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM text_sentiments WHERE source = 'transcript'"), 0);

  // One within the bound, attached to a meeting, is kept and scored.
  const int64_t meeting =
      Post(base + "/activities",
           R"({"kind":"meeting","subject":"QBR","occurred_at":")" + Today() + R"(T15:00:00Z"})",
           201)
          .at("id")
          .as_int64();
  auto t = Post(base + "/transcripts",
                R"({"activity_id":)" + std::to_string(meeting) +
                    R"(,"text":"Honestly the rollout has been a disaster and we feel ignored."})",
                201);
  EXPECT_EQ(t.at("activity_id").as_int64(), meeting);
  auto items = Get(base + "/sentiments").at("items").as_array();
  bool found = false;
  for (const auto& i : items) {
    if (i.at("source").as_string() != "transcript") continue;
    found = true;
    EXPECT_EQ(i.at("label").as_string(), "negative");
  }
  EXPECT_TRUE(found) << last_body_;
}

INSTANTIATE_TEST_SUITE_P(Backends, SentimentWiringTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard
