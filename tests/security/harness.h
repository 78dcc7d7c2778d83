// The security suite's world: a real server on 127.0.0.1 over a real database (SQLite file or
// PostgreSQL), with one user of every role and two books, spoken to by a real HTTP client. Each
// test file under tests/security/ builds on SecurityTest; tests/security.cmake makes one binary
// per file.
//
// The people (password kPassword for all; an API token each):
//   admin   Ada   admin
//   leader  Lee   leader
//   mia     Mia   manager of ann and cara
//   max     Max   manager of bob
//   ann     Ann   AM, owns ann_account_ (CSM cara) — Mia's team
//   bob     Bob   AM, owns bob_account_ — Max's team
//   cara    Cara  CSM on ann_account_
//   vic     Vic   viewer
// Each account has a plan, a division and a contact.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "automation/rule_engine.h"
#include "automation/rule_store.h"
#include "core/clock.h"
#include "engine/read_model.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/server.h"
#include "scoring/live_scores.h"
#include "service/account_service.h"
#include "service/auth_service.h"
#include "service/settings_service.h"
#include "store/pool.h"
#include "support/test_database.h"

namespace orchard::security {

namespace json = boost::json;

struct Person {
  UserId id;
  std::string email;
  std::string token;  // an API token's secret
};

// A browser session: the cookie the server set and the CSRF token it answered with.
struct BrowserSession {
  std::string cookie;  // "orchard_session=…"
  std::string csrf;
};

class SecurityTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  static constexpr const char* kPassword = "correct horse battery";

  void SetUp() override;
  void TearDown() override;

  // Loads the book from the database and serves it on a new server (after SQL the test ran).
  void Restart();
  // Routes a test adds to the server's router on every Restart() (after the API's own).
  virtual void AddTestRoutes(http::Router&) {}
  // Runs one statement on every connection of the server's pool (e.g. PRAGMA query_only), all
  // leased at once so none is missed.
  void OnEveryPooledConnection(const std::string& sql);

  // A client with `who`'s API token ("" for none).
  httplib::Client As(const std::string& who);
  httplib::Client Anonymous();
  // Signs `who` in with their password from this client's address; fails the test if refused.
  BrowserSession SignIn(const std::string& who);

  // The first value of one SQL query (-1 if none).
  int64_t Count(const std::string& sql);
  // Runs SQL straight on the database, bypassing the service (rows planted as a bug or another
  // tool might have left them); fails the test if the database refuses it.
  void Exec(const std::string& sql);
  json::value Json(const httplib::Result& res);
  // The field the one error shape names first ("" for none).
  static std::string ErrorField(const httplib::Result& res);

  const Person& P(const std::string& who) const { return people_.at(who); }

  // Set before SecurityTest::SetUp (in a fixture's own SetUp) to change the world it builds:
  // a database of the test's own instead of the suite's, the AuthService's options.
  std::string database_url_;
  service::AuthOptions auth_options_{.hash_cost = service::HashCost::kMinimum};

  testing::TestDatabase test_db_;
  std::string url_;
  FixedClock clock_{Timestamp::At(*Date::Parse("2026-06-15"), 12)};
  std::map<std::string, Person> people_;
  AccountId ann_account_, bob_account_;
  PlanId ann_plan_, bob_plan_;
  DivisionId ann_division_, bob_division_;
  ContactId ann_contact_, bob_contact_;
  ProductId product_;

  // One row of every kind under bob's book, for the workflow routes and the authorization matrix
  // (AddBobsRows(); not made by SetUp, so the other tests' world stays as it was): a closed-won
  // opportunity with its handoff (checklist done), a review, a personal task of bob's (no
  // account), a task on bob's account, the plan's priority, risk, whitespace cell and action, an
  // activity, a ticket, an NPS response, a usage day, an engagement signal, a health override.
  void AddBobsRows();
  OpportunityId bob_opportunity_;
  HandoffId bob_handoff_;
  ReviewId bob_review_;
  TaskId bob_task_;          // bob's personal task: no account
  TaskId bob_account_task_;  // a task on bob's account
  PriorityId bob_priority_;
  RiskId bob_risk_;
  WhitespaceCellId bob_cell_;
  ActionId bob_action_;
  ActivityId bob_activity_;
  ContractLineId bob_line_;
  TicketId bob_ticket_;
  NpsResponseId bob_nps_;
  UsageMetricId bob_usage_;
  EngagementSignalId bob_signal_;
  TranscriptId bob_transcript_;
  HealthOverrideId bob_override_;
  ApiTokenId bob_token_;

  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<service::SettingsService> settings_;
  std::unique_ptr<service::AccountService> accounts_;
  std::unique_ptr<service::AuthService> auth_;
  http::Metrics metrics_;
  std::unique_ptr<engine::ReadModel> model_;
  std::unique_ptr<automation::RuleService> rules_;
  std::unique_ptr<automation::RuleEngine> rule_engine_;
  std::unique_ptr<scoring::LiveScores> predictions_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  http::ServerOptions server_options_;  // tests may change them before Restart()
  int pdf_exports_at_once_ = 2;         // ApiDeps' limits, read by Restart()
  int pdf_exports_per_user_ = 1;
};

// Every backend the suite runs on.
#define ORCHARD_SECURITY_SUITE(Fixture)                                                \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                          \
                           ::testing::Values(::orchard::testing::Backend::kSqliteFile, \
                                             ::orchard::testing::Backend::kPostgres),  \
                           ::orchard::testing::BackendName)

}  // namespace orchard::security
