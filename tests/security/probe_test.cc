// The probe's cases that held (issue "Trust"), kept as tests so they stay held: paths that climb
// out of the web UI's files, bodies an attacker would send, and clients that send slowly.
#include <gmock/gmock.h>
#include <unistd.h>

#include "security/harness.h"
#include "support/socket.h"

namespace orchard::security {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using ProbeTest = SecurityTest;

std::string Exchange(uint16_t port, const std::string& request) {
  int fd = testing::ConnectLoopback(port);
  if (fd < 0) return "";
  (void)!write(fd, request.data(), request.size());
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

TEST_P(ProbeTest, PathsThatClimbOutOfTheWebUiServeNoFile) {
  for (const char* path :
       {"/../../../../etc/passwd", "/assets/../../../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/assets/..%2f..%2f..%2fetc%2fpasswd", "/assets/%252e%252e/etc/passwd",
        "/api/v1/../../etc/passwd", "/assets/....//....//etc/passwd"}) {
    const std::string answer =
        Exchange(server_->port(),
                 std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_FALSE(answer.empty()) << path;
    EXPECT_THAT(answer, Not(HasSubstr("root:x:0:0"))) << path;
    EXPECT_THAT(answer, Not(HasSubstr("/bin/bash"))) << path;
  }
}

TEST_P(ProbeTest, HostileBodiesAre400sNamingWhatIsWrongAndChangeNothing) {
  const std::string path = "/api/v1/accounts/" + std::to_string(ann_account_.value);
  const int64_t audits = Count("SELECT COUNT(*) FROM audit_log");
  struct Case {
    const char* body;
    const char* why;
  };
  std::string deep(5000, '[');
  const Case cases[] = {
      {"{\"version\": 1, \"name\": ", "truncated JSON"},
      {"[1, 2, 3]", "an array, not an object"},
      {"{\"version\": 1, \"name\": \"\\ud800\"}", "a lone surrogate"},
      {"{\"version\": \"1\", \"name\": \"x\"}", "version as text"},
      {"{\"version\": 1, \"employees\": 1e400}", "a number out of range"},
      {"{\"version\": 1, \"employees\": 12.5}", "a fraction of an employee"},
      {"{\"version\": 1, \"name\": \"x\", \"name\": \"y\", \"is_admin\": true}", "unknown field"},
      {"{\"version\": 1, \"owner_id\": \"1 OR 1=1\"}", "an id as text"},
      {deep.c_str(), "nesting 5,000 deep"},
      {"\xff\xfe{\"version\": 1}", "bytes that are not UTF-8"},
  };
  for (const Case& c : cases) {
    auto res = As("admin").Patch(path, c.body, "application/json");
    ASSERT_TRUE(res) << c.why;
    EXPECT_TRUE(res->status == 400 || res->status == 422) << c.why << ": " << res->status;
    EXPECT_THAT(res->body, HasSubstr("\"error\"")) << c.why;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audits);
  EXPECT_EQ(Count("SELECT version FROM accounts WHERE id = " + std::to_string(ann_account_.value)),
            1);
}

// A client that sends its request a byte at a time holds one connection, not the server: others
// are answered meanwhile, and the slow one is cut off after the request timeout.
TEST_P(ProbeTest, ASlowClientIsCutOffAndHoldsUpNobody) {
  server_options_.request_timeout_s = 1;
  Restart();
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    int fd = testing::ConnectLoopback(server_->port());
    ASSERT_GE(fd, 0);
    (void)!write(fd, "GET /healthz HTTP/1.1\r\nHo", 25);
    slow.push_back(fd);
  }
  auto res = Anonymous().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // Each slow connection is closed by the server (end of stream, or a 408 and then the end),
  // well before the 5 s read timeout on our side.
  for (int fd : slow) {
    std::string got;
    char buf[512];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
    EXPECT_EQ(n, 0) << "the server should close a connection that never finishes its request";
    EXPECT_THAT(got, Not(HasSubstr("200 OK")));
    close(fd);
  }
}

ORCHARD_SECURITY_SUITE(ProbeTest);

}  // namespace
}  // namespace orchard::security
