// The real server on 127.0.0.1 over a real SQLite file, spoken to by a real HTTP client.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "automation/rule_engine.h"
#include "automation/rule_store.h"
#include "http/api.h"
#include "http/server.h"
#include "scoring/live_scores.h"
#include "service/passwords.h"
#include "store/migrate.h"
#include "support/process.h"
#include "support/socket.h"
#include "support/test_database.h"

namespace orchard::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace json = boost::json;

class HttpTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
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
      User admin = ann;
      admin.email = "admin@orchard.example";
      admin.role = Role::kAdmin;
      admin.password_hash = *service::HashPassword(kPassword, service::HashCost::kMinimum);
      admin_ = s.Insert(admin)->id;
      // Tokens for the tests' callers, stored as the server stores them: hashed.
      for (auto [user, secret] : {std::pair{admin_, &admin_token_}, std::pair{ann_, &ann_token_},
                                  std::pair{bob_, &bob_token_}}) {
        *secret = service::NewSecret();
        ApiToken t;
        t.user_id = user;
        t.name = "test";
        t.token_hash = service::HashSecret(*secret);
        ASSERT_TRUE(s.Insert(t));
      }
      User viewer = ann;
      viewer.email = "vic@orchard.example";
      viewer.role = Role::kViewer;
      UserId vic = s.Insert(viewer)->id;
      viewer_token_ = service::NewSecret();
      ApiToken vt;
      vt.user_id = vic;
      vt.token_hash = service::HashSecret(viewer_token_);
      ASSERT_TRUE(s.Insert(vt));
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
    settings_ = std::make_unique<service::SettingsService>(*pool_, clock_, Settings{});
    accounts_ = std::make_unique<service::AccountService>(*pool_, clock_, *settings_);
    service::AuthOptions auth_options;
    auth_options.hash_cost = service::HashCost::kMinimum;
    auth_ = std::make_unique<service::AuthService>(*pool_, clock_, auth_options);
    ServeFreshBook();
  }

  // Loads the book from the database and serves it.
  void ServeFreshBook() {
    {
      auto db = pool_->Acquire();
      ASSERT_TRUE(db);
      auto model = engine::ReadModel::Load(**db);
      ASSERT_TRUE(model) << model.error().message;
      rule_engine_.reset();
      predictions_.reset();
      model_ = std::move(*model);
      auto predictions =
          scoring::LiveScores::Load(**db);  // the models, as orchard serve loads them
      ASSERT_TRUE(predictions) << predictions.error().message;
      predictions_ = std::move(*predictions);
    }
    rules_ = std::make_unique<automation::RuleService>(*pool_, clock_);
    rule_engine_ = std::make_unique<automation::RuleEngine>(
        *pool_, *model_, [this] { return settings_->Current(); }, clock_);
    ApiDeps deps{*pool_, clock_, *accounts_, *auth_, *settings_, &metrics_, model_.get()};
    deps.rules = rules_.get();
    deps.rule_engine = rule_engine_.get();
    deps.predictions = predictions_.get();
    router_ = MakeRouter(deps);
    StartServer(router_);
  }

  void StartServer(const Router& router) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.body_limit = 64 * 1024;
    options.metrics = &metrics_;
    server_ = std::make_unique<Server>(router, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_tcp_nodelay(true);
    client_->set_keep_alive(true);
    client_->set_default_headers({{"Authorization", "Bearer " + admin_token_}});
  }

  // Loads the book afresh and serves it on a new server, as a server started after writes that
  // bypassed the services (SQL run by the test) would see them.
  void RestartOverFreshBook() {
    server_->Stop();
    server_->Wait();
    ServeFreshBook();
  }

  // A plain TCP connection to the server, for bytes no HTTP client would send (-1 on failure).
  int ConnectRaw() { return testing::ConnectLoopback(server_->port()); }

  httplib::Client As(const std::string& token) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_tcp_nodelay(true);
    if (!token.empty()) c.set_default_headers({{"Authorization", "Bearer " + token}});
    return c;
  }

  int64_t Count(const std::string& sql) {
    auto db = store::OpenDatabase(url_);
    return (*db)->QueryInt(sql)->value_or(-1);
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

  testing::TestDatabase test_db_;
  std::string url_;
  FixedClock clock_{Timestamp::At(*Date::Parse("2026-06-15"), 12)};
  static constexpr const char* kPassword = "correct horse battery";
  UserId ann_, bob_, admin_;
  std::string admin_token_, ann_token_, bob_token_, viewer_token_;
  std::unique_ptr<service::AuthService> auth_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<service::SettingsService> settings_;
  std::unique_ptr<service::AccountService> accounts_;
  Metrics metrics_;
  std::unique_ptr<engine::ReadModel> model_;
  std::unique_ptr<automation::RuleService> rules_;
  std::unique_ptr<automation::RuleEngine> rule_engine_;
  std::unique_ptr<scoring::LiveScores> predictions_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_P(HttpTest, HealthzReportsTheDatabase) {
  auto body = GetJson("/healthz");
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("database").as_string(), "ok");
}

TEST_P(HttpTest, RootServesTheWebUi) {
  // The app's page (or, in a build without web/dist, the page saying how to build it).
  auto res = client_->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(res->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'self'"));
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
  EXPECT_THAT(res->body, HasSubstr("<title>Orchard</title>"));
  // A page path the app routes in the browser gets the same page.
  auto page = client_->Get("/accounts/12");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, res->body);
}

TEST_P(HttpTest, MissingFilesAndApiPathsAreNotTheWebUi) {
  for (const char* path : {"/assets/gone-1234.js", "/favicon.png", "/api/v1/nothing-here"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_THAT(res->get_header_value("Content-Type"), Not(HasSubstr("text/html"))) << path;
  }
}

// tier (in force), health, quadrant and renewal_within come from the in-memory book; the list is
// in id order, paged by the last id, and combines with the store's filters.
TEST_P(HttpTest, AccountsFilterByTierFromTheBook) {
  auto ids = [](const json::object& page) {
    std::vector<int64_t> out;
    for (const auto& a : page.at("items").as_array()) out.push_back(a.at("id").as_int64());
    return out;
  };
  auto first = GetJson("/api/v1/accounts?tier=1&limit=5");  // ARR ≥ $100k: ids 10 … 23
  EXPECT_EQ(ids(first), (std::vector<int64_t>{10, 11, 12, 13, 14}));
  for (const auto& a : first.at("items").as_array()) EXPECT_EQ(a.at("tier").as_int64(), 1);
  std::string cursor(first.at("next_cursor").as_string());
  auto second = GetJson("/api/v1/accounts?tier=1&limit=5&cursor=" + cursor);
  EXPECT_EQ(ids(second), (std::vector<int64_t>{15, 16, 17, 18, 19}));
  auto last = GetJson("/api/v1/accounts?tier=1&limit=5&cursor=" +
                      std::string(second.at("next_cursor").as_string()));
  EXPECT_EQ(ids(last), (std::vector<int64_t>{20, 21, 22, 23}));
  EXPECT_TRUE(last.at("next_cursor").is_null());
  auto anns = GetJson("/api/v1/accounts?tier=1&owner_id=" + std::to_string(ann_.value));
  EXPECT_EQ(ids(anns), (std::vector<int64_t>{11, 13, 15, 17, 19, 21, 23}));
  EXPECT_EQ(ids(GetJson("/api/v1/accounts?tier=2&q=northwind")), (std::vector<int64_t>{4, 8}));
  // ids: the accounts named, in id order (an unknown id is left out), for a client that holds
  // only ids (the web UI's task and handoff rows); a list it cannot read is refused naming it.
  EXPECT_EQ(ids(GetJson("/api/v1/accounts?ids=12,3,999,12")), (std::vector<int64_t>{3, 12}));
  EXPECT_EQ(GetJson("/api/v1/accounts?ids=12").at("items").as_array()[0].at("name").as_string(),
            "Northwind 12");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?ids=3,x", 400)), "ids");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?ids=", 400)), "ids");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?ids=3&sort=name", 400)), "sort");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?tier=4", 400)), "tier");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?health=blue", 400)), "health");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?tier=1&sort=name", 400)), "sort");
}

TEST_P(HttpTest, AccountCarriesArrTodayAndTier) {
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

TEST_P(HttpTest, PagingWalksEveryAccountOnce) {
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

// Walks a list page by page; returns each row's `column` ("" for null) and id, in order.
std::vector<std::pair<std::string, int64_t>> WalkSorted(httplib::Client& client,
                                                        const std::string& base,
                                                        const std::string& column) {
  std::vector<std::pair<std::string, int64_t>> rows;
  std::string path = base;
  for (int guard = 0; guard < 100; ++guard) {
    auto res = client.Get(path);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "");
    if (!res || res->status != 200) break;
    auto page = json::parse(res->body).as_object();
    for (const auto& item : page.at("items").as_array()) {
      const auto& v = item.as_object().at(column);
      rows.emplace_back(v.is_null() ? "" : std::string(v.as_string()),
                        item.as_object().at("id").as_int64());
    }
    if (page.at("next_cursor").is_null()) break;
    path = base + "&cursor=" + std::string(page.at("next_cursor").as_string());
  }
  return rows;
}

// The list's order by `column` as the database gives it: values ascending (numbers by number,
// text by its bytes), ties by id, NULLs last; descending reverses values and ids, NULLs still last.
bool ListedBefore(const json::object& a, const json::object& b, const std::string& column,
                  bool desc) {
  const json::value& x = a.at(column);
  const json::value& y = b.at(column);
  int64_t ida = a.at("id").as_int64(), idb = b.at("id").as_int64();
  if (x.is_null() != y.is_null()) return y.is_null();
  if (!x.is_null()) {
    int c = 0;
    if (x.is_string()) {
      std::string_view sx = x.as_string(), sy = y.as_string();
      c = sx < sy ? -1 : sx > sy ? 1 : 0;
    } else if (x.is_bool()) {
      c = x.as_bool() == y.as_bool() ? 0 : x.as_bool() ? 1 : -1;
    } else {
      c = x.as_int64() < y.as_int64() ? -1 : x.as_int64() > y.as_int64() ? 1 : 0;
    }
    if (c != 0) return desc ? c > 0 : c < 0;
  }
  return desc ? ida > idb : ida < idb;
}

// Walks `query` (sort, filters) page by page; returns the ids in the order listed.
std::vector<int64_t> WalkIds(httplib::Client& client, const std::string& query) {
  std::vector<int64_t> ids;
  const std::string base = "/api/v1/accounts?limit=3&" + query;
  std::string path = base;
  for (int guard = 0; guard < 200; ++guard) {
    auto res = client.Get(path);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "");
    if (!res || res->status != 200) break;
    auto page = json::parse(res->body).as_object();
    for (const auto& item : page.at("items").as_array()) {
      ids.push_back(item.as_object().at("id").as_int64());
    }
    if (page.at("next_cursor").is_null()) break;
    std::string cursor(page.at("next_cursor").as_string());
    std::string escaped;
    for (unsigned char c : cursor) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        escaped.push_back(static_cast<char>(c));
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        escaped += hex;
      }
    }
    path = base + "&cursor=" + escaped;
  }
  return ids;
}

