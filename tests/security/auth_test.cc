// Identity (issue "Trust", items 11, 13, 14, 15, 17): sign-in throttling that slows an address
// without locking anyone out, what a new password must be and how it is changed or reset, the
// idle and absolute ends of sessions, API token expiry, unknown fields refused, the audit log of
// identity events, and reads answered from memory while the database is away.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include "security/harness.h"
#include "service/auth_service.h"
#include "support/process.h"

namespace orchard::security {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AuthTest : public SecurityTest {
 protected:
  httplib::Result SignInWith(const std::string& email, const std::string& password) {
    json::object body{{"email", email}, {"password", password}};
    return Anonymous().Post("/api/v1/auth/login", json::serialize(body), "application/json");
  }
  // A client that sends `s`'s cookie (and its CSRF token on writes).
  httplib::Client With(const BrowserSession& s) {
    httplib::Client c = Anonymous();
    c.set_default_headers({{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
    return c;
  }
  void Advance(int64_t seconds) { clock_.Set(clock_.Now().AddSeconds(seconds)); }
  json::array Audit() {
    auto res = As("admin").Get("/api/v1/audit?limit=500");
    EXPECT_TRUE(res);
    if (!res || res->status != 200) return {};
    return Json(res).at("items").as_array();
  }
};

// Item 13: five wrong passwords no longer lock an e-mail for everyone.
TEST_P(AuthTest, WrongPasswordsSlowThatAddressForThatEmailOnly) {
  const std::string there = "198.51.100.7";
  for (int i = 0; i < 5; ++i) {
    auto r = auth_->Login("ANN@orchard.example", "not her password", there);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  auto waiting = auth_->Login("ann@orchard.example", kPassword, there);
  ASSERT_FALSE(waiting) << "the address that guessed waits, even with the right password";
  EXPECT_EQ(waiting.error().code, ErrorCode::kResourceExhausted);
  EXPECT_GT(auth_->RetryAfterSeconds("ann@orchard.example", there), 0);
  EXPECT_TRUE(auth_->Login("ann@orchard.example", kPassword, "203.0.113.9"))
      << "the right password from another address is never blocked";
  EXPECT_TRUE(auth_->Login("bob@orchard.example", kPassword, there))
      << "another e-mail from the same address is not blocked";

  // The delay grows with each further wrong password, and passes.
  Advance(31);
  EXPECT_EQ(auth_->Login("ann@orchard.example", "still wrong", there).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->Login("ann@orchard.example", kPassword, there).error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_GT(auth_->RetryAfterSeconds("ann@orchard.example", there), 31) << "longer than before";
  Advance(61);
  EXPECT_TRUE(auth_->Login("ann@orchard.example", kPassword, there));
}

TEST_P(AuthTest, SignInOverHttpIsCaseInsensitiveAndSaysWhenToRetry) {
  auto mixed = SignInWith("Ann@Orchard.EXAMPLE", kPassword);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->status, 200) << mixed->body;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(SignInWith("cara@orchard.example", "guess")->status, 401);
  auto waiting = SignInWith("CARA@orchard.example", kPassword);
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->status, 429);
  int retry = std::atoi(waiting->get_header_value("Retry-After").c_str());
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 30) << "a short first delay, not a 15-minute lockout";
  EXPECT_EQ(SignInWith("vic@orchard.example", kPassword)->status, 200)
      << "the address is not locked out for other people";
}

// Item 14: what a new password must be.
TEST_P(AuthTest, WeakPasswordsAreRefusedForNewUsers) {
  auto admin = As("admin");
  auto add = [&](const std::string& email, const std::string& password) {
    json::object body{{"email", email}, {"role", "am"}, {"password", password}};
    return admin.Post("/api/v1/users", json::serialize(body), "application/json");
  };
  for (const char* weak : {"abc12345x", "password123456", "Summer2024!!", "P@ssw0rd2024",
                           "qwertyuiop", "1234567890", "iloveyou1234", "aaaaaaaaaaaa"}) {
    auto r = add("weak@orchard.example", weak);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << weak << ": " << r->body;
    EXPECT_EQ(ErrorField(r), "password") << weak;
    EXPECT_THAT(r->body, Not(HasSubstr(weak))) << "the error never repeats the password";
  }
  auto same = add("margaret.hill@orchard.example", "Margaret.Hill");
  EXPECT_EQ(same->status, 422) << same->body;
  EXPECT_EQ(ErrorField(same), "password");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE email IN ('weak@orchard.example', "
                  "'margaret.hill@orchard.example')"),
            0);
  auto good = add("good@orchard.example", "plum tree at dawn");
  EXPECT_EQ(good->status, 201) << good->body;
}

TEST_P(AuthTest, UserAddAtTheCommandLineRefusesWeakPasswords) {
  auto weak = testing::RunOrchard(
      {"user", "add", "--db", url_, "--email", "cli@orchard.example", "--role", "am"}, {},
      "password2024\n");
  EXPECT_NE(weak.exit_code, 0);
  EXPECT_THAT(weak.err, HasSubstr("password"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE email = 'cli@orchard.example'"), 0);
  auto good = testing::RunOrchard(
      {"user", "add", "--db", url_, "--email", "cli@orchard.example", "--role", "am"}, {},
      "plum tree at dawn\n");
  EXPECT_EQ(good.exit_code, 0) << good.err;
}

TEST_P(AuthTest, ChangingYourPasswordEndsYourOtherSessions) {
  BrowserSession here = SignIn("ann");
  BrowserSession elsewhere = SignIn("ann");
  auto change = [&](const std::string& current, const std::string& next) {
    json::object body{{"current_password", current}, {"new_password", next}};
    return With(here).Post("/api/v1/auth/password", json::serialize(body), "application/json");
  };
  auto wrong = change("not my password", "plum tree at dawn");
  EXPECT_EQ(wrong->status, 422) << wrong->body;
  EXPECT_EQ(ErrorField(wrong), "current_password");
  auto weak = change(kPassword, "password12345");
  EXPECT_EQ(weak->status, 422) << weak->body;
  EXPECT_EQ(ErrorField(weak), "new_password");
  auto extra = With(here).Post(
      "/api/v1/auth/password",
      R"({"current_password":"correct horse battery","new_password":"plum tree at dawn","user_id":2})",
      "application/json");
  EXPECT_EQ(extra->status, 400);
  EXPECT_EQ(ErrorField(extra), "user_id");
  EXPECT_EQ(With(elsewhere).Get("/api/v1/me")->status, 200) << "nothing changed yet";

  auto ok = change(kPassword, "plum tree at dawn");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 204) << ok->body;
  EXPECT_EQ(With(here).Get("/api/v1/me")->status, 200) << "the session that asked stays";
  EXPECT_EQ(With(elsewhere).Get("/api/v1/me")->status, 401) << "the other one ended";
  EXPECT_EQ(SignInWith(P("ann").email, kPassword)->status, 401);
  EXPECT_EQ(SignInWith(P("ann").email, "plum tree at dawn")->status, 200);
}

TEST_P(AuthTest, AnAdminResetEndsEverySessionOfThatUser) {
  BrowserSession one = SignIn("bob");
  BrowserSession two = SignIn("bob");
  const std::string path = "/api/v1/users/" + std::to_string(P("bob").id.value) + "/password";
  auto by_manager = As("max").Post(path, R"({"password":"plum tree at dawn"})", "application/json");
  EXPECT_EQ(by_manager->status, 403);
  auto weak = As("admin").Post(path, R"({"password":"bob@orchard.example"})", "application/json");
  EXPECT_EQ(weak->status, 422);
  EXPECT_EQ(ErrorField(weak), "password");
  auto extra = As("admin").Post(path, R"({"password":"plum tree at dawn","role":"admin"})",
                                "application/json");
  EXPECT_EQ(extra->status, 400);
  EXPECT_EQ(ErrorField(extra), "role");
  EXPECT_EQ(With(one).Get("/api/v1/me")->status, 200);

  auto reset = As("admin").Post(path, R"({"password":"plum tree at dawn"})", "application/json");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 204) << reset->body;
  EXPECT_EQ(With(one).Get("/api/v1/me")->status, 401);
  EXPECT_EQ(With(two).Get("/api/v1/me")->status, 401);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(P("bob").id.value)),
      0);
  EXPECT_EQ(SignInWith(P("bob").email, "plum tree at dawn")->status, 200);
}

