// The CSM's scoreboard (PRODUCT.md: the CSM owns adoption — onboarding, usage, health): four
// figures over the accounts a CSM covers (csm_id = them), computed here from their rows, a pure
// function of the book it is given and the day, so a test pins every definition on a hand-built
// book. The service (service/csm_scoreboard.h) reads the rows; the route renders the answer.
//
// Definitions (docs/CSM_KPIS.md says the same for readers):
// - Adoption rate on day d = Σ active users ÷ Σ licensed seats over the CSM's accounts, each
//   account's latest usage metric dated on or before d (accounts with no such metric, or with no
//   seats in it, drop out). Its 30-day trend = the rate on d − the rate on d − 30, in points of
//   the ratio (0.05 = five percentage points).
// - Time to first value of a handoff = whole days from its acceptance (accepted_at) to the day
//   its "first value" onboarding milestone (kValueDeliveredDay, domain/handoff.h) was marked done
//   (the task's completed_at). The scoreboard shows the median and the mean over the CSM's
//   accounts' accepted handoffs whose milestone is done, and how many still wait for it.
// - CSAT = satisfied ratings (4 or 5) ÷ all ratings, over the tickets of the CSM's accounts closed
//   in the 90 days up to d that carry a satisfaction score (1–5); beside it the mean score.
// - Onboarding status of an accepted handoff = the worst of its milestones: a milestone is done
//   (no longer open), on track (open, not yet due), behind (open, overdue up to 14 days) or stuck
//   (open, overdue longer); the handoff is done when every milestone is. Counted per status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/entities.h"

namespace orchard::engine {

// The rows the scoreboard reads: the CSM's accounts and what hangs from them.
struct CsmBook {
  std::vector<Account> accounts;
  std::vector<UsageMetric> usage;
  std::vector<Ticket> tickets;
  std::vector<Handoff> handoffs;
  std::vector<Task> milestones;  // onboarding milestones' tasks (source_key MilestoneKey(h, day))
};

// One milestone's status on `today`: "done", "on_track", "behind" or "stuck" (see above).
std::string MilestoneStatus(const Task& task, Date today);
// The worst of `statuses` ("stuck" > "behind" > "on_track"), "done" when all are (and some are).
std::string OnboardingStatus(const std::vector<std::string>& statuses);

struct CsmAccountKpis {
  AccountId id;
  std::string name;
  std::optional<double> adoption;         // active ÷ seats, latest on or before the day
  std::optional<double> adoption_before;  // the same 30 days earlier
  std::optional<int64_t> ttfv_days;       // the latest accepted handoff's, once delivered
  int64_t csat_ratings = 0;
  std::optional<double> csat;             // satisfied ÷ ratings (last 90 days)
  std::optional<std::string> onboarding;  // the latest accepted handoff's status
};

struct OnboardingCounts {
  int64_t on_track = 0, behind = 0, stuck = 0, done = 0;
};

struct CsmScoreboard {
  Date as_of;
  int64_t accounts = 0;
  int64_t accounts_with_usage = 0;
  std::optional<double> adoption_rate;
  std::optional<double> adoption_rate_before;  // 30 days earlier
  std::optional<double> adoption_trend;        // rate − rate 30 days earlier
  int64_t ttfv_delivered = 0;                  // handoffs whose first value was delivered
  int64_t ttfv_waiting = 0;                    // accepted, first value not yet delivered
  std::optional<double> ttfv_median_days;
  std::optional<double> ttfv_mean_days;
  int64_t csat_ratings = 0;
  std::optional<double> csat;       // satisfied (4–5) ÷ ratings
  std::optional<double> csat_mean;  // mean score, 1–5
  OnboardingCounts onboarding;
  std::vector<CsmAccountKpis> rows;  // by account name
};

CsmScoreboard ComputeCsmScoreboard(const CsmBook& book, Date as_of);

}  // namespace orchard::engine