TEST_P(HttpTest, SortedSearchesAndColumnsWalkEveryMatchOnceInOrderAcrossWrites) {
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    // Ties and NULLs in columns of every kind: numbers, text, enums, ids.
    for (const char* sql :
         {"UPDATE accounts SET employees = (id * 7) % 4 * 100",
          "UPDATE accounts SET salesforce_id = 'SF' || (id * 37 % 23) WHERE id % 5 <> 0",
          "UPDATE accounts SET parent_id = 1 + id % 2 WHERE id > 2 AND id % 3 = 0",
          "UPDATE accounts SET growth_potential = 'high' WHERE id % 4 = 1",
          "UPDATE accounts SET growth_potential = 'low' WHERE id % 4 = 2",
          "UPDATE accounts SET name = 'Same Contoso' WHERE id % 6 = 0"}) {
      auto updated = (*db)->Exec(sql, {});
      ASSERT_TRUE(updated) << sql << ": " << updated.error().message;
    }
  }
  RestartOverFreshBook();
  const std::vector<std::string> columns = {"employees",        "salesforce_id", "parent_id",
                                            "growth_potential", "name",          "strategic",
                                            "created_at",       "tier_override"};
  struct Filter {
    std::string query;
    std::function<bool(const json::object&)> admits;
  };
  auto name_has = [](std::string part) {
    return [part](const json::object& a) {
      std::string name(a.at("name").as_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return name.find(part) != std::string::npos;
    };
  };
  const std::string ann = std::to_string(ann_.value);
  const std::vector<Filter> filters = {
      {"", [](const json::object&) { return true; }},
      {"q=contoso", name_has("contoso")},
      {"q=1", name_has("1")},
      {"q=nothing-like-it", name_has("nothing-like-it")},
      {"q=CONTOSO&owner_id=" + ann + "&industry=Retail",
       [&, has = name_has("contoso")](const json::object& a) {
         return has(a) && a.at("owner_id").as_int64() == ann_.value &&
                a.at("industry").as_string() == "Retail";
       }},
  };
  // Every account as the database holds it, and each walk checked against it.
  auto check_walks = [&](const std::string& when) {
    auto all = GetJson("/api/v1/accounts?limit=500").at("items").as_array();
    for (const auto& column : columns) {
      for (bool desc : {false, true}) {
        for (const auto& f : filters) {
          std::vector<json::object> expected;
          for (const auto& a : all) {
            if (f.admits(a.as_object())) expected.push_back(a.as_object());
          }
          std::sort(expected.begin(), expected.end(),
                    [&](const auto& a, const auto& b) { return ListedBefore(a, b, column, desc); });
          std::vector<int64_t> expected_ids;
          for (const auto& a : expected) expected_ids.push_back(a.at("id").as_int64());
          std::string query = "sort=" + std::string(desc ? "-" : "") + column;
          if (!f.query.empty()) query += "&" + f.query;
          EXPECT_EQ(WalkIds(*client_, query), expected_ids) << when << ": " << query;
        }
      }
    }
  };
  check_walks("as loaded");
  // Writes through the API after the orders were read: a value moves, a name changes, a NULL
  // gets a value and a value becomes NULL, an account arrives and one goes.
  auto patch = [&](int id, const std::string& fields) {
    auto got = GetJson("/api/v1/accounts/" + std::to_string(id));
    std::string body =
        "{\"version\":" + std::to_string(got.at("version").as_int64()) + "," + fields + "}";
    auto res = client_->Patch("/api/v1/accounts/" + std::to_string(id), body, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << body << ": " << res->body;
  };
  patch(5, R"("employees":999999,"growth_potential":null)");
  patch(6, R"("name":"Aardvark Contoso 1","salesforce_id":null)");
  patch(8, R"("growth_potential":"medium","salesforce_id":"0000","strategic":true)");
  patch(9, R"("tier_override":2,"tier_override_reason":"asked","parent_id":null)");
  auto created = client_->Post(
      "/api/v1/accounts",
      R"({"name":"Contoso 1 New","industry":"Retail","employees":200,"owner_id":)" + ann + "}",
      "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  ASSERT_EQ(client_->Delete("/api/v1/accounts/7")->status, 204);
  check_walks("after writes");
}

TEST_P(HttpTest, SortedPagesWalkEveryRowOnceInOrderWithNullsLast) {
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    // Three values with ties, and every third account without one.
    for (auto [day, which] :
         {std::pair{"low", "0"}, std::pair{"high", "1"}, std::pair{"medium", "2, 3"}}) {
      auto updated = (*db)->Exec("UPDATE accounts SET growth_potential = '" + std::string(day) +
                                     "' WHERE id % 3 <> 0 AND id % 4 IN (" + which + ")",
                                 {});
      ASSERT_TRUE(updated) << updated.error().message;
    }
  }
  RestartOverFreshBook();
  auto ascending =
      WalkSorted(*client_, "/api/v1/accounts?limit=4&sort=growth_potential", "growth_potential");
  auto descending =
      WalkSorted(*client_, "/api/v1/accounts?limit=4&sort=-growth_potential", "growth_potential");
  ASSERT_EQ(ascending.size(), 23u);
  ASSERT_EQ(descending.size(), 23u);
  auto expected = ascending;
  // Values in order, ties by id, NULLs (written "") last — in both directions.
  auto before = [](bool desc) {
    return [desc](const auto& a, const auto& b) {
      if (a.first.empty() != b.first.empty()) return b.first.empty();
      if (a.first != b.first) return desc ? a.first > b.first : a.first < b.first;
      return desc ? a.second > b.second : a.second < b.second;
    };
  };
  std::sort(expected.begin(), expected.end(), before(false));
  EXPECT_EQ(ascending, expected);
  EXPECT_EQ(ascending.front().first, "high");
  EXPECT_EQ(ascending.back().first, "") << "accounts without a potential come last";
  expected = descending;
  std::sort(expected.begin(), expected.end(), before(true));
  EXPECT_EQ(descending, expected);
  EXPECT_EQ(descending.front().first, "medium");
  // A column that is never NULL (the name, as the web UI sorts) pages the same way, ties by id,
  // through the book's order of the names.
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec("UPDATE accounts SET name = 'Same' WHERE id % 5 = 0", {}));
  }
  RestartOverFreshBook();  // the book keeps the order by name from its load
  for (bool desc : {false, true}) {
    auto by_name = WalkSorted(
        *client_, std::string("/api/v1/accounts?limit=4&sort=") + (desc ? "-" : "") + "name",
        "name");
    ASSERT_EQ(by_name.size(), 23u) << "every row once";
    auto sorted = by_name;
    std::sort(sorted.begin(), sorted.end(), before(desc));
    EXPECT_EQ(by_name, sorted) << (desc ? "-name" : "name");
  }
  // The generic lists sort too: contract lines by ARR, largest first, across pages.
  auto lines = GetJson("/api/v1/contract-lines?limit=3&sort=-arr_cents");
  ASSERT_EQ(lines.at("items").as_array().size(), 3u);
  EXPECT_EQ(lines.at("items").as_array()[0].as_object().at("arr_cents").as_int64(), 230'000 * 100);
  auto next = GetJson("/api/v1/contract-lines?limit=3&sort=-arr_cents&cursor=" +
                      std::string(lines.at("next_cursor").as_string()));
  EXPECT_EQ(next.at("items").as_array()[0].as_object().at("arr_cents").as_int64(), 220'000 * 100);
  // Mistakes are named: an unknown column, a secret one, a cursor from another order.
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?sort=shoe_size", 400)), "sort");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/users?sort=password_hash", 400)), "sort");
  std::string cursor(lines.at("next_cursor").as_string());
  EXPECT_EQ(ErrorField(GetJson("/api/v1/contract-lines?cursor=" + cursor, 400)), "cursor");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/contract-lines?sort=arr_cents&cursor=" + cursor, 400)),
            "cursor");
  EXPECT_EQ(
      ErrorField(GetJson("/api/v1/contract-lines?sort=-arr_cents&cursor=9~-arr_cents~zz", 400)),
      "cursor");
}

TEST_P(HttpTest, RangeFiltersBoundTheAuditLogInTime) {
  auto patch =
      client_->Patch("/api/v1/accounts/4", R"({"version":1,"name":"Renamed"})", "application/json");
  ASSERT_EQ(patch->status, 200) << patch->body;
  // The server's clock stands at 2026-06-15 12:00 UTC.
  EXPECT_EQ(GetJson("/api/v1/audit?at_from=2026-06-15T11:00:00Z&at_to=2026-06-15T13:00:00Z")
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_TRUE(GetJson("/api/v1/audit?at_from=2026-06-15T12:00:01Z").at("items").as_array().empty());
  EXPECT_TRUE(GetJson("/api/v1/audit?at_to=2026-06-15T11:59:59Z").at("items").as_array().empty());
  EXPECT_EQ(ErrorField(GetJson("/api/v1/audit?at_from=yesterday", 400)), "at_from");
  // Ranges work on numbers too, and combine with equality filters.
  auto mid = GetJson(
      "/api/v1/contract-lines?limit=100&arr_cents_from=10000000&arr_cents_to=12000000&"
      "start_date=2026-01-01");
  EXPECT_EQ(mid.at("items").as_array().size(), 3u) << "$100k, $110k and $120k";
}

TEST_P(HttpTest, RetentionAnswersFromTheLiveBookAndMovesWithEachWrite) {
  // Every account has had one line since 2026-01-01 ($10k × its number): flat since February.
  auto flat = GetJson("/api/v1/metrics/retention?from=2026-02-01&to=2026-06-15");
  EXPECT_EQ(flat.at("total").at("accounts").as_int64(), 23);
  EXPECT_EQ(flat.at("total").at("start_arr_cents").as_int64(), 276 * 10'000 * 100);
  EXPECT_EQ(flat.at("total").at("nrr").as_double(), 1.0);
  // The default period is the trailing 12 months to today (2026-06-15): nobody had ARR then.
  auto trailing = GetJson("/api/v1/metrics/retention");
  EXPECT_EQ(trailing.at("from").as_string(), "2025-06-15");
  EXPECT_EQ(trailing.at("total").at("accounts").as_int64(), 0);
  EXPECT_TRUE(trailing.at("total").at("nrr").is_null());
  // An upsell on account 1 from March shows at once: NRR (2,760k + 50k) / 2,760k = 101.81%.
  auto line = client_->Post("/api/v1/accounts/1/contract-lines",
                            R"({"product_id":1,"arr_cents":5000000,"start_date":"2026-03-01"})",
                            "application/json");
  ASSERT_EQ(line->status, 201) << line->body;
  auto grown = GetJson("/api/v1/metrics/retention?from=2026-02-01&to=2026-06-15&group_by=am");
  EXPECT_EQ(grown.at("total").at("expansion_cents").as_int64(), 5'000'000);
  EXPECT_EQ(grown.at("total").at("nrr").as_double(), 1.0181);
  const auto& groups = grown.at("groups").as_array();
  ASSERT_EQ(groups.size(), 2u) << "ann's and bob's books";
  EXPECT_EQ(groups[0].at("key").as_string(), std::to_string(ann_.value));
  EXPECT_EQ(groups[0].at("expansion_cents").as_int64(), 5'000'000) << "account 1 is ann's";
  EXPECT_EQ(groups[1].at("expansion_cents").as_int64(), 0);
  // Ann hands account 1 to Bob today: by AM (the owner at the period's end) it is Bob's now;
  // by the owner at the start, still Ann's.
  auto handed = client_->Patch("/api/v1/accounts/1",
                               R"({"version":1,"owner_id":)" + std::to_string(bob_.value) + "}",
                               "application/json");
  ASSERT_EQ(handed->status, 200) << handed->body;
  auto expansion_of = [](const boost::json::value& report, UserId am) {
    for (const auto& g : report.at("groups").as_array()) {
      if (g.at("key").as_string() == std::to_string(am.value)) {
        return g.at("expansion_cents").as_int64();
      }
    }
    return int64_t{-1};
  };
  const std::string period = "/api/v1/metrics/retention?from=2026-02-01&to=2026-06-15&group_by=";
  EXPECT_EQ(expansion_of(GetJson(period + "am"), bob_), 5'000'000);
  EXPECT_EQ(expansion_of(GetJson(period + "am"), ann_), 0);
  EXPECT_EQ(expansion_of(GetJson(period + "am_at_start"), ann_), 5'000'000);
  EXPECT_EQ(expansion_of(GetJson(period + "am_at_start"), bob_), 0);
  // Deleting the account takes it out of the cohort.
  ASSERT_EQ(client_->Delete("/api/v1/accounts/1")->status, 204);
  EXPECT_EQ(GetJson("/api/v1/metrics/retention?from=2026-02-01&to=2026-06-15")
                .at("total")
                .at("accounts")
                .as_int64(),
            22);
  EXPECT_EQ(ErrorField(GetJson("/api/v1/metrics/retention?from=2026-07-01&to=2026-06-15", 422)),
            "from");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/metrics/retention?group_by=planet", 400)), "group_by");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/metrics/retention?to=June", 400)), "to");
}

