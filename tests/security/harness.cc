#include "security/harness.h"

#include "service/passwords.h"
#include "store/migrate.h"
#include "store/store.h"

namespace orchard::security {

void SecurityTest::SetUp() {
  ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
  url_ = test_db_.url();
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE(store::Migrate(**db));
    store::Store s(**db);
    const std::string hash = *service::HashPassword(kPassword, service::HashCost::kMinimum);
    auto add = [&](const std::string& who, Role role, std::optional<UserId> manager) {
      User u;
      u.email = who + "@orchard.example";
      u.name = std::string(1, static_cast<char>(who[0] - 'a' + 'A')) + who.substr(1);
      u.role = role;
      u.manager_id = manager;
      u.password_hash = hash;
      Person p;
      p.id = s.Insert(u)->id;
      p.email = u.email;
      p.token = service::NewSecret();
      ApiToken t;
      t.user_id = p.id;
      t.name = "test";
      t.token_hash = service::HashSecret(p.token);
      EXPECT_TRUE(s.Insert(t));
      people_[who] = p;
      return p.id;
    };
    add("admin", Role::kAdmin, std::nullopt);
    add("leader", Role::kLeader, std::nullopt);
    UserId mia = add("mia", Role::kManager, std::nullopt);
    UserId max = add("max", Role::kManager, std::nullopt);
    UserId ann = add("ann", Role::kAm, mia);
    UserId bob = add("bob", Role::kAm, max);
    UserId cara = add("cara", Role::kCsm, mia);
    add("vic", Role::kViewer, std::nullopt);

    Product p;
    p.sku = "ORC-1";
    p.name = "Orchard";
    p.list_price = Money::FromDollars(100);
    product_ = s.Insert(p)->id;

    auto book = [&](const std::string& name, UserId owner, std::optional<UserId> csm,
                    AccountId& account, PlanId& plan, DivisionId& division, ContactId& contact) {
      Account a;
      a.name = name;
      a.owner_id = owner;
      a.csm_id = csm;
      a.industry = "Retail";
      a.region = "EMEA";
      account = s.Insert(a)->id;
      ContractLine line;
      line.account_id = account;
      line.product_id = product_;
      line.arr = Money::FromDollars(120'000);
      line.start_date = *Date::Parse("2026-01-01");
      line.end_date = *Date::Parse("2026-12-31");
      EXPECT_TRUE(s.Insert(line));
      AccountPlan pl;
      pl.account_id = account;
      pl.summary = "Grow " + name;
      pl.updated_at = clock_.Now();
      plan = s.Insert(pl)->id;
      Division d;
      d.account_id = account;
      d.name = name + " Finance";
      d.headcount = 100;
      division = s.Insert(d)->id;
      Contact c;
      c.account_id = account;
      c.first_name = "Chris";
      c.last_name = name;
      c.email = "chris@" + name + ".example";
      contact = s.Insert(c)->id;
    };
    book("Contoso", ann, cara, ann_account_, ann_plan_, ann_division_, ann_contact_);
    book("Fabrikam", bob, std::nullopt, bob_account_, bob_plan_, bob_division_, bob_contact_);
  }
  auto pool = store::ConnectionPool::Open(url_, 4);
  ASSERT_TRUE(pool);
  pool_ = std::move(*pool);
  settings_ = std::make_unique<service::SettingsService>(*pool_, clock_, Settings{});
  accounts_ = std::make_unique<service::AccountService>(*pool_, clock_, *settings_);
  service::AuthOptions auth_options;
  auth_options.hash_cost = service::HashCost::kMinimum;
  auth_ = std::make_unique<service::AuthService>(*pool_, clock_, auth_options);
  server_options_.host = "127.0.0.1";
  server_options_.port = 0;
  server_options_.threads = 2;
  server_options_.body_limit = 256 * 1024;
  server_options_.metrics = &metrics_;
  Restart();
}

void SecurityTest::Restart() {
  if (server_) {
    server_->Stop();
    server_->Wait();
    server_.reset();
  }
  {
    auto db = pool_->Acquire();
    ASSERT_TRUE(db);
    auto model = engine::ReadModel::Load(**db);
    ASSERT_TRUE(model) << model.error().message;
    model_ = std::move(*model);
  }
  router_ = http::MakeRouter(
      http::ApiDeps{*pool_, clock_, *accounts_, *auth_, *settings_, &metrics_, model_.get()});
  server_ = std::make_unique<http::Server>(router_, server_options_);
  auto started = server_->Start();
  ASSERT_TRUE(started) << started.error().message;
}

void SecurityTest::TearDown() {
  if (server_) {
    server_->Stop();
    server_->Wait();
  }
}

httplib::Client SecurityTest::Anonymous() {
  httplib::Client c("127.0.0.1", server_->port());
  c.set_tcp_nodelay(true);
  c.set_read_timeout(30);
  return c;
}

httplib::Client SecurityTest::As(const std::string& who) {
  httplib::Client c = Anonymous();
  if (!who.empty()) c.set_default_headers({{"Authorization", "Bearer " + P(who).token}});
  return c;
}

BrowserSession SecurityTest::SignIn(const std::string& who) {
  httplib::Client c = Anonymous();
  json::object body{{"email", P(who).email}, {"password", kPassword}};
  auto res = c.Post("/api/v1/auth/login", json::serialize(body), "application/json");
  BrowserSession out;
  EXPECT_TRUE(res);
  if (!res) return out;
  EXPECT_EQ(res->status, 200) << res->body;
  if (res->status != 200) return out;
  std::string cookie = res->get_header_value("Set-Cookie");
  out.cookie = cookie.substr(0, cookie.find(';'));
  out.csrf = std::string(json::parse(res->body).at("csrf_token").as_string());
  return out;
}

int64_t SecurityTest::Count(const std::string& sql) {
  auto db = store::OpenDatabase(url_);
  if (!db) return -1;
  auto n = (*db)->QueryInt(sql);
  return n ? n->value_or(-1) : -1;
}

void SecurityTest::Exec(const std::string& sql) {
  auto db = store::OpenDatabase(url_);
  ASSERT_TRUE(db) << db.error().message;
  auto done = (*db)->ExecScript(sql);
  ASSERT_TRUE(done) << done.error().message;
}

json::value SecurityTest::Json(const httplib::Result& res) {
  if (!res) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(res->body, ec);
  if (ec) return nullptr;
  return v;
}

std::string SecurityTest::ErrorField(const httplib::Result& res) {
  if (!res) return "";
  boost::system::error_code ec;
  json::value v = json::parse(res->body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
  const auto* fields = v.at("error").as_object().if_contains("fields");
  if (fields == nullptr || !fields->is_array() || fields->as_array().empty()) return "";
  return std::string(fields->as_array()[0].at("field").as_string());
}

}  // namespace orchard::security
