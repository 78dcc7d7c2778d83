// Slow work stays off the event loops: routes marked blocking (sign-in's Argon2id, the PDF
// export's Chromium) run on a bounded pool of workers, and the loops keep answering everyone
// else. PDF exports are limited per user and per server (429 with Retry-After).
#include <gmock/gmock.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "security/harness.h"

namespace orchard::security {
namespace {

class StallTest : public SecurityTest {
 protected:
  void SetUp() override {
    server_options_.blocking_threads = 2;
    SecurityTest::SetUp();
  }
  void TearDown() override {
    Release();
    for (auto& t : clients_) {
      if (t.joinable()) t.join();
    }
    SecurityTest::TearDown();
  }

  // GET /test/held: marked blocking; waits until the test calls Release().
  void AddTestRoutes(http::Router& r) override {
    r.Add(
        "GET", "/test/held",
        [this](const http::HttpRequest&) {
          std::unique_lock lock(mu_);
          ++entered_;
          cv_.notify_all();
          cv_.wait(lock, [&] { return released_; });
          http::HttpResponse res;
          res.body = "{}";
          return res;
        },
        http::RouteDoc("held until the test releases it", http::RouteDoc::Kind::kOther)
            .Public()
            .Blocking());
  }

  // Waits (with a generous safety bound, not an assertion on time) for n handlers to be inside.
  bool WaitEntered(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [&] { return entered_ >= n; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool released_ = false;
  std::vector<std::thread> clients_;
};

// Before: the held handlers ran on the two event loops and /healthz got no answer until they
// were released.
TEST_P(StallTest, LoopsAnswerWhileEveryBlockingWorkerIsBusy) {
  constexpr int kHeld = 4;  // more than the loops and more than the workers
  std::vector<int> statuses(kHeld, 0);
  for (int i = 0; i < kHeld; ++i) {
    clients_.emplace_back([this, i, &statuses] {
      auto res = Anonymous().Get("/test/held");
      statuses[i] = res ? res->status : -1;
    });
  }
  ASSERT_TRUE(WaitEntered(2));
  httplib::Client c = Anonymous();
  c.set_read_timeout(20);  // a safety net: the answer must come while the handlers are held
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health) << "no answer from /healthz while the blocking handlers are held";
  EXPECT_EQ(health->status, 200) << health->body;
  auto me = As("ann").Get("/api/v1/me");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  {
    std::lock_guard lock(mu_);
    EXPECT_FALSE(released_);
    EXPECT_EQ(entered_, 2) << "the pool has two workers: the other held requests wait their turn";
  }
  Release();
  for (auto& t : clients_) t.join();
  EXPECT_THAT(statuses, ::testing::Each(200));
  EXPECT_EQ(entered_, kHeld);
}

TEST_P(StallTest, SignInUserCreationAndPdfExportAreMarkedBlocking) {
  std::set<std::string> blocking;
  for (const auto& route : router_.Routes()) {
    if (route.doc.blocking) blocking.insert(route.method + " " + route.pattern);
  }
  EXPECT_TRUE(blocking.contains("POST /api/v1/auth/login"));
  EXPECT_TRUE(blocking.contains("POST /api/v1/users"));
  EXPECT_TRUE(blocking.contains("GET /api/v1/plans/{id}/export"));
  EXPECT_TRUE(blocking.contains("POST /api/v1/auth/password"));
  EXPECT_TRUE(blocking.contains("POST /api/v1/users/{id}/password"));
  EXPECT_TRUE(blocking.contains("POST /api/v1/imports"));
  EXPECT_FALSE(blocking.contains("GET /healthz"));
}

// Another writer holds the database's write lock (an import does for its whole run; SQLite has
// one writer) while signed-in users read. Before: the once-a-minute stamp of a session's
// last-seen or a token's last-used time waited for that lock (SQLite's 5 s busy timeout, then a
// 503; on PostgreSQL until the writer finished) before the read could be answered.
TEST_P(StallTest, ReadsDoNotWaitForAnotherWritersLockToStampLastUse) {
  BrowserSession session = SignIn("ann");
  // Two minutes on: the identity the sign-in checked is due for a fresh check and a new stamp.
  clock_.Set(clock_.Now().AddSeconds(120));
  auto holder = store::OpenDatabase(url_);
  ASSERT_TRUE(holder) << holder.error().message;
  auto held = (*holder)->ExecScript(GetParam() == testing::Backend::kPostgres
                                        ? "BEGIN; LOCK TABLE sessions, api_tokens IN EXCLUSIVE MODE"
                                        : "BEGIN IMMEDIATE");
  ASSERT_TRUE(held) << held.error().message;

  const std::string account = "/api/v1/accounts/" + std::to_string(ann_account_.value);
  httplib::Client by_token = As("bob");  // bob's token has not been used yet: no cached identity
  by_token.set_read_timeout(20);         // a safety net against waiting for the writer forever
  auto first_use = by_token.Get("/api/v1/me");
  ASSERT_TRUE(first_use) << "no answer while another writer holds the lock";
  EXPECT_EQ(first_use->status, 200) << first_use->body;

  httplib::Client browser = Anonymous();
  browser.set_read_timeout(20);
  auto page = browser.Get(account, {{"Cookie", session.cookie}});
  ASSERT_TRUE(page) << "no answer while another writer holds the lock";
  EXPECT_EQ(page->status, 200) << page->body;

  // The stamps were skipped, not lost for good: the first check after the writer is done
  // writes them.
  ASSERT_TRUE((*holder)->ExecScript("ROLLBACK"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM api_tokens WHERE user_id = " +
                  std::to_string(P("bob").id.value) + " AND last_used_at IS NOT NULL"),
            0);
  clock_.Set(clock_.Now().AddSeconds(120));
  auto after = As("bob").Get("/api/v1/me");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200) << after->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM api_tokens WHERE user_id = " +
                  std::to_string(P("bob").id.value) + " AND last_used_at IS NOT NULL"),
            1);
}

