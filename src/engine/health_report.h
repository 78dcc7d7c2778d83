// One account's health on a day, explained: the score and colour, each component with its value,
// weight, share and contribution, the sentences that say how the score was made, what moved
// since 7 and 30 days ago, the daily history, and the per-account metrics beside it. The API's
// GET /api/v1/accounts/{id}/health and the plan's one-page export both render this value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/health.h"
#include "engine/read_model.h"

namespace orchard::engine {

struct HealthReportComponent {
  std::string_view name;  // kHealthPartNames
  std::optional<int> value;
  int weight = 0;           // as configured, percent
  double share = 0;         // after renormalising, 0–1
  double contribution = 0;  // points of the score
  std::string detail;       // what the value is made of, in words
};

// A component whose value differs between then and now.
struct HealthChange {
  std::string_view name;
  std::optional<int> then, now;
  double points = 0;  // its contribution now minus then
};

struct HealthMove {
  int days = 0;  // 7 or 30
  std::optional<int> score_then;
  std::optional<int> change;  // now − then, when both have a score
  std::vector<HealthChange> components;
  std::string summary;  // "Down 12 since 30 days ago (70): engagement fell from …."
};

struct HealthDay {
  Date day;
  std::optional<int> score;
  uint8_t colour = 0;
};

// The per-account metrics of PRODUCT.md on the day (engine/health.h says how each is made).
struct AccountMetrics {
  int16_t multithreading_depth = 0;
  int multithreading_target = 0;
  bool single_threaded = false;
  std::optional<Date> last_meaningful_contact;
  std::optional<Date> renewal_date;
  std::optional<int> renewal_engaged_days_before;
  uint8_t plan_completeness = 0;
  std::optional<int32_t> plan_freshness_days;  // none: no plan
  int plan_refresh_days = 0;
  bool plan_stale = false;
  bool overdue_actions = false;
  bool economic_buyer_engaged = false;
  int64_t whitespace_cents = 0;
  Potential potential = Potential::kLow;
  Quadrant quadrant = Quadrant::kAutomate;
};

struct HealthReport {
  int64_t account_id = 0;
  Date as_of;
  Tier tier = Tier::kVolume;
  int64_t arr_cents = 0;
  std::optional<int> score;  // the override in force, else computed
  uint8_t colour = 0;        // ColourName
  std::optional<int> computed;
  std::optional<HealthOverrideInForce> override_in_force;
  std::optional<Date> churned_after;  // no score: the last contract line ended that day
  std::vector<HealthReportComponent> components;
  std::vector<std::string> explanation;  // how the score was made, then what moved
  std::vector<HealthMove> moved;         // since 7 and since 30 days ago
  std::vector<HealthDay> history;        // the last `history_days` days, oldest first
  AccountMetrics metrics;
};

// NotFound when the account is not in the book. Takes the model's read lock.
Result<HealthReport> AccountHealthReport(const ReadModel& model, const Settings& settings,
                                         Date today, int64_t account_id, int history_days = 90);

}  // namespace orchard::engine
