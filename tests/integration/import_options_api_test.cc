// Issue 21's import options on the route the web import page uses (POST /api/v1/imports), through
// the real server over SQLite and PostgreSQL: external_id with its system's name, a holding account
// for deals without one (the mapping's "unassigned_account") and owners added as inactive users
// (create_users) are taken in the JSON body and as query parameters, and the job's summary carries
// what they did; a wrong type or an unknown field is refused naming it, with nothing written; the
// OpenAPI document describes the fields the route takes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "http/api.h"
#include "http/server.h"
#include "service/passwords.h"
#include "store/migrate.h"
#include "support/test_database.h"

namespace orchard::http {
namespace {

namespace json = boost::json;

// Opportunities from another system: one on an account of the book, one on none; both owners are
// people the book lacks.
constexpr const char* kPipeline =
    "Deal Id,Deal,Stage,Amount,Close Date,Sales Agent,Company\n"
    "PD-1,Renewal,closed_won,12000,2026-03-31,Quinta Marlowe,Acme\n"
    "PD-2,Stray deal,closed_lost,3000,2026-04-30,Ignatius Fernsby,\n";

json::object PipelineMap() {
  return json::object{{"columns", json::object{{"Deal Id", "external_id"},
                                               {"Deal", "name"},
                                               {"Stage", "stage"},
                                               {"Amount", "amount"},
                                               {"Close Date", "close_date"},
                                               {"Sales Agent", "owner"},
                                               {"Company", "account.name"}}},
                      {"unassigned_account", "Holding"}};
}

class ImportOptionsApiTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
    {
      auto db = store::OpenDatabase(url_);
      ASSERT_TRUE(db);
      ASSERT_TRUE(store::Migrate(**db));
      store::Store s(**db);
      for (auto [name, role] : {std::pair{"admin", Role::kAdmin}, {"amy", Role::kAm}}) {
        User u;
        u.email = std::string(name) + "@orchard.example";
        u.name = name;
        u.role = role;
        u.password_hash = *service::HashPassword("correct horse", service::HashCost::kMinimum);
        UserId id = s.Insert(u)->id;
        ApiToken t;
        t.user_id = id;
        t.name = "test";
        tokens_[name] = service::NewSecret();
        t.token_hash = service::HashSecret(tokens_[name]);
        ASSERT_TRUE(s.Insert(t));
      }
      Account acme;
      acme.name = "Acme";
      ASSERT_TRUE(s.Insert(acme));
    }
    auto pool = store::ConnectionPool::Open(url_, 2);
    ASSERT_TRUE(pool);
    pool_ = std::move(*pool);
    settings_ = std::make_unique<service::SettingsService>(*pool_, clock_, Settings{});
    accounts_ = std::make_unique<service::AccountService>(*pool_, clock_, *settings_);
    service::AuthOptions auth_options;
    auth_options.hash_cost = service::HashCost::kMinimum;
    auth_ = std::make_unique<service::AuthService>(*pool_, clock_, auth_options);
    router_ = MakeRouter(ApiDeps{*pool_, clock_, *accounts_, *auth_, *settings_, &metrics_});
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
  httplib::Result PostJson(const json::object& body, const std::string& who = "admin") {
    return As(who).Post("/api/v1/imports", json::serialize(body), "application/json");
  }
  // The job a 202 started, once it is no longer running.
  json::object Finished(const httplib::Result& started) {
    EXPECT_TRUE(started);
    if (!started) return {};
    EXPECT_EQ(started->status, 202) << started->body;
    json::object job;
    for (int i = 0; i < 500; ++i) {
      auto res = As("admin").Get(started->get_header_value("Location"));
      EXPECT_TRUE(res && res->status == 200);
      if (!res) return {};
      job = json::parse(res->body).as_object();
      if (job.at("status") != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(job.at("status"), "done") << json::serialize(job);
    return job;
  }
  // A 400 whose error names `field` and says `says`.
  static void ExpectRefused(const httplib::Result& res, const std::string& field,
                            const std::string& says) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    auto error = json::parse(res->body).at("error").as_object();
    EXPECT_NE(std::string(error.at("message").as_string()).find(says), std::string::npos)
        << res->body;
    ASSERT_EQ(error.at("fields").as_array().size(), 1u) << res->body;
    EXPECT_EQ(error.at("fields").as_array()[0].at("field").as_string(), field) << res->body;
  }
  int64_t Count(const std::string& sql) {
    auto db = store::OpenDatabase(url_);
    EXPECT_TRUE(db);
    return (*db)->QueryInt(sql)->value_or(-1);
  }

  testing::TestDatabase test_db_;
  std::string url_;
  FixedClock clock_{Timestamp::At(*Date::Parse("2026-06-15"), 12)};
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<service::AuthService> auth_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<service::SettingsService> settings_;
  std::unique_ptr<service::AccountService> accounts_;
  Metrics metrics_;
  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_P(ImportOptionsApiTest, TheJsonBodyTakesTheOptionsAndTheSummaryCarriesWhatTheyDid) {
  json::object body{{"source", "csv"},      {"object", "opportunities"},
                    {"map", PipelineMap()}, {"source_name", "pipedrive"},
                    {"create_users", true}, {"file_name", "pipeline.csv"},
                    {"content", kPipeline}};
  json::object job = Finished(PostJson(body));
  const json::object& summary = job.at("summary").as_object();
  EXPECT_EQ(summary.at("inserted").as_int64(), 2) << json::serialize(summary);
  EXPECT_EQ(summary.at("rejected").as_int64(), 0) << json::serialize(summary);
  EXPECT_EQ(json::serialize(summary.at("created_users")),
            R"(["Quinta Marlowe <quinta.marlowe@pipedrive.invalid>",)"
            R"("Ignatius Fernsby <ignatius.fernsby@pipedrive.invalid>"])");
  EXPECT_EQ(json::serialize(summary.at("unassigned_account")), R"({"name":"Holding","rows":1})");
  bool counted = false;
  for (const auto& w : summary.at("warnings").as_array()) {
    if (w.at("message") == "no account: kept under \"Holding\"") {
      counted = w.at("rows").as_int64() == 1;
    }
  }
  EXPECT_TRUE(counted) << json::serialize(summary.at("warnings"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities o JOIN accounts a ON a.id = o.account_id "
                  "WHERE a.name = 'Holding' AND o.name = 'Stray deal' "
                  "AND o.external_source = 'pipedrive' AND o.external_id = 'PD-2'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE name IN ('Quinta Marlowe', "
                  "'Ignatius Fernsby') AND active = FALSE"),
            2);

  // The same file again as text/csv with the options as query parameters: the rows are found by
  // (pipedrive, id), the owners are users now, nothing is added.
  std::string map = json::serialize(PipelineMap());
  auto again = As("admin").Post(
      "/api/v1/imports?source=csv&object=opportunities&source_name="
      "pipedrive&create_users=true&file_name=pipeline.csv&map=" +
          httplib::detail::encode_query_param(map),
      kPipeline, "text/csv");
  json::object second = Finished(again);
  const json::object& s2 = second.at("summary").as_object();
  EXPECT_EQ(s2.at("unchanged").as_int64(), 2) << json::serialize(s2);
  EXPECT_TRUE(s2.at("created_users").as_array().empty()) << json::serialize(s2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 4);
}

TEST_P(ImportOptionsApiTest, AWrongTypeOrUnknownFieldIsRefusedNamingItWithNothingWritten) {
  auto with = [](const char* key, json::value v) {
    json::object body{{"source", "csv"},
                      {"object", "opportunities"},
                      {"map", PipelineMap()},
                      {"source_name", "pipedrive"},
                      {"content", kPipeline}};
    body[key] = std::move(v);
    return body;
  };
  ExpectRefused(PostJson(with("create_users", "yes")), "create_users", "must be true or false");
  ExpectRefused(PostJson(with("source_name", 7)), "source_name", "must be a string");
  ExpectRefused(PostJson(with("create_user", true)), "create_user", "unknown field");
  json::object map = PipelineMap();
  map["unassigned_account"] = 5;
  ExpectRefused(PostJson(with("map", map)), "map", "unassigned_account must be a name");
  map = PipelineMap();
  map["unassigned"] = "Holding";
  ExpectRefused(PostJson(with("map", map)), "map", "unknown key \"unassigned\"");
  // external_id without the system it comes from, neither in the mapping nor as source_name.
  json::object nameless = with("dry_run", false);
  nameless.erase("source_name");
  ExpectRefused(PostJson(nameless), "source", "external_id keys need the name of the system");
  ExpectRefused(
      As("admin").Post("/api/v1/imports?source=csv&object=opportunities&create_users="
                       "maybe&map=" +
                           httplib::detail::encode_query_param(json::serialize(PipelineMap())),
                       kPipeline, "text/csv"),
      "create_users", "must be true or false");
  // An AM may neither import nor add users: refused before the body is read.
  auto am = PostJson(with("create_users", true), "amy");
  ASSERT_TRUE(am);
  EXPECT_EQ(am->status, 403) << am->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 2);
  auto jobs = As("admin").Get("/api/v1/imports");
  ASSERT_TRUE(jobs);
  EXPECT_TRUE(json::parse(jobs->body).at("items").as_array().empty()) << jobs->body;
}

TEST_P(ImportOptionsApiTest, TheOpenApiDocumentDescribesEveryFieldTheRouteTakes) {
  auto res = As("admin").Get("/api/v1/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto doc = json::parse(res->body).as_object();
  const auto& request = doc.at("components").at("schemas").at("ImportRequest").as_object();
  const auto& properties = request.at("properties").as_object();
  for (const char* field : {"source", "object", "map", "date_format", "dry_run", "file_name",
                            "content", "source_name", "create_users"}) {
    EXPECT_TRUE(properties.contains(field)) << field << " is not in ImportRequest";
  }
  EXPECT_EQ(properties.at("create_users").at("type"), "boolean");
  std::vector<std::string> query;
  for (const auto& p :
       doc.at("paths").at("/api/v1/imports").at("post").at("parameters").as_array()) {
    query.emplace_back(p.at("name").as_string());
  }
  for (const char* name : {"source_name", "create_users"}) {
    EXPECT_NE(std::find(query.begin(), query.end(), name), query.end())
        << name << " is not a documented query parameter";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportOptionsApiTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::http
