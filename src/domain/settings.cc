#include "domain/settings.h"

#include <charconv>
#include <functional>
#include <string_view>

namespace orchard {

namespace {

// Visits every setting as (key, reference to its integer value); money is visited in cents.
template <class S, class F>
void VisitSettings(S& s, F&& f) {
  int64_t t1 = s.tiers.tier1_min_arr.cents();
  int64_t t2 = s.tiers.tier2_min_arr.cents();
  f("tiers.tier1_min_arr_cents", t1);
  f("tiers.tier2_min_arr_cents", t2);
  if constexpr (!std::is_const_v<S>) {
    s.tiers.tier1_min_arr = Money::FromCents(t1);
    s.tiers.tier2_min_arr = Money::FromCents(t2);
  }
  for (int tier = 0; tier < 3; ++tier) {
    auto& c = s.coverage[tier];
    std::string p = "coverage.tier" + std::to_string(tier + 1) + ".";
    f(p + "accounts_per_am_target", c.accounts_per_am_target);
    f(p + "accounts_per_am_min", c.accounts_per_am_min);
    f(p + "accounts_per_am_max", c.accounts_per_am_max);
    f(p + "internal_review_days", c.internal_review_days);
    f(p + "customer_review_days", c.customer_review_days);
    f(p + "plan_refresh_days", c.plan_refresh_days);
    f(p + "checkin_days", c.checkin_days);
    f(p + "response_sla_hours", c.response_sla_hours);
    f(p + "multithreading_target", c.multithreading_target);
  }
  f("health.weight.usage", s.health_weights.usage);
  f("health.weight.support", s.health_weights.support);
  f("health.weight.nps", s.health_weights.nps);
  f("health.weight.engagement", s.health_weights.engagement);
  f("health.weight.relationships", s.health_weights.relationships);
  f("health.weight.sentiment", s.health_weights.sentiment);
  f("health.green_min", s.health_green_min);
  f("health.yellow_min", s.health_yellow_min);
  f("renewals.window_days", s.renewal_window_days);
  f("inspection.renewal_days", s.inspection_renewal_days);
  f("inspection.sample", s.inspection_sample);
  f("potential.high_bp", s.potential_high_bp);
  f("potential.medium_bp", s.potential_medium_bp);
  f("sessions.idle_hours", s.session_idle_hours);
  f("coverage.pooled_accounts_per_am", s.pooled_accounts_per_am);
}

}  // namespace

std::vector<Setting> Settings::ToRows() const {
  std::vector<Setting> rows;
  Settings copy = *this;
  VisitSettings(copy, [&](const std::string& key, auto& v) {
    rows.push_back(Setting{key, std::to_string(v)});
  });
  return rows;
}

Status Settings::Apply(const std::vector<Setting>& rows) {
  Settings next = *this;
  for (const auto& row : rows) {
    bool found = false;
    std::string error;
    VisitSettings(next, [&](const std::string& key, auto& v) {
      if (key != row.key) return;
      found = true;
      std::remove_reference_t<decltype(v)> parsed{};
      auto [p, ec] = std::from_chars(row.value.data(), row.value.data() + row.value.size(), parsed);
      if (ec != std::errc() || p != row.value.data() + row.value.size() || parsed < 0) {
        error = "must be a non-negative whole number; got \"" + row.value + "\"";
      } else {
        v = parsed;
      }
    });
    if (!found) return FailField(row.key, "unknown setting");
    if (!error.empty()) return FailValue(row.key, error);
  }
  if (next.tiers.tier2_min_arr > next.tiers.tier1_min_arr) {
    return FailValue("tiers.tier2_min_arr_cents", "must not exceed tiers.tier1_min_arr_cents");
  }
  if (next.health_yellow_min > next.health_green_min || next.health_green_min > 100) {
    return FailValue("health.green_min", "must be ≤ 100 and ≥ health.yellow_min");
  }
  if (next.pooled_accounts_per_am < 1 || next.pooled_accounts_per_am > 100'000) {
    return FailValue("coverage.pooled_accounts_per_am",
                     "must be from 1 to 100,000 (accounts per pooled AM)");
  }
  if (next.session_idle_hours < 1) {
    return FailValue("sessions.idle_hours", "must be at least 1 (hour)");
  }
  *this = next;
  return Ok();
}

}  // namespace orchard
