// The growth dashboard (issue 20, item 3): where the biggest growth opportunities are — accounts
// ranked by expected expansion (the upsell model's probability × the account's open whitespace
// potential), with the probability, the whitespace, owner and tier. It reads the ranking the
// scores were built with (engine/model_scores.h), so a page costs its rows, not a sort.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/settings.h"
#include "engine/model_scores.h"
#include "engine/read_model.h"
#include "engine/retention.h"

namespace orchard::engine {

struct Growth {
  int64_t account_id = 0;
  int64_t owner_id = 0;
  Tier tier = Tier::kVolume;
  int64_t arr_cents = 0;  // today
  int health = -1;        // -1: no score
  uint8_t colour = 0;
  std::optional<double> upsell_probability;
  std::optional<double> churn_probability;
  int64_t whitespace_cents = 0;  // open whitespace potential today
  int64_t expected_expansion_cents = 0;
};
struct GrowthPage {
  bool available = false;
  std::string reason;          // when not available: why, in words
  std::optional<Date> scored;  // the day the scores are for
  int64_t total = 0;           // accounts with an expected expansion, in the filter
  int64_t total_expected_cents = 0;
  std::vector<Growth> items;  // the page asked for, largest expected expansion first
};
GrowthPage GrowthPaged(const ReadModel& model, const Settings& settings, Date today,
                       const ModelScores* scores, const DashboardFilter& filter, size_t offset,
                       size_t limit);

}  // namespace orchard::engine
