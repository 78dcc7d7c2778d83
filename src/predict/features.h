// The features of the book's models (issue 20, items 2–3): one row per account as the book stood
// on one day, built from that day's columns (ReadModel::BuildColumnsOn or On) and the rows dated
// on or before it — nothing later — so a row for a past day is what a model would have seen then.
//
// Each feature has a stable key (stored with a trained model: a model trained on another list is
// refused), words for a driver ("no meaningful contact for 74 days") and whether the account team
// can act on it (contact, plan, tickets, depth, adoption, sentiment, NPS follow-up) or it is
// context (ARR and its trend, tier, days to renewal). A missing value is NaN.
//
// Nothing the book knows only now. The plan is read from its versions (plan_versions, each with
// its day and the parts it recorded), never from the plan as it is now: an earlier list read
// today's plan for every past day, and on the demo book, where a lost account then had no plan,
// that told the model the outcome (churn AUC 0.880 with it, 0.846 without; docs/MODELS.md).
// Contacts: depth and relationships health count those still there on the day (a departed
// contact until the day they left, contacts.departed_on; one with no recorded day on no day).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/settings.h"
#include "engine/read_model.h"

namespace orchard::predict {

struct FeatureInfo {
  std::string_view key;
  bool actionable = false;
};

// The features, in the order of a row.
std::span<const FeatureInfo> Features();
std::vector<std::string> FeatureKeys();

// The row of `slot` on `columns.day` into `out` (Features().size() values). The caller holds the
// model's read lock; the account had ARR on the day.
void FeatureRow(const engine::ReadModel& model, const engine::DayColumns& columns, size_t slot,
                const Settings& settings, std::span<float> out);

// The reason in words with the value, e.g. ("usage_trend_90", -0.38) → "active users down 38 %
// over 90 days". `raising` says whether the feature pushes the probability up.
std::string DescribeFeature(std::string_view key, float value);

}  // namespace orchard::predict
