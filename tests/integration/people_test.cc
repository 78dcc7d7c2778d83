// Issue 18's server side, through the real server over SQLite and PostgreSQL: who reads and who
// changes settings (and how a person reads them), people managed by admins, and the work lists
// (reviews due, handoffs) narrowed to one's own book or team before they are counted and paged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <string>

#include "domain/handoff.h"
#include "http/api.h"
#include "http/server.h"
#include "service/passwords.h"
#include "store/migrate.h"
#include "support/test_database.h"

namespace orchard::http {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;

class PeopleTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
    {
      auto db = store::OpenDatabase(url_);
      ASSERT_TRUE(db);
      ASSERT_TRUE(store::Migrate(**db));
      store::Store s(**db);
      auto add = [&](const std::string& name, Role role, std::optional<UserId> manager) {
        User u;
        u.email = name + "@orchard.example";
        u.name = name;
        u.role = role;
        u.manager_id = manager;
        u.password_hash = *service::HashPassword(kPassword, service::HashCost::kMinimum);
        UserId id = s.Insert(u)->id;
        ApiToken t;
        t.user_id = id;
        t.name = "test";
        tokens_[name] = service::NewSecret();
        t.token_hash = service::HashSecret(tokens_[name]);
        EXPECT_TRUE(s.Insert(t));
        users_[name] = id;
        return id;
      };
      add("admin", Role::kAdmin, std::nullopt);
      add("lee", Role::kLeader, std::nullopt);
      UserId mona = add("mona", Role::kManager, std::nullopt);
      add("ann", Role::kAm, mona);
      add("bob", Role::kAm, std::nullopt);
      add("carl", Role::kCsm, std::nullopt);
      add("vic", Role::kViewer, std::nullopt);
      // Bob's 30 accounts, each with a review overdue longer than Ann's one; Carl covers the last.
      auto account = [&](const std::string& name, UserId owner, std::optional<UserId> csm,
                         const char* due) {
        Account a;
        a.name = name;
        a.owner_id = owner;
        a.csm_id = csm;
        AccountId id = s.Insert(a)->id;
        Review r;
        r.account_id = id;
        r.kind = ReviewKind::kCustomer;
        r.due_on = *Date::Parse(due);
        EXPECT_TRUE(s.Insert(r));
        return id;
      };
      for (int i = 0; i < 30; ++i) {
        account("Bob " + std::to_string(i), users_["bob"], std::nullopt, "2026-05-01");
      }
      ann_account_ = account("Ann's QBR", users_["ann"], std::nullopt, "2026-06-10");
      carl_account_ = account("Carl covers", users_["bob"], users_["carl"], "2026-06-12");
      // Handoffs: many of Bob's, one of Ann's account, one naming Ann as AM elsewhere.
      auto handoff = [&](AccountId acc, std::optional<UserId> am, HandoffStatus status) {
        Opportunity o;
        o.account_id = acc;
        o.name = "Won";
        o.stage = OpportunityStage::kClosedWon;
        o.created_on = *Date::Parse("2026-01-01");
        o.close_date = *Date::Parse("2026-02-01");
        OpportunityId opp = s.Insert(o)->id;
        Handoff h;
        h.account_id = acc;
        h.opportunity_id = opp;
        h.am_id = am;
        h.status = status;
        h.checklist_json = "[]";
        return s.Insert(h)->id;
      };
      for (int i = 0; i < 12; ++i) handoff(AccountId(1 + i), std::nullopt, HandoffStatus::kOpen);
      ann_handoff_ = handoff(ann_account_, std::nullopt, HandoffStatus::kAccepted);
      named_handoff_ = handoff(AccountId(20), users_["ann"], HandoffStatus::kOpen);
    }
    auto pool = store::ConnectionPool::Open(url_, 2);
    ASSERT_TRUE(pool);
    pool_ = std::move(*pool);
    settings_ = std::make_unique<service::SettingsService>(*pool_, clock_, Settings{});
    accounts_ = std::make_unique<service::AccountService>(*pool_, clock_, *settings_);
    service::AuthOptions auth_options;
    auth_options.hash_cost = service::HashCost::kMinimum;
    // A deactivated user's identity is refused on the next check; the 2 s identity cache (which
    // other servers sharing the database rely on) is not what these tests are about.
    auth_options.identity_cache_ms = 0;
    auth_ = std::make_unique<service::AuthService>(*pool_, clock_, auth_options);
    {
      auto db = pool_->Acquire();
      ASSERT_TRUE(db);
      auto model = engine::ReadModel::Load(**db);
      ASSERT_TRUE(model) << model.error().message;
      model_ = std::move(*model);
    }
    router_ = MakeRouter(
        ApiDeps{*pool_, clock_, *accounts_, *auth_, *settings_, &metrics_, model_.get()});
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.metrics = &metrics_;
    server_ = std::make_unique<Server>(router_, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().message;
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
  }

