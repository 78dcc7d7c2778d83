// The server under pressure and when its database is not: a cap on open connections, readiness
// that fails when writes cannot succeed, and outage answers that name no host or port.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <sstream>
#include <thread>

#include "http/errors.h"
#include "security/harness.h"

namespace orchard::security {
namespace {

using ServerTest = SecurityTest;

std::unique_ptr<httplib::Client> KeptOpen(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_keep_alive(true);
  c->set_read_timeout(30);
  return c;
}

// Before: no cap — every connection was served, and running out of descriptors spun the accept
// loop.
TEST_P(ServerTest, PastTheConnectionCapNewConnectionsAreRefusedAndOpenOnesServed) {
  server_options_.max_connections = 3;
  Restart();
  ASSERT_EQ(server_->max_connections(), 3);
  std::vector<std::unique_ptr<httplib::Client>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(KeptOpen(server_->port()));
    auto res = open.back()->Get("/healthz");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  for (int i = 0; i < 3; ++i) {
    auto extra = KeptOpen(server_->port());
    auto res = extra->Get("/healthz");
    // Refused: a 503 naming the limit (or, had the client not read it in time, a closed socket).
    if (res) {
      EXPECT_EQ(res->status, 503) << res->body;
      EXPECT_THAT(res->body, ::testing::HasSubstr("limit of 3 open connections"));
      EXPECT_FALSE(res->get_header_value("Retry-After").empty());
    }
  }
  for (auto& c : open) {
    auto res = c->Get("/healthz");
    ASSERT_TRUE(res) << "an open connection lost its answer";
    EXPECT_EQ(res->status, 200);
  }
  open.erase(open.begin());  // closes one connection; the server sees it go
  int status = 0;
  for (int i = 0; i < 400 && status != 200; ++i) {
    auto again = KeptOpen(server_->port());
    auto res = again->Get("/healthz");
    status = res ? res->status : -1;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(status, 200) << "a place freed by a closed connection is never given again";
}

// Readiness fails (naming why) when the database takes no writes; liveness stays green.
TEST_P(ServerTest, ReadyzFailsWhenTheDatabaseIsReadOnlyAndHealthzStaysOk) {
  auto ready = Anonymous().Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  const bool postgres = GetParam() == testing::Backend::kPostgres;
  OnEveryPooledConnection(postgres ? "SET default_transaction_read_only = on"
                                   : "PRAGMA query_only = 1");
  ready = Anonymous().Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503) << ready->body;
  EXPECT_THAT(ready->body, ::testing::HasSubstr("refuses writes"));
  auto health = Anonymous().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  // A write meanwhile is "try again later", not a server error.
  auto write = As("admin").Patch("/api/v1/accounts/" + std::to_string(ann_account_.value),
                                 R"({"version": 1, "name": "Contoso Group"})", "application/json");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 503) << write->body;

  OnEveryPooledConnection(postgres ? "SET default_transaction_read_only = off"
                                   : "PRAGMA query_only = 0");
  ready = Anonymous().Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
}

TEST_P(ServerTest, ReadyzIsInTheOpenApiDocument) {
  auto doc = Anonymous().Get("/api/v1/openapi.json");
  ASSERT_TRUE(doc);
  auto paths = json::parse(doc->body).at("paths").as_object();
  EXPECT_TRUE(paths.contains("/readyz"));
  EXPECT_TRUE(paths.contains("/healthz"));
}

// A TCP relay to the database that the test can take down, as a database host going away.
class Relay {
 public:
  explicit Relay(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (::pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
    thread_ = std::thread([this] { Loop(); });
  }
  ~Relay() { Down(); }
  int port() const { return port_; }
  // Closes the listening socket and every relayed connection: new connections are refused.
  void Down() {
    if (!thread_.joinable()) return;
    (void)!::write(wake_[1], "x", 1);
    thread_.join();
  }

 private:
  void Loop() {
    std::vector<std::pair<int, int>> pairs;
    char buffer[65536];
    for (;;) {
      std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listener_, POLLIN, 0}};
      for (auto [a, b] : pairs) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), -1) < 0) continue;
      if (fds[0].revents != 0) break;
      if (fds[1].revents != 0) {
        int client = ::accept(listener_, nullptr, nullptr);
        int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<uint16_t>(upstream_port_));
        if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
          pairs.emplace_back(client, upstream);
        } else {
          ::close(client);
          ::close(upstream);
        }
      }
      std::vector<std::pair<int, int>> kept;
      // A pair accepted just now has no entry in fds yet: it is polled from the next round.
      const size_t polled = (fds.size() - 2) / 2;
      for (size_t i = 0; i < pairs.size(); ++i) {
        auto [a, b] = pairs[i];
        if (i >= polled) {
          kept.emplace_back(a, b);
          continue;
        }
        bool alive = true;
        for (auto [from, to, ev] :
             {std::tuple{a, b, fds[2 + 2 * i].revents}, std::tuple{b, a, fds[3 + 2 * i].revents}}) {
          if (!alive || ev == 0) continue;
          ssize_t n = ::read(from, buffer, sizeof buffer);
          if (n <= 0 || ::send(to, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n)
            alive = false;
        }
        if (alive) {
          kept.emplace_back(a, b);
        } else {
          ::close(a);
          ::close(b);
        }
      }
      pairs = std::move(kept);
    }
    for (auto [a, b] : pairs) {
      ::close(a);
      ::close(b);
    }
    ::close(listener_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }

  int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

std::shared_ptr<spdlog::logger> CapturingLog(std::ostringstream& out) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto log = std::make_shared<spdlog::logger>("access-test", sink);
  log->set_level(spdlog::level::info);
  log->flush_on(spdlog::level::info);
  return log;
}

// Before: a 503 carried libpq's message, "cannot connect to PostgreSQL at 127.0.0.1:PORT: …".
TEST_P(ServerTest, AnOutageNamesNoHostOrPortToClientsButTheLogKeepsThem) {
  std::ostringstream log_text;
  if (GetParam() != testing::Backend::kPostgres) {
    // SQLite: a database that refuses writes is an outage of the same kind.
    server_options_.access_log = CapturingLog(log_text);
    Restart();
    OnEveryPooledConnection("PRAGMA query_only = 1");
    json::object body{{"version", 1}, {"name", "Contoso Group"}};
    auto res = As("ann").Patch("/api/v1/accounts/" + std::to_string(ann_account_.value),
                               json::serialize(body), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503) << res->body;
    EXPECT_EQ(Json(res).at("error").at("message").as_string(), http::kDatabaseUnavailable);
    EXPECT_THAT(res->body, ::testing::Not(::testing::HasSubstr("sqlite")));
    EXPECT_THAT(log_text.str(), ::testing::HasSubstr("readonly"));
    OnEveryPooledConnection("PRAGMA query_only = 0");
    EXPECT_EQ(
        Count("SELECT version FROM accounts WHERE id = " + std::to_string(ann_account_.value)), 1);
    return;
  }
  // PostgreSQL, through a relay that goes away: a server of its own over the relay.
  size_t colon = url_.find(':', url_.find('@'));
  size_t slash = url_.find('/', colon);
  ASSERT_NE(colon, std::string::npos);
  Relay relay(std::stoi(url_.substr(colon + 1, slash - colon - 1)));
  const std::string port = std::to_string(relay.port());
  std::string relayed = url_.substr(0, colon + 1) + port + url_.substr(slash);
  auto pool = store::ConnectionPool::Open(relayed, 2);
  ASSERT_TRUE(pool) << pool.error().message;
  service::SettingsService settings(**pool, clock_, Settings{});
  service::AccountService accounts(**pool, clock_, settings);
  service::AuthService auth(**pool, clock_);
  http::Router router =
      http::MakeRouter(http::ApiDeps{**pool, clock_, accounts, auth, settings, nullptr, nullptr});
  http::ServerOptions options = server_options_;
  options.metrics = nullptr;
  options.access_log = CapturingLog(log_text);
  http::Server server(router, options);
  ASSERT_TRUE(server.Start());
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(30);
  auto before = c.Get("/healthz");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200) << before->body;

  relay.Down();
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503) << health->body;
  EXPECT_EQ(Json(health).at("database").as_string(), http::kDatabaseUnavailable);
  EXPECT_THAT(health->body, ::testing::Not(::testing::HasSubstr(port)));
  EXPECT_THAT(health->body, ::testing::Not(::testing::HasSubstr("127.0.0.1")));

  c.set_default_headers({{"Authorization", "Bearer " + P("bob").token}});
  auto me = c.Get("/api/v1/me");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 503) << me->body;
  EXPECT_EQ(Json(me).at("error").at("message").as_string(), http::kDatabaseUnavailable);
  EXPECT_THAT(me->body, ::testing::Not(::testing::HasSubstr(port)));
  EXPECT_THAT(me->body, ::testing::Not(::testing::HasSubstr("127.0.0.1")));
  server.Stop();
  server.Wait();
  EXPECT_THAT(log_text.str(), ::testing::HasSubstr(port)) << "the log keeps the detail";
}

ORCHARD_SECURITY_SUITE(ServerTest);

}  // namespace
}  // namespace orchard::security