TEST_P(HttpTest, RelationshipMapDrawsTheOrgChartRefusesCyclesAndRaisesAlerts) {
  auto add = [&](const std::string& fields) {
    auto r = client_->Post("/api/v1/accounts/2/contacts", "{" + fields + "}", "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
    return json::parse(r->body).at("id").as_int64();
  };
  const int64_t ceo = add(R"("first_name":"Ada","last_name":"Eze","buying_role":"economic_buyer",)"
                          R"("stance":"supporter","influence":5)");
  const int64_t vp = add(R"("first_name":"Bo","buying_role":"champion","stance":"champion",)"
                         R"("influence":4,"reports_to_id":)" +
                         std::to_string(ceo));
  const int64_t lead = add(R"("first_name":"Cy","stance":"detractor","influence":4,)"
                           R"("reports_to_id":)" +
                           std::to_string(vp));
  auto map = GetJson("/api/v1/accounts/2/relationship-map");
  ASSERT_EQ(map.at("nodes").as_array().size(), 3u);
  EXPECT_EQ(map.at("nodes").as_array()[0].at("name").as_string(), "Ada Eze");
  EXPECT_EQ(map.at("nodes").as_array()[1].at("stance").as_string(), "champion");
  EXPECT_EQ(
      json::serialize(map.at("edges")),
      json::serialize(json::array{{{"from", ceo}, {"to", vp}}, {{"from", vp}, {"to", lead}}}));
  EXPECT_EQ(json::serialize(map.at("roots")), "[" + std::to_string(ceo) + "]");
  // Cy, an influential detractor, has never been engaged.
  ASSERT_EQ(map.at("alerts").as_array().size(), 1u);
  EXPECT_EQ(map.at("alerts").as_array()[0].at("code").as_string(), "detractor_dark");
  EXPECT_EQ(map.at("alerts").as_array()[0].at("contact_id").as_int64(), lead);

  // The CEO reporting to Cy would close a cycle: refused, naming the field and the loop.
  const std::string ceo_path = "/api/v1/contacts/" + std::to_string(ceo);
  auto cycle =
      client_->Patch(ceo_path, R"({"version":1,"reports_to_id":)" + std::to_string(lead) + "}",
                     "application/json");
  ASSERT_EQ(cycle->status, 422) << cycle->body;
  auto error = json::parse(cycle->body).as_object();
  EXPECT_EQ(ErrorField(error), "reports_to_id");
  EXPECT_NE(cycle->body.find("cycle"), std::string::npos) << cycle->body;
  EXPECT_TRUE(GetJson(ceo_path).at("reports_to_id").is_null()) << "nothing changed";
  // A manager from another account is refused too.
  auto stranger =
      client_->Post("/api/v1/accounts/3/contacts", R"({"first_name":"Di"})", "application/json");
  ASSERT_EQ(stranger->status, 201);
  const int64_t di = json::parse(stranger->body).at("id").as_int64();
  auto across = client_->Patch(
      ceo_path, R"({"version":1,"reports_to_id":)" + std::to_string(di) + "}", "application/json");
  EXPECT_EQ(across->status, 422) << across->body;
  EXPECT_NE(across->body.find("is not a contact of account 2"), std::string::npos) << across->body;

  // Bo, the champion, leaves: the map flags it and a task to re-thread goes to the AM (Bob).
  const std::string vp_path = "/api/v1/contacts/" + std::to_string(vp);
  ASSERT_EQ(
      client_->Patch(vp_path, R"({"version":1,"status":"departed"})", "application/json")->status,
      200);
  auto after = GetJson("/api/v1/accounts/2/relationship-map");
  EXPECT_EQ(after.at("alerts").as_array()[0].at("code").as_string(), "champion_lost");
  auto tasks = GetJson("/api/v1/accounts/2/tasks");
  ASSERT_EQ(tasks.at("items").as_array().size(), 1u);
  const auto& task = tasks.at("items").as_array()[0];
  EXPECT_EQ(task.at("title").as_string(), "Re-thread: Bo, a champion, has left");
  EXPECT_EQ(task.at("owner_id").as_int64(), bob_.value);
  EXPECT_EQ(task.at("status").as_string(), "open");
  // Back and gone again while that task is open: still one task.
  ASSERT_EQ(
      client_->Patch(vp_path, R"({"version":2,"status":"active"})", "application/json")->status,
      200);
  ASSERT_EQ(
      client_->Patch(vp_path, R"({"version":3,"status":"departed"})", "application/json")->status,
      200);
  EXPECT_EQ(GetJson("/api/v1/accounts/2/tasks").at("items").as_array().size(), 1u);
}

TEST_P(HttpTest, EveryPlanChangeIsAVersionAndAnyTwoReadAsADiff) {
  auto post = [&](const std::string& path, const std::string& body) {
    auto r = client_->Post(path, body, "application/json");
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return json::parse(r->body).at("id").as_int64();
  };
  // The plan is made ten days ago; its parts today.
  const Timestamp now = clock_.Now();
  clock_.Set(Timestamp::At(now.date().AddDays(-10), 12));
  const int64_t plan = post("/api/v1/accounts/4/plans", R"({"summary":"Grow in EMEA"})");
  clock_.Set(now);
  const std::string under = "/api/v1/plans/" + std::to_string(plan);
  const int64_t priority = post(under + "/priorities", R"({"text":"Halve onboarding time"})");
  const int64_t risk =
      post(under + "/risks", R"({"description":"Budget freeze","severity":"high"})");
  ASSERT_EQ(client_
                ->Patch("/api/v1/plan-risks/" + std::to_string(risk),
                        R"({"mitigation":"Sponsor call with the CFO"})", "application/json")
                ->status,
            200);
  ASSERT_EQ(client_->Delete("/api/v1/plan-priorities/" + std::to_string(priority))->status, 204);
  // Five versions: who changed what, and when.
  auto versions =
      GetJson("/api/v1/plan-versions?plan_id=" + std::to_string(plan)).at("items").as_array();
  std::vector<std::string> said;
  for (const auto& v : versions) said.emplace_back(v.at("change_summary").as_string());
  const std::string p = std::to_string(priority), k = std::to_string(risk);
  EXPECT_EQ(said, (std::vector<std::string>{"created the plan", "added priority " + p,
                                            "added risk " + k, "changed risk " + k + ": mitigation",
                                            "removed priority " + p}));
  EXPECT_EQ(versions.back().at("changed_by").as_int64(), admin_.value);
  EXPECT_EQ(versions.back().at("version").as_int64(), 5);
  // The latest against the one before: the priority went.
  auto last = GetJson(under + "/diff");
  EXPECT_EQ(last.at("from").at("version").as_int64(), 4);
  EXPECT_EQ(last.at("to").at("version").as_int64(), 5);
  const auto& removed = last.at("changes").at("priorities").at("removed").as_array();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].at("text").as_string(), "Halve onboarding time");
  EXPECT_FALSE(last.at("to").as_object().contains("snapshot_json"));
  // Versions 3 to 4: the risk's mitigation, field by field.
  auto changed = GetJson(under + "/diff?from=3&to=4").at("changes").at("risks");
  ASSERT_EQ(changed.at("changed").as_array().size(), 1u);
  const auto& fields = changed.at("changed").as_array()[0].at("fields");
  EXPECT_EQ(fields.at("mitigation").at("from").as_string(), "");
  EXPECT_EQ(fields.at("mitigation").at("to").as_string(), "Sponsor call with the CFO");
  // 1 to 5: the risk was added; the priority came and went, so it is in neither.
  auto whole = GetJson(under + "/diff?from=1&to=5");
  EXPECT_EQ(whole.at("versions").as_array().size(), 5u);
  EXPECT_EQ(whole.at("changes").at("risks").at("added").as_array().size(), 1u);
  EXPECT_TRUE(whole.at("changes").at("priorities").at("added").as_array().empty());
  EXPECT_TRUE(whole.at("changes").at("priorities").at("removed").as_array().empty());
  // Versions it does not have, or the wrong way round, are refused naming the parameter.
  auto missing = GetJson(under + "/diff?from=9", 422);
  EXPECT_EQ(ErrorField(missing), "from");
  EXPECT_NE(json::serialize(missing).find("it has versions 1 to 5"), std::string::npos);
  EXPECT_EQ(ErrorField(GetJson(under + "/diff?from=4&to=2", 422)), "from");
  EXPECT_EQ(ErrorField(GetJson(under + "/diff?since=2", 400)), "since");
  // A part's change is a change of the plan: its freshness (10 days after the plan alone) starts
  // again. So does a review.
  auto health = GetJson("/api/v1/accounts/4/health");
  EXPECT_EQ(health.at("metrics").at("plan_freshness_days").as_int64(), 0);
  auto reviewed = client_->Post(under + "/reviewed", "", "application/json");
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;
  EXPECT_EQ(json::parse(reviewed->body).at("last_reviewed_at").as_string(),
            now.date().ToString() + "T12:00:00Z");
  EXPECT_EQ(GetJson(under + "/diff").at("to").at("change_summary").as_string(),
            "changed plan " + std::to_string(plan) + ": last_reviewed_at");
  // An edit made from a stale version of the plan is refused, and no version is recorded.
  const int64_t latest = GetJson(under).at("version").as_int64();
  auto stale =
      client_->Patch(under, R"({"version":1,"summary":"Overwritten"})", "application/json");
  ASSERT_EQ(stale->status, 409) << stale->body;
  EXPECT_EQ(json::parse(stale->body).at("current_version").as_int64(), latest);
  EXPECT_EQ(GetJson(under).at("summary").as_string(), "Grow in EMEA");
  EXPECT_EQ(GetJson("/api/v1/plan-versions?plan_id=" + std::to_string(plan))
                .at("items")
                .as_array()
                .size(),
            6u);
}

TEST_P(HttpTest, AReferenceToARowThatDoesNotExistIsRefusedNamingTheField) {
  auto plan = client_->Post("/api/v1/accounts/6/plans", R"({"summary":"Land and expand"})",
                            "application/json");
  ASSERT_EQ(plan->status, 201) << plan->body;
  const std::string under =
      "/api/v1/plans/" + std::to_string(json::parse(plan->body).at("id").as_int64());
  // An action owned by someone who is not a user; a whitespace cell for a product not in the
  // catalogue, in a division that does not exist: each refused, naming the field, nothing stored.
  auto action =
      client_->Post(under + "/actions", R"({"description":"Call the CFO","owner_id":999999})",
                    "application/json");
  ASSERT_EQ(action->status, 422) << action->body;
  EXPECT_EQ(ErrorField(json::parse(action->body).as_object()), "owner_id");
  EXPECT_NE(action->body.find("there is no user 999999"), std::string::npos) << action->body;
  auto division =
      client_->Post("/api/v1/accounts/6/divisions", R"({"name":"Plant 1"})", "application/json");
  ASSERT_EQ(division->status, 201) << division->body;
  const std::string division_id = std::to_string(json::parse(division->body).at("id").as_int64());
  auto cell = client_->Post(
      under + "/whitespace-cells",
      R"({"division_id":)" + division_id + R"(,"product_id":424242,"potential_cents":100000})",
      "application/json");
  ASSERT_EQ(cell->status, 422) << cell->body;
  EXPECT_EQ(ErrorField(json::parse(cell->body).as_object()), "product_id");
  EXPECT_NE(cell->body.find("there is no product 424242"), std::string::npos) << cell->body;
  auto nowhere = client_->Post(under + "/whitespace-cells",
                               R"({"division_id":777777,"product_id":1,"potential_cents":1})",
                               "application/json");
  ASSERT_EQ(nowhere->status, 422) << nowhere->body;
  EXPECT_EQ(ErrorField(json::parse(nowhere->body).as_object()), "division_id");
  EXPECT_TRUE(GetJson(under + "/actions").at("items").as_array().empty());
  EXPECT_TRUE(GetJson(under + "/whitespace-cells").at("items").as_array().empty());
}

TEST_P(HttpTest, WhitespaceIsAMatrixInDollarsAndAnOpenCellBecomesAnOpportunity) {
  auto post = [&](const std::string& path, const std::string& body, int status = 201) {
    auto r = client_->Post(path, body, "application/json");
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    return json::parse(r->body).as_object();
  };
  // Account 6 (Bob's) has $60k of ORC-1 today, on a line with no division.
  const int64_t orc2 =
      post("/api/v1/products", R"({"sku":"ORC-2","name":"Analytics","list_price_cents":20000})")
          .at("id")
          .as_int64();
  auto division = [&](const char* name, int headcount) {
    return post("/api/v1/accounts/6/divisions", std::string(R"({"name":")") + name +
                                                    R"(","headcount":)" +
                                                    std::to_string(headcount) + "}")
        .at("id")
        .as_int64();
  };
  const int64_t plant1 = division("Plant 1", 400), plant2 = division("Plant 2", 100);
  const int64_t plan =
      post("/api/v1/accounts/6/plans", R"({"summary":"Land and expand"})").at("id").as_int64();
  const std::string under = "/api/v1/plans/" + std::to_string(plan);
  auto cell = [&](int64_t div, int64_t product, const std::string& rest, int status = 201) {
    return post(under + "/whitespace-cells",
                R"({"division_id":)" + std::to_string(div) + R"(,"product_id":)" +
                    std::to_string(product) + "," + rest + "}",
                status);
  };
  // Sized: 400 people × $200 × 25% = $20,000, whatever potential was sent.
  auto sized = cell(plant1, orc2,
                    R"("status":"open","potential_source":"sized","adoption_bp":2500,)"
                    R"("potential_cents":1)");
  EXPECT_EQ(sized.at("potential_cents").as_int64(), 20'000'00);
  const int64_t c1 = sized.at("id").as_int64();
  const int64_t c2 =
      cell(plant2, 1, R"("status":"open","potential_cents":500000)").at("id").as_int64();
  const int64_t c3 =
      cell(plant2, orc2, R"("status":"owned","potential_cents":300000)").at("id").as_int64();

  auto matrix = GetJson(under + "/whitespace");
  EXPECT_EQ(matrix.at("account_id").as_int64(), 6);
  ASSERT_EQ(matrix.at("divisions").as_array().size(), 2u);
  ASSERT_EQ(matrix.at("products").as_array().size(), 2u);
  ASSERT_EQ(matrix.at("cells").as_array().size(), 3u);
  // Open cells count; the owned one does not. ARR owned today is in ORC-1's column.
  EXPECT_EQ(matrix.at("totals").at("whitespace_cents").as_int64(), 25'000'00);
  EXPECT_EQ(matrix.at("totals").at("owned_arr_cents").as_int64(), 60'000'00);
  EXPECT_EQ(matrix.at("totals").at("open_cells").as_int64(), 2);
  auto totals_of = [](const json::object& m, const char* axis, int64_t id) {
    for (const auto& row : m.at(axis).as_array()) {
      if (row.at("id").as_int64() == id) return row.at("totals").as_object();
    }
    ADD_FAILURE() << axis << " has no " << id;
    return json::object{};
  };
  EXPECT_EQ(totals_of(matrix, "divisions", plant1).at("whitespace_cents").as_int64(), 20'000'00);
  EXPECT_EQ(totals_of(matrix, "divisions", plant2).at("whitespace_cents").as_int64(), 5'000'00);
  EXPECT_EQ(totals_of(matrix, "products", orc2).at("whitespace_cents").as_int64(), 20'000'00);
  EXPECT_EQ(totals_of(matrix, "products", 1).at("owned_arr_cents").as_int64(), 60'000'00);
  for (const auto& c : matrix.at("cells").as_array()) {
    if (c.at("id").as_int64() != c1) continue;
    EXPECT_EQ(c.at("sizing").at("headcount").as_int64(), 400);
    EXPECT_EQ(c.at("sizing").at("list_price_cents").as_int64(), 20000);
    EXPECT_EQ(c.at("sizing").at("adoption_bp").as_int64(), 2500);
  }
  auto whitespace_of_6 = [&] {
    const json::object portfolio = GetJson("/api/v1/dashboards/portfolio?limit=100");
    for (const auto& pt : portfolio.at("items").as_array()) {
      if (pt.at("account_id").as_int64() == 6) return pt.at("whitespace_cents").as_int64();
    }
    return int64_t{-1};
  };
  EXPECT_EQ(whitespace_of_6(), 25'000'00) << "the engine sees the plan's whitespace at once";
  // One rule on the plan and on the dashboards (domain/enums.h CountsAsWhitespace): a competitor
  // cell counts on both, a not-a-fit one on neither. Reported: the engine counted competitor
  // cells and the plan did not, so the account page and the portfolio disagreed.
  const int64_t rival =
      cell(plant1, 1, R"("status":"competitor","competitor":"Gainsight","potential_cents":700000)")
          .at("id")
          .as_int64();
  EXPECT_EQ(GetJson(under + "/whitespace").at("totals").at("whitespace_cents").as_int64(),
            32'000'00);
  EXPECT_EQ(whitespace_of_6(), 32'000'00);
  const std::string rival_path = "/api/v1/plan-whitespace-cells/" + std::to_string(rival);
  ASSERT_EQ(client_->Patch(rival_path, R"({"status":"not_a_fit"})", "application/json")->status,
            200);
  EXPECT_EQ(GetJson(under + "/whitespace").at("totals").at("whitespace_cents").as_int64(),
            25'000'00);
  EXPECT_EQ(whitespace_of_6(), 25'000'00);
  ASSERT_EQ(client_->Delete(rival_path)->status, 204);

  // The sized cell follows its division's headcount; so do the totals and the engine.
  auto grown = client_->Patch("/api/v1/divisions/" + std::to_string(plant1), R"({"headcount":800})",
                              "application/json");
  ASSERT_EQ(grown->status, 200) << grown->body;
  EXPECT_EQ(GetJson("/api/v1/plan-whitespace-cells/" + std::to_string(c1))
                .at("potential_cents")
                .as_int64(),
            40'000'00);
  EXPECT_EQ(GetJson(under + "/whitespace").at("totals").at("whitespace_cents").as_int64(),
            45'000'00);
  EXPECT_EQ(whitespace_of_6(), 45'000'00);
  // ... and changing the assumption re-sizes it: 800 × $200 × 10%.
  auto assumed = client_->Patch("/api/v1/plan-whitespace-cells/" + std::to_string(c1),
                                R"({"adoption_bp":1000})", "application/json");
  ASSERT_EQ(assumed->status, 200) << assumed->body;
  EXPECT_EQ(json::parse(assumed->body).at("potential_cents").as_int64(), 16'000'00);

  // Bad cells, each refused naming what is wrong; nothing stored.
  EXPECT_NE(json::serialize(cell(plant1, orc2, R"("potential_cents":1)", 409))
                .find("cell " + std::to_string(c1)),
            std::string::npos);
  EXPECT_EQ(ErrorField(cell(plant1, 1, R"("potential_source":"sized","adoption_bp":0)", 422)),
            "adoption_bp");
  EXPECT_EQ(ErrorField(cell(plant1, 1, R"("status":"competitor","potential_cents":5)", 422)),
            "competitor");
  const int64_t elsewhere =
      post("/api/v1/accounts/8/divisions", R"({"name":"Far away"})").at("id").as_int64();
  EXPECT_EQ(ErrorField(cell(elsewhere, 1, R"("potential_cents":5)", 422)), "division_id");
  EXPECT_EQ(GetJson(under + "/whitespace-cells").at("items").as_array().size(), 3u);

  // An open cell becomes an opportunity in one call: ORC-1 is already bought, so an upsell,
  // for the cell's potential, owned by the account's AM, closing in 90 days.
  const int64_t open_before =
      GetJson("/api/v1/dashboards/expansion-pipeline").at("open_count").as_int64();
  auto made = post("/api/v1/plan-whitespace-cells/" + std::to_string(c2) + "/opportunity", "");
  const auto& opp = made.at("opportunity").as_object();
  EXPECT_EQ(opp.at("type").as_string(), "upsell");
  EXPECT_EQ(opp.at("amount_cents").as_int64(), 5'000'00);
  EXPECT_EQ(opp.at("stage").as_string(), "prospecting");
  EXPECT_EQ(opp.at("owner_id").as_int64(), bob_.value);
  EXPECT_EQ(opp.at("division_id").as_int64(), plant2);
  EXPECT_EQ(opp.at("close_date").as_string(), "2026-09-13");
  EXPECT_EQ(made.at("cell").at("status").as_string(), "in_pipeline");
  EXPECT_EQ(made.at("cell").at("opportunity_id").as_int64(), opp.at("id").as_int64());
  // Analytics is new to the account: a cross-sell, named and dated as asked.
  auto cross = post("/api/v1/plan-whitespace-cells/" + std::to_string(c1) + "/opportunity",
                    R"({"name":"Analytics for Plant 1","close_date":"2026-12-01"})");
  EXPECT_EQ(cross.at("opportunity").at("type").as_string(), "cross_sell");
  EXPECT_EQ(cross.at("opportunity").at("name").as_string(), "Analytics for Plant 1");
  EXPECT_EQ(cross.at("opportunity").at("amount_cents").as_int64(), 16'000'00);
  EXPECT_EQ(GetJson("/api/v1/dashboards/expansion-pipeline").at("open_count").as_int64(),
            open_before + 2);
  // In-pipeline cells still count as whitespace.
  EXPECT_EQ(GetJson(under + "/whitespace").at("totals").at("open_cells").as_int64(), 0);
  EXPECT_EQ(GetJson(under + "/whitespace").at("totals").at("whitespace_cents").as_int64(),
            21'000'00);

  // A linked cell, an owned cell, a bad body, a viewer: refused, and no opportunity is added.
  const int64_t opportunities = Count("SELECT COUNT(*) FROM opportunities");
  auto again =
      post("/api/v1/plan-whitespace-cells/" + std::to_string(c2) + "/opportunity", "", 409);
  EXPECT_NE(json::serialize(again).find("already linked to opportunity"), std::string::npos);
  auto owned =
      post("/api/v1/plan-whitespace-cells/" + std::to_string(c3) + "/opportunity", "", 409);
  EXPECT_NE(json::serialize(owned).find("only an open cell"), std::string::npos);
  const int64_t c4 = cell(plant1, 1, R"("status":"open","potential_cents":7)").at("id").as_int64();
  const std::string convert4 =
      "/api/v1/plan-whitespace-cells/" + std::to_string(c4) + "/opportunity";
  EXPECT_EQ(ErrorField(post(convert4, R"({"amount":5})", 400)), "amount");
  EXPECT_EQ(ErrorField(post(convert4, R"({"stage":"closed_won"})", 422)), "stage");
  EXPECT_EQ(ErrorField(post(convert4, R"({"close_date":"2025-01-01"})", 422)), "close_date");
  auto viewer = As(viewer_token_).Post(convert4, "", "application/json");
  EXPECT_EQ(viewer->status, 403) << viewer->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), opportunities);
  EXPECT_EQ(GetJson("/api/v1/plan-whitespace-cells/" + std::to_string(c4)).at("status").as_string(),
            "open");
}