// Item 15: sessions end when idle, and at 7 days however busy; ended ones are pruned.
TEST_P(AuthTest, SessionsEndWhenIdleAndAfterSevenDays) {
  BrowserSession idle = SignIn("ann");
  EXPECT_EQ(With(idle).Get("/api/v1/me")->status, 200);
  Advance(13 * 3600);
  auto gone = With(idle).Get("/api/v1/me");
  EXPECT_EQ(gone->status, 401);
  EXPECT_THAT(gone->body, HasSubstr("without use"));

  BrowserSession busy = SignIn("ann");
  int64_t used_for = 0;
  for (; used_for < 8 * 24 * 3600; used_for += 11 * 3600) {
    if (With(busy).Get("/api/v1/me")->status != 200) break;
    Advance(11 * 3600);
  }
  EXPECT_GT(used_for, 6 * 24 * 3600) << "used every 11 hours, it lives on";
  EXPECT_LE(used_for, 7 * 24 * 3600 + 11 * 3600) << "but not past its 7 days";

  // Signing in prunes ended sessions: only the new one is left.
  SignIn("ann");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(P("ann").id.value)),
      1);
}

TEST_P(AuthTest, TheIdleLimitIsASetting) {
  auto patch =
      As("admin").Patch("/api/v1/settings", R"({"sessions.idle_hours":1})", "application/json");
  ASSERT_EQ(patch->status, 200) << patch->body;
  BrowserSession s = SignIn("cara");
  Advance(2 * 3600);
  EXPECT_EQ(With(s).Get("/api/v1/me")->status, 401);
  auto zero =
      As("admin").Patch("/api/v1/settings", R"({"sessions.idle_hours":0})", "application/json");
  EXPECT_EQ(zero->status, 422);
  EXPECT_EQ(ErrorField(zero), "sessions.idle_hours");
}

