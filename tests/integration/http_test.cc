// The real server on 127.0.0.1 over a real SQLite file, spoken to by a real HTTP client.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <future>
#include <set>
#include <thread>

#include "http/api.h"
#include "http/server.h"
#include "store/migrate.h"
#include "support/process.h"

namespace orchard::http {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite:" + dir_.path() + "/http.db";
    {
      auto db = store::OpenDatabase(url_);
      ASSERT_TRUE(db);
      ASSERT_TRUE(store::Migrate(**db));
      store::Store s(**db);
      User ann;
      ann.email = "ann@orchard.example";
      ann.role = Role::kAm;
      ann_ = s.Insert(ann)->id;
      User bob = ann;
      bob.email = "bob@orchard.example";
      bob_ = s.Insert(bob)->id;
      Product p;
      p.sku = "ORC-1";
      p.list_price = Money::FromDollars(100);
      ProductId product = s.Insert(p)->id;
      for (int i = 1; i <= 23; ++i) {
        Account a;
        a.name = (i % 4 == 0 ? "Northwind " : "Contoso ") + std::to_string(i);
        a.owner_id = i % 2 ? ann_ : bob_;
        a.industry = i % 3 ? "Retail" : "Energy";
        a.region = "EMEA";
        AccountId id = s.Insert(a)->id;
        ContractLine line;
        line.account_id = id;
        line.product_id = product;
        line.arr = Money::FromDollars(i * 10'000);  // $10k … $230k: every tier appears
        line.start_date = *Date::Parse("2026-01-01");
        line.end_date = *Date::Parse("2026-12-31");
        ASSERT_TRUE(s.Insert(line));
        // An expired line never counts toward ARR today.
        line.start_date = *Date::Parse("2024-01-01");
        line.end_date = *Date::Parse("2024-12-31");
        ASSERT_TRUE(s.Insert(line));
      }
    }
    auto pool = store::ConnectionPool::Open(url_, 2);
    ASSERT_TRUE(pool);
    pool_ = std::move(*pool);
    accounts_ = std::make_unique<service::AccountService>(*pool_, clock_, Settings{});
    router_ = MakeRouter(*pool_, *accounts_);
    StartServer(router_);
  }

  void StartServer(const Router& router) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.body_limit = 64 * 1024;
    server_ = std::make_unique<Server>(router, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_tcp_nodelay(true);
    client_->set_keep_alive(true);
  }

  void TearDown() override {
    client_.reset();
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
  }

  json::object GetJson(const std::string& path, int expected_status = 200) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return json::parse(res->body).as_object();
  }

  // The one error shape; returns the first field named (or "").
  std::string ErrorField(const json::object& body) {
    EXPECT_TRUE(body.contains("error"));
    const auto& e = body.at("error").as_object();
    EXPECT_TRUE(e.contains("code"));
    EXPECT_TRUE(e.contains("message"));
    const auto& fields = e.at("fields").as_array();
    return fields.empty() ? "" : std::string(fields[0].as_object().at("field").as_string());
  }

  testing::TempDir dir_;
  std::string url_;
  FixedClock clock_{Timestamp::At(*Date::Parse("2026-06-15"), 12)};
  UserId ann_, bob_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<service::AccountService> accounts_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpTest, HealthzReportsTheDatabase) {
  auto body = GetJson("/healthz");
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("database").as_string(), "ok");
}

TEST_F(HttpTest, RootTellsAPersonWhereToLook) {
  auto res = client_->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(res->body, HasSubstr("/api/v1/accounts"));
}

