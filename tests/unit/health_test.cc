// Health and the per-account metrics on hand-built accounts; every expected figure is worked out
// in the comments from the formulas in engine/health.h.
#include <gtest/gtest.h>

#include "engine/health.h"
#include "engine/health_report.h"
#include "unit/book_builder.h"

namespace orchard::engine {
namespace {

using testing::D;

class HealthTest : public ::testing::Test {
 protected:
  // A tier-2 account ($50k ARR) unless said otherwise.
  void AddAccount(int64_t id, int64_t dollars = 50'000) {
    Account a;
    a.id = AccountId(id);
    a.owner_id = UserId(7);
    model_.Upsert(a);
    book_.AddLine(id, dollars, "2025-01-01");
  }
  size_t Slot(int64_t id) { return *model_.SlotOf(id); }
  Health HealthOf(int64_t id, Date day, Tier tier = Tier::kCore) {
    auto lock = model_.ReadLock();
    return ComputeHealth(model_, Slot(id), day.days(), tier, settings_, true);
  }
  Summary SummaryOf(int64_t id) {
    auto lock = model_.ReadLock();
    return model_.On(today_.days(), settings_).summary[Slot(id)];
  }
  // The full fixture of the header's example: every component but sentiment present.
  void BuildFullAccount(int64_t id) {
    AddAccount(id);
    const Date d = today_;
    // Usage: 40 of 50 seats now; 40 a day over the last 30 days against 50 before.
    book_.AddUsage(id, d.AddDays(-5), 40, 50);
    book_.AddUsage(id, d.AddDays(-20), 40, 50);
    book_.AddUsage(id, d.AddDays(-60), 50, 50);
    book_.AddUsage(id, d.AddDays(-80), 50, 50);
    // Support: a high (4) and a low (1) ticket in 90 days, one escalated and still open; an
    // urgent one 100 days ago does not count.
    book_.AddTicket(id, d.AddDays(-10), TicketSeverity::kHigh, /*escalated=*/true);
    book_.AddTicket(id, d.AddDays(-40), TicketSeverity::kLow, false, d.AddDays(-39));
    book_.AddTicket(id, d.AddDays(-100), TicketSeverity::kUrgent, false, d.AddDays(-95));
    // NPS: 10, 9, 5, 7 within 180 days; a 0 from 200 days ago does not count.
    for (int score : {10, 9, 5, 7}) book_.AddNps(id, d.AddDays(-30), score);
    book_.AddNps(id, d.AddDays(-200), 0);
    // Relationships: A and B in meaningful activities within 90 days; C took part but has left;
    // D only in an email (not meaningful); E only 120 days ago.
    int64_t a = book_.AddContact(id, BuyingRole::kEconomicBuyer);
    int64_t b = book_.AddContact(id, BuyingRole::kUser);
    int64_t c = book_.AddContact(id, BuyingRole::kChampion, ContactStatus::kDeparted);
    int64_t dd = book_.AddContact(id);
    int64_t e = book_.AddContact(id);
    book_.AddActivity(id, d.AddDays(-45), {a, c});  // the last meaningful contact: 45 days ago
    book_.AddActivity(id, d.AddDays(-70), {b});
    book_.AddActivity(id, d.AddDays(-3), {dd}, /*meaningful=*/false);
    book_.AddActivity(id, d.AddDays(-120), {e});
  }