// A stand-in for Chromium that prints only once the test lets it.
class PdfLimitTest : public StallTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("orchard-fake-chromium-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::filesystem::remove(dir_ / "started");
    std::filesystem::remove(dir_ / "release");
    const auto script = dir_ / "chromium";
    {
      std::ofstream out(script);
      out << "#!/bin/sh\n"
             "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; "
             "esac; done\n"
             "touch '"
          << (dir_ / "started").string()
          << "'\n"
             "while [ ! -e '"
          << (dir_ / "release").string()
          << "' ]; do sleep 0.05; done\n"
             "printf '%%PDF-1.4 fake' > \"$out\"\n";
    }
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    ::setenv("ORCHARD_CHROMIUM", script.c_str(), 1);
    pdf_exports_at_once_ = 1;
    pdf_exports_per_user_ = 1;
    StallTest::SetUp();
  }
  void TearDown() override {
    std::ofstream(dir_ / "release").put('\n');
    StallTest::TearDown();
    ::unsetenv("ORCHARD_CHROMIUM");
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::filesystem::path dir_;
};

TEST_P(PdfLimitTest, PastTheLimitAnExportGets429WithRetryAfter) {
  auto path = [](PlanId plan) {
    return "/api/v1/plans/" + std::to_string(plan.value) + "/export?format=pdf";
  };
  int first = 0;
  std::string first_type;
  clients_.emplace_back([&] {
    auto res = As("ann").Get(path(ann_plan_));
    first = res ? res->status : -1;
    if (res) first_type = res->get_header_value("Content-Type");
  });
  for (int i = 0; i < 1200 && !std::filesystem::exists(dir_ / "started"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(std::filesystem::exists(dir_ / "started")) << "the first export never started";

  auto again = As("ann").Get(path(ann_plan_));  // the same user: the per-user limit
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 429) << again->body;
  EXPECT_FALSE(again->get_header_value("Retry-After").empty());
  EXPECT_THAT(again->body, ::testing::HasSubstr("one user"));

  auto other = As("bob").Get(path(bob_plan_));  // another user: the server's limit
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 429) << other->body;
  EXPECT_FALSE(other->get_header_value("Retry-After").empty());
  EXPECT_THAT(other->body, ::testing::HasSubstr("this server"));

  auto html = As("bob").Get("/api/v1/plans/" + std::to_string(bob_plan_.value) + "/export");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200) << "the HTML export is not limited";

  std::ofstream(dir_ / "release").put('\n');
  clients_[0].join();
  EXPECT_EQ(first, 200);
  EXPECT_EQ(first_type, "application/pdf");
  auto after = As("bob").Get(path(bob_plan_));  // the place is free again
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200) << after->body;
}

ORCHARD_SECURITY_SUITE(StallTest);
ORCHARD_SECURITY_SUITE(PdfLimitTest);

}  // namespace
}  // namespace orchard::security