TEST_P(HttpTest, ReviewsFollowTheTierCadenceAndAReviewHeldSchedulesTheNext) {
  auto post = [&](const std::string& path, const std::string& body, int status = 200) {
    auto r = client_->Post(path, body, "application/json");
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    return json::parse(r->body).as_object();
  };
  // 14 tier-1 accounts ($100k and up) and 7 tier-2 accounts each get an internal and a customer
  // review; the two tier-3 accounts get none. Again: nothing more.
  auto first = post("/api/v1/reviews/schedule", "");
  EXPECT_EQ(first.at("accounts").as_int64(), 23);
  EXPECT_EQ(first.at("scheduled").as_int64(), 42);
  EXPECT_EQ(post("/api/v1/reviews/schedule", "").at("scheduled").as_int64(), 0);
  EXPECT_EQ(As(ann_token_).Post("/api/v1/reviews/schedule", "", "application/json")->status, 403);
  // Never reviewed: due today.
  auto due = GetJson("/api/v1/reviews/due");
  EXPECT_EQ(due.at("total").as_int64(), 42);
  int64_t anns = 0;
  for (const auto& c : due.at("by_am").as_array()) {
    if (c.at("owner_id").as_int64() == ann_.value) anns = c.at("due").as_int64();
  }
  const auto mine = GetJson("/api/v1/reviews/due?am=" + std::to_string(ann_.value));
  EXPECT_EQ(mine.at("total").as_int64(), anns);
  EXPECT_GT(anns, 0);
  for (const auto& item : mine.at("items").as_array()) {
    EXPECT_EQ(item.at("owner_id").as_int64(), ann_.value);
    EXPECT_EQ(item.at("due_on").as_string(), "2026-06-15");
    EXPECT_FALSE(item.at("overdue").as_bool());
  }
  auto review_of = [&](int account, const char* kind) {
    auto list = GetJson("/api/v1/reviews?account_id=" + std::to_string(account) + "&kind=" + kind +
                        "&status=scheduled");
    EXPECT_EQ(list.at("items").as_array().size(), 1u) << account << " " << kind;
    return list.at("items").as_array()[0].at("id").as_int64();
  };
  const std::string internal = "/api/v1/reviews/" + std::to_string(review_of(12, "internal"));

  // Bad input changes nothing: a date in the future, an unknown field, an owner who is not a user.
  EXPECT_EQ(ErrorField(post(internal + "/held", R"({"held_on":"2026-07-01"})", 422)), "held_on");
  EXPECT_EQ(
      ErrorField(post(internal + "/held", R"({"actions":[{"description":"x","who":1}]})", 400)),
      "actions[0].who");
  EXPECT_EQ(ErrorField(post(internal + "/held",
                            R"({"actions":[{"description":"Call","owner_id":999999}]})", 422)),
            "actions[0].owner_id");
  EXPECT_EQ(GetJson(internal).at("status").as_string(), "scheduled");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks"), 0);

  // Held five days ago: the action items become open actions of the account's plan (account 12
  // had none: one is made), the one without an owner is Bob's (his account), due in 14 days; the
  // plan counts as reviewed that day; the next internal review is a month (30 days) after.
  auto held = post(internal + "/held", R"({"held_on":"2026-06-10","attendees":"Ann, Bob, CFO",
      "notes":"Budget is tight","outcomes":"Pilot in Plant 2",
      "actions":[{"description":"Send the ROI study","owner_id":)" +
                                           std::to_string(ann_.value) +
                                           R"(},{"description":"Book the EBR"}]})");
  EXPECT_EQ(held.at("review").at("status").as_string(), "held");
  EXPECT_EQ(held.at("review").at("held_on").as_string(), "2026-06-10");
  EXPECT_EQ(held.at("review").at("outcomes").as_string(), "Pilot in Plant 2");
  const auto& actions = held.at("actions").as_array();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].at("owner_id").as_int64(), ann_.value);
  EXPECT_EQ(actions[1].at("owner_id").as_int64(), bob_.value);
  EXPECT_EQ(actions[1].at("due_on").as_string(), "2026-06-24");
  EXPECT_EQ(actions[1].at("status").as_string(), "open");
  const int64_t plan = held.at("plan").at("id").as_int64();
  EXPECT_EQ(held.at("plan").at("account_id").as_int64(), 12);
  EXPECT_THAT(std::string(held.at("plan").at("last_reviewed_at").as_string()),
              HasSubstr("2026-06-10"));
  const auto on_plan =
      GetJson("/api/v1/plans/" + std::to_string(plan) + "/actions?sort=id").at("items");
  ASSERT_EQ(on_plan.as_array().size(), 2u) << "the plan editor lists them";
  EXPECT_EQ(on_plan.as_array()[0].at("description").as_string(), "Send the ROI study");
  EXPECT_EQ(on_plan.as_array()[1].at("description").as_string(), "Book the EBR");
  EXPECT_EQ(GetJson("/api/v1/accounts/12/plans").at("items").as_array().size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks"), 0) << "action items are the plan's, not tasks";
  EXPECT_EQ(held.at("next").at("due_on").as_string(), "2026-07-10");
  EXPECT_TRUE(held.at("activity").is_null()) << "an internal review is not a customer touch";
  EXPECT_EQ(ErrorField(post(internal + "/held", "", 409)), "");
  // A customer review held is a QBR on the account's timeline; the next is a quarter on.
  auto qbr = post("/api/v1/reviews/" + std::to_string(review_of(12, "customer")) + "/held",
                  R"({"notes":"Renewal intent confirmed"})");
  EXPECT_EQ(qbr.at("activity").at("kind").as_string(), "qbr");
  EXPECT_TRUE(qbr.at("activity").at("meaningful").as_bool());
  EXPECT_EQ(qbr.at("next").at("due_on").as_string(), "2026-09-14");
  EXPECT_EQ(GetJson("/api/v1/reviews/due").at("total").as_int64(), 41)
      << "the next internal review is due within 30 days; the next QBR is not";

  // A month on, everything still scheduled is overdue, the oldest first.
  clock_.Set(Timestamp::At(*Date::Parse("2026-07-20"), 9));
  auto late = GetJson("/api/v1/reviews/due?window=0&limit=200");
  EXPECT_EQ(late.at("total").as_int64(), 41);
  const auto& items = late.at("items").as_array();
  EXPECT_EQ(items.front().at("days_overdue").as_int64(), 35);
  EXPECT_EQ(items.back().at("days_overdue").as_int64(), 10);
  for (const auto& c : late.at("by_am").as_array()) EXPECT_EQ(c.at("due"), c.at("overdue"));
  // A team: the AMs whose manager is the admin (Bob only).
  auto bob =
      client_->Patch("/api/v1/users/" + std::to_string(bob_.value),
                     R"({"manager_id":)" + std::to_string(admin_.value) + "}", "application/json");
  ASSERT_EQ(bob->status, 200) << bob->body;
  auto team = GetJson("/api/v1/reviews/due?window=0&team=" + std::to_string(admin_.value));
  ASSERT_EQ(team.at("by_am").as_array().size(), 1u);
  EXPECT_EQ(team.at("by_am").as_array()[0].at("owner_id").as_int64(), bob_.value);
  EXPECT_EQ(ErrorField(GetJson("/api/v1/reviews/due?teams=1", 400)), "teams");
}

