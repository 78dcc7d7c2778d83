// The response SLA (issue 19): a ticket's first response against its tier's SLA (4 h tier 1,
// 24 h tier 2, tier 3 the help desk's), the triggers `sla_at_risk` and `sla_breached` firing once
// per ticket through the real rule engine on a clock the test moves, the KPI strip's attainment
// by tier and AM, and a first response before the opening refused over HTTP — on SQLite and
// PostgreSQL, through the real server (security/harness.h's world: Ann's Contoso and Bob's
// Fabrikam, $120k each, on 2026-06-15 at noon).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "automation/defaults.h"
#include "automation/rule.h"
#include "engine/sla.h"
#include "security/harness.h"

namespace orchard {
namespace {

using engine::OutcomeOf;
using engine::SlaOutcome;
using engine::TicketRec;
using ::testing::HasSubstr;
namespace json = boost::json;

constexpr int64_t kHour = 3600;

// ---------------------------------------------------------------------------------------------
// The arithmetic.

TicketRec Opened(int64_t at, int32_t response = TicketRec::kUnanswered) {
  TicketRec t;
  t.opened_at = at;
  t.opened = static_cast<int32_t>(at / 86400);
  t.response = response;
  return t;
}

TEST(SlaArithmetic, MetMissedAndPendingAgainstTheTiersHours) {
  const int64_t sla = 4 * kHour, t0 = 1'000'000'000;
  // Answered: within the SLA, exactly at it (met), a second later (missed).
  EXPECT_EQ(OutcomeOf(Opened(t0, 2 * kHour), sla, t0 + 10 * kHour), SlaOutcome::kMet);
  EXPECT_EQ(OutcomeOf(Opened(t0, 4 * kHour), sla, t0 + 10 * kHour), SlaOutcome::kMet);
  EXPECT_EQ(OutcomeOf(Opened(t0, 4 * kHour + 1), sla, t0 + 10 * kHour), SlaOutcome::kMissed);
  // Unanswered: pending up to the SLA itself, missed past it.
  EXPECT_EQ(OutcomeOf(Opened(t0), sla, t0 + sla), SlaOutcome::kPending);
  EXPECT_EQ(OutcomeOf(Opened(t0), sla, t0 + sla + 1), SlaOutcome::kMissed);
  // Tier 3 (0 hours: the help desk) is never measured, however late.
  EXPECT_EQ(OutcomeOf(Opened(t0), 0, t0 + 1000 * kHour), SlaOutcome::kNotMeasured);
  EXPECT_EQ(OutcomeOf(Opened(t0, 100 * kHour), 0, t0), SlaOutcome::kNotMeasured);
  // Closed with no time to measure by.
  EXPECT_EQ(OutcomeOf(Opened(t0, TicketRec::kNotMeasured), sla, t0 + sla + 1),
            SlaOutcome::kNotMeasured);
  // At risk is 75 % of the SLA used: 3 h of tier 1's 4 h, 18 h of tier 2's 24 h.
  EXPECT_DOUBLE_EQ(engine::PercentUsed(Opened(t0), sla, t0 + 3 * kHour), 75.0);
  EXPECT_DOUBLE_EQ(engine::PercentUsed(Opened(t0), 24 * kHour, t0 + 18 * kHour), 75.0);
  EXPECT_DOUBLE_EQ(engine::PercentUsed(Opened(t0, kHour), sla, t0 + 3 * kHour), 0.0);
}

TEST(SlaArithmetic, TallyCountsTheYearToTheDayJudgedAtItsStart) {
  const int32_t day = 20'000;
  const int64_t start = int64_t{day} * 86400;
  std::vector<TicketRec> tickets = {
      Opened(start - 10 * kHour, 1 * kHour),   // met
      Opened(start - 20 * kHour, 5 * kHour),   // missed: answered late
      Opened(start - 5 * kHour),               // missed: unanswered past 4 h at the day's start
      Opened(start - 2 * kHour),               // pending: 2 h in at the day's start
      Opened(start + 9 * kHour),               // opened today, unanswered: pending
      Opened(start - 400 * 86400, 1 * kHour),  // over a year ago: outside
  };
  const engine::SlaTally t = engine::TallyOf(tickets, 4 * kHour, day - 365, day);
  EXPECT_EQ(t.met, 1);
  EXPECT_EQ(t.missed, 2);
  EXPECT_NEAR(engine::Attainment(t), 33.33, 0.01);
  EXPECT_EQ(engine::TallyOf(tickets, 0, day - 365, day).measured(), 0);  // tier 3
}

TEST(SlaDefaults, ResponseSlaAtRiskShipsAsATaskForTheAmDueToday) {
  const automation::DefaultRule* found = nullptr;
  for (const auto& d : automation::DefaultRules()) {
    if (d.key == "response-sla-at-risk") found = &d;
  }
  ASSERT_NE(found, nullptr) << "the shipped defaults lack the response SLA rule";
  EXPECT_EQ(found->name, "Response SLA at risk");
  auto def = automation::ParseDefinition(found->definition);
  ASSERT_TRUE(def) << def.error().message;
  EXPECT_EQ(def->trigger.kind, automation::TriggerKind::kSlaAtRisk);
  EXPECT_EQ(def->trigger.percent, 75);
  ASSERT_FALSE(def->actions.empty());
  EXPECT_EQ(def->actions[0].kind, automation::ActionKind::kTask);
  EXPECT_EQ(def->actions[0].due_in_days, 0);
  EXPECT_EQ(def->actions[0].owner.kind, automation::AssigneeKind::kAm);
  EXPECT_GE(def->actions[0].checklist.size(), 2u);
}

TEST(SlaDefaults, PercentIsATriggerParameterWithinRange) {
  auto ok = automation::ParseDefinition(
      R"({"trigger":{"kind":"sla_at_risk","percent":50},"condition":"","actions":[{"kind":"notify","to":["am"],"title":"x"}]})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->trigger.percent, 50);
  auto bad = automation::ParseDefinition(
      R"({"trigger":{"kind":"sla_at_risk","percent":100},"condition":"","actions":[{"kind":"notify","to":["am"],"title":"x"}]})");
  ASSERT_FALSE(bad);
  ASSERT_FALSE(bad.error().fields.empty()) << bad.error().ToString();
  EXPECT_EQ(bad.error().fields[0].field, "trigger.percent");
}

// ---------------------------------------------------------------------------------------------
// Through the real server and engine.

class SlaTest : public security::SecurityTest {
 protected:
  // A ticket on `account` through POST /api/v1/accounts/{id}/tickets; its id.
  int64_t NewTicket(AccountId account, const std::string& fields) {
    auto c = As("admin");
    auto res = c.Post("/api/v1/accounts/" + std::to_string(account.value) + "/tickets",
                      "{" + fields + "}", "application/json");
    EXPECT_TRUE(res);
    if (!res) return 0;
    EXPECT_EQ(res->status, 201) << res->body;
    auto v = Json(res);
    return v.is_object() && v.as_object().contains("id") ? v.at("id").as_int64() : 0;
  }
  std::string Text(const std::string& sql) {
    auto db = store::OpenDatabase(url_);
    EXPECT_TRUE(db);
    std::string out;
    EXPECT_TRUE((*db)->Query(sql, {}, [&](const store::Row& row) -> Status {
      out = std::string(row.GetText(0));
      return Ok();
    }));
    return out;
  }
  void Pass() {
    auto r = rule_engine_->RunPass(true);
    ASSERT_TRUE(r) << r.error().message;
  }
  void At(const std::string& when) { clock_.Set(*Timestamp::Parse(when)); }
  int64_t Firings(int64_t rule) {
    return Count("SELECT COUNT(*) FROM rule_firings WHERE rule_id = " + std::to_string(rule));
  }
  // Bob's Fabrikam to another tier, by its ARR ($50k: tier 2; $10k: tier 3).
  void BobsArr(int64_t dollars) {
    Exec("UPDATE contract_lines SET arr_cents = " + std::to_string(dollars * 100) +
         " WHERE account_id = " + std::to_string(bob_account_.value));
    Restart();
  }
  // The KPI strip's answer: {"kpis": {…, "response_sla_met", …}, "response_sla_by_tier": […],
  // "response_sla_by_am": […]}.
  json::object Kpis(const std::string& query = "") {
    auto c = As("admin");
    auto res = c.Get("/api/v1/dashboards/kpis" + query);
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    return Json(res).as_object();
  }
};

TEST_P(SlaTest, AFirstResponseBeforeTheOpeningIsRefusedNamingTheField) {
  const int64_t before = Count("SELECT COUNT(*) FROM tickets");
  auto c = As("admin");
  auto res =
      c.Post("/api/v1/accounts/" + std::to_string(ann_account_.value) + "/tickets",
             R"({"opened_at":"2026-06-15 10:00:00","first_response_at":"2026-06-15 09:00:00"})",
             "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;  // a value the domain's rules refuse
  EXPECT_EQ(ErrorField(res), "first_response_at");
  EXPECT_THAT(res->body, HasSubstr("must not be before opened_at"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tickets"), before) << "nothing stored";

  // A channel outside the picklist is refused too; a request is a ticket like any other.
  res = c.Post("/api/v1/accounts/" + std::to_string(ann_account_.value) + "/tickets",
               R"({"opened_at":"2026-06-15 10:00:00","channel":"fax"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_EQ(ErrorField(res), "channel");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tickets"), before);

  // An edit that would answer a ticket before it was opened is refused and changes nothing.
  const int64_t id = NewTicket(
      ann_account_, R"("opened_at":"2026-06-15 10:00:00","channel":"request","subject":"Quote")");
  ASSERT_GT(id, 0);
  EXPECT_EQ(Text("SELECT channel FROM tickets WHERE id = " + std::to_string(id)), "request");
  res = c.Patch("/api/v1/tickets/" + std::to_string(id),
                R"({"first_response_at":"2026-06-14 10:00:00"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  EXPECT_EQ(ErrorField(res), "first_response_at");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tickets WHERE first_response_at IS NOT NULL"), 0);
  res = c.Patch("/api/v1/tickets/" + std::to_string(id),
                R"({"first_response_at":"2026-06-15 11:00:00"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tickets WHERE first_response_at IS NOT NULL"), 1);
}

TEST_P(SlaTest, AtRiskAndBreachedFireOncePerTicketAsTheClockRuns) {
  ASSERT_TRUE(rules_->InstallDefaults(true));
  auto c = As("admin");
  auto made = c.Post(
      "/api/v1/rules",
      R"({"name":"SLA breached","status":"active","definition":{"trigger":{"kind":"sla_breached"},"condition":"","actions":[{"kind":"notify","to":["am"],"title":"SLA breached at {{account.name}}"}]}})",
      "application/json");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const int64_t breached = Json(made).at("id").as_int64();
  const int64_t at_risk = Count("SELECT id FROM rules WHERE builtin_key = 'response-sla-at-risk'");
  ASSERT_GT(at_risk, 0);

  // Contoso is tier 1: a 4 h SLA. A ticket opened at 10:00 is 50 % in at noon.
  const int64_t a = NewTicket(ann_account_, R"("opened_at":"2026-06-15 10:00:00","subject":"A")");
  // Answered within the hour: never at risk.
  NewTicket(ann_account_,
            R"("opened_at":"2026-06-15 09:00:00","first_response_at":"2026-06-15 09:30:00")");
  Pass();
  EXPECT_EQ(Firings(at_risk), 0);
  auto trace = c.Get("/api/v1/rules/" + std::to_string(at_risk) +
                     "/trace?account=" + std::to_string(ann_account_.value));
  ASSERT_TRUE(trace);
  EXPECT_THAT(trace->body, HasSubstr("ticket " + std::to_string(a) +
                                     " opened 2.0 h ago, 50 % of tier 1's 4 h SLA, unanswered"));

  // 13:00: 3 h of 4, exactly 75 %: at risk, once, with a task for Ann due today.
  At("2026-06-15 13:00:00");
  Pass();
  Pass();
  EXPECT_EQ(Firings(at_risk), 1);
  EXPECT_EQ(Text("SELECT anchor FROM rule_firings WHERE rule_id = " + std::to_string(at_risk)),
            "ticket:" + std::to_string(a));
  EXPECT_THAT(Text("SELECT facts FROM rule_firings WHERE rule_id = " + std::to_string(at_risk)),
              HasSubstr("75 % of tier 1's 4 h SLA, unanswered"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE title = 'Answer Contoso before the response "
                  "SLA runs out (ticket " +
                  std::to_string(a) + ")' AND due_on = '2026-06-15' AND owner_id = " +
                  std::to_string(P("ann").id.value)),
            1);
  EXPECT_THAT(
      Text("SELECT description FROM tasks WHERE owner_id = " + std::to_string(P("ann").id.value)),
      HasSubstr("Contoso (tier 1) is waiting for a first response: ticket " + std::to_string(a) +
                " opened 3.0 h ago, 75 % of tier 1's 4 h SLA"));
  EXPECT_EQ(Firings(breached), 0);

  // A second ticket at 12:30; at 14:00 the first is exactly at its SLA: not yet breached.
  const int64_t b = NewTicket(ann_account_, R"("opened_at":"2026-06-15 12:30:00","subject":"B")");
  At("2026-06-15 14:00:00");
  Pass();
  EXPECT_EQ(Firings(breached), 0);
  EXPECT_EQ(Firings(at_risk), 1);

  // A second past it: breached, once; the second ticket is 1.5 h in.
  At("2026-06-15 14:00:01");
  Pass();
  Pass();
  EXPECT_EQ(Firings(breached), 1);
  EXPECT_EQ(Text("SELECT anchor FROM rule_firings WHERE rule_id = " + std::to_string(breached)),
            "ticket:" + std::to_string(a));
  EXPECT_EQ(Firings(at_risk), 1);

  // 15:45: the second is at 81 %: its own firing; the first does not fire again.
  At("2026-06-15 15:45:00");
  Pass();
  EXPECT_EQ(Firings(at_risk), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_firings WHERE anchor = 'ticket:" + std::to_string(b) +
                  "' AND rule_id = " + std::to_string(at_risk)),
            1);

  // A restart reads the firings back: nothing fires twice.
  Restart();
  Pass();
  EXPECT_EQ(Firings(at_risk), 2);
  EXPECT_EQ(Firings(breached), 1);

  // Tier 3 is the help desk's: a ticket unanswered for hours fires nothing.
  BobsArr(10'000);
  NewTicket(bob_account_, R"("opened_at":"2026-06-15 08:00:00","subject":"Help desk")");
  Pass();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_firings WHERE account_id = " +
                  std::to_string(bob_account_.value) + " AND rule_id IN (" +
                  std::to_string(at_risk) + ", " + std::to_string(breached) + ")"),
            0);
}

TEST_P(SlaTest, TheKpiStripShowsAttainmentByTierAndAm) {
  BobsArr(50'000);  // Fabrikam: tier 2, a 24 h SLA
  // Contoso (tier 1, Ann): met, late, unanswered past its SLA, and today's still pending.
  NewTicket(ann_account_,
            R"("opened_at":"2026-06-01 09:00:00","first_response_at":"2026-06-01 11:00:00")");
  NewTicket(ann_account_,
            R"("opened_at":"2026-06-02 09:00:00","first_response_at":"2026-06-02 14:00:00")");
  NewTicket(ann_account_, R"("opened_at":"2026-06-10 09:00:00")");
  NewTicket(ann_account_, R"("opened_at":"2026-06-15 09:00:00")");
  NewTicket(ann_account_,  // over a year ago: outside the trailing 12 months
            R"("opened_at":"2025-05-01 09:00:00","first_response_at":"2025-05-01 10:00:00")");
  // Fabrikam (tier 2, Bob): within 24 h, exactly at 24 h, and closed unanswered after 30 h.
  NewTicket(
      bob_account_,
      R"("opened_at":"2026-06-03 09:00:00","first_response_at":"2026-06-04 05:00:00","channel":"request")");
  NewTicket(bob_account_,
            R"("opened_at":"2026-06-05 09:00:00","first_response_at":"2026-06-06 09:00:00")");
  NewTicket(
      bob_account_,
      R"("opened_at":"2026-06-07 09:00:00","status":"closed","closed_at":"2026-06-08 15:00:00")");

  auto check = [&](const json::object& k) {
    EXPECT_EQ(k.at("kpis").at("response_sla_met").as_int64(), 3);
    EXPECT_EQ(k.at("kpis").at("response_sla_missed").as_int64(), 3);
    EXPECT_DOUBLE_EQ(k.at("kpis").at("response_sla_attainment").as_double(), 50.0);
    const auto& tiers = k.at("response_sla_by_tier").as_array();
    ASSERT_EQ(tiers.size(), 2u);
    EXPECT_EQ(tiers[0].at("tier").as_int64(), 1);
    EXPECT_EQ(tiers[0].at("met").as_int64(), 1);
    EXPECT_EQ(tiers[0].at("missed").as_int64(), 2);
    EXPECT_DOUBLE_EQ(tiers[0].at("attainment").as_double(), 33.3);
    EXPECT_EQ(tiers[1].at("met").as_int64(), 2);
    EXPECT_EQ(tiers[1].at("missed").as_int64(), 1);
    EXPECT_DOUBLE_EQ(tiers[1].at("attainment").as_double(), 66.7);
    const auto& ams = k.at("response_sla_by_am").as_array();
    ASSERT_EQ(ams.size(), 2u);
    EXPECT_EQ(ams[0].at("owner_id").as_int64(), P("ann").id.value);
    EXPECT_EQ(ams[0].at("met").as_int64(), 1);
    EXPECT_EQ(ams[1].at("owner_id").as_int64(), P("bob").id.value);
    EXPECT_EQ(ams[1].at("met").as_int64(), 2);
    EXPECT_EQ(ams[1].at("missed").as_int64(), 1);
  };
  // The whole book, as every write keeps it; then rebuilt from the database.
  check(Kpis());
  Restart();
  check(Kpis());

  // Bob's book only (the filtered path): his figures, no tier-1 tickets.
  auto bob = Kpis("?am=" + std::to_string(P("bob").id.value));
  EXPECT_EQ(bob.at("kpis").at("response_sla_met").as_int64(), 2);
  EXPECT_EQ(bob.at("kpis").at("response_sla_missed").as_int64(), 1);
  EXPECT_EQ(bob.at("response_sla_by_tier").as_array()[0].at("met").as_int64(), 0);
  EXPECT_TRUE(bob.at("response_sla_by_tier").as_array()[0].at("attainment").is_null());
  EXPECT_EQ(bob.at("response_sla_by_am").as_array().size(), 1u);

  // Fabrikam turned tier 3 (the help desk's): its tickets are no longer measured.
  BobsArr(10'000);
  auto after = Kpis();
  EXPECT_EQ(after.at("kpis").at("response_sla_met").as_int64(), 1);
  EXPECT_EQ(after.at("kpis").at("response_sla_missed").as_int64(), 2);
  EXPECT_EQ(after.at("response_sla_by_am").as_array().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SlaTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard
