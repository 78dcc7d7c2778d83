// Segmentation rules of PRODUCT.md: tier by ARR (or the strategic flag), a manual override with a
// reason that beats the rule, growth potential (by hand, or whitespace ÷ ARR), and the 2×2 grid.
#pragma once

#include <optional>

#include "core/money.h"
#include "domain/entities.h"
#include "domain/settings.h"

namespace orchard {

// The tier the rule gives: tier 1 at or above tier1_min_arr or when strategic; tier 2 at or above
// tier2_min_arr; else tier 3.
Tier RuleTier(Money arr, bool strategic, const TierRules& rules);

// What the UI shows: the rule's tier, the override (if any), and the one in force.
struct TierDecision {
  Tier rule;
  std::optional<Tier> override_tier;
  Tier effective;
};
TierDecision DecideTier(const Account& account, Money arr, const TierRules& rules);

// An override needs a reason; a reason without an override is meaningless.
Status ValidateTierOverride(const Account& account);

// Potential by hand beats the derived one: whitespace ÷ ARR ≥ high_bp → high, ≥ medium_bp → medium.
// An account with no ARR and some whitespace has high potential.
Potential DerivePotential(Money whitespace, Money arr, const Settings& settings);
Potential EffectivePotential(const Account& account, Money whitespace, Money arr,
                             const Settings& settings);

// High value = ARR ≥ the tier-1 boundary (the default value threshold).
Quadrant PortfolioQuadrant(Money arr, Potential potential, const Settings& settings);

}  // namespace orchard
