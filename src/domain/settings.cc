#include "domain/settings.h"

#include <charconv>
#include <functional>
#include <string_view>

#include "core/money.h"

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

struct Description {
  std::string_view key;  // after "coverage.tierN." for the per-tier rows
  std::string_view group, label;
  SettingUnit unit;
};
using U = SettingUnit;
constexpr Description kDescriptions[] = {
    {"tiers.tier1_min_arr_cents", "Tiers", "Tier 1 (Strategic) from ARR", U::kCents},
    {"tiers.tier2_min_arr_cents", "Tiers", "Tier 2 (Core) from ARR", U::kCents},
    {"health.weight.usage", "Health model", "Usage weight", U::kPercent},
    {"health.weight.support", "Health model", "Support weight", U::kPercent},
    {"health.weight.nps", "Health model", "NPS weight", U::kPercent},
    {"health.weight.engagement", "Health model", "Engagement weight", U::kPercent},
    {"health.weight.relationships", "Health model", "Relationships weight", U::kPercent},
    {"health.weight.sentiment", "Health model", "Sentiment weight", U::kPercent},
    {"health.green_min", "Health model", "Green from score", U::kScore},
    {"health.yellow_min", "Health model", "Yellow from score", U::kScore},
    {"renewals.window_days", "Renewals", "Upcoming renewals window", U::kDays},
    {"inspection.renewal_days", "Inspection queue", "Flag renewals within", U::kDays},
    {"inspection.sample", "Inspection queue", "Random sample each month", U::kCount},
    {"potential.high_bp", "Potential", "High from whitespace ÷ ARR", U::kBasisPoints},
    {"potential.medium_bp", "Potential", "Medium from whitespace ÷ ARR", U::kBasisPoints},
    {"sessions.idle_hours", "Sessions", "Sign out after idle", U::kHours},
    {"coverage.pooled_accounts_per_am", "Coverage", "Accounts per pooled AM (tier 3)", U::kCount},
};
constexpr Description kCoverageDescriptions[] = {
    {"accounts_per_am_target", "", "Accounts per AM (target)", U::kCount},
    {"accounts_per_am_min", "", "Accounts per AM (minimum)", U::kCount},
    {"accounts_per_am_max", "", "Accounts per AM (maximum)", U::kCount},
    {"internal_review_days", "", "Internal review every", U::kDays},
    {"customer_review_days", "", "Customer review (QBR) every", U::kDays},
    {"plan_refresh_days", "", "Plan refresh within", U::kDays},
    {"checkin_days", "", "Check-in every", U::kDays},
    {"response_sla_hours", "", "Response SLA", U::kHours},
    {"multithreading_target", "", "Multithreading target (contacts)", U::kCount},
};

std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

// An invalid value of `key`: the message names the setting by its label, the field by its key.
std::unexpected<Error> BadSetting(const std::string& key, const std::string& why) {
  return Fail(ErrorCode::kInvalidValue, DescribeSetting(key).label + ": " + why,
              {FieldError{key, why}});
}

}  // namespace

std::string_view ToString(SettingUnit unit) {
  switch (unit) {
    case U::kCents:
      return "cents";
    case U::kBasisPoints:
      return "basis_points";
    case U::kPercent:
      return "percent";
    case U::kDays:
      return "days";
    case U::kHours:
      return "hours";
    case U::kCount:
      return "count";
    case U::kScore:
      return "score";
  }
  return "count";
}

SettingInfo DescribeSetting(std::string_view key) {
  for (const Description& d : kDescriptions) {
    if (d.key == key) return {std::string(key), std::string(d.group), std::string(d.label), d.unit};
  }
  constexpr std::string_view kCoverage = "coverage.tier";
  if (key.starts_with(kCoverage) && key.size() > kCoverage.size() + 2 &&
      key[kCoverage.size() + 1] == '.') {
    const std::string_view rest = key.substr(kCoverage.size() + 2);
    for (const Description& d : kCoverageDescriptions) {
      if (d.key == rest) {
        return {std::string(key), "Coverage · Tier " + std::string(1, key[kCoverage.size()]),
                std::string(d.label), d.unit};
      }
    }
  }
  return {std::string(key), "Other", std::string(key), U::kCount};
}

std::vector<SettingInfo> DescribeSettings() {
  std::vector<SettingInfo> out;
  for (const Setting& row : Settings{}.ToRows()) out.push_back(DescribeSetting(row.key));
  return out;
}

std::string FormatSetting(SettingUnit unit, int64_t value) {
  switch (unit) {
    case U::kCents: {
      std::string out = "$" + Grouped(value / 100);
      if (value % 100 != 0) {
        const int64_t c = value % 100 < 0 ? -(value % 100) : value % 100;
        out += (c < 10 ? ".0" : ".") + std::to_string(c);
      }
      return out;
    }
    case U::kBasisPoints: {
      std::string out = std::to_string(value / 100);
      if (value % 100 != 0) {
        const int64_t f = value % 100;
        out += (f < 10 ? ".0" : ".") + std::to_string(f);
        while (out.back() == '0') out.pop_back();
      }
      return out + " %";
    }
    case U::kPercent:
      return std::to_string(value) + " %";
    case U::kDays:
      return Grouped(value) + (value == 1 ? " day" : " days");
    case U::kHours:
      return Grouped(value) + (value == 1 ? " hour" : " hours");
    case U::kCount:
    case U::kScore:
      return Grouped(value);
  }
  return std::to_string(value);
}

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
      if (ec != std::errc() || p != row.value.data() + row.value.size()) {
        error = "must be a number; got \"" + row.value + "\"";
      } else if (parsed < 0) {
        error = "must not be negative";
      } else {
        v = parsed;
      }
    });
    if (!found) return FailField(row.key, "unknown setting");
    if (!error.empty()) return BadSetting(row.key, error);
  }
  if (next.tiers.tier2_min_arr > next.tiers.tier1_min_arr) {
    return BadSetting("tiers.tier2_min_arr_cents",
                      "must not exceed Tier 1 (Strategic) from ARR (" +
                          FormatSetting(U::kCents, next.tiers.tier1_min_arr.cents()) + ")");
  }
  if (next.health_yellow_min > next.health_green_min || next.health_green_min > 100) {
    return BadSetting("health.green_min", "must be at most 100 and at least Yellow from score (" +
                                              std::to_string(next.health_yellow_min) + ")");
  }
  if (next.pooled_accounts_per_am < 1 || next.pooled_accounts_per_am > 100'000) {
    return BadSetting("coverage.pooled_accounts_per_am", "must be from 1 to 100,000");
  }
  if (next.session_idle_hours < 1) {
    return BadSetting("sessions.idle_hours", "must be at least 1 hour");
  }
  *this = next;
  return Ok();
}

}  // namespace orchard