TEST_F(HttpTest, AccountCarriesArrTodayAndTier) {
  auto a = GetJson("/api/v1/accounts/12");
  EXPECT_EQ(a.at("id").as_int64(), 12);
  EXPECT_EQ(a.at("name").as_string(), "Northwind 12");
  EXPECT_EQ(a.at("arr_cents").as_int64(), 120'000 * 100);  // only the line active today
  EXPECT_EQ(a.at("tier").as_int64(), 1);
  EXPECT_EQ(a.at("tier_rule").as_int64(), 1);
  EXPECT_EQ(a.at("owner_id").as_int64(), bob_.value);
  EXPECT_TRUE(a.at("parent_id").is_null());
  EXPECT_EQ(GetJson("/api/v1/accounts/3").at("tier").as_int64(), 2);  // $30k
  EXPECT_EQ(GetJson("/api/v1/accounts/2").at("tier").as_int64(), 3);  // $20k
}

TEST_F(HttpTest, PagingWalksEveryAccountOnce) {
  std::set<int64_t> seen;
  std::string path = "/api/v1/accounts?limit=5";
  int pages = 0;
  while (true) {
    auto page = GetJson(path);
    ++pages;
    for (const auto& item : page.at("items").as_array()) {
      EXPECT_TRUE(seen.insert(item.as_object().at("id").as_int64()).second);
    }
    if (page.at("next_cursor").is_null()) break;
    path = "/api/v1/accounts?limit=5&cursor=" + std::string(page.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(pages, 5);
}

TEST_F(HttpTest, FiltersNarrowTheList) {
  auto by_owner = GetJson("/api/v1/accounts?limit=100&owner_id=" + std::to_string(ann_.value));
  EXPECT_EQ(by_owner.at("items").as_array().size(), 12u);
  auto energy = GetJson("/api/v1/accounts?limit=100&industry=Energy");
  EXPECT_EQ(energy.at("items").as_array().size(), 7u);
  auto search = GetJson("/api/v1/accounts?limit=100&q=north");
  EXPECT_EQ(search.at("items").as_array().size(), 5u);
  auto both = GetJson("/api/v1/accounts?limit=100&q=north&industry=Energy");
  EXPECT_EQ(both.at("items").as_array().size(), 1u);  // Northwind 12 is the only one in Energy
}

TEST_F(HttpTest, MissingAccountAndUnknownRouteAre404s) {
  auto missing = GetJson("/api/v1/accounts/9999", 404);
  EXPECT_EQ(missing.at("error").as_object().at("code").as_string(), "not_found");
  EXPECT_THAT(std::string(missing.at("error").as_object().at("message").as_string()),
              HasSubstr("9999"));
  auto route = GetJson("/api/v2/nothing", 404);
  EXPECT_THAT(std::string(route.at("error").as_object().at("message").as_string()),
              HasSubstr("/api/v2/nothing"));
}

TEST_F(HttpTest, WrongMethodIs405WithAllow) {
  auto res = client_->Post("/api/v1/accounts", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET");
}

TEST_F(HttpTest, BadParametersAre400sNamingThem) {
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?limit=abc", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?limit=0", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?limit=100000", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?owner_id=x", 400)), "owner_id");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?cursor=zzz", 400)), "cursor");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?colour=red", 400)), "colour");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/abc", 400)), "id");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/-4", 400)), "id");
}

TEST_F(HttpTest, OversizedBodyIs413) {
  std::string big(200 * 1024, 'x');
  auto res = client_->Post("/api/v1/accounts", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_THAT(res->body, HasSubstr("resource_exhausted"));
}

TEST_F(HttpTest, EveryResponseHasItsOwnRequestId) {
  auto a = client_->Get("/healthz");
  auto b = client_->Get("/healthz");
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->get_header_value("X-Request-Id").empty());
  EXPECT_NE(a->get_header_value("X-Request-Id"), b->get_header_value("X-Request-Id"));
  EXPECT_EQ(a->get_header_value("Server"), "orchard");
}

// Raw socket: two requests on one connection get two answers (HTTP/1.1 keep-alive).
TEST_F(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->port());
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/accounts/1 HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(fd, two.data(), two.size()), static_cast<ssize_t>(two.size()));
  std::string got;
  char buf[4096];
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  while (got.find("Contoso 1") == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_THAT(got, HasSubstr("\"status\":\"ok\""));
  EXPECT_THAT(got, HasSubstr("Contoso 1"));
}

TEST_F(HttpTest, MalformedRequestIs400) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->port());
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string junk = "NOT HTTP AT ALL\r\n\r\n";
  ASSERT_GT(write(fd, junk.data(), junk.size()), 0);
  char buf[4096];
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  ASSERT_GT(n, 0);
  EXPECT_THAT(std::string(buf, static_cast<size_t>(n)), HasSubstr("400 Bad Request"));
}

TEST_F(HttpTest, StopLetsAnInFlightRequestFinish) {
  // A server whose one route takes a while, stopped while a request is in flight.
  server_->Stop();
  server_->Wait();
  std::promise<void> entered;
  Router slow;
  slow.Add("GET", "/slow", [&entered](const HttpRequest&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    HttpResponse r;
    r.body = R"({"done":true})";
    return r;
  });
  StartServer(slow);
  auto reply = std::async(std::launch::async, [this] { return client_->Get("/slow"); });
  entered.get_future().wait();
  server_->Stop();
  auto res = reply.get();
  ASSERT_TRUE(res) << "the in-flight request was cut off";
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"done":true})");
  server_->Wait();
  httplib::Client after("127.0.0.1", server_->port());
  after.set_connection_timeout(1);
  EXPECT_FALSE(after.Get("/slow")) << "a stopped server accepts nothing";
  server_.reset();
}

TEST_F(HttpTest, PortInUseIsOneClearLine) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = server_->port();
  Server second(router_, options);
  auto s = second.Start();
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message,
              HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(server_->port())));
}

}  // namespace
}  // namespace orchard::http
