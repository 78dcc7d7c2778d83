#include "security/harness.h"

#include "domain/handoff.h"
#include "service/passwords.h"
#include "store/migrate.h"
#include "store/store.h"

namespace orchard::security {

void SecurityTest::SetUp() {
  if (database_url_.empty()) {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    url_ = test_db_.url();
  } else {
    url_ = database_url_;
  }
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
  auth_ = std::make_unique<service::AuthService>(*pool_, clock_, auth_options_, settings_.get());
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
    rule_engine_.reset();
    predictions_.reset();
    model_ = std::move(*model);
    auto predictions = scoring::LiveScores::Load(**db);  // the models (none trained here)
    ASSERT_TRUE(predictions) << predictions.error().message;
    predictions_ = std::move(*predictions);
  }
  rules_ = std::make_unique<automation::RuleService>(*pool_, clock_);
  rule_engine_ = std::make_unique<automation::RuleEngine>(
      *pool_, *model_, [this] { return settings_->Current(); }, clock_);
  http::ApiDeps deps{*pool_, clock_, *accounts_, *auth_, *settings_, &metrics_, model_.get()};
  deps.rules = rules_.get();
  deps.rule_engine = rule_engine_.get();
  deps.predictions = predictions_.get();
  deps.pdf_exports_at_once = pdf_exports_at_once_;
  deps.pdf_exports_per_user = pdf_exports_per_user_;
  router_ = http::MakeRouter(deps);
  AddTestRoutes(router_);
  server_ = std::make_unique<http::Server>(router_, server_options_);
  auto started = server_->Start();
  ASSERT_TRUE(started) << started.error().message;
}

void SecurityTest::OnEveryPooledConnection(const std::string& sql) {
  std::vector<store::ConnectionPool::Lease> leases;
  for (int i = 0; i < pool_->size(); ++i) {
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease) << lease.error().message;
    auto done = (*lease)->ExecScript(sql);
    ASSERT_TRUE(done) << done.error().message;
    leases.push_back(std::move(*lease));
  }
}

void SecurityTest::AddBobsRows() {
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    store::Store s(**db);
    const std::string bob = std::to_string(bob_account_.value);
    auto first = [&](const std::string& sql) {
      auto v = (*db)->QueryInt(sql);
      EXPECT_TRUE(v && *v) << sql;
      return v && *v ? **v : 0;
    };
    bob_line_ =
        ContractLineId(first("SELECT MIN(id) FROM contract_lines WHERE account_id = " + bob));
    bob_token_ = ApiTokenId(first("SELECT MIN(id) FROM api_tokens WHERE user_id = " +
                                  std::to_string(P("bob").id.value)));
    const Date today = clock_.Today();
    Opportunity o;
    o.account_id = bob_account_;
    o.name = "Fabrikam expansion";
    o.type = OpportunityType::kNewBusiness;
    o.stage = OpportunityStage::kClosedWon;
    o.amount = Money::FromDollars(50'000);
    o.created_on = today.AddDays(-30);
    o.close_date = today;
    o.owner_id = P("bob").id;
    bob_opportunity_ = s.Insert(o)->id;
    Handoff h;
    h.account_id = bob_account_;
    h.opportunity_id = bob_opportunity_;
    h.seller_id = P("bob").id;
    h.checklist_json = HandoffChecklistJson(true);
    h.created_at = clock_.Now();
    bob_handoff_ = s.Insert(h)->id;
    Review r;
    r.account_id = bob_account_;
    r.due_on = today.AddDays(3);
    bob_review_ = s.Insert(r)->id;
    Task t;
    t.title = "Bob's own errand";
    t.owner_id = P("bob").id;
    t.created_at = clock_.Now();
    bob_task_ = s.Insert(t)->id;
    t.title = "Call Fabrikam";
    t.account_id = bob_account_;
    bob_account_task_ = s.Insert(t)->id;
    PlanPriority pr;
    pr.plan_id = bob_plan_;
    pr.text = "Cut costs";
    bob_priority_ = s.Insert(pr)->id;
    PlanRisk rk;
    rk.plan_id = bob_plan_;
    rk.description = "Budget freeze";
    bob_risk_ = s.Insert(rk)->id;
    WhitespaceCell c;
    c.plan_id = bob_plan_;
    c.division_id = bob_division_;
    c.product_id = product_;
    c.potential = Money::FromDollars(10'000);
    bob_cell_ = s.Insert(c)->id;
    PlanAction a;
    a.plan_id = bob_plan_;
    a.description = "Meet the CFO";
    a.priority_id = bob_priority_;
    bob_action_ = s.Insert(a)->id;
    Activity act;
    act.account_id = bob_account_;
    act.occurred_at = clock_.Now();
    act.subject = "Kickoff";
    bob_activity_ = s.Insert(act)->id;
    Ticket tk;
    tk.account_id = bob_account_;
    tk.contact_id = bob_contact_;
    tk.opened_at = clock_.Now();
    tk.subject = "Login fails";
    bob_ticket_ = s.Insert(tk)->id;
    NpsResponse n;
    n.account_id = bob_account_;
    n.contact_id = bob_contact_;
    n.score = 9;
    n.responded_on = today;
    bob_nps_ = s.Insert(n)->id;
    UsageMetric u;
    u.account_id = bob_account_;
    u.day = today;
    u.active_users = 10;
    u.licensed_seats = 20;
    bob_usage_ = s.Insert(u)->id;
    EngagementSignal e;
    e.account_id = bob_account_;
    e.contact_id = bob_contact_;
    e.occurred_at = clock_.Now();
    bob_signal_ = s.Insert(e)->id;
    Transcript tr;
    tr.account_id = bob_account_;
    tr.activity_id = bob_activity_;
    tr.text = "The rollout went well.";
    tr.created_at = clock_.Now();
    bob_transcript_ = s.Insert(tr)->id;
    HealthOverride ho;
    ho.account_id = bob_account_;
    ho.score = 70;
    ho.reason = "Calm after the outage";
    ho.expires_on = today.AddDays(30);
    ho.created_at = clock_.Now();
    bob_override_ = s.Insert(ho)->id;
  }
  Restart();
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
