// The models' scores as the dashboards read them (issue 20, item 5): every account's churn and
// upsell probability and expected expansion, by read-model slot, as of one day, with the growth
// ranking built once when the scores are made. The engine does not train or score (that is
// src/predict/, which depends on the engine); whoever holds the scores (scoring/live_scores.h)
// builds this view after each refresh and hands it to the dashboards through DashboardQuery.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "engine/read_model.h"

namespace orchard::engine {

struct ModelScores {
  Date day;  // the day the scores are for
  // By slot; NaN where no model or the account was not scored. A slot past the end (an account
  // added since) has no score.
  std::span<const float> churn;
  std::span<const float> upsell;
  std::span<const int64_t> expected_expansion_cents;  // upsell × open whitespace; 0 if none
  // Slots with an expected expansion above 0, largest first (ties: the lower account id).
  std::vector<uint32_t> growth;
  int64_t growth_total_cents = 0;  // Σ expected expansion over `growth`
  // Why a model gives no scores ("" when it does): shown beside the empty column.
  std::string churn_reason;
  std::string upsell_reason;
  std::shared_ptr<const void> keep;  // owns what the spans point into

  std::optional<double> Churn(size_t slot) const { return At(churn, slot); }
  std::optional<double> Upsell(size_t slot) const { return At(upsell, slot); }
  int64_t Expected(size_t slot) const {
    return slot < expected_expansion_cents.size() ? expected_expansion_cents[slot] : 0;
  }

 private:
  static std::optional<double> At(std::span<const float> column, size_t slot) {
    if (slot >= column.size() || std::isnan(column[slot])) return std::nullopt;
    return static_cast<double>(column[slot]);
  }
};

// Fills `scores.growth` and its total from `scores.expected_expansion_cents`: the live slots above
// 0, largest first, ties by the lower account id. Built once per refresh (under the model's read
// lock, which it takes), so a growth page reads only its rows.
void RankGrowth(const ReadModel& model, ModelScores& scores);

}  // namespace orchard::engine
