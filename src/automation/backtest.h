// A rule replayed over the book's past (issue 19, item 5): before switching an alert on, a leader
// sees how often it would have fired over the last 12 months, for which accounts, how long before
// their renewal, and whether it predicts anything — the share of the accounts it fired on that
// churned or contracted within 90 days afterwards, beside the same share for the accounts it did
// not fire on.
//
// The replay steps through the year a week at a time. At each step the book is rebuilt as it
// stood that day (ARR and renewals from the contract lines, health and the summary from the rows
// dated on or before it: engine/health.h is a pure function of the day), the trigger is checked
// as the runner checks it — a time trigger on the day's state, a colour change or a drop against
// the step before, an NPS detractor, an opportunity won or lost, a ticket escalated or a usage
// jump dated within the step — and the condition over the day's fields; each anchor fires once,
// and the rule's cooldown holds. What is not in the book's history (contacts' departures, a
// review's dates) is said, not guessed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "automation/rule.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "store/database.h"

namespace orchard::automation {

struct BacktestFiring {
  int64_t account_id = 0;
  std::string name;
  Date day;
  std::string anchor;
  int32_t days_to_renewal = -1;  // on the day it fired; -1: no renewal ahead
  bool contracted = false;       // ARR 90 days later below ARR that day (churn included)
  bool evaluable = false;        // 90 days later is not in the future
};

struct BacktestResult {
  Date from, to;
  int step_days = 7;
  int64_t firings = 0;
  int64_t accounts = 0;                // distinct accounts it fired on
  std::vector<BacktestFiring> sample;  // the first 200, in day order
  // Firings by month (12 entries, oldest first) and by days before the renewal.
  std::vector<std::pair<std::string, int64_t>> by_month;
  std::vector<std::pair<std::string, int64_t>> by_days_to_renewal;
  // Outcomes: of the firings whose 90 days have passed, how many saw ARR fall; and the same over
  // every (account, step) it did not fire on.
  int64_t fired_evaluable = 0, fired_contracted = 0;
  int64_t other_evaluable = 0, other_contracted = 0;
  double fired_share() const {
    return fired_evaluable > 0 ? static_cast<double>(fired_contracted) / fired_evaluable : 0;
  }
  double other_share() const {
    return other_evaluable > 0 ? static_cast<double>(other_contracted) / other_evaluable : 0;
  }
  std::string note;  // what the replay could not see, if anything
  double ms = 0;
};

// Replays `definition` over the year to `today`. Reads the handoffs from `db` (onboarding rules);
// holds the model's read lock while it steps.
Result<BacktestResult> Backtest(const RuleDefinition& definition, const engine::ReadModel& model,
                                const Settings& settings, store::Database& db, Date today);

// The result in words, for the CLI: the firings by month and before the renewal, and the
// outcome shares.
std::string BacktestText(const BacktestResult& b);

}  // namespace orchard::automation