  httplib::Client As(const std::string& who) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_default_headers({{"Authorization", "Bearer " + tokens_.at(who)}});
    return c;
  }
  json::object Get(const std::string& who, const std::string& path, int status = 200) {
    auto res = As(who).Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, status) << who << " " << path << ": " << res->body;
    return json::parse(res->body).as_object();
  }
  static std::vector<std::string> Names(const json::object& due) {
    std::vector<std::string> out;
    for (const auto& i : due.at("items").as_array()) {
      out.emplace_back(i.at("account_name").as_string());
    }
    return out;
  }

  testing::TestDatabase test_db_;
  std::string url_;
  FixedClock clock_{Timestamp::At(*Date::Parse("2026-06-15"), 12)};
  static constexpr const char* kPassword = "correct horse battery";
  std::map<std::string, UserId> users_;
  std::map<std::string, std::string> tokens_;
  AccountId ann_account_, carl_account_;
  HandoffId ann_handoff_, named_handoff_;
  TaskId value_task_;
  std::unique_ptr<service::AuthService> auth_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<service::SettingsService> settings_;
  std::unique_ptr<service::AccountService> accounts_;
  Metrics metrics_;
  std::unique_ptr<engine::ReadModel> model_;
  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_P(PeopleTest, LeadersReadSettingsWithLabelsAndUnitsButOnlyAdminsChangeThem) {
  for (const char* who : {"lee", "mona", "admin"}) {
    auto s = Get(who, "/api/v1/settings");
    EXPECT_EQ(s.at("settings").at("tiers.tier1_min_arr_cents").as_string(), "10000000");
    bool described = false;
    for (const auto& f : s.at("fields").as_array()) {
      if (f.at("key").as_string() != "tiers.tier1_min_arr_cents") continue;
      described = true;
      EXPECT_EQ(f.at("label").as_string(), "Tier 1 (Strategic) from ARR");
      EXPECT_EQ(f.at("unit").as_string(), "cents");
      EXPECT_EQ(f.at("group").as_string(), "Tiers");
    }
    EXPECT_TRUE(described) << who;
  }
  for (const char* who : {"lee", "mona", "ann", "vic"}) {
    auto denied =
        As(who).Patch("/api/v1/settings", R"({"inspection.sample":3})", "application/json");
    EXPECT_EQ(denied->status, 403) << who;
  }
  EXPECT_EQ(settings_->Current().inspection_sample, 10) << "nothing changed by a leader";
  // A bad value is refused naming the field, and the message names the setting as people read it.
  auto bad = As("admin").Patch("/api/v1/settings", R"({"tiers.tier2_min_arr_cents":"20000000"})",
                               "application/json");
  ASSERT_EQ(bad->status, 422) << bad->body;
  auto error = json::parse(bad->body).at("error").as_object();
  EXPECT_EQ(error.at("fields").as_array()[0].at("field").as_string(), "tiers.tier2_min_arr_cents");
  EXPECT_THAT(std::string(error.at("message").as_string()),
              HasSubstr("Tier 2 (Core) from ARR: must not exceed Tier 1 (Strategic) from ARR "
                        "($100,000)"));
  auto ok =
      As("admin").Patch("/api/v1/settings", R"({"inspection.sample":"3"})", "application/json");
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_P(PeopleTest, AdminsChangeRolesManagersDeactivateAndResetPasswords) {
  const std::string ann = "/api/v1/users/" + std::to_string(users_["ann"].value);
  auto moved = As("admin").Patch(ann, R"({"role":"csm","manager_id":null})", "application/json");
  ASSERT_EQ(moved->status, 200) << moved->body;
  auto now = Get("admin", ann);
  EXPECT_EQ(now.at("role").as_string(), "csm");
  EXPECT_TRUE(now.at("manager_id").is_null());
  EXPECT_EQ(As("lee").Patch(ann, R"({"role":"admin"})", "application/json")->status, 403);
  // A weak password is refused with the server's rule; a good one is set.
  auto weak = As("admin").Post(ann + "/password", R"({"password":"short"})", "application/json");
  ASSERT_EQ(weak->status, 422) << weak->body;
  EXPECT_THAT(weak->body, HasSubstr("password"));
  auto reset = As("admin").Post(ann + "/password", R"({"password":"a much longer pass phrase"})",
                                "application/json");
  EXPECT_EQ(reset->status, 204) << reset->body;
  // Deactivated: their token no longer signs them in.
  EXPECT_EQ(As("ann").Get("/api/v1/settings")->status, 200);
  auto off = As("admin").Patch(ann, R"({"active":false})", "application/json");
  ASSERT_EQ(off->status, 200) << off->body;
  EXPECT_EQ(As("ann").Get("/api/v1/settings")->status, 401);
}

TEST_P(PeopleTest, ReviewsDueNarrowToTheBookBeforePaging) {
  // The whole book, first page of 10: Ann's QBR (overdue 5 days) is behind Bob's 30 older ones.
  auto all = Get("ann", "/api/v1/reviews/due?limit=10");
  EXPECT_EQ(all.at("total").as_int64(), 32);
  EXPECT_EQ(all.at("book").as_string(), "all");
  auto names = Names(all);
  EXPECT_EQ(std::count(names.begin(), names.end(), "Ann's QBR"), 0);
  // Her book: it is first, counted alone.
  auto mine = Get("ann", "/api/v1/reviews/due?book=mine&limit=10");
  EXPECT_EQ(mine.at("total").as_int64(), 1);
  EXPECT_EQ(Names(mine), std::vector<std::string>{"Ann's QBR"});
  EXPECT_TRUE(mine.at("items").as_array()[0].at("overdue").as_bool());
  // A CSM's book is the accounts they cover; a manager's team is their reports' accounts.
  EXPECT_EQ(Names(Get("carl", "/api/v1/reviews/due?book=mine")),
            std::vector<std::string>{"Carl covers"});
  EXPECT_EQ(Names(Get("mona", "/api/v1/reviews/due?book=team")),
            std::vector<std::string>{"Ann's QBR"});
  EXPECT_EQ(Get("mona", "/api/v1/reviews/due?book=mine").at("total").as_int64(), 0);
  // Paging to the end of the whole book: overdue first, the oldest first, all 32 once.
  auto last = Get("bob", "/api/v1/reviews/due?limit=10&offset=30");
  EXPECT_EQ(Names(last), (std::vector<std::string>{"Ann's QBR", "Carl covers"}));
  auto bad = Get("ann", "/api/v1/reviews/due?book=ours", 400);
  EXPECT_EQ(bad.at("error").at("fields").as_array()[0].at("field").as_string(), "book");
}

TEST_P(PeopleTest, HandoffsQueueNarrowsToTheBookOpenFirst) {
  auto all = Get("admin", "/api/v1/handoffs/queue?limit=5");
  EXPECT_EQ(all.at("total").as_int64(), 14);
  EXPECT_EQ(all.at("open").as_int64(), 13);
  EXPECT_EQ(all.at("items").as_array().size(), 5u);
  auto mine = Get("ann", "/api/v1/handoffs/queue?book=mine");
  EXPECT_EQ(mine.at("total").as_int64(), 2) << "her account's, and the one naming her";
  const auto& items = mine.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id").as_int64(), named_handoff_.value) << "open first";
  EXPECT_EQ(items[1].at("id").as_int64(), ann_handoff_.value);
  EXPECT_EQ(Get("mona", "/api/v1/handoffs/queue?book=team").at("total").as_int64(), 1);
  EXPECT_EQ(Get("ann", "/api/v1/handoffs/queue?book=mine&status=open").at("total").as_int64(), 1);
  Get("ann", "/api/v1/handoffs/queue?status=maybe", 400);
}

TEST_P(PeopleTest, TicketsTakeASatisfactionScoreFromOneToFive) {
  const std::string body =
      R"({"account_id":)" + std::to_string(carl_account_.value) +
      R"(,"severity":"low","status":"closed","opened_at":"2026-06-01T09:00:00Z",)"
      R"("closed_at":"2026-06-10T09:00:00Z","satisfaction":)";
  auto bad = As("admin").Post("/api/v1/tickets", body + "6}", "application/json");
  ASSERT_EQ(bad->status, 422) << bad->body;
  EXPECT_EQ(json::parse(bad->body).at("error").at("fields").as_array()[0].at("field").as_string(),
            "satisfaction");
  auto ok = As("admin").Post("/api/v1/tickets", body + "5}", "application/json");
  ASSERT_EQ(ok->status, 201) << ok->body;
  EXPECT_EQ(json::parse(ok->body).at("satisfaction").as_int64(), 5);
  auto unrated = As("admin").Post("/api/v1/tickets", body + "null}", "application/json");
  EXPECT_EQ(unrated->status, 201) << unrated->body;
}

TEST_P(PeopleTest, AContactWhoLeavesIsStampedWithTheDayUnlessItIsGiven) {
  // Today is 2026-06-15 on this server's clock.
  auto created = As("admin").Post("/api/v1/contacts",
                                  R"({"account_id":)" + std::to_string(carl_account_.value) +
                                      R"(,"first_name":"Dana","last_name":"Lee"})",
                                  "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_TRUE(json::parse(created->body).at("departed_on").is_null());
  const std::string path =
      "/api/v1/contacts/" + std::to_string(json::parse(created->body).at("id").as_int64());
  int64_t version = json::parse(created->body).at("version").as_int64();
  // PATCHes `fields` (a JSON object's members) at the version last read.
  auto departed_on = [&](const std::string& fields) -> std::string {
    auto r = As("admin").Patch(
        path, "{" + fields + R"(,"version":)" + std::to_string(version) + "}", "application/json");
    EXPECT_EQ(r->status, 200) << r->body;
    auto body = json::parse(r->body);
    version = body.at("version").as_int64();
    const auto& v = body.at("departed_on");
    return v.is_null() ? "null" : std::string(v.as_string());
  };
  EXPECT_EQ(departed_on("\"status\":\"departed\""), "2026-06-15") << "stamped today";
  EXPECT_EQ(departed_on("\"title\":\"VP Sales\""), "2026-06-15") << "kept while departed";
  EXPECT_EQ(departed_on("\"status\":\"active\""), "null") << "back: cleared";
  EXPECT_EQ(departed_on("\"status\":\"departed\",\"departed_on\":\"2026-05-02\""), "2026-05-02")
      << "a day the caller knows";
  EXPECT_EQ(departed_on("\"departed_on\":\"2027-01-01\""), "2026-06-15") << "never after today";
  EXPECT_EQ(departed_on("\"status\":\"active\",\"departed_on\":\"2026-05-02\""), "null")
      << "someone still there has not left";
  auto bad = As("admin").Patch(
      path, R"({"departed_on":"yesterday","version":)" + std::to_string(version) + "}",
      "application/json");
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_THAT(bad->body, HasSubstr("departed_on"));
}

TEST_P(PeopleTest, ATaskRemembersWhenItWasDoneAndTheScoreboardReadsIt) {
  // Carl covers one account; its handoff was accepted on 2026-06-01 and its first-value
  // milestone is marked done today (2026-06-15): 14 days to first value.
  {
    auto db = store::OpenDatabase(url_);
    store::Store s(**db);
    Opportunity o;
    o.account_id = carl_account_;
    o.name = "Won";
    o.stage = OpportunityStage::kClosedWon;
    o.created_on = *Date::Parse("2026-01-01");
    o.close_date = *Date::Parse("2026-05-01");
    Handoff h;
    h.account_id = carl_account_;
    h.opportunity_id = s.Insert(o)->id;
    h.status = HandoffStatus::kAccepted;
    h.checklist_json = "[]";
    h.accepted_at = Timestamp::At(*Date::Parse("2026-06-01"), 10);
    HandoffId hid = s.Insert(h)->id;
    for (const OnboardingStep& step : kOnboardingSteps) {
      Task t;
      t.account_id = carl_account_;
      t.title = std::string(step.title);
      t.due_on = Date::Parse("2026-06-01")->AddDays(step.day);
      t.source_key = MilestoneKey(hid.value, step.day);
      TaskId id = s.Insert(t)->id;
      if (step.day == kValueDeliveredDay) value_task_ = id;
    }
    UsageMetric u;
    u.account_id = carl_account_;
    u.day = *Date::Parse("2026-06-14");
    u.active_users = 30;
    u.licensed_seats = 40;
    ASSERT_TRUE(s.Insert(u));
  }
  const std::string task = "/api/v1/tasks/" + std::to_string(value_task_.value);
  auto done = As("admin").Patch(task, R"({"status":"done","completed_at":"2020-01-01T00:00:00Z"})",
                                "application/json");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_THAT(std::string(json::parse(done->body).at("completed_at").as_string()),
              HasSubstr("2026-06-15"))
      << "stamped by the server, not taken from the body";
  auto board = Get("carl", "/api/v1/csm/scoreboard");
  EXPECT_EQ(board.at("csm_id").as_int64(), users_["carl"].value);
  EXPECT_EQ(board.at("accounts").as_int64(), 1);
  EXPECT_DOUBLE_EQ(board.at("adoption_rate").as_double(), 0.75);
  EXPECT_DOUBLE_EQ(board.at("ttfv_median_days").as_double(), 14);
  EXPECT_EQ(board.at("onboarding").at("behind").as_int64(), 1) << "day 7 is a week late";
  EXPECT_TRUE(board.at("csat").is_null()) << "no ratings: no CSAT, not 0";
  // A leader reads any CSM's; reopening the task clears its completion.
  auto other = Get("lee", "/api/v1/csm/scoreboard?csm=" + std::to_string(users_["carl"].value));
  EXPECT_EQ(other.at("ttfv_delivered").as_int64(), 1);
  auto reopened = As("admin").Patch(task, R"({"status":"open"})", "application/json");
  ASSERT_EQ(reopened->status, 200) << reopened->body;
  EXPECT_TRUE(json::parse(reopened->body).at("completed_at").is_null());
  EXPECT_EQ(Get("carl", "/api/v1/csm/scoreboard").at("ttfv_waiting").as_int64(), 1);
  Get("carl", "/api/v1/csm/scoreboard?csm=zero", 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, PeopleTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::http
