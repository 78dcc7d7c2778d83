#include "domain/tiers.h"

namespace orchard {

Tier RuleTier(Money arr, bool strategic, const TierRules& rules) {
  if (strategic || arr >= rules.tier1_min_arr) return Tier::kStrategic;
  if (arr >= rules.tier2_min_arr) return Tier::kCore;
  return Tier::kVolume;
}

TierDecision DecideTier(const Account& account, Money arr, const TierRules& rules) {
  Tier rule = RuleTier(arr, account.strategic, rules);
  return TierDecision{rule, account.tier_override, account.tier_override.value_or(rule)};
}

Status ValidateTierOverride(const Account& account) {
  bool has_reason = account.tier_override_reason && !account.tier_override_reason->empty();
  if (account.tier_override && !has_reason) {
    return FailValue("tier_override_reason", "a tier override needs a reason");
  }
  if (!account.tier_override && has_reason) {
    return FailValue("tier_override", "a reason was given but no tier override");
  }
  return Ok();
}

Potential DerivePotential(Money whitespace, Money arr, const Settings& settings) {
  if (arr.cents() <= 0) return whitespace.cents() > 0 ? Potential::kHigh : Potential::kLow;
  // Compare exactly (whitespace × 10000 ≥ threshold × ARR): a rounded ratio would call
  // $99,999 of whitespace on $100,000 of ARR "≥ 1.0".
  auto at_least = [&](int threshold_bp) {
    return whitespace.MulDiv(10000, 1) >= arr.MulDiv(threshold_bp, 1);
  };
  if (at_least(settings.potential_high_bp)) return Potential::kHigh;
  if (at_least(settings.potential_medium_bp)) return Potential::kMedium;
  return Potential::kLow;
}

Potential EffectivePotential(const Account& account, Money whitespace, Money arr,
                             const Settings& settings) {
  if (account.growth_potential) return *account.growth_potential;
  return DerivePotential(whitespace, arr, settings);
}

Quadrant PortfolioQuadrant(Money arr, Potential potential, const Settings& settings) {
  bool high_value = arr >= settings.tiers.tier1_min_arr;
  bool high_potential = potential == Potential::kHigh;
  if (high_value) return high_potential ? Quadrant::kInvest : Quadrant::kProtect;
  return high_potential ? Quadrant::kDevelop : Quadrant::kAutomate;
}

}  // namespace orchard
