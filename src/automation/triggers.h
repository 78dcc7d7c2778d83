// What the rule engine reads to decide whether a trigger holds (issue 19), shared by the pass
// (rule_engine.cc) and by the dry run and the trace (rule_trace.cc): each time trigger's state of
// one account on a day, with its anchor and, when asked, in words; a usage metric's robust
// z-score against the account's own 28 days; the handoffs an onboarding rule counts from; the
// users and the merge fields a firing's texts use.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "automation/rule.h"
#include "core/date.h"
#include "core/result.h"
#include "engine/read_model.h"
#include "engine/sla.h"
#include "store/database.h"

namespace orchard::automation {

std::string Day(int32_t day);  // "YYYY-MM-DD"

bool IsTimeTrigger(TriggerKind k);        // checked over every account by a full pass
bool IsObservedTrigger(TriggerKind k);    // health against what the engine last observed
bool IsUsageTrigger(TriggerKind k);       // a usage row written
bool IsEngagementTrigger(TriggerKind k);  // an engagement signal written
bool IsSlaTrigger(TriggerKind k);         // sla_at_risk, sla_breached: time triggers, per ticket
// What an event trigger waits for, in words ("an opportunity to close won").
std::string_view WaitsFor(TriggerKind k);

// The handoffs accepted recently enough for an onboarding-day rule: account → (handoff, day).
using Onboardings = std::unordered_map<int64_t, std::vector<std::pair<int64_t, int32_t>>>;
Result<Onboardings> ReadOnboardings(store::Database& db, Date since);

// A scheduled review (service/reviews.h schedules them on the tier's cadence), for review_due.
struct ScheduledReview {
  int64_t id = 0;
  int32_t due = 0;
  ReviewKind kind = ReviewKind::kInternal;
};
using ScheduledReviews = std::unordered_map<int64_t, std::vector<ScheduledReview>>;

// What time triggers read from the database besides the book, as far back as the triggers
// given need: the handoffs accepted recently (onboarding_day) and the scheduled reviews due
// soon or lately overdue (review_due). Empty for triggers that need neither.
struct TimeContext {
  Onboardings onboard;
  ScheduledReviews reviews;
};
Result<TimeContext> ReadTimeContext(store::Database& db,
                                    const std::vector<const Trigger*>& triggers, Date today);

struct Users {
  std::unordered_map<int64_t, std::string> email;
  std::unordered_map<int64_t, std::string> name;
};
Result<Users> ReadUsers(store::Database& db);

// What a time trigger says of one account on the columns' day. `words`: also say it in words
// (the trace and the dry run; the pass only needs the anchor).
struct TriggerState {
  bool holds = false;
  std::string anchor;
  std::string text;
};
// `sla`: the clock's second and each tier's SLA, for the SLA triggers (engine/sla.h); one holds
// on the ticket that has used the most of its SLA.
TriggerState TimeState(const Trigger& t, const engine::ReadModel& model,
                       const engine::DayColumns& day, size_t slot, const TimeContext& context,
                       const engine::SlaNow& sla, bool words);

// Every ticket of one account an SLA trigger holds for, the most of its SLA used first, each
// anchored on the ticket ("ticket:123"), so a rule fires once per ticket. sla_at_risk: unanswered
// and at `percent` of the SLA or more, not past it; sla_breached: unanswered past the SLA, for at
// most `catch_up_days` (a rule switched on acts on fresh breaches, not on every old one).
std::vector<TriggerState> SlaStates(const Trigger& t, const engine::ReadModel& model,
                                    const engine::DayColumns& day, size_t slot,
                                    const engine::SlaNow& sla, bool words);
// The first of them, or in words why none holds (TimeState's answer for an SLA trigger).
TriggerState SlaState(const Trigger& t, const engine::ReadModel& model,
                      const engine::DayColumns& day, size_t slot, const engine::SlaNow& sla,
                      bool words);

// The account's latest usage day against the 28 days before it: a robust z-score (median and
// MAD), so a large and a small account are each judged by their own normal.
struct UsageJump {
  int32_t day = 0;
  double value = 0, median = 0, z = 0;
};
std::optional<UsageJump> UsageZ(std::span<const engine::UsageRec> usage, int32_t today,
                                const std::string& metric);

// An engagement signal of an account (a pricing-page visit, a case-study download, …) by day.
struct SignalDay {
  EngagementKind kind = EngagementKind::kPricingPageVisit;
  int32_t day = 0;
};
// The signals of `kinds` on the latest day with one (within 3 days of today) against the daily
// counts of the 28 days before it, zeros included: the same robust z-score as usage.
std::optional<UsageJump> EngagementZ(std::span<const SignalDay> signals, int32_t today,
                                     const std::vector<EngagementKind>& kinds);
// Fills each account's signals of the 32 days to `today` (the accounts are the map's keys).
Status ReadSignals(store::Database& db, Date today,
                   std::unordered_map<int64_t, std::vector<SignalDay>>& accounts);
// A usage or engagement trigger's hit on a jump past its ±z: the anchor ("usage:METRIC:DAY",
// "engagement:DAY") and the jump in words; none when the jump is smaller or there is none.
std::optional<std::pair<std::string, std::string>> JumpHit(const Trigger& t,
                                                           const std::optional<UsageJump>& jump);
// "pricing-page visits and case-study downloads"
std::string SignalNames(const std::vector<EngagementKind>& kinds);

// A row event read from the change log (an opportunity won, a contact departed, …), and what
// one read of the log found.
struct RowEvent {
  TriggerKind kind = TriggerKind::kOpportunityWon;
  int64_t account = 0;
  std::string anchor;
  std::string text;
  int score_milli = 0;      // negative_sentiment: the text's score, in thousandths
  std::string source = {};  // … and its source (kTextSources)
};
struct Events {
  std::vector<RowEvent> rows;
  std::set<int64_t> touched;  // accounts any write touched (their health is looked at again)
  std::set<int64_t> usage;    // accounts a usage row was written for
  // Accounts an engagement signal was written for, with their signals of the last 32 days.
  std::unordered_map<int64_t, std::vector<SignalDay>> engagement;
};

// A text_sentiments row the change log names (row `id`): a negative_sentiment event when its
// score is below zero and its day within the last 30 days, with the text's start in the trace.
Status ReadSentimentEvent(store::Database& db, int64_t id, int32_t recent,
                          std::vector<RowEvent>& out);
// Whether a negative_sentiment rule's threshold and sources take the event.
bool SentimentFires(const Trigger& t, const RowEvent& e);

std::string Number(double v);  // one decimal
// The merge fields of a firing's texts ({{account.name}}, …) for one account on the day.
std::map<std::string, std::string> MergeOf(const engine::ReadModel& model,
                                           const engine::DayColumns& day, size_t slot,
                                           const Users& users, const std::string& rule_name);

}  // namespace orchard::automation