TEST_P(AuthTest, ApiTokensMayExpireAndUnknownFieldsAreRefused) {
  auto ann = As("ann");
  auto stray =
      ann.Post("/api/v1/tokens", json::serialize(json::object{{"name", "sync"}, {"user_id", 1}}),
               "application/json");
  EXPECT_EQ(stray->status, 400) << stray->body;
  EXPECT_EQ(ErrorField(stray), "user_id");
  auto past = ann.Post("/api/v1/tokens", R"({"name":"sync","expires_at":"2026-06-01T00:00:00Z"})",
                       "application/json");
  EXPECT_EQ(past->status, 422);
  EXPECT_EQ(ErrorField(past), "expires_at");
  auto bad =
      ann.Post("/api/v1/tokens", R"({"name":"sync","expires_at":"tomorrow"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(ErrorField(bad), "expires_at");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM api_tokens"), 8) << "nothing was created";

  auto made = ann.Post("/api/v1/tokens", R"({"name":"sync","expires_at":"2026-06-16T12:00:00Z"})",
                       "application/json");
  ASSERT_EQ(made->status, 201) << made->body;
  auto created = Json(made).as_object();
  EXPECT_EQ(created.at("expires_at").as_string(), "2026-06-16T12:00:00Z");
  httplib::Client integration = Anonymous();
  integration.set_default_headers(
      {{"Authorization", "Bearer " + std::string(created.at("token").as_string())}});
  EXPECT_EQ(integration.Get("/api/v1/me")->status, 200);
  Advance(25 * 3600);
  auto expired = integration.Get("/api/v1/me");
  EXPECT_EQ(expired->status, 401);
  EXPECT_THAT(expired->body, HasSubstr("expired"));
  EXPECT_EQ(ann.Get("/api/v1/me")->status, 200) << "a token without expiry lives on";
}

// Item 17: identity events in the audit log, with actor, time and address, never a secret.
TEST_P(AuthTest, IdentityEventsAreAuditedWithoutSecrets) {
  EXPECT_EQ(SignInWith(P("ann").email, "wrong guess here")->status, 401);
  BrowserSession s = SignIn("ann");
  auto made = With(s).Post("/api/v1/tokens", R"({"name":"sync"})", "application/json");
  ASSERT_EQ(made->status, 201) << made->body;
  auto token = Json(made).as_object();
  const std::string secret(token.at("token").as_string());
  auto revoked = With(s).Delete("/api/v1/tokens/" + std::to_string(token.at("id").as_int64()));
  EXPECT_EQ(revoked->status, 204);
  json::object change{{"current_password", kPassword}, {"new_password", "plum tree at dawn"}};
  EXPECT_EQ(
      With(s).Post("/api/v1/auth/password", json::serialize(change), "application/json")->status,
      204);
  EXPECT_EQ(With(s).Post("/api/v1/auth/logout", "", "application/json")->status, 204);

  auto entries = Audit();
  std::map<std::string, json::object> by_action;
  for (const auto& e : entries) by_action[std::string(e.at("action").as_string())] = e.as_object();
  for (const char* action :
       {"sign_in_failed", "sign_in", "create", "revoke", "password_change", "sign_out"}) {
    ASSERT_TRUE(by_action.contains(action)) << action;
    const auto& e = by_action[action];
    EXPECT_EQ(e.at("address").as_string(), "127.0.0.1") << action;
    EXPECT_FALSE(e.at("at").as_string().empty()) << action;
    if (std::string(action) != "sign_in_failed") {
      EXPECT_EQ(e.at("actor_id").as_int64(), P("ann").id.value) << action;
    }
  }
  EXPECT_EQ(by_action["sign_in_failed"].at("entity_id").as_int64(), P("ann").id.value);
  EXPECT_EQ(by_action["create"].at("entity").as_string(), "api_tokens");
  const std::string all = json::serialize(entries);
  for (const std::string& secret_text :
       {std::string(kPassword), std::string("plum tree at dawn"), std::string("wrong guess here"),
        secret, service::HashSecret(secret), s.cookie.substr(s.cookie.find('=') + 1), s.csrf}) {
    EXPECT_THAT(all, Not(HasSubstr(secret_text)));
  }
  EXPECT_THAT(all, Not(HasSubstr("token_hash")));
  EXPECT_THAT(all, Not(HasSubstr("password_hash")));
}

