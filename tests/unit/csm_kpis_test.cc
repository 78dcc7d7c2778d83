// The CSM's scoreboard on a hand-built book: each figure exactly as engine/csm_kpis.h and
// docs/CSM_KPIS.md define it.
#include "engine/csm_kpis.h"

#include <gtest/gtest.h>

#include "domain/handoff.h"

namespace orchard::engine {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

class CsmKpisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 3; ++i) {
      Account a;
      a.id = AccountId(i);
      a.name = std::string("Account ") + char('A' + i - 1);
      book_.accounts.push_back(a);
    }
    // A: 40 of 100 seats today (2026-06-30), 20 of 100 on 2026-05-31 (30 days before).
    Usage(1, "2026-05-01", 10, 100);
    Usage(1, "2026-05-31", 20, 100);
    Usage(1, "2026-06-29", 40, 100);
    Usage(1, "2026-07-05", 99, 100);  // after the day: not read
    // B: 30 of 50, the same 30 days ago (its older row is the one on or before then).
    Usage(2, "2026-05-20", 30, 50);
    // C: no seats: drops out.
    Usage(3, "2026-06-30", 5, 0);
  }
  void Usage(int64_t account, const char* day, int64_t active, int64_t seats) {
    UsageMetric u;
    u.account_id = AccountId(account);
    u.day = D(day);
    u.active_users = active;
    u.licensed_seats = seats;
    book_.usage.push_back(u);
  }
  void Rated(int64_t account, const char* closed, std::optional<int64_t> score) {
    Ticket t;
    t.account_id = AccountId(account);
    t.opened_at = Timestamp::At(D(closed).AddDays(-3), 9);
    t.closed_at = Timestamp::At(D(closed), 17);
    t.status = TicketStatus::kClosed;
    t.satisfaction = score;
    book_.tickets.push_back(t);
  }
  // An accepted handoff; its milestones due from the acceptance, those listed in `done` done on
  // the day given.
  void Accepted(int64_t id, int64_t account, const char* accepted,
                std::vector<std::pair<int, const char*>> done) {
    Handoff h;
    h.id = HandoffId(id);
    h.account_id = AccountId(account);
    h.status = HandoffStatus::kAccepted;
    h.accepted_at = Timestamp::At(D(accepted), 10);
    book_.handoffs.push_back(h);
    for (const OnboardingStep& step : kOnboardingSteps) {
      Task t;
      t.account_id = h.account_id;
      t.due_on = D(accepted).AddDays(step.day);
      t.source_key = MilestoneKey(id, step.day);
      for (auto [day, on] : done) {
        if (day == step.day) {
          t.status = TaskStatus::kDone;
          t.completed_at = Timestamp::At(D(on), 15);
        }
      }
      book_.milestones.push_back(t);
    }
  }
  CsmBook book_;
  const Date today_ = D("2026-06-30");
};

TEST_F(CsmKpisTest, AdoptionIsActiveOverSeatsOfTheLatestUsageAndItsTrendIsAgainst30DaysAgo) {
  auto s = ComputeCsmScoreboard(book_, today_);
  EXPECT_EQ(s.accounts, 3);
  EXPECT_EQ(s.accounts_with_usage, 2) << "C has no seats";
  ASSERT_TRUE(s.adoption_rate);
  EXPECT_DOUBLE_EQ(*s.adoption_rate, 70.0 / 150.0);         // (40 + 30) ÷ (100 + 50)
  EXPECT_DOUBLE_EQ(*s.adoption_rate_before, 50.0 / 150.0);  // (20 + 30) ÷ (100 + 50)
  EXPECT_DOUBLE_EQ(*s.adoption_trend, 20.0 / 150.0);
  EXPECT_DOUBLE_EQ(*s.rows[0].adoption, 0.4);
  EXPECT_DOUBLE_EQ(*s.rows[0].adoption_before, 0.2);
  EXPECT_FALSE(s.rows[2].adoption) << "no seats, no rate";
}

