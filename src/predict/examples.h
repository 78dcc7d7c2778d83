// The examples the book's models learn from (docs/MODELS.md, "Examples and labels"): features
// as they stood on a grid of past days, every 30 days back from today, labelled by what the
// contract lines did after — never a row dated after the snapshot in the features.
//
//   churn   the renewals in the history: an account's next renewal (the earliest last day of
//           service among its lines active that day) falling 60–89 days after a grid day is
//           snapshotted on that day — each renewal once, two to three months ahead, when the
//           account team can still act. Label 1 (churn or contraction) when the ARR the day after
//           the renewal is below the ARR on its last day. Outcome day: the day after.
//   upsell  every account with ARR on every third grid day (every 90 days: an account's
//           snapshots a month apart would mostly repeat one another) at least 180 days ago. Label 1
//           (expanded) when its ARR 180 days later exceeds that day's by more than 7 % (a renewal's
//           price uplift of up to 6 % is not an expansion). Outcome day: 180 days later.
// Only examples whose outcome day is on or before today are made. A history of more than
// kMostExamples is sampled down to about that many, each example kept or not by a hash of its
// account and day (the same book gives the same sample), so training a large book stays in
// minutes.
#pragma once

#include <cstdint>
#include <vector>

#include "core/date.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "models/dataset.h"
#include "predict/predictor.h"

namespace orchard::predict {

inline constexpr int kGridStep = 30;       // days between snapshots
inline constexpr int kGridSnapshots = 24;  // how many, back from today (about two years)
inline constexpr int kRenewalLeadMin = 60, kRenewalLeadMax = 89;
inline constexpr int kUpsellHorizon = 180;
inline constexpr int kUpsellEvery = 3;  // upsell: every third grid day
inline constexpr double kExpansionShare = 0.07;
inline constexpr size_t kMostExamples = 60'000;

struct Examples {
  models::Dataset data;           // features and labels
  std::vector<int32_t> snapshot;  // per row: the day the features are from
  std::vector<int32_t> outcome;   // per row: the day the label became known
  std::vector<int64_t> account;   // per row: the account's id
};

// The backtest's split: the cutoff is the snapshot day with about 30 % of the examples on or
// after it. Training takes the examples whose outcome was known before it; the test those
// snapshotted on or after it; those in between (snapshotted before, known after) neither.
struct Split {
  int32_t cutoff = 0;
  std::vector<size_t> train, test;  // rows of the examples
};
Split SplitAtCutoff(const Examples& examples);

// Takes the model's read lock.
Examples BuildExamples(ModelKind kind, const engine::ReadModel& model, const Settings& settings,
                       Date today);

}  // namespace orchard::predict
