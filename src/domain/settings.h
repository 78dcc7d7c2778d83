// Settings: every configurable default of PRODUCT.md (tier rules, coverage ratios, cadences,
// health weights). Stored as readable key/value rows in the `settings` table; a key that is not
// stored keeps its default, so a new setting needs no migration.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/result.h"
#include "domain/entities.h"

namespace orchard {

struct TierRules {
  Money tier1_min_arr = Money::FromDollars(100'000);  // ≥ → tier 1 (or flagged strategic)
  Money tier2_min_arr = Money::FromDollars(25'000);   // ≥ → tier 2, else tier 3
  bool operator==(const TierRules&) const = default;
};

// Per tier: how many accounts one AM should carry, and how often things happen. 0 days = never.
struct TierCoverage {
  int accounts_per_am_target = 0;  // 0 = pooled team (tier 3)
  int accounts_per_am_min = 0;
  int accounts_per_am_max = 0;
  int internal_review_days = 0;
  int customer_review_days = 0;
  int plan_refresh_days = 0;
  int checkin_days = 0;
  int response_sla_hours = 0;
  int multithreading_target = 0;  // distinct engaged contacts
  bool operator==(const TierCoverage&) const = default;
};

// Health component weights in percent; they renormalise when an input is missing.
struct HealthWeights {
  int usage = 30;
  int support = 15;
  int nps = 15;
  int engagement = 15;
  int relationships = 15;
  int sentiment = 10;
  bool operator==(const HealthWeights&) const = default;
};

struct Settings {
  TierRules tiers;
  std::array<TierCoverage, 3> coverage{{
      {10, 8, 12, 30, 91, 90, 14, 4, 5},      // tier 1: monthly review, QBR, 90-day plan
      {40, 25, 60, 91, 182, 180, 30, 24, 3},  // tier 2: quarterly, semiannual, 180-day plan
      {0, 0, 0, 0, 0, 0, 0, 0, 0},            // tier 3: pooled, tech-touch, no plan
  }};
  HealthWeights health_weights;
  int health_green_min = 70;   // ≥ 70 green
  int health_yellow_min = 40;  // 40–69 yellow, < 40 red
  int renewal_window_days = 90;
  int inspection_renewal_days = 120;
  int potential_high_bp = 10000;   // whitespace ÷ ARR ≥ 1.0 → high
  int potential_medium_bp = 3000;  // ≥ 0.3 → medium
  int inspection_sample = 10;      // accounts drawn at random each month beside the flagged ones
  int session_idle_hours = 12;     // a browser session unused this long ends (beside its 7 days)
  // Accounts one AM of the pooled tier-3 team carries (coverage measures a pooled book against
  // it, within 80–120 %): 1 to 100,000.
  int pooled_accounts_per_am = 200;
  bool operator==(const Settings&) const = default;

  const TierCoverage& For(Tier t) const { return coverage[static_cast<size_t>(t)]; }

  // The stored form: one row per value, e.g. ("tiers.tier1_min_arr_cents", "10000000").
  std::vector<Setting> ToRows() const;
  // Applies stored rows over the defaults; an unknown key or a bad value is an error naming it.
  Status Apply(const std::vector<Setting>& rows);
};

// How a person reads a setting: its label, the group it belongs to and the unit its stored whole
// number is in. The UI shows and takes values in the person's unit (dollars for cents, percent
// for basis points) and converts; errors name the setting by its label. One row per key in
// settings.cc (`kDescriptions`): a new setting is one row there.
enum class SettingUnit {
  kCents,        // money, stored in cents, shown in dollars
  kBasisPoints,  // a ratio, stored in 1/10,000, shown in percent
  kPercent,
  kDays,
  kHours,
  kCount,  // accounts, contacts
  kScore,  // a health score, 0–100
};
std::string_view ToString(SettingUnit unit);

struct SettingInfo {
  std::string key;    // as stored and as the API names it, e.g. "tiers.tier1_min_arr_cents"
  std::string group;  // e.g. "Tiers", "Coverage · Tier 1"
  std::string label;  // e.g. "Tier 1 (Strategic) from ARR"
  SettingUnit unit = SettingUnit::kCount;
};
// The description of `key`; a key without one is described by its own name, in plain numbers.
SettingInfo DescribeSetting(std::string_view key);
// Every setting's description, in the order Settings::ToRows() lists them.
std::vector<SettingInfo> DescribeSettings();
// `value` (a stored whole number) as a person reads it: "$100,000", "30 %", "90 days".
std::string FormatSetting(SettingUnit unit, int64_t value);

}  // namespace orchard