  ReadModel model_;
  testing::BookBuilder book_{model_};
  Settings settings_;
  const Date today_ = D("2026-06-15");
};

TEST_F(HealthTest, EveryComponentAsTheFormulasSay) {
  BuildFullAccount(1);
  Health h = HealthOf(1, today_);
  const auto& c = h.components;
  // usage: level 100 × 40/50 = 80; trend 40/50 = 0.8 → 100 + 200 × (−0.2) = 60;
  // 0.7 × 80 + 0.3 × 60 = 74.
  EXPECT_EQ(c[0].value, 74) << c[0].detail;
  // support: weighted 4 + 1 = 5 per 50 seats = 10 per 100; 100 − 2 × 10 − 20 × 1 = 60.
  EXPECT_EQ(c[1].value, 60) << c[1].detail;
  // nps: 2 promoters, 1 detractor of 4: 50 + 50 × 1/4 = 62.5 → 63.
  EXPECT_EQ(c[2].value, 63) << c[2].detail;
  // engagement: 45 days against a 30-day cadence: 100 × (90 − 45) / 60 = 75.
  EXPECT_EQ(c[3].value, 75) << c[3].detail;
  // relationships: depth 2 of a tier-2 target of 3: 66.7 → 67.
  EXPECT_EQ(c[4].value, 67) << c[4].detail;
  EXPECT_FALSE(c[5].value) << "no sentiment scores yet";
  // Sentiment's 10% drops out: (74×30 + 60×15 + 63×15 + 75×15 + 67×15) / 90 = 6195/90 = 68.8.
  EXPECT_EQ(h.computed, 69);
  EXPECT_EQ(h.score, 69);
  EXPECT_EQ(ColourOf(h.score, settings_), 2) << "yellow";
  EXPECT_NEAR(c[0].share, 30.0 / 90, 1e-9);
  EXPECT_NEAR(c[0].contribution, 74 * 30.0 / 90, 1e-9);
  EXPECT_EQ(c[5].share, 0);
  EXPECT_NE(c[0].detail.find("40 of 50 seats"), std::string::npos) << c[0].detail;
  EXPECT_NE(c[0].detail.find("down 20%"), std::string::npos) << c[0].detail;
  EXPECT_NE(c[3].detail.find("45 days ago"), std::string::npos) << c[3].detail;

  auto lock = model_.ReadLock();
  EXPECT_EQ(MultithreadingDepth(model_, Slot(1), today_.days()), 2);
  EXPECT_EQ(LastMeaningful(model_, Slot(1), today_.days()), today_.AddDays(-45).days());
}

TEST_F(HealthTest, SomeoneWhoLeftCountsOnTheDaysBeforeTheyLeft) {
  AddAccount(1);
  int64_t stays = book_.AddContact(1);
  int64_t leaves = book_.AddContact(1, BuyingRole::kChampion);
  int64_t unknown = book_.AddContact(1, std::nullopt, ContactStatus::kDeparted);
  book_.AddActivity(1, today_.AddDays(-60), {stays, leaves, unknown});
  // The champion left 40 days ago, on a recorded day.
  Contact left;
  left.id = ContactId(leaves);
  left.account_id = AccountId(1);
  left.buying_role = BuyingRole::kChampion;
  left.status = ContactStatus::kDeparted;
  left.departed_on = today_.AddDays(-40);
  model_.Upsert(left);
  auto lock = model_.ReadLock();
  // 50 days ago both took part within 90 days and one was still there: depth 2 (the one whose
  // leaving day no one recorded counts on no day). Today only the one who stayed.
  EXPECT_EQ(MultithreadingDepth(model_, Slot(1), today_.AddDays(-50).days()), 2);
  EXPECT_EQ(MultithreadingDepth(model_, Slot(1), today_.AddDays(-40).days()), 1)
      << "gone on the day they left";
  EXPECT_EQ(MultithreadingDepth(model_, Slot(1), today_.days()), 1);
}

TEST_F(HealthTest, MissingInputsDropOutAndTheRestRenormalise) {
  AddAccount(1);
  // Only tickets: support present (no seats known: counted as 50), usage and NPS missing.
  book_.AddTicket(1, today_.AddDays(-5), TicketSeverity::kMedium);  // 2 per 50 seats = 4 → 92
  int64_t a = book_.AddContact(1);
  book_.AddActivity(1, today_.AddDays(-10), {a});  // engagement 100; depth 1 of 3 → 33
  Health h = HealthOf(1, today_);
  EXPECT_FALSE(h.components[0].value);
  EXPECT_EQ(h.components[1].value, 92);
  EXPECT_FALSE(h.components[2].value);
  EXPECT_EQ(h.components[3].value, 100);
  EXPECT_EQ(h.components[4].value, 33);
  // (92 + 100 + 33) × 15 / 45 = 75.
  EXPECT_EQ(h.computed, 75);
  EXPECT_NEAR(h.components[1].share, 1.0 / 3, 1e-9);

  // Tier 3 has no check-in cadence and no multithreading target: both drop out too.
  Health volume = HealthOf(1, today_, Tier::kVolume);
  EXPECT_FALSE(volume.components[3].value);
  EXPECT_FALSE(volume.components[4].value);
  EXPECT_EQ(volume.computed, 92);

  // Nothing at all: no score, no colour.
  AddAccount(2);
  EXPECT_FALSE(HealthOf(2, today_, Tier::kVolume).score);
  EXPECT_EQ(ColourOf(std::nullopt, settings_), 0);
}

TEST_F(HealthTest, ComponentsAtTheirEdges) {
  AddAccount(1);
  // Usage growing: full seats and more users than before → 100; usage above seats caps at 100.
  book_.AddUsage(1, today_.AddDays(-1), 60, 50);
  book_.AddUsage(1, today_.AddDays(-40), 30, 50);
  // Never a meaningful contact: engagement 0.
  Health h = HealthOf(1, today_);
  EXPECT_EQ(h.components[0].value, 100);
  EXPECT_EQ(h.components[3].value, 0);
  EXPECT_EQ(h.components[3].detail, "no meaningful contact ever");
  // A usage day 30 days old is outside the latest-figure window: usage missing.
  AddAccount(2);
  book_.AddUsage(2, today_.AddDays(-30), 10, 10);
  EXPECT_FALSE(HealthOf(2, today_).components[0].value);
  // Engagement exactly at 3 × cadence is 0, at the cadence 100.
  int64_t c = book_.AddContact(2);
  book_.AddActivity(2, today_.AddDays(-90), {c});
  EXPECT_EQ(HealthOf(2, today_).components[3].value, 0);
  EXPECT_EQ(HealthOf(2, today_.AddDays(-60)).components[3].value, 100);
  // Many escalations cannot push support below 0.
  for (int i = 0; i < 8; ++i) book_.AddTicket(2, today_.AddDays(-i), TicketSeverity::kUrgent, true);
  EXPECT_EQ(HealthOf(2, today_).components[1].value, 0);
}

TEST_F(HealthTest, AnOverrideInForceWinsAndAnExpiredOneDoesNot) {
  BuildFullAccount(1);
  book_.AddOverride(1, today_.AddDays(-40), today_.AddDays(-1), 95, "expired yesterday");
  Health before = HealthOf(1, today_);
  EXPECT_EQ(before.score, 69) << "an expired override is ignored";
  EXPECT_FALSE(before.override_in_force);

  book_.AddOverride(1, today_.AddDays(-10), today_.AddDays(5), 20, "exec escalation in progress");
  Health h = HealthOf(1, today_);
  EXPECT_EQ(h.score, 20);
  EXPECT_EQ(h.computed, 69) << "the computed score stays visible";
  ASSERT_TRUE(h.override_in_force);
  EXPECT_EQ(h.override_in_force->reason, "exec escalation in progress");
  EXPECT_EQ(h.override_in_force->expires_on, today_.AddDays(5));
  EXPECT_EQ(ColourOf(h.score, settings_), 3) << "red";
  // On its last day it still holds; the day after, the computed score is back.
  EXPECT_EQ(HealthOf(1, today_.AddDays(5)).score.has_value(), true);
  EXPECT_EQ(HealthOf(1, today_.AddDays(5)).override_in_force.has_value(), true);
  EXPECT_FALSE(HealthOf(1, today_.AddDays(6)).override_in_force);
  // Before it was set, the older one held: the past is scored as it stood then.
  EXPECT_EQ(HealthOf(1, today_.AddDays(-11)).score, 95);
  auto why = WhyLow(h, 3);
  ASSERT_FALSE(why.empty());
  EXPECT_NE(why[0].find("exec escalation"), std::string::npos) << why[0];
}

TEST_F(HealthTest, ThePastIsComputedFromWhatWasKnownThen) {
  BuildFullAccount(1);
  // 30 days ago: the -5 and -10 day signals had not happened; the activity 45 days ago was 15
  // days old, so engagement was 100.
  Health then = HealthOf(1, today_.AddDays(-30));
  EXPECT_EQ(then.components[3].value, 100);
  EXPECT_NE(then.computed, HealthOf(1, today_).computed);
}

// The typed report the health route and the plan page render: the sentences are made here, once.
TEST_F(HealthTest, TheReportExplainsTheScoreWhatMovedAndTheHistory) {
  BuildFullAccount(1);
  auto report = AccountHealthReport(model_, settings_, today_, 1, 10);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->score, 69);
  EXPECT_EQ(report->colour, 2) << "yellow";
  ASSERT_EQ(report->components.size(), 6u);
  EXPECT_EQ(report->components[0].name, "usage");
  EXPECT_EQ(report->components[0].value, 74);
  EXPECT_EQ(report->components[0].weight, 30);
  // Shares after sentiment's 10% drops out: 30/90 → 33%, 15/90 → 17%.
  ASSERT_EQ(report->explanation.size(), 4u);
  EXPECT_EQ(report->explanation[0],
            "Computed 69 of 100: usage 74 × 33%, support 60 × 17%, nps 63 × 17%, engagement 75 × "
            "17%, relationships 67 × 17%.");
  EXPECT_EQ(report->explanation[1],
            "No data for sentiment: their weight is shared among the components present.");
  ASSERT_EQ(report->moved.size(), 2u);
  EXPECT_EQ(report->moved[0].days, 7);
  EXPECT_EQ(report->moved[1].days, 30);
  EXPECT_EQ(report->moved[1].summary, report->explanation[3]);
  // 30 days ago engagement was 100 (HealthTest.ThePastIsComputedFromWhatWasKnownThen).
  bool engagement_fell = false;
  for (const auto& c : report->moved[1].components) {
    if (c.name == "engagement") engagement_fell = c.then == 100 && c.now == 75 && c.points < 0;
  }
  EXPECT_TRUE(engagement_fell);
  EXPECT_NE(report->moved[1].summary.find("engagement fell from 100 to 75"), std::string::npos)
      << report->moved[1].summary;
  ASSERT_EQ(report->history.size(), 10u);
  EXPECT_EQ(report->history.back().day, today_);
  EXPECT_EQ(report->history.back().score, report->score);
  EXPECT_EQ(report->metrics.multithreading_depth, 2);
  EXPECT_EQ(report->metrics.last_meaningful_contact, today_.AddDays(-45));
  auto missing = AccountHealthReport(model_, settings_, today_, 99);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// Reported from the demo: a churned account (ARR 0) read "100 · Green". A lost customer has no
// score, whatever its leftover signals say, and says why; its past, while it was a customer,
// keeps its scores. An account that never had a line is not churned.
TEST_F(HealthTest, AChurnedAccountHasNoScoreAndSaysWhy) {
  BuildFullAccount(1);
  Account churned;
  churned.id = AccountId(2);
  model_.Upsert(churned);
  book_.AddLine(2, 80'000, "2025-01-01", "2026-05-31");  // last day of service: 2 weeks ago
  for (int score : {10, 10, 9}) book_.AddNps(2, today_.AddDays(-20), score);
  book_.AddUsage(2, today_.AddDays(-3), 50, 50);
  Health h = HealthOf(2, today_);
  EXPECT_FALSE(h.score);
  EXPECT_FALSE(h.computed);
  EXPECT_EQ(h.churned_after, D("2026-05-31"));
  EXPECT_EQ(SummaryOf(2).colour, 0) << "no colour: not green";
  auto report = AccountHealthReport(model_, settings_, today_, 2, 30);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->score);
  EXPECT_EQ(report->churned_after, D("2026-05-31"));
  ASSERT_FALSE(report->explanation.empty());
  EXPECT_EQ(report->explanation[0],
            "No score: churned. Its last contract line ended on 2026-05-31; a lost customer is "
            "not scored, however quiet its signals.");
  EXPECT_TRUE(report->history.front().score) << "a customer 30 days ago: scored then";
  EXPECT_TRUE(HealthOf(2, D("2026-05-31")).score) << "the last day of service still counts";
  // A renewal line starting later makes it a customer again (no gap in the definition).
  book_.AddLine(2, 80'000, "2026-06-10");
  EXPECT_TRUE(HealthOf(2, today_).score);
  EXPECT_FALSE(HealthOf(2, today_).churned_after);
  // The full account, with an open-ended line, is scored as before.
  EXPECT_FALSE(HealthOf(1, today_).churned_after);
}

TEST_F(HealthTest, WhyLowNamesTheCostliestComponentsFirst) {
  BuildFullAccount(1);
  auto why = WhyLow(HealthOf(1, today_), 2);
  ASSERT_EQ(why.size(), 2u);
  // Shortfalls: usage 26 × 1/3 = 8.7; support 40 × 1/6 = 6.7; nps 6.2; engagement 4.2; rel 5.5.
  EXPECT_EQ(why[0].rfind("usage 74/100", 0), 0u) << why[0];
  EXPECT_EQ(why[1].rfind("support 60/100", 0), 0u) << why[1];
}

TEST_F(HealthTest, PlanCompletenessFreshnessAndFlags) {
  AddAccount(1, 150'000);  // tier 1: plan refresh 90 days, target depth 5
  int64_t plan = book_.AddPlan(1, today_.AddDays(-100), today_.AddDays(-120));
  PlanPriority pr;
  pr.id = PriorityId(1);
  pr.plan_id = PlanId(plan);
  model_.Upsert(pr);
  book_.AddContact(1, BuyingRole::kEconomicBuyer);
  book_.AddContact(1);
  book_.AddContact(1, BuyingRole::kChampion, ContactStatus::kDeparted);  // gone: no champion
  WhitespaceCell cell;
  cell.id = WhitespaceCellId(1);
  cell.plan_id = PlanId(plan);
  cell.status = WhitespaceStatus::kOpen;
  cell.potential = Money::FromDollars(200'000);
  model_.Upsert(cell);
  cell.id = WhitespaceCellId(2);
  cell.status = WhitespaceStatus::kOwned;  // owned: not whitespace any more
  cell.potential = Money::FromDollars(50'000);
  model_.Upsert(cell);
  PlanRisk risk;
  risk.id = RiskId(1);
  risk.plan_id = PlanId(plan);
  risk.mitigation_owner_id = UserId(7);
  model_.Upsert(risk);
  risk.id = RiskId(2);
  risk.mitigation_owner_id.reset();
  model_.Upsert(risk);
  PlanAction action;
  action.id = ActionId(1);
  action.plan_id = PlanId(plan);
  action.due_on = today_.AddDays(-1);  // open, due yesterday, no owner
  model_.Upsert(action);

  Summary s = SummaryOf(1);
  // priorities 20; map 20/3 × (2/3 + 1 + 0) = 11.1; whitespace 20; risks 20 × 1/2 = 10;
  // actions: open but without an owner 10. 71.1 → 71.
  EXPECT_EQ(s.completeness, 71);
  EXPECT_EQ(s.plan_changed, today_.AddDays(-100).days()) << "the later of review and change";
  EXPECT_TRUE(s.flags & Summary::kStalePlan) << "100 days > tier 1's 90";
  EXPECT_TRUE(s.flags & Summary::kOverdueActions);
  EXPECT_TRUE(s.flags & Summary::kSingleThreaded) << "no meaningful contact at all";
  EXPECT_TRUE(s.flags & Summary::kNoEconomicBuyer) << "there is one, but not engaged";
  EXPECT_EQ(s.whitespace_cents, 200'000'00);
  // $200k whitespace on $150k ARR = 1.33 ≥ 1.0: high potential; ARR ≥ $100k: high value.
  EXPECT_EQ(s.quadrant, static_cast<uint8_t>(Quadrant::kInvest));
  EXPECT_EQ(s.tier, static_cast<uint8_t>(Tier::kStrategic));

  // Reviewing the plan today makes it fresh; the action done clears the overdue flag.
  book_.AddPlan(2, today_);  // another account's plan does not matter
  AccountPlan reviewed;
  reviewed.id = PlanId(plan);
  reviewed.account_id = AccountId(1);
  reviewed.updated_at = Timestamp::At(today_.AddDays(-100), 12);
  reviewed.last_reviewed_at = Timestamp::At(today_, 9);
  model_.Upsert(reviewed);
  action.status = ActionStatus::kDone;
  model_.Upsert(action);
  s = SummaryOf(1);
  EXPECT_FALSE(s.flags & Summary::kStalePlan);
  EXPECT_FALSE(s.flags & Summary::kOverdueActions);
  EXPECT_EQ(s.completeness, 61) << "the done action no longer counts";
}

TEST_F(HealthTest, PotentialAndQuadrant) {
  AddAccount(1, 20'000);  // low value
  Summary s = SummaryOf(1);
  EXPECT_EQ(s.quadrant, static_cast<uint8_t>(Quadrant::kAutomate)) << "no whitespace: low";
  Account a;
  a.id = AccountId(1);
  a.owner_id = UserId(7);
  a.growth_potential = Potential::kHigh;  // set by hand
  model_.Upsert(a);
  EXPECT_EQ(SummaryOf(1).quadrant, static_cast<uint8_t>(Quadrant::kDevelop));
  AddAccount(2, 100'000);  // exactly the threshold: high value
  EXPECT_EQ(SummaryOf(2).quadrant, static_cast<uint8_t>(Quadrant::kProtect));
  auto lock = model_.ReadLock();
  // 0.3 × ARR is medium, just under is low; whitespace without ARR is high.
  EXPECT_EQ(PotentialOf(model_, Slot(2), 100'000'00, 30'000'00, settings_), Potential::kMedium);
  EXPECT_EQ(PotentialOf(model_, Slot(2), 100'000'00, 29'999'99, settings_), Potential::kLow);
  EXPECT_EQ(PotentialOf(model_, Slot(2), 0, 1, settings_), Potential::kHigh);
}

TEST_F(HealthTest, RenewalEngagementIsTheFirstTouchInsideTheWindow) {
  AddAccount(1);
  const Date renewal = today_.AddDays(60);
  int64_t c = book_.AddContact(1);
  book_.AddActivity(1, renewal.AddDays(-200), {c});  // before the 180-day window: not it
  {
    auto lock = model_.ReadLock();
    EXPECT_FALSE(RenewalEngagement(model_, Slot(1), renewal.days(), today_.days()));
  }
  book_.AddOpportunity(1, OpportunityType::kRenewal, OpportunityStage::kProposal, 50'000,
                       renewal.AddDays(-100));
  book_.AddActivity(1, renewal.AddDays(-150), {c}, /*meaningful=*/false);  // an email: not it
  book_.AddActivity(1, renewal.AddDays(-120), {c});
  auto lock = model_.ReadLock();
  EXPECT_EQ(RenewalEngagement(model_, Slot(1), renewal.days(), today_.days()), 120);
}

}  // namespace
}  // namespace orchard::engine