TEST_P(HttpTest, AClosedWonDealOpensAHandoffThatTheAmAcceptsIntoOnboarding) {
  auto send = [&](httplib::Client& c, const char* method, const std::string& path,
                  const std::string& body, int status) {
    auto r = std::string(method) == "POST" ? c.Post(path, body, "application/json")
                                           : c.Patch(path, body, "application/json");
    EXPECT_EQ(r->status, status) << method << " " << path << ": " << r->body;
    return json::parse(r->body).as_object();
  };
  auto ann = As(ann_token_), bob = As(bob_token_);
  // Bob sells to account 6 (his book); an upsell won opens no handoff, new business does.
  auto opp = [&](const char* type) {
    return send(bob, "POST", "/api/v1/accounts/6/opportunities",
                std::string(R"({"name":"Deal","type":")") + type +
                    R"(","stage":"negotiation","amount_cents":5000000,"created_on":"2026-05-01",)"
                    R"("close_date":"2026-06-30","owner_id":)" +
                    std::to_string(bob_.value) + "}",
                201)
        .at("id")
        .as_int64();
  };
  const int64_t upsell = opp("upsell"), deal = opp("new_business");
  auto win = [&](int64_t id, const char* stage = "closed_won") {
    const std::string path = "/api/v1/opportunities/" + std::to_string(id);
    const int64_t version = GetJson(path).at("version").as_int64();
    send(bob, "PATCH", path,
         std::string(R"({"stage":")") + stage + R"(","version":)" + std::to_string(version) + "}",
         200);
  };
  win(upsell);
  win(deal);
  auto handoffs = GetJson("/api/v1/accounts/6/handoffs").at("items").as_array();
  ASSERT_EQ(handoffs.size(), 1u);
  EXPECT_EQ(handoffs[0].at("opportunity_id").as_int64(), deal);
  EXPECT_EQ(handoffs[0].at("seller_id").as_int64(), bob_.value);
  EXPECT_EQ(handoffs[0].at("status").as_string(), "open");
  const std::string handoff = "/api/v1/handoffs/" + std::to_string(handoffs[0].at("id").as_int64());
  // Reopened and won again: still one handoff.
  win(deal, "negotiation");
  win(deal);
  EXPECT_EQ(GetJson("/api/v1/accounts/6/handoffs").at("items").as_array().size(), 1u);

  // Not through a PATCH; not before the checklist is done; not by Bob for Ann; not by Ann, whose
  // book it is not (security/access_test.cc has the rest of who may accept).
  EXPECT_EQ(ErrorField(send(bob, "PATCH", handoff, R"({"status":"accepted"})", 422)), "status");
  const std::string for_ann = R"({"am_id":)" + std::to_string(ann_.value) + "}";
  auto early = send(*client_, "POST", handoff + "/accept", for_ann, 422);
  EXPECT_EQ(ErrorField(early), "checklist_json");
  EXPECT_NE(json::serialize(early).find("pain_points_and_goals, success_metrics"),
            std::string::npos);
  EXPECT_EQ(ErrorField(send(bob, "PATCH", handoff, R"({"checklist_json":"[]"})", 422)),
            "checklist_json");
  auto onboarding = GetJson(handoff + "/onboarding");
  ASSERT_EQ(onboarding.at("checklist").as_array().size(), 6u);
  json::array done = onboarding.at("checklist").as_array();
  for (auto& item : done) item.as_object()["done"] = true;
  done[4].as_object()["notes"] = "Time to value in weeks, not months";
  send(bob, "PATCH", handoff,
       json::serialize(json::object{{"checklist_json", json::serialize(done)}}), 200);
  EXPECT_EQ(
      send(bob, "POST", handoff + "/accept", R"({"am_id":)" + std::to_string(ann_.value) + "}", 403)
          .at("error")
          .at("code")
          .as_string(),
      "permission_denied");

  send(ann, "POST", handoff + "/accept", "", 403);
  // The admin gives it to Ann: the account is hers, and five milestones over 90 days are her
  // tasks.
  auto accepted = send(*client_, "POST", handoff + "/accept", for_ann, 200);
  EXPECT_EQ(accepted.at("status").as_string(), "accepted");
  EXPECT_EQ(accepted.at("am_id").as_int64(), ann_.value);
  const auto& steps = accepted.at("milestones").as_array();
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0].at("due_on").as_string(), "2026-06-22");
  EXPECT_EQ(steps[4].at("due_on").as_string(), "2026-09-13");
  EXPECT_EQ(steps[4].at("owner_id").as_int64(), ann_.value);
  EXPECT_EQ(accepted.at("onboarding_status").as_string(), "on_track");
  EXPECT_EQ(GetJson("/api/v1/accounts/6").at("owner_id").as_int64(), ann_.value);
  EXPECT_EQ(send(ann, "POST", handoff + "/accept", "", 409).at("error").at("code").as_string(),
            "conflict");
  // Twenty days on, the day-7 and day-14 milestones are late (13 and 6 days): behind.
  clock_.Set(Timestamp::At(*Date::Parse("2026-07-05"), 9));
  auto later = GetJson(handoff + "/onboarding");
  EXPECT_EQ(later.at("milestones").as_array()[0].at("milestone_status").as_string(), "behind");
  EXPECT_EQ(later.at("onboarding_status").as_string(), "behind");
  // Day 7 done; forty days on, day 14 is 26 days late: stuck.
  send(ann, "PATCH", "/api/v1/tasks/" + std::to_string(steps[0].at("id").as_int64()),
       R"({"status":"done"})", 200);
  clock_.Set(Timestamp::At(*Date::Parse("2026-07-25"), 9));
  later = GetJson(handoff + "/onboarding");
  EXPECT_EQ(later.at("milestones").as_array()[0].at("milestone_status").as_string(), "done");
  EXPECT_EQ(later.at("milestones").as_array()[1].at("milestone_status").as_string(), "stuck");
  EXPECT_EQ(later.at("onboarding_status").as_string(), "stuck");
}

TEST_P(HttpTest, APlanPrintsOnOnePageAsHtmlAndPdf) {
  auto post = [&](const std::string& path, const std::string& body) {
    auto r = client_->Post(path, body, "application/json");
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return json::parse(r->body).at("id").as_int64();
  };
  const int64_t plan = post("/api/v1/accounts/6/plans", R"({"summary":"Expand into EMEA"})");
  const std::string under = "/api/v1/plans/" + std::to_string(plan);
  post(under + "/priorities", R"({"text":"Cut onboarding <script>alert(1)</script> to 2 weeks",)"
                              R"("source":"the CFO","said_on":"2026-05-02"})");
  post(under + "/risks", R"({"description":"Budget freeze in Q3","severity":"high"})");
  const int64_t boss = post("/api/v1/accounts/6/contacts",
                            R"({"first_name":"Dana","last_name":"Boss","stance":"champion",)"
                            R"("buying_role":"economic_buyer","influence":5})");
  post("/api/v1/accounts/6/contacts", R"({"first_name":"Eli","last_name":"Report",)"
                                      R"("stance":"blocker","reports_to_id":)" +
                                          std::to_string(boss) + "}");
  const int64_t division =
      post("/api/v1/accounts/6/divisions", R"({"name":"Plant 9","headcount":100})");
  post(under + "/whitespace-cells", R"({"division_id":)" + std::to_string(division) +
                                        R"(,"product_id":1,"status":"open",)"
                                        R"("potential_cents":2000000})");
  auto html = client_->Get(under + "/export");
  ASSERT_EQ(html->status, 200) << html->body;
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  for (const char* want :
       {"Contoso 6", "Expand into EMEA", "the CFO, 2026-05-02", "Budget freeze in Q3", "Dana Boss",
        "Eli Report", "economic buyer", "Plant 9", "$20,000", "&lt;script&gt;"}) {
    EXPECT_NE(html->body.find(want), std::string::npos) << want;
  }
  EXPECT_EQ(html->body.find("<script>"), std::string::npos) << "what users typed is escaped";
  // Eli reports to Dana: his entry is inside hers in the org chart.
  EXPECT_LT(html->body.find("Dana Boss"), html->body.find("Eli Report"));
  EXPECT_EQ(ErrorField(GetJson(under + "/export?format=docx", 400)), "format");

  // The PDF is the same page printed by Chromium (scripts/bootstrap installs it). Chromium may
  // take longer than the client's default 5 s on a loaded machine (CI saw it); the server allows
  // it 60 s.
  client_->set_read_timeout(std::chrono::seconds(90));
  auto pdf = client_->Get(under + "/export?format=pdf");
  ASSERT_TRUE(pdf) << httplib::to_string(pdf.error());
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_TRUE(pdf->body.starts_with("%PDF-")) << pdf->body.substr(0, 20);
  EXPECT_GT(pdf->body.size(), 5000u);
  // Without Chromium: a clear 503, and the HTML still works.
  ::setenv("ORCHARD_CHROMIUM", "/nonexistent/chromium", 1);
  auto missing = client_->Get(under + "/export?format=pdf");
  ::unsetenv("ORCHARD_CHROMIUM");
  ASSERT_TRUE(missing) << httplib::to_string(missing.error());
  EXPECT_EQ(missing->status, 503) << missing->body;
  EXPECT_NE(missing->body.find("apt-get install chromium"), std::string::npos) << missing->body;
}

TEST_P(HttpTest, DashboardsAnswerFromTheBookWithFilters) {
  // Every account's line runs 2026-01-01 to 2026-12-31: nothing renews within 90 days of June 15.
  auto renewals = GetJson("/api/v1/dashboards/renewals");
  EXPECT_EQ(renewals.at("window_days").as_int64(), 90);
  EXPECT_TRUE(renewals.at("items").as_array().empty());
  auto year = GetJson("/api/v1/dashboards/renewals?window=200");
  const auto& items = year.at("items").as_array();
  ASSERT_EQ(items.size(), 23u);
  EXPECT_EQ(items[0].at("account_id").as_int64(), 23) << "largest ARR first";
  EXPECT_EQ(items[0].at("renewal_date").as_string(), "2026-12-31");
  // Every row that is an account names it, so a dashboard's page is one request; a rename is
  // seen at once.
  for (const char* dashboard : {"renewals?window=200", "at-risk", "portfolio", "inspection"}) {
    const auto answer = GetJson(std::string("/api/v1/dashboards/") + dashboard);
    const auto& rows = answer.at("items").as_array();
    ASSERT_FALSE(rows.empty()) << dashboard;
    for (const auto& row : rows) {
      const int64_t id = row.at("account_id").as_int64();
      EXPECT_EQ(row.at("account_name").as_string(),
                (id % 4 == 0 ? "Northwind " : "Contoso ") + std::to_string(id))
          << dashboard;
    }
  }
  const auto renamed = GetJson("/api/v1/accounts/23");
  auto rename = client_->Patch("/api/v1/accounts/23",
                               R"({"name":"Contoso Renamed","version":)" +
                                   std::to_string(renamed.at("version").as_int64()) + "}",
                               "application/json");
  ASSERT_EQ(rename->status, 200) << rename->body;
  EXPECT_EQ(GetJson("/api/v1/dashboards/renewals?window=200")
                .at("items")
                .as_array()[0]
                .at("account_name")
                .as_string(),
            "Contoso Renamed");
  auto anns = GetJson("/api/v1/dashboards/renewals?window=200&am=" + std::to_string(ann_.value));
  EXPECT_EQ(anns.at("items").as_array().size(), 12u);
  auto tier1 = GetJson("/api/v1/dashboards/renewals?window=200&tier=1");
  EXPECT_EQ(tier1.at("items").as_array().size(), 14u) << "$100k to $230k";
  auto coverage = GetJson("/api/v1/dashboards/coverage");
  ASSERT_EQ(coverage.at("items").as_array().size(), 2u);
  EXPECT_EQ(coverage.at("items").as_array()[0].at("status").as_string(), "within")
      << "ann: 7 tier-1 and 4 tier-2 accounts, and 1 in tier 3";
  auto kpis = GetJson("/api/v1/dashboards/kpis");
  EXPECT_EQ(kpis.at("kpis").at("book_accounts").as_int64(), 23);
  EXPECT_EQ(kpis.at("kpis").at("book_arr_cents").as_int64(), 276 * 10'000 * 100);
  auto board = GetJson("/api/v1/dashboards/nrr-leaderboard?from=2026-02-01");
  EXPECT_EQ(board.at("items").as_array().size(), 2u);
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/renewals?window=0", 400)), "window");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/coverage?tier=9", 400)), "tier");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/kpis?window=5", 400)), "window");
  EXPECT_EQ(As("").Get("/api/v1/dashboards/kpis")->status, 401);
}