TEST_F(CsmKpisTest, TimeToFirstValueRunsFromAcceptanceToTheValueMilestoneDone) {
  Accepted(1, 1, "2026-03-01", {{7, "2026-03-08"}, {kValueDeliveredDay, "2026-03-21"}});  // 20 d
  Accepted(2, 2, "2026-04-01", {{kValueDeliveredDay, "2026-05-13"}});                     // 42 d
  Accepted(3, 3, "2026-05-01", {{kValueDeliveredDay, "2026-05-11"}});                     // 10 d
  Accepted(4, 3, "2026-06-20", {});                                                       // waiting
  auto s = ComputeCsmScoreboard(book_, today_);
  EXPECT_EQ(s.ttfv_delivered, 3);
  EXPECT_EQ(s.ttfv_waiting, 1);
  EXPECT_DOUBLE_EQ(*s.ttfv_median_days, 20);
  EXPECT_DOUBLE_EQ(*s.ttfv_mean_days, 24);
  EXPECT_EQ(*s.rows[0].ttfv_days, 20);
  // A milestone done without a stamp (done before the stamp existed) counts as waiting.
  book_.milestones[2].completed_at.reset();  // handoff 1's day-30 milestone
  EXPECT_EQ(ComputeCsmScoreboard(book_, today_).ttfv_waiting, 2);
}

TEST_F(CsmKpisTest, CsatIsTheShareOfFourAndFiveOverRatedTicketsClosedInTheLast90Days) {
  Rated(1, "2026-06-29", 5);
  Rated(1, "2026-06-01", 4);
  Rated(2, "2026-04-02", 2);  // day 90 back from 2026-06-30 (inclusive): counted
  Rated(2, "2026-04-01", 1);  // 91 days: not
  Rated(2, "2026-06-10", 3);
  Rated(3, "2026-06-10", std::nullopt);  // not rated
  auto s = ComputeCsmScoreboard(book_, today_);
  EXPECT_EQ(s.csat_ratings, 4);
  EXPECT_DOUBLE_EQ(*s.csat, 0.5);       // 5 and 4 of 5, 4, 2, 3
  EXPECT_DOUBLE_EQ(*s.csat_mean, 3.5);  // 14 ÷ 4
  EXPECT_DOUBLE_EQ(*s.rows[0].csat, 1.0);
  EXPECT_EQ(s.rows[1].csat_ratings, 2);
  EXPECT_FALSE(s.rows[2].csat);
}

TEST_F(CsmKpisTest, OnboardingIsTheWorstMilestoneOfEachAcceptedHandoff) {
  // Due on +7, +14, +30, +60, +90 from acceptance; today 2026-06-30.
  Accepted(1, 1, "2026-06-25", {});                    // nothing due yet: on track
  Accepted(2, 2, "2026-06-13", {});                    // +14 (06-27) 3 days late: behind
  Accepted(3, 3, "2026-06-01", {{14, "2026-06-14"}});  // +7 (06-08) 22 days late: stuck
  Accepted(4, 3, "2026-01-01",
           {{7, "2026-01-08"},
            {14, "2026-01-15"},
            {30, "2026-01-31"},
            {60, "2026-03-01"},
            {90, "2026-04-01"}});  // done
  auto s = ComputeCsmScoreboard(book_, today_);
  EXPECT_EQ(s.onboarding.on_track, 1);
  EXPECT_EQ(s.onboarding.behind, 1);
  EXPECT_EQ(s.onboarding.stuck, 1);
  EXPECT_EQ(s.onboarding.done, 1);
  EXPECT_EQ(*s.rows[0].onboarding, "on_track");
  EXPECT_EQ(*s.rows[1].onboarding, "behind");
  EXPECT_EQ(*s.rows[2].onboarding, "stuck") << "C's latest accepted handoff is handoff 3";
}

TEST(CsmKpisEmptyTest, AnEmptyBookHasNoFiguresRatherThanZeros) {
  auto s = ComputeCsmScoreboard(CsmBook{}, *Date::Parse("2026-06-30"));
  EXPECT_EQ(s.accounts, 0);
  EXPECT_FALSE(s.adoption_rate);
  EXPECT_FALSE(s.ttfv_median_days);
  EXPECT_FALSE(s.csat);
}

}  // namespace
}  // namespace orchard::engine
