// Health, and the per-account metrics of PRODUCT.md, computed from the read model for any day.
// Every figure is a pure function of the rows dated on or before that day, so the score 7 or 30
// days ago, and the daily history, come from the same code as today's.
//
// The health score (0–100) is the weighted mean of the components present (weights from
// settings, 30/15/15/15/15/10 by default; a missing component drops out and the rest renormalise):
//   usage         latest day within 30 days with seats > 0: level = 100 × min(1, active ÷ seats);
//                 trend = mean active users over (d−30, d] ÷ mean over (d−90, d−30];
//                 trend score = clamp(100 + 200 × (trend − 1), 0, 100) — flat or growing is 100,
//                 half the users gone is 0; usage = 0.7 × level + 0.3 × trend score (level alone
//                 without an earlier period). Missing: no usage day with seats in 30 days.
//   support       tickets opened in (d−90, d], weighted by severity (low 1, medium 2, high 4,
//                 urgent 8), per 100 seats (at least 50 seats counted); open escalations on d:
//                 100 − 2 × weighted per 100 seats − 20 × open escalations, clamped to 0–100.
//                 Missing: no ticket and no usage ever (nothing to judge support by).
//   nps           responses in (d−180, d]: 50 + 50 × (promoters − detractors) ÷ responses,
//                 promoters 9–10, detractors 0–6. Missing: no response in 180 days.
//   engagement    days since the last meaningful activity against the tier's check-in cadence c:
//                 100 up to c days, falling in a straight line to 0 at 3c; 0 with none ever.
//                 Missing: a tier without a check-in cadence (tier 3: automated).
//   relationships multithreading depth ÷ the tier's target, capped at 100. Missing: no target.
//   sentiment     the scored texts (e-mails and notes, tickets, NPS comments, transcripts:
//                 text_sentiments) of (d−90, d], each weighted 2^(−age in days ÷ 30): the
//                 weighted mean score m in [−1, 1] gives 50 × (1 + m). Missing: none in 90 days.
// A manual override in force on d (set on or before d, expiring on or after d; the latest set
// wins) replaces the score, and the explanation keeps the computed one. Colours: green ≥ 70,
// yellow ≥ 40, red below (settings).
//
// Per-account metrics on day d:
//   depth            distinct active contacts who took part in a meaningful activity in
//                    (d−90, d]; single-threaded when ≤ 1.
//   last meaningful  the latest meaningful activity on or before d.
//   plan completeness 20 points per part: ≥ 1 priority; the map (⅓ each: ≥ 3 active contacts,
//                    pro rata below, an active economic buyer, an active champion by role or
//                    stance); ≥ 1 whitespace cell with a potential; risks (≥ 1, and the share
//                    of them with a mitigation owner); actions (20 for an open one with owner and
//                    due date, 10 for an open one without). Rounded half up.
//   freshness        days since the plan was last reviewed or changed; stale past the tier's
//                    plan-refresh interval (tier 3 needs no plan; no plan at tier 1–2 is stale).
//   whitespace       Σ potential of the cells still to win (open, in pipeline, competitor).
//   potential        set by hand, else whitespace ÷ ARR (≥ 1.0 high, ≥ 0.3 medium, else low;
//                    whitespace without ARR is high).
//   quadrant         high value = ARR ≥ the tier-1 threshold; high potential = High:
//                    invest (both), protect (value only), develop (potential only), automate.
//   renewal engagement days before the renewal at which it was first engaged: a renewal
//                    opportunity opened, or a meaningful activity, inside the 180 days before.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "domain/settings.h"
#include "engine/read_model.h"

namespace orchard::engine {

enum class HealthPart { kUsage, kSupport, kNps, kEngagement, kRelationships, kSentiment };
inline constexpr std::array<std::string_view, 6> kHealthPartNames = {
    "usage", "support", "nps", "engagement", "relationships", "sentiment"};

struct HealthComponent {
  std::optional<int> value;  // 0–100; none: missing
  int weight = 0;            // as configured, percent
  double share = 0;          // the weight after renormalising (0 when missing), 0–1
  double contribution = 0;   // value × share: points of the score
  std::string detail;        // what the value is made of, in words
};

struct HealthOverrideInForce {
  int score = 0;
  std::string reason;
  Date expires_on;
};

struct Health {
  int32_t day = 0;
  std::optional<int> computed;  // from the components; none when every one is missing
  std::optional<int> score;     // the override if one is in force, else computed
  std::optional<HealthOverrideInForce> override_in_force;
  // The day the account's last contract line ended, when none is active on `day` and one was
  // before: a churned account has no score (no usage or silence makes a lost customer healthy).
  std::optional<Date> churned_after;
  std::array<HealthComponent, 6> components;
  // Inputs worked out on the way, for the metrics beside the score.
  int depth = 0;                     // MultithreadingDepth
  int32_t last_meaningful = kNoDay;  // LastMeaningful
};

// 1 green, 2 yellow, 3 red; 0 for no score.
uint8_t ColourOf(std::optional<int> score, const Settings& settings);
std::string_view ColourName(uint8_t colour);

// Health of one account on `day`. `explain` fills the detail texts (off for scans).
// Callers hold the model's read lock.
Health ComputeHealth(const ReadModel& model, size_t slot, int32_t day, Tier tier,
                     const Settings& settings, bool explain);

int MultithreadingDepth(const ReadModel& model, size_t slot, int32_t day);
int32_t LastMeaningful(const ReadModel& model, size_t slot, int32_t day);  // kNoDay: none
// Days before `renewal` it was first engaged; none if not (yet).
std::optional<int> RenewalEngagement(const ReadModel& model, size_t slot, int32_t renewal,
                                     int32_t day);
Potential PotentialOf(const ReadModel& model, size_t slot, int64_t arr_cents,
                      int64_t whitespace_cents, const Settings& settings);
Quadrant QuadrantOf(int64_t arr_cents, Potential potential, const Settings& settings);
// Σ potential of the whitespace cells still to win (open, in pipeline, competitor).
int64_t WhitespaceCents(const ReadModel& model, size_t slot);

// Everything a dashboard reads about one account on one day (ReadModel::On keeps these).
Summary Summarize(const ReadModel& model, size_t slot, int32_t day, int64_t arr_cents,
                  int32_t renewal, const Settings& settings);

// The components whose shortfall (share × (100 − value)) costs the score most, worst first: the
// "why" of an account at risk, e.g. "engagement 0/100: no meaningful contact in 64 days".
std::vector<std::string> WhyLow(const Health& health, size_t at_most);

}  // namespace orchard::engine