TEST_P(HttpTest, HealthExplainsItselfAndMovesWithEachSignalAtOnce) {
  // Account 23 ($230k, tier 1) has no signal yet: support has nothing to judge, engagement and
  // relationships are 0: score 0, red.
  auto before = GetJson("/api/v1/accounts/23/health?days=30");
  EXPECT_EQ(before.at("score").as_int64(), 0);
  EXPECT_EQ(before.at("colour").as_string(), "red");
  EXPECT_EQ(before.at("tier").as_string(), "1");
  ASSERT_EQ(before.at("components").as_array().size(), 6u);
  EXPECT_TRUE(before.at("components").as_array()[0].at("value").is_null()) << "no usage";
  EXPECT_EQ(before.at("history").as_array().size(), 30u);
  EXPECT_EQ(before.at("history").as_array().back().at("day").as_string(), "2026-06-15");
  EXPECT_TRUE(before.at("metrics").at("single_threaded").as_bool());
  EXPECT_TRUE(before.at("metrics").at("plan_stale").as_bool()) << "tier 1 without a plan";
  // The accounts list carries each row's health (the web UI's health column), whichever way the
  // list is answered: by the store (plain, sorted) or by the book (its filters, a name search).
  auto listed_health = [&](const std::string& path, int64_t id) {
    const auto page = GetJson(path);
    for (const auto& a : page.at("items").as_array()) {
      if (a.at("id").as_int64() == id) {
        return std::pair{a.at("health"), std::string(a.at("colour").as_string())};
      }
    }
    ADD_FAILURE() << "account " << id << " is not on " << path;
    return std::pair{json::value(), std::string()};
  };
  const std::vector<std::string> lists = {
      "/api/v1/accounts?limit=100", "/api/v1/accounts?sort=-name&limit=100",
      "/api/v1/accounts?tier=1&limit=100", "/api/v1/accounts?q=contoso%2023"};
  for (const auto& path : lists) {
    EXPECT_EQ(listed_health(path, 23), (std::pair{json::value(0), std::string("red")})) << path;
  }
  EXPECT_EQ(listed_health("/api/v1/accounts?limit=100", 1),
            (std::pair{json::value(nullptr), std::string("none")}))
      << "tier 3 without inputs has no score";
  EXPECT_EQ(GetJson("/api/v1/accounts/23").at("colour").as_string(), "red");
  auto at_risk = GetJson("/api/v1/dashboards/at-risk?limit=5");
  EXPECT_EQ(at_risk.at("total").as_int64(), 21) << "tiers 1 and 2; tier 3 has no inputs";
  ASSERT_EQ(at_risk.at("items").as_array().size(), 5u);
  EXPECT_EQ(at_risk.at("items").as_array()[0].at("account_id").as_int64(), 23);

  // Signals through the API change the score on the next read: no batch, no recompute.
  auto post = [&](const std::string& path, const std::string& body) {
    auto res = client_->Post(path, body, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << path << ": " << res->body;
  };
  post("/api/v1/accounts/23/usage",
       R"({"day":"2026-06-14","active_users":45,"licensed_seats":50})");
  EXPECT_EQ(GetJson("/api/v1/accounts/23/health").at("components").as_array()[0].at("value"), 90)
      << "45 of 50 seats";
  post("/api/v1/accounts/23/activities",
       R"({"kind":"meeting","meaningful":true,"occurred_at":"2026-06-12 15:00:00"})");
  post("/api/v1/accounts/23/nps-responses", R"({"score":10,"responded_on":"2026-06-01"})");
  auto after = GetJson("/api/v1/accounts/23/health");
  const auto& parts = after.at("components").as_array();
  EXPECT_EQ(parts[2].at("value"), 100) << "one promoter";
  EXPECT_EQ(parts[3].at("value"), 100) << "met three days ago";
  EXPECT_EQ(after.at("metrics").at("last_meaningful_contact").as_string(), "2026-06-12");
  // usage 90 × 30, support 100 × 15 (seats known now, no ticket), nps 100 × 15, engagement
  // 100 × 15, relationships 0 × 15 (nobody named in the meeting) over 90: 7200 / 90 = 80.
  EXPECT_EQ(after.at("score").as_int64(), 80);
  EXPECT_EQ(after.at("colour").as_string(), "green");
  for (const auto& path : lists) {
    EXPECT_EQ(listed_health(path, 23), (std::pair{json::value(80), std::string("green")})) << path;
  }
  const auto& week = after.at("moved").as_array()[0].as_object();
  EXPECT_EQ(week.at("days").as_int64(), 7);
  // A week ago only the NPS response (dated June 1) was known: (100 + 0 + 0) × 15 / 45 = 33.
  EXPECT_EQ(week.at("score_then").as_int64(), 33);
  EXPECT_EQ(week.at("change").as_int64(), 47);
  EXPECT_THAT(std::string(week.at("summary").as_string()),
              HasSubstr("Up 47 since 7 days ago (33): usage appeared at 90"));
  EXPECT_THAT(std::string(week.at("summary").as_string()), HasSubstr("engagement rose from 0"));
  EXPECT_EQ(GetJson("/api/v1/dashboards/at-risk").at("total").as_int64(), 20);

  // A ticket: urgent and escalated, open: support 100 − 2 × 16 − 20 = 48.
  post(
      "/api/v1/accounts/23/tickets",
      R"({"severity":"urgent","status":"open","escalated":true,"opened_at":"2026-06-15 08:00:00"})");
  EXPECT_EQ(GetJson("/api/v1/accounts/23/health").at("components").as_array()[1].at("value"), 48);
  // A CSM's override, with a reason and an expiry, wins until it expires.
  post("/api/v1/accounts/23/health-overrides",
       R"({"score":30,"reason":"CFO left; renewal in doubt","expires_on":"2026-07-01"})");
  auto overridden = GetJson("/api/v1/accounts/23/health");
  EXPECT_EQ(overridden.at("score").as_int64(), 30);
  EXPECT_EQ(overridden.at("colour").as_string(), "red");
  EXPECT_EQ(overridden.at("override").at("reason").as_string(), "CFO left; renewal in doubt");
  EXPECT_FALSE(overridden.at("computed_score").is_null());
  auto risky = GetJson("/api/v1/dashboards/at-risk?limit=1&sort=arr");  // the largest: #23
  EXPECT_THAT(std::string(risky.at("items").as_array()[0].at("why").as_array()[0].as_string()),
              HasSubstr("CFO left"));

  EXPECT_EQ(GetJson("/api/v1/accounts/999/health", 404).at("error").at("code").as_string(),
            "not_found");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/23/health?days=0", 400)), "days");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/twenty/health", 400)), "id");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/23/health?colour=red", 400)), "colour");
}

TEST_P(HttpTest, WhoTookPartInAnActivityCountsTowardDepth) {
  auto post = [&](const std::string& path, const std::string& body) {
    auto res = client_->Post(path, body, "application/json");
    EXPECT_EQ(res->status, 201) << res->body;
    return json::parse(res->body).as_object().at("id").as_int64();
  };
  std::vector<int64_t> people;
  for (int i = 0; i < 3; ++i) {
    people.push_back(post("/api/v1/accounts/20/contacts",
                          R"({"stance":"supporter","influence":3,"status":"active"})"));
  }
  int64_t other = post("/api/v1/accounts/21/contacts",
                       R"({"stance":"neutral","influence":2,"status":"active"})");
  int64_t meeting =
      post("/api/v1/accounts/20/activities",
           R"({"kind":"meeting","meaningful":true,"occurred_at":"2026-06-10 10:00:00"})");
  const std::string path = "/api/v1/activities/" + std::to_string(meeting) + "/contacts";
  auto depth = [&] {
    return GetJson("/api/v1/accounts/20/health")
        .at("metrics")
        .at("multithreading_depth")
        .as_int64();
  };
  EXPECT_EQ(depth(), 0);
  auto put = client_->Put(path,
                          "{\"contact_ids\":[" + std::to_string(people[0]) + "," +
                              std::to_string(people[1]) + "," + std::to_string(people[1]) + "]}",
                          "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(json::parse(put->body).at("contact_ids").as_array().size(), 2u) << "once each";
  EXPECT_EQ(depth(), 2) << "the next read sees them";
  EXPECT_EQ(GetJson(path).at("contact_ids").as_array().size(), 2u);
  // Someone from another account is refused, naming the field; nothing changes.
  auto wrong =
      client_->Put(path, "{\"contact_ids\":[" + std::to_string(other) + "]}", "application/json");
  ASSERT_EQ(wrong->status, 422) << wrong->body;
  EXPECT_THAT(wrong->body, HasSubstr("contact_ids"));
  EXPECT_EQ(depth(), 2);
  auto typo = client_->Put(path, R"({"contacts":[1]})", "application/json");
  EXPECT_EQ(typo->status, 400) << typo->body;
  EXPECT_EQ(GetJson("/api/v1/activities/999999/contacts", 404).at("error").at("code").as_string(),
            "not_found");
  // A viewer reads but cannot change; the change is audited.
  EXPECT_EQ(As(viewer_token_).Put(path, R"({"contact_ids":[]})", "application/json")->status, 403);
  auto audit = GetJson("/api/v1/audit?entity=activity_contacts");
  EXPECT_EQ(audit.at("items").as_array().size(), 1u);
}

TEST_P(HttpTest, EveryDashboardAnswers) {
  for (const char* name : {"at-risk", "renewals", "expansion-pipeline", "nrr-leaderboard",
                           "portfolio", "coverage", "inspection", "kpis"}) {
    auto body = GetJson(std::string("/api/v1/dashboards/") + name);
    EXPECT_EQ(body.at("dashboard").as_string(), name);
  }
  auto portfolio = GetJson("/api/v1/dashboards/portfolio?limit=3&offset=1");
  EXPECT_EQ(portfolio.at("total").as_int64(), 23);
  EXPECT_EQ(portfolio.at("items").as_array().size(), 3u);
  EXPECT_EQ(portfolio.at("items").as_array()[0].at("account_id").as_int64(), 22) << "page 2";
  EXPECT_EQ(portfolio.at("grid").at("protect").at("accounts").as_int64(), 14)
      << "every account at $100k or more, none with whitespace";
  auto develop = GetJson("/api/v1/dashboards/portfolio?quadrant=develop");
  EXPECT_EQ(develop.at("total").as_int64(), 0);
  auto inspection = GetJson("/api/v1/dashboards/inspection");
  EXPECT_EQ(inspection.at("flagged").as_int64(), 14) << "every tier-1 account: single-threaded";
  EXPECT_EQ(inspection.at("sampled").as_int64(), 9) << "the other 9, fewer than the sample of 10";
  EXPECT_EQ(inspection.at("month").as_string(), "2026-06");
  auto pipeline = GetJson("/api/v1/dashboards/expansion-pipeline");
  EXPECT_EQ(pipeline.at("items").as_array().size(), 5u);
  EXPECT_EQ(pipeline.at("open_cents").as_int64(), 0);
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/portfolio?quadrant=north", 400)), "quadrant");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/at-risk?limit=0", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/expansion-pipeline?limit=5", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/dashboards/expansion-pipeline?from=2026-07-01", 422)),
            "from");
}

TEST_P(HttpTest, FiltersNarrowTheList) {
  auto by_owner = GetJson("/api/v1/accounts?limit=100&owner_id=" + std::to_string(ann_.value));
  EXPECT_EQ(by_owner.at("items").as_array().size(), 12u);
  auto energy = GetJson("/api/v1/accounts?limit=100&industry=Energy");
  EXPECT_EQ(energy.at("items").as_array().size(), 7u);
  auto search = GetJson("/api/v1/accounts?limit=100&q=north");
  EXPECT_EQ(search.at("items").as_array().size(), 5u);
  auto both = GetJson("/api/v1/accounts?limit=100&q=north&industry=Energy");
  EXPECT_EQ(both.at("items").as_array().size(), 1u);  // Northwind 12 is the only one in Energy
  // The search is answered from the book: a rename is found by its new name at once, in any
  // case, and no longer by the old one; sorted, the same search reads the database.
  auto renamed = client_->Patch("/api/v1/accounts/2", R"({"version":1,"name":"Zanzibar Traders"})",
                                "application/json");
  ASSERT_TRUE(renamed);
  ASSERT_EQ(renamed->status, 200) << renamed->body;
  EXPECT_EQ(GetJson("/api/v1/accounts?q=ZANZIBAR").at("items").as_array().size(), 1u);
  EXPECT_EQ(GetJson("/api/v1/accounts?q=zanzibar&sort=name").at("items").as_array().size(), 1u);
  EXPECT_EQ(GetJson("/api/v1/accounts?limit=100&q=contoso 2").at("items").as_array().size(),
            3u);  // Contoso 21, 22 and 23: no longer Contoso 2
  // Letters beyond ASCII fold as the databases' LOWER folds them, wherever the search is
  // answered: the book (unsorted) found "Émile" only when typed with the capital É.
  auto accented = client_->Patch("/api/v1/accounts/3",
                                 R"({"version":1,"name":"Émile Bâtiment SA"})", "application/json");
  ASSERT_TRUE(accented);
  ASSERT_EQ(accented->status, 200) << accented->body;
  for (const char* path : {"/api/v1/accounts?q=%C3%A9mile", "/api/v1/accounts?q=B%C3%82TIMENT",
                           "/api/v1/accounts?q=%C3%A9mile&sort=name",
                           "/api/v1/accounts?q=%C3%A9mile&sort=-employees"}) {
    auto found = GetJson(path).at("items").as_array();
    ASSERT_EQ(found.size(), 1u) << path;
    EXPECT_EQ(found[0].as_object().at("id").as_int64(), 3) << path;
  }

  // A manual override on account 3, whose $30k puts it in tier 2 by the rule.
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    store::Store s(**db);
    auto account = s.Get<Account>(AccountId(3));
    ASSERT_TRUE(account);
    account->tier_override = Tier::kStrategic;
    account->tier_override_reason = "board-level relationship";
    ASSERT_TRUE(s.Update(*account, account->version));
  }
  auto overridden = GetJson("/api/v1/accounts?limit=100&tier_override=1");
  ASSERT_EQ(overridden.at("items").as_array().size(), 1u);
  const auto& three = overridden.at("items").as_array()[0].as_object();
  EXPECT_EQ(three.at("id").as_int64(), 3);
  EXPECT_EQ(three.at("tier").as_int64(), 1);  // the override wins over the rule
  EXPECT_EQ(three.at("tier_rule").as_int64(), 2);
  EXPECT_EQ(GetJson("/api/v1/accounts?limit=100&tier_override=2").at("items").as_array().size(),
            0u);
  EXPECT_EQ(GetJson("/api/v1/accounts?limit=100&tier_override=null").at("items").as_array().size(),
            22u);  // the rule decides for everyone else
}

TEST_P(HttpTest, MissingAccountAndUnknownRouteAre404s) {
  auto missing = GetJson("/api/v1/accounts/9999", 404);
  EXPECT_EQ(missing.at("error").as_object().at("code").as_string(), "not_found");
  EXPECT_THAT(std::string(missing.at("error").as_object().at("message").as_string()),
              HasSubstr("9999"));
  auto route = GetJson("/api/v2/nothing", 404);
  EXPECT_THAT(std::string(route.at("error").as_object().at("message").as_string()),
              HasSubstr("/api/v2/nothing"));
}

TEST_P(HttpTest, WrongMethodIs405WithAllow) {
  auto res = client_->Put("/api/v1/accounts", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(json::parse(res->body).at("error").at("code").as_string(), "method_not_allowed");
  EXPECT_EQ(res->get_header_value("Allow"), "GET, POST");
}

TEST_P(HttpTest, BadParametersAre400sNamingThem) {
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?limit=abc", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?limit=0", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?limit=100000", 400)), "limit");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?owner_id=x", 400)), "owner_id");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?cursor=zzz", 400)), "cursor");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?colour=red", 400)), "colour");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts?tier_override=gold", 400)), "tier_override");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/abc", 400)), "id");
  EXPECT_EQ(ErrorField(GetJson("/api/v1/accounts/-4", 400)), "id");
}

TEST_P(HttpTest, OversizedBodyIs413) {
  std::string big(200 * 1024, 'x');
  auto res = client_->Post("/api/v1/accounts", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_THAT(res->body, HasSubstr("resource_exhausted"));
}

TEST_P(HttpTest, EveryResponseHasItsOwnRequestId) {
  auto a = client_->Get("/healthz");
  auto b = client_->Get("/healthz");
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->get_header_value("X-Request-Id").empty());
  EXPECT_NE(a->get_header_value("X-Request-Id"), b->get_header_value("X-Request-Id"));
  EXPECT_EQ(a->get_header_value("Server"), "orchard");
}

