#include "predict/features.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include "engine/health.h"

namespace orchard::predict {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

constexpr std::array<FeatureInfo, 20> kFeatures = {{
    {"log_arr", false},
    {"arr_trend_90", false},
    {"arr_trend_365", false},
    {"health_usage", true},
    {"health_support", true},
    {"health_nps", true},
    {"health_engagement", true},
    {"health_relationships", true},
    {"health_sentiment", true},
    {"depth", true},
    {"open_tickets", true},
    {"tickets_90", true},
    {"open_escalations", true},
    {"nps_latest", true},
    {"usage_trend_90", true},
    {"days_to_renewal", false},
    {"tier", false},
    {"days_since_meaningful_contact", true},
    {"plan_parts", true},
    {"days_since_plan_change", true},
}};

// The relative change from `before` to `now`; NaN without a base.
float Trend(int64_t now, int64_t before) {
  if (before <= 0) return kNaN;
  return static_cast<float>(static_cast<double>(now - before) / static_cast<double>(before));
}

float Component(const engine::Health& h, engine::HealthPart part) {
  const auto& value = h.components[static_cast<size_t>(part)].value;
  return value ? static_cast<float>(*value) : kNaN;
}

// Mean active users over (d−30, d] against (d−90, d−30], as a relative change.
float UsageTrend(std::span<const engine::UsageRec> usage, int32_t day) {
  double recent = 0, earlier = 0;
  int n_recent = 0, n_earlier = 0;
  for (const auto& u : usage) {
    if (u.day > day || u.day <= day - 90) continue;
    if (u.day > day - 30) {
      recent += u.active_users;
      ++n_recent;
    } else {
      earlier += u.active_users;
      ++n_earlier;
    }
  }
  if (n_recent == 0 || n_earlier == 0 || earlier <= 0) return kNaN;
  return static_cast<float>((recent / n_recent) / (earlier / n_earlier) - 1);
}

// The plan as its latest version on or before `day` recorded it: how many of its four parts it had
// (priorities, risks, whitespace, an open action) and the days since that version. NaN for both
// without a version by then (no plan yet, or none at all).
std::pair<float, float> PlanOn(std::span<const engine::PlanVersionRec> versions, int32_t day) {
  const engine::PlanVersionRec* in_force = nullptr;
  for (const auto& v : versions) {
    if (v.day <= day && (in_force == nullptr || v.day >= in_force->day)) in_force = &v;
  }
  if (in_force == nullptr) return {kNaN, kNaN};
  return {static_cast<float>(std::popcount(in_force->parts)),
          static_cast<float>(std::min(730, day - in_force->day))};
}

std::string Percent(float v) { return fmt::format("{:.0f} %", std::abs(v) * 100); }

}  // namespace

std::span<const FeatureInfo> Features() { return kFeatures; }

std::vector<std::string> FeatureKeys() {
  std::vector<std::string> keys;
  for (const auto& f : kFeatures) keys.emplace_back(f.key);
  return keys;
}

void FeatureRow(const engine::ReadModel& model, const engine::DayColumns& columns, size_t slot,
                const Settings& settings, std::span<float> out) {
  const int32_t day = columns.day;
  const int64_t arr = columns.arr_cents[slot];
  const engine::Summary& s = columns.summary[slot];
  const auto tier = static_cast<Tier>(s.tier);
  engine::Health h = engine::ComputeHealth(model, slot, day, tier, settings, false);
  size_t i = 0;
  out[i++] = static_cast<float>(std::log1p(static_cast<double>(arr) / 100.0));
  out[i++] = Trend(arr, model.ArrCentsOn(slot, day - 90));
  out[i++] = Trend(arr, model.ArrCentsOn(slot, day - 365));
  for (auto part : {engine::HealthPart::kUsage, engine::HealthPart::kSupport,
                    engine::HealthPart::kNps, engine::HealthPart::kEngagement,
                    engine::HealthPart::kRelationships, engine::HealthPart::kSentiment}) {
    out[i++] = Component(h, part);
  }
  out[i++] = static_cast<float>(h.depth);
  int open = 0, recent = 0, escalated = 0;
  for (const auto& t : model.tickets(slot)) {
    if (t.opened > day) continue;
    bool is_open = t.closed > day;
    open += is_open;
    recent += t.opened > day - 90;
    escalated += is_open && t.escalated;
  }
  out[i++] = static_cast<float>(open);
  out[i++] = static_cast<float>(recent);
  out[i++] = static_cast<float>(escalated);
  float nps = kNaN;
  int32_t nps_day = engine::kNoDay;
  for (const auto& r : model.nps(slot)) {
    if (r.day <= day && r.day > day - 365 && r.day >= nps_day) {
      nps_day = r.day;
      nps = static_cast<float>(r.score);
    }
  }
  out[i++] = nps;
  out[i++] = UsageTrend(model.usage(slot), day);
  const int32_t renewal = columns.renewal[slot];
  out[i++] = renewal == INT32_MAX ? kNaN : static_cast<float>(renewal - day);
  out[i++] = static_cast<float>(s.tier + 1);
  // None on record counts as a year: the longest gap the features tell apart.
  const int32_t last = h.last_meaningful;
  out[i++] = last == engine::kNoDay ? 365.0f : static_cast<float>(std::min(365, day - last));
  const auto [parts, since_change] = PlanOn(model.plan_versions(slot), day);
  out[i++] = parts;
  out[i++] = since_change;
}

