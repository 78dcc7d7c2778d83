// What every answer says about itself: no sniffing, no caching of API answers, a CSP on the
// exported plan page, Secure session cookies behind a TLS proxy, /metrics closed to strangers.
#include <gmock/gmock.h>

#include "security/harness.h"

namespace orchard::security {
namespace {

using HeadersTest = SecurityTest;
using ::testing::HasSubstr;

TEST_P(HeadersTest, ApiAnswersAreNotSniffedOrCached) {
  for (const std::string path : {"/api/v1/me", "/api/v1/accounts", "/api/v1/no-such-thing"}) {
    auto res = As("ann").Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store") << path;
  }
  auto health = Anonymous().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->get_header_value("Cache-Control"), "no-store");
  // The web UI's page keeps its own caching rule.
  auto page = Anonymous().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_P(HeadersTest, TheExportedPlanPageHasAContentSecurityPolicy) {
  auto res = As("ann").Get("/api/v1/plans/" + std::to_string(ann_plan_.value) + "/export");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  std::string policy = res->get_header_value("Content-Security-Policy");
  EXPECT_THAT(policy, HasSubstr("default-src 'none'"));
  EXPECT_THAT(policy, HasSubstr("frame-ancestors 'none'"));
}

std::string LoginCookie(httplib::Client c, const std::string& email, const char* password,
                        httplib::Headers headers) {
  json::object body{{"email", email}, {"password", password}};
  auto res = c.Post("/api/v1/auth/login", headers, json::serialize(body), "application/json");
  if (!res || res->status != 200) return "<no sign-in>";
  return res->get_header_value("Set-Cookie");
}

TEST_P(HeadersTest, SessionCookiesAreSecureBehindATrustedTlsProxy) {
  httplib::Headers https{{"X-Forwarded-Proto", "https"}};
  // Not trusted by default: a client cannot claim TLS for itself.
  EXPECT_THAT(LoginCookie(Anonymous(), P("ann").email, kPassword, https),
              ::testing::Not(HasSubstr("Secure")));
  server_options_.trust_proxy = true;
  Restart();
  std::string cookie = LoginCookie(Anonymous(), P("ann").email, kPassword, https);
  EXPECT_THAT(cookie, HasSubstr("; Secure"));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(LoginCookie(Anonymous(), P("bob").email, kPassword, {}),
              ::testing::Not(HasSubstr("Secure")));
}

TEST_P(HeadersTest, MetricsNeedTheTokenWhenOneIsSet) {
  auto open = Anonymous().Get("/metrics");  // loopback, no token: open
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, 200);
  metrics_.SetToken("metrics-secret-123");
  auto none = Anonymous().Get("/metrics");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401) << none->body;
  auto wrong = Anonymous().Get("/metrics", {{"Authorization", "Bearer metrics-secret-124"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403) << wrong->body;
  auto right = Anonymous().Get("/metrics", {{"Authorization", "Bearer metrics-secret-123"}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  EXPECT_THAT(right->body, HasSubstr("orchard_http_requests_total"));
}

TEST_P(HeadersTest, MetricsAreClosedBeyondLoopbackWithoutAToken) {
  server_options_.host = "0.0.0.0";
  Restart();
  auto res = Anonymous().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;
  EXPECT_THAT(res->body, HasSubstr("--metrics-token"));
  metrics_.SetToken("metrics-secret-123");
  auto with = Anonymous().Get("/metrics", {{"Authorization", "Bearer metrics-secret-123"}});
  ASSERT_TRUE(with);
  EXPECT_EQ(with->status, 200);
}

ORCHARD_SECURITY_SUITE(HeadersTest);

}  // namespace
}  // namespace orchard::security