TEST_P(HttpTest, TheApiNeedsAnIdentity) {
  auto anonymous = As("");
  auto res = anonymous.Get("/api/v1/accounts");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_THAT(res->body, HasSubstr("sign in"));
  auto bad = As("not-a-token");
  res = bad.Get("/api/v1/accounts");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(anonymous.Get("/healthz")->status, 200) << "liveness needs no sign-in";
}

TEST_P(HttpTest, SignInSetsAnHttpOnlyCookieAndWritesNeedTheCsrfToken) {
  auto browser = As("");
  auto wrong =
      browser.Post("/api/v1/auth/login", R"({"email":"admin@orchard.example","password":"nope"})",
                   "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto res = browser.Post(
      "/api/v1/auth/login",
      std::string(R"({"email":"admin@orchard.example","password":")") + kPassword + R"("})",
      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  std::string session = cookie.substr(0, cookie.find(';'));
  std::string csrf(json::parse(res->body).as_object().at("csrf_token").as_string());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE token_hash = '" +
                  session.substr(session.find('=') + 1) + "'"),
            0)
      << "only the hash of the session token is stored";

  httplib::Headers with_cookie = {{"Cookie", session}};
  auto me = browser.Get("/api/v1/me", with_cookie);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_THAT(me->body, HasSubstr("admin@orchard.example"));
  EXPECT_THAT(me->body, ::testing::Not(HasSubstr("argon2")));

  std::string product = R"({"sku":"ORC-9","name":"Insights","list_price_cents":50000})";
  auto no_csrf = browser.Post("/api/v1/products", with_cookie, product, "application/json");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_THAT(no_csrf->body, HasSubstr("X-CSRF-Token"));
  EXPECT_EQ(ErrorField(json::parse(no_csrf->body).as_object()), "x-csrf-token")
      << "a client can tell a stale token from a refusal";
  // The session names its user and its CSRF token, for a page whose token went stale; an API
  // token has none.
  auto current = json::parse(browser.Get("/api/v1/auth/session", with_cookie)->body).as_object();
  EXPECT_EQ(current.at("csrf_token").as_string(), csrf);
  EXPECT_EQ(current.at("user").at("email").as_string(), "admin@orchard.example");
  EXPECT_TRUE(GetJson("/api/v1/auth/session").at("csrf_token").is_null());
  EXPECT_EQ(As("").Get("/api/v1/auth/session")->status, 401);
  httplib::Headers with_csrf = {{"Cookie", session}, {"X-CSRF-Token", csrf}};
  auto ok = browser.Post("/api/v1/products", with_csrf, product, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;

  auto out = browser.Post("/api/v1/auth/logout", with_csrf, "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  EXPECT_EQ(browser.Get("/api/v1/me", with_cookie)->status, 401) << "the session ended";
}

TEST_P(HttpTest, RepeatedFailedSignInsAreSlowedDown) {
  auto browser = As("");
  int last = 0;
  for (int i = 0; i < 6; ++i) {
    auto res =
        browser.Post("/api/v1/auth/login",
                     R"({"email":"admin@orchard.example","password":"guess"})", "application/json");
    ASSERT_TRUE(res);
    last = res->status;
  }
  EXPECT_EQ(last, 429);
  auto right = browser.Post(
      "/api/v1/auth/login",
      std::string(R"({"email":"admin@orchard.example","password":")") + kPassword + R"("})",
      "application/json");
  EXPECT_EQ(right->status, 429) << "even the right password waits out the lockout";
}

TEST_P(HttpTest, ApiTokensAreShownOnceAndCanBeRevoked) {
  auto res = client_->Post("/api/v1/tokens", R"({"name":"warehouse sync"})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  auto created = json::parse(res->body).as_object();
  std::string secret(created.at("token").as_string());
  EXPECT_FALSE(created.contains("token_hash"));
  auto integration = As(secret);
  EXPECT_EQ(integration.Get("/api/v1/me")->status, 200);
  auto list = client_->Get("/api/v1/tokens");
  EXPECT_THAT(list->body, ::testing::Not(HasSubstr(secret)));
  // Its use is recorded (when, to the minute); a token never used says so.
  std::map<std::string, json::value> used;
  auto tokens = json::parse(list->body);
  for (const auto& t : tokens.at("items").as_array()) {
    const auto& o = t.as_object();
    used[std::string(o.at("name").as_string()) + "/" + std::to_string(o.at("user_id").as_int64())] =
        o.at("last_used_at");
  }
  EXPECT_EQ(used.at("warehouse sync/" + std::to_string(admin_.value)), "2026-06-15T12:00:00Z");
  EXPECT_TRUE(used.at("test/" + std::to_string(bob_.value)).is_null());
  auto revoke = client_->Delete("/api/v1/tokens/" + std::to_string(created.at("id").as_int64()));
  EXPECT_EQ(revoke->status, 204);
  EXPECT_EQ(integration.Get("/api/v1/me")->status, 401);
}

TEST_P(HttpTest, ChildResourcesLiveUnderTheirAccount) {
  auto res = client_->Post(
      "/api/v1/accounts/3/contacts",
      R"({"first_name":"Grace","last_name":"Moreau","influence":4,"stance":"champion"})",
      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  auto contact = json::parse(res->body).as_object();
  EXPECT_EQ(contact.at("account_id").as_int64(), 3);
  EXPECT_EQ(contact.at("version").as_int64(), 1);
  auto list = GetJson("/api/v1/accounts/3/contacts");
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(GetJson("/api/v1/accounts/4/contacts").at("items").as_array().size(), 0u);
  auto mismatch =
      client_->Post("/api/v1/accounts/3/contacts", R"({"account_id":4})", "application/json");
  EXPECT_EQ(mismatch->status, 400);
}

TEST_P(HttpTest, AStalePatchIsAConflictAndOverwritesNothing) {
  auto created =
      client_->Post("/api/v1/accounts/1/contacts", R"({"first_name":"Ada"})", "application/json");
  ASSERT_EQ(created->status, 201);
  int64_t id = json::parse(created->body).as_object().at("id").as_int64();
  std::string path = "/api/v1/contacts/" + std::to_string(id);
  auto first = client_->Patch(path, R"({"version":1,"title":"CFO"})", "application/json");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(json::parse(first->body).as_object().at("version").as_int64(), 2);
  auto stale = client_->Patch(path, R"({"version":1,"title":"CEO"})", "application/json");
  ASSERT_EQ(stale->status, 409) << stale->body;
  EXPECT_EQ(json::parse(stale->body).as_object().at("current_version").as_int64(), 2);
  EXPECT_EQ(GetJson(path).at("title").as_string(), "CFO");
  auto no_version = client_->Patch(path, R"({"title":"CEO"})", "application/json");
  EXPECT_EQ(no_version->status, 400);
  EXPECT_THAT(no_version->body, HasSubstr("version"));
}

TEST_P(HttpTest, BadBodiesNameWhatIsWrongAndChangeNothing) {
  int64_t before = Count("SELECT COUNT(*) FROM contacts");
  auto unknown = client_->Post("/api/v1/accounts/1/contacts", R"({"first_name":"A","shoe_size":9})",
                               "application/json");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(ErrorField(json::parse(unknown->body).as_object()), "shoe_size");
  auto type =
      client_->Post("/api/v1/accounts/1/contacts", R"({"influence":"high"})", "application/json");
  EXPECT_EQ(type->status, 400);
  EXPECT_EQ(ErrorField(json::parse(type->body).as_object()), "influence");
  auto range =
      client_->Post("/api/v1/accounts/1/contacts", R"({"influence":9})", "application/json");
  EXPECT_EQ(range->status, 422);
  EXPECT_EQ(ErrorField(json::parse(range->body).as_object()), "influence");
  auto stance =
      client_->Post("/api/v1/accounts/1/contacts", R"({"stance":"fan"})", "application/json");
  EXPECT_EQ(stance->status, 400);
  EXPECT_THAT(stance->body, HasSubstr("champion, supporter"));
  auto server_owned =
      client_->Post("/api/v1/accounts/1/contacts", R"({"id":5})", "application/json");
  EXPECT_EQ(server_owned->status, 400);
  auto malformed =
      client_->Post("/api/v1/accounts/1/contacts", R"({"first_name":)", "application/json");
  EXPECT_EQ(malformed->status, 400);
  EXPECT_THAT(malformed->body, HasSubstr("malformed JSON"));
  std::string deep(100, '[');
  auto too_deep = client_->Post("/api/v1/accounts/1/contacts", deep + std::string(100, ']'),
                                "application/json");
  EXPECT_EQ(too_deep->status, 400);
  EXPECT_THAT(too_deep->body, HasSubstr("deeper"));
  auto media = client_->Post("/api/v1/accounts/1/contacts", "first_name=A",
                             "application/x-www-form-urlencoded");
  EXPECT_EQ(media->status, 415);
  auto line = client_->Post(
      "/api/v1/accounts/1/contract-lines",
      R"({"product_id":1,"arr_cents":100,"start_date":"2026-05-01","end_date":"2026-04-01"})",
      "application/json");
  EXPECT_EQ(line->status, 422);
  EXPECT_EQ(ErrorField(json::parse(line->body).as_object()), "end_date");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 0) << "failed requests leave no trace";
}

TEST_P(HttpTest, BooksDecideWhoEdits) {
  // Account 1 is Ann's (odd ids), account 2 is Bob's.
  auto ann = As(ann_token_);
  auto own =
      ann.Post("/api/v1/accounts/1/contacts", R"({"first_name":"Mine"})", "application/json");
  EXPECT_EQ(own->status, 201) << own->body;
  auto other =
      ann.Post("/api/v1/accounts/2/contacts", R"({"first_name":"Theirs"})", "application/json");
  EXPECT_EQ(other->status, 403);
  EXPECT_THAT(other->body, HasSubstr("You can't change this account: it's in"));
  EXPECT_EQ(ann.Get("/api/v1/accounts/2")->status, 200) << "everyone reads";
  auto move = ann.Patch(
      "/api/v1/contacts/" + std::to_string(json::parse(own->body).as_object().at("id").as_int64()),
      R"({"version":1,"account_id":2})", "application/json");
  EXPECT_EQ(move->status, 403) << "moving a contact into someone else's book";
  auto viewer = As(viewer_token_);
  EXPECT_EQ(viewer.Post("/api/v1/accounts/1/contacts", R"({"first_name":"V"})", "application/json")
                ->status,
            403);
  EXPECT_EQ(viewer.Get("/api/v1/accounts/1/contacts")->status, 200);
  EXPECT_EQ(ann.Post("/api/v1/products", R"({"sku":"X"})", "application/json")->status, 403);
  EXPECT_EQ(ann.Get("/api/v1/audit")->status, 403);
}

// Role × resource × verb: who may do what to Ann's account 1 and to the catalogue.
TEST_P(HttpTest, RoleResourceVerbMatrix) {
  std::map<std::string, std::string> token;  // who → API token
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    store::Store s(**db);
    auto add = [&](const std::string& who, Role role, std::optional<UserId> manager) {
      User u;
      u.email = who + "@orchard.example";
      u.role = role;
      u.manager_id = manager;
      UserId id = s.Insert(u)->id;
      token[who] = service::NewSecret();
      ApiToken t;
      t.user_id = id;
      t.token_hash = service::HashSecret(token[who]);
      EXPECT_TRUE(s.Insert(t));
      return id;
    };
    add("lea", Role::kLeader, std::nullopt);
    UserId mia = add("mia", Role::kManager, std::nullopt);  // Ann's manager
    add("max", Role::kManager, std::nullopt);               // manages nobody here
    UserId carl = add("carl", Role::kCsm, std::nullopt);    // the CSM on account 1
    auto ann = s.Get<User>(ann_);
    ann->manager_id = mia;
    ASSERT_TRUE(s.Update(*ann));
    auto account = s.Get<Account>(AccountId(1));
    account->csm_id = carl;
    ASSERT_TRUE(s.Update(*account, account->version));
  }
  token["admin"] = admin_token_;
  token["ann"] = ann_token_;
  token["bob"] = bob_token_;
  token["vic"] = viewer_token_;

  const std::set<std::string> account_editors = {"admin", "lea", "mia", "ann", "carl"};
  const std::set<std::string> catalogue_editors = {"admin", "lea", "mia", "max"};
  const std::set<std::string> auditors = {"admin", "lea"};
  for (const auto& [who, secret] : token) {
    auto c = As(secret);
    SCOPED_TRACE(who);
    bool edits = account_editors.contains(who);
    // Everyone reads.
    EXPECT_EQ(c.Get("/api/v1/accounts/1/contacts")->status, 200);
    EXPECT_EQ(c.Get("/api/v1/accounts/1")->status, 200);
    // Create under the account.
    auto created =
        c.Post("/api/v1/accounts/1/contacts", R"({"first_name":"X"})", "application/json");
    EXPECT_EQ(created->status, edits ? 201 : 403) << created->body;
    // Patch the account itself, with the version just read.
    auto current = GetJson("/api/v1/accounts/1");
    ASSERT_TRUE(current.contains("version")) << json::serialize(current);
    int64_t version = current.at("version").as_int64();
    auto patched = c.Patch("/api/v1/accounts/1",
                           R"({"version":)" + std::to_string(version) + R"(,"region":"APAC"})",
                           "application/json");
    EXPECT_EQ(patched->status, edits ? 200 : 403) << patched->body;
    // Delete something under it (made by the admin).
    auto victim =
        client_->Post("/api/v1/accounts/1/contacts", R"({"first_name":"V"})", "application/json");
    ASSERT_EQ(victim->status, 201) << victim->body;
    int64_t vid = json::parse(victim->body).as_object().at("id").as_int64();
    EXPECT_EQ(c.Delete("/api/v1/contacts/" + std::to_string(vid))->status, edits ? 204 : 403);
    // The catalogue and the audit log.
    auto product = c.Post("/api/v1/products", R"({"sku":"SKU-)" + who + R"(","name":"P"})",
                          "application/json");
    EXPECT_EQ(product->status, catalogue_editors.contains(who) ? 201 : 403) << product->body;
    EXPECT_EQ(c.Get("/api/v1/audit")->status, auditors.contains(who) ? 200 : 403);
  }
}

TEST_P(HttpTest, AdminsChangeSettingsAndTiersFollowAtOnce) {
  EXPECT_EQ(GetJson("/api/v1/accounts/9").at("tier").as_int64(), 2);  // $90k
  auto settings = As(ann_token_).Get("/api/v1/settings");
  ASSERT_EQ(settings->status, 200);
  EXPECT_THAT(settings->body, HasSubstr(R"("tiers.tier1_min_arr_cents":"10000000")"));
  auto denied = As(ann_token_)
                    .Patch("/api/v1/settings", R"({"tiers.tier1_min_arr_cents":8000000})",
                           "application/json");
  EXPECT_EQ(denied->status, 403);
  auto bad = client_->Patch("/api/v1/settings",
                            R"({"tiers.tier1_min_arr_cents":8000000,"tiers.nonsense":1})",
                            "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(ErrorField(json::parse(bad->body).as_object()), "tiers.nonsense");
  EXPECT_EQ(GetJson("/api/v1/accounts/9").at("tier").as_int64(), 2)
      << "a refused change applies nothing";
  auto ok = client_->Patch("/api/v1/settings", R"({"tiers.tier1_min_arr_cents":8000000})",
                           "application/json");
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(GetJson("/api/v1/accounts/9").at("tier").as_int64(), 1)
      << "$90k is tier 1 at an $80k line";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM settings WHERE key = 'tiers.tier1_min_arr_cents'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'settings'"), 1);
}

TEST_P(HttpTest, AdminsAddUsersWhoCanThenSignIn) {
  std::string body =
      R"({"email":"new@orchard.example","name":"New Person","role":"csm","password":"a good long password"})";
  EXPECT_EQ(As(ann_token_).Post("/api/v1/users", body, "application/json")->status, 403);
  auto weak = client_->Post("/api/v1/users",
                            R"({"email":"w@orchard.example","role":"am","password":"short"})",
                            "application/json");
  EXPECT_EQ(weak->status, 422);
  EXPECT_EQ(ErrorField(json::parse(weak->body).as_object()), "password");
  auto created = client_->Post("/api/v1/users", body, "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_THAT(created->body, ::testing::Not(HasSubstr("password")));
  auto signed_in = As("").Post(
      "/api/v1/auth/login", R"({"email":"new@orchard.example","password":"a good long password"})",
      "application/json");
  EXPECT_EQ(signed_in->status, 200) << signed_in->body;
  auto dup = client_->Post("/api/v1/users", body, "application/json");
  EXPECT_EQ(dup->status, 409);
}

TEST_P(HttpTest, EveryChangeIsAuditedWithBeforeAndAfter) {
  auto created = client_->Post("/api/v1/accounts", R"({"name":"Audited Ltd","industry":"Media"})",
                               "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  int64_t id = json::parse(created->body).as_object().at("id").as_int64();
  std::string path = "/api/v1/accounts/" + std::to_string(id);
  ASSERT_EQ(client_->Patch(path, R"({"version":1,"region":"APAC"})", "application/json")->status,
            200);
  ASSERT_EQ(client_->Delete(path)->status, 204);
  EXPECT_EQ(client_->Get(path)->status, 404);
  auto audit = GetJson("/api/v1/audit?entity=accounts&entity_id=" + std::to_string(id));
  const auto& items = audit.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].as_object().at("action").as_string(), "create");
  EXPECT_TRUE(items[0].as_object().at("before_json").is_null());
  EXPECT_EQ(items[1].as_object().at("action").as_string(), "update");
  EXPECT_THAT(std::string(items[1].as_object().at("before_json").as_string()),
              HasSubstr("\"region\":\"\""));
  EXPECT_THAT(std::string(items[1].as_object().at("after_json").as_string()), HasSubstr("APAC"));
  EXPECT_EQ(items[2].as_object().at("action").as_string(), "delete");
  EXPECT_EQ(items[2].as_object().at("actor_id").as_int64(), admin_.value);
}

// Raw socket: two requests on one connection get two answers (HTTP/1.1 keep-alive).
TEST_P(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  int fd = ConnectRaw();
  ASSERT_GE(fd, 0);
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/accounts/1 HTTP/1.1\r\nHost: x\r\n"
      "Authorization: Bearer " +
      admin_token_ + "\r\n\r\n";
  ASSERT_EQ(write(fd, two.data(), two.size()), static_cast<ssize_t>(two.size()));
  std::string got;
  char buf[4096];
  while (got.find("Contoso 1") == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_THAT(got, HasSubstr("\"status\":\"ok\""));
  EXPECT_THAT(got, HasSubstr("Contoso 1"));
}

TEST_P(HttpTest, MalformedRequestIs400) {
  int fd = ConnectRaw();
  ASSERT_GE(fd, 0);
  std::string junk = "NOT HTTP AT ALL\r\n\r\n";
  ASSERT_GT(write(fd, junk.data(), junk.size()), 0);
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  ASSERT_GT(n, 0);
  EXPECT_THAT(std::string(buf, static_cast<size_t>(n)), HasSubstr("400 Bad Request"));
}

TEST_P(HttpTest, StopLetsAnInFlightRequestFinish) {
  // A server whose one route takes a while, stopped while a request is in flight.
  server_->Stop();
  server_->Wait();
  std::promise<void> entered;
  Router slow;
  slow.Add(
      "GET", "/slow",
      [&entered](const HttpRequest&) {
        entered.set_value();
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        HttpResponse r;
        r.body = R"({"done":true})";
        return r;
      },
      RouteDoc("slow", RouteDoc::Kind::kOther).Public());
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

TEST_P(HttpTest, PortInUseIsOneClearLine) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = server_->port();
  Server second(router_, options);
  auto s = second.Start();
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message,
              HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(server_->port())));
}

// A validator for the subset of JSON Schema the document uses: type (or a list of types),
// properties, required, additionalProperties: false, items, enum, $ref.
void ValidateSchema(const json::value& v, const json::object& schema,
                    const json::object& components, const std::string& where,
                    std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    std::string ref(schema.at("$ref").as_string());
    std::string name = ref.substr(ref.rfind('/') + 1);
    if (!components.contains(name)) {
      errors.push_back(where + ": unknown $ref " + ref);
      return;
    }
    return ValidateSchema(v, components.at(name).as_object(), components, where, errors);
  }
  if (schema.contains("type")) {
    std::vector<std::string> types;
    if (schema.at("type").is_string()) {
      types.emplace_back(schema.at("type").as_string());
    } else {
      for (const auto& t : schema.at("type").as_array()) types.emplace_back(t.as_string());
    }
    auto is = [&](const std::string& t) {
      return (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
             (t == "string" && v.is_string()) ||
             (t == "integer" && (v.is_int64() || v.is_uint64())) ||
             (t == "number" && v.is_number()) || (t == "boolean" && v.is_bool()) ||
             (t == "null" && v.is_null());
    };
    if (std::none_of(types.begin(), types.end(), is)) {
      errors.push_back(where + ": " + json::serialize(v) + " is not " +
                       json::serialize(schema.at("type")));
      return;
    }
  }
  if (schema.contains("enum")) {
    const auto& allowed = schema.at("enum").as_array();
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      errors.push_back(where + ": " + json::serialize(v) + " is not in the enum");
    }
  }
  if (v.is_object()) {
    const auto& obj = v.as_object();
    json::object none;
    const auto& props = schema.contains("properties") ? schema.at("properties").as_object() : none;
    if (schema.contains("required")) {
      for (const auto& r : schema.at("required").as_array()) {
        if (!obj.contains(r.as_string()))
          errors.push_back(where + ": missing " + std::string(r.as_string()));
      }
    }
    for (const auto& [k, val] : obj) {
      if (props.contains(k)) {
        ValidateSchema(val, props.at(k).as_object(), components, where + "." + std::string(k),
                       errors);
      } else if (schema.contains("additionalProperties")) {
        const auto& extra = schema.at("additionalProperties");
        if (extra.is_bool() && !extra.as_bool()) {
          errors.push_back(where + ": undocumented field " + std::string(k));
        } else if (extra.is_object()) {
          ValidateSchema(val, extra.as_object(), components, where + "." + std::string(k), errors);
        }
      }
    }
  }
  if (v.is_array() && schema.contains("items")) {
    int i = 0;
    for (const auto& item : v.as_array()) {
      ValidateSchema(item, schema.at("items").as_object(), components,
                     where + "[" + std::to_string(i++) + "]", errors);
    }
  }
}

TEST_P(HttpTest, MetricsCountRequestsByRouteAndStatus) {
  ASSERT_EQ(client_->Get("/api/v1/accounts/1")->status, 200);
  ASSERT_EQ(client_->Get("/api/v1/accounts/2")->status, 200);
  ASSERT_EQ(client_->Get("/api/v1/accounts/999")->status, 404);
  auto res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/plain"));
  // Labelled by the route's pattern, never the raw path.
  EXPECT_THAT(
      res->body,
      HasSubstr(
          R"(orchard_http_requests_total{route="GET /api/v1/accounts/{id}",status="200"} 2)"));
  EXPECT_THAT(
      res->body,
      HasSubstr(
          R"(orchard_http_requests_total{route="GET /api/v1/accounts/{id}",status="404"} 1)"));
  EXPECT_THAT(
      res->body,
      HasSubstr(
          R"(orchard_http_request_duration_seconds_count{route="GET /api/v1/accounts/{id}"} 3)"));
  EXPECT_THAT(res->body, ::testing::Not(HasSubstr("/api/v1/accounts/999")));
}

TEST_P(HttpTest, OpenApiDocumentsEveryRoute) {
  auto doc = GetJson("/api/v1/openapi.json");
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  int routes = 0;
  std::set<std::string> seen;
  for (const auto& route : router_.Routes()) {
    // Registered once: a second route of the same method and path would never be reached, and
    // the document would describe only one of them (the users' generic POST once hid the one
    // that takes a password).
    EXPECT_TRUE(seen.insert(route.method + " " + route.pattern).second)
        << route.method << " " << route.pattern << " is registered twice";
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    ++routes;
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern << " is missing from the document";
    EXPECT_TRUE(paths.at(route.pattern).as_object().contains(method))
        << route.method << " " << route.pattern << " is missing from the document";
  }
  EXPECT_GT(routes, 100);
  // Every request body it documents refers to a schema it defines.
  const auto& schemas = doc.at("components").as_object().at("schemas").as_object();
  for (const auto& [pattern, ops] : paths) {
    for (const auto& [method, op] : ops.as_object()) {
      if (!op.as_object().contains("requestBody")) continue;
      std::string ref(op.at("requestBody")
                          .at("content")
                          .at("application/json")
                          .at("schema")
                          .at("$ref")
                          .as_string());
      EXPECT_TRUE(schemas.contains(ref.substr(ref.rfind('/') + 1)))
          << method << " " << pattern << ": " << ref;
    }
  }
  // A patch names the version it read; a create needs no field the server fills in.
  EXPECT_EQ(json::serialize(schemas.at("contacts_patch").at("required")), R"(["version"])");
  EXPECT_FALSE(schemas.at("contacts_create").as_object().contains("required"));
  EXPECT_FALSE(schemas.at("contacts_create").at("properties").as_object().contains("id"));
}

TEST_P(HttpTest, EveryReadAnswersAsTheDocumentSays) {
  // Something under every account-level resource, so the lists are not empty.
  ASSERT_EQ(client_
                ->Post("/api/v1/accounts/1/contacts", R"({"first_name":"Ada","stance":"champion"})",
                       "application/json")
                ->status,
            201);
  ASSERT_EQ(client_->Post("/api/v1/accounts/1/plans", R"({"summary":"Grow"})", "application/json")
                ->status,
            201);
  ASSERT_EQ(
      client_
          ->Post("/api/v1/plans/1/risks", R"({"description":"Budget freeze"})", "application/json")
          ->status,
      201);
  auto doc = GetJson("/api/v1/openapi.json");
  const auto& components = doc.at("components").as_object().at("schemas").as_object();
  int checked = 0;
  for (const auto& [pattern, ops] : doc.at("paths").as_object()) {
    if (!ops.as_object().contains("get")) continue;
    std::string path(pattern);
    for (const char* param : {"{id}", "{pid}"}) {
      for (size_t at; (at = path.find(param)) != std::string::npos;)
        path.replace(at, std::strlen(param), "1");
    }
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    const auto& responses = ops.as_object().at("get").as_object().at("responses").as_object();
    std::string status = std::to_string(res->status);
    ASSERT_TRUE(responses.contains(status))
        << path << " answered " << status << ", undocumented: " << res->body;
    const auto& documented = responses.at(status).as_object();
    if (!documented.contains("content")) continue;
    if (res->get_header_value("Content-Type") != "application/json") continue;
    const auto& schema = documented.at("content")
                             .as_object()
                             .at("application/json")
                             .as_object()
                             .at("schema")
                             .as_object();
    std::vector<std::string> errors;
    ValidateSchema(json::parse(res->body), schema, components, path, errors);
    EXPECT_TRUE(errors.empty()) << errors.front() << (errors.size() > 1 ? " (and more)" : "");
    ++checked;
  }
  EXPECT_GT(checked, 40);
  // The validator itself catches a wrong type, a missing field and an undocumented one.
  std::vector<std::string> caught;
  ValidateSchema(json::parse(R"({"id":"seven","shoe_size":9})"), components.at("users").as_object(),
                 components, "probe", caught);
  EXPECT_GE(caught.size(), 3u);
  // Errors have their documented shape too.
  auto missing = client_->Get("/api/v1/contacts/999999");
  std::vector<std::string> errors;
  ValidateSchema(json::parse(missing->body), components.at("Error").as_object(), components, "404",
                 errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
}

INSTANTIATE_TEST_SUITE_P(Backends, HttpTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::http