ORCHARD_SECURITY_SUITE(AuthTest);

// Item 11: with the database gone, reads answered from the in-memory book still work for an
// identity checked recently; writes fail with 503. PostgreSQL only: this test starts and stops a
// server of its own.
class AuthOutageTest : public AuthTest {
 protected:
  void SetUp() override {
    dir_ = std::make_unique<testing::TempDir>();
    // The server runs as the postgres user when the tests run as root: let it reach its folder.
    ::chmod(dir_->path().c_str(), 0755);
    script_ = std::string(ORCHARD_SOURCE_DIR) + "/scripts/pg-test-server";
    FILE* out = popen((script_ + " start " + dir_->path() + "/pg").c_str(), "r");
    ASSERT_NE(out, nullptr);
    char line[512] = {};
    std::string url = fgets(line, sizeof line, out) ? line : "";
    int rc = pclose(out);
    ASSERT_EQ(rc, 0) << "could not start a PostgreSQL of our own with " << script_;
    ASSERT_FALSE(url.empty());
    while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
    started_ = true;
    database_url_ = url;
    // Every check after the first misses the brief cache, so the outage path is what answers.
    auth_options_.identity_cache_ms = 1;
    AuthTest::SetUp();
  }
  void TearDown() override {
    AuthTest::TearDown();
    StopDatabase();
  }
  void StopDatabase() {
    if (!started_) return;
    started_ = false;
    EXPECT_EQ(std::system((script_ + " stop " + dir_->path() + "/pg >/dev/null").c_str()), 0);
  }

  std::unique_ptr<testing::TempDir> dir_;
  std::string script_;
  bool started_ = false;
};

TEST_P(AuthOutageTest, DashboardsAnswerFromMemoryWhileTheDatabaseIsAway) {
  const std::string dashboard = "/api/v1/dashboards/at-risk";
  ASSERT_EQ(As("ann").Get(dashboard)->status, 200);
  ASSERT_EQ(As("bob").Get(dashboard)->status, 200);
  BrowserSession s = SignIn("mia");
  ASSERT_EQ(With(s).Get(dashboard)->status, 200);
  // Bob's token is revoked before the outage: that holds at once, outage or not.
  auto list = Json(As("bob").Get("/api/v1/tokens")).at("items").as_array();
  ASSERT_EQ(list.size(), 1u);
  ASSERT_EQ(
      As("bob").Delete("/api/v1/tokens/" + std::to_string(list[0].at("id").as_int64()))->status,
      204);

  StopDatabase();
  auto read = As("ann").Get(dashboard);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(With(s).Get(dashboard)->status, 200) << "a browser session too";
  auto write = As("ann").Post(
      "/api/v1/products", R"({"sku":"X-1","name":"X","list_price_cents":1})", "application/json");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 503) << write->body;
  EXPECT_NE(As("bob").Get(dashboard)->status, 200) << "a revoked token stays revoked";
  EXPECT_EQ(As("vic").Get(dashboard)->status, 503) << "never checked: nothing to go on";
}

// An outage needs a database server to stop: PostgreSQL only (SQLite's is ServerTest's).
INSTANTIATE_TEST_SUITE_P(Backends, AuthOutageTest,
                         ::testing::Values(::orchard::testing::Backend::kPostgres),
                         ::orchard::testing::BackendName);

}  // namespace
}  // namespace orchard::security