// A count of `n` things, singular or plural ("1 open ticket", "3 open tickets").
static std::string Count(float n, std::string_view one, std::string_view many) {
  return fmt::format("{:.0f} {}", n, std::lround(n) == 1 ? one : many);
}

// What a missing value means for each feature, in the words of the account team.
static std::string DescribeMissing(std::string_view key) {
  if (key == "nps_latest") return "no NPS response on record";
  if (key == "usage_trend_90") return "no usage to compare over 90 days";
  if (key == "arr_trend_90" || key == "arr_trend_365") return "no earlier ARR to compare";
  if (key == "days_to_renewal") return "no renewal date ahead";
  if (key == "plan_parts" || key == "days_since_plan_change") return "no account plan";
  if (key.starts_with("health_")) return fmt::format("no {} health yet", key.substr(7));
  return fmt::format("{}: not on record", key);
}

std::string DescribeFeature(std::string_view key, float v) {
  if (std::isnan(v)) return DescribeMissing(key);
  if (key == "log_arr") return fmt::format("ARR ${:.0f}", std::expm1(v));
  if (key == "arr_trend_90" || key == "arr_trend_365") {
    const char* span = key == "arr_trend_90" ? "90 days" : "a year";
    if (v == 0) return fmt::format("ARR unchanged over {}", span);
    return fmt::format("ARR {} {} over {}", v > 0 ? "up" : "down", Percent(v), span);
  }
  if (key.starts_with("health_")) return fmt::format("{} health {:.0f}/100", key.substr(7), v);
  if (key == "depth")
    return v <= 1 ? "single-threaded: " + Count(v, "contact", "contacts") + " engaged in 90 days"
                  : Count(v, "contact", "contacts") + " engaged in 90 days";
  if (key == "open_tickets") return Count(v, "open ticket", "open tickets");
  if (key == "tickets_90") return Count(v, "ticket", "tickets") + " opened in 90 days";
  if (key == "open_escalations") return Count(v, "open escalation", "open escalations");
  if (key == "nps_latest")
    return fmt::format("latest NPS {:.0f} ({})", v,
                       v >= 9   ? "promoter"
                       : v >= 7 ? "passive"
                                : "detractor");
  if (key == "usage_trend_90") {
    if (std::abs(v) < 0.005f) return "active users flat over 90 days";
    return fmt::format("active users {} {} over 90 days", v > 0 ? "up" : "down", Percent(v));
  }
  if (key == "days_to_renewal") return fmt::format("renewal in {:.0f} days", v);
  if (key == "tier") return fmt::format("tier {:.0f}", v);
  if (key == "days_since_meaningful_contact")
    return v >= 365 ? std::string("no meaningful contact in a year")
                    : fmt::format("no meaningful contact for {:.0f} days", v);
  if (key == "plan_parts")
    return fmt::format("plan holds {:.0f} of 4 parts (priorities, risks, whitespace, open actions)",
                       v);
  if (key == "days_since_plan_change")
    return v >= 730 ? std::string("plan unchanged in two years")
                    : fmt::format("plan unchanged for {:.0f} days", v);
  return fmt::format("{} {:.2f}", key, v);
}

}  // namespace orchard::predict
