#include "engine/health_report.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "engine/retention.h"

namespace orchard::engine {

namespace {

std::string Signed(double v) {
  int n = static_cast<int>(std::lround(v));
  return (n > 0 ? "+" : "") + std::to_string(n);
}

// "Computed 64 of 100: usage 80 × 30%, …", then the components without data, then the override.
std::vector<std::string> HowMade(const Health& now) {
  std::vector<std::string> explanation;
  std::string parts, missing;
  for (size_t i = 0; i < now.components.size(); ++i) {
    const auto& c = now.components[i];
    std::string_view name = kHealthPartNames[i];
    if (c.value) {
      parts += (parts.empty() ? "" : ", ") + std::string(name) + " " + std::to_string(*c.value) +
               " × " + std::to_string(static_cast<int>(std::lround(c.share * 100))) + "%";
    } else if (c.weight > 0) {
      missing += (missing.empty() ? "" : ", ") + std::string(name);
    }
  }
  if (now.churned_after) {
    explanation.push_back("No score: churned. Its last contract line ended on " +
                          now.churned_after->ToString() +
                          "; a lost customer is not scored, however quiet its signals.");
    return explanation;
  }
  if (now.computed) {
    explanation.push_back("Computed " + std::to_string(*now.computed) + " of 100: " + parts + ".");
  } else {
    explanation.push_back("No score: there is no input to compute one from.");
  }
  if (!missing.empty()) {
    explanation.push_back("No data for " + missing +
                          ": their weight is shared among the components present.");
  }
  if (now.override_in_force) {
    explanation.push_back("Set by hand to " + std::to_string(now.override_in_force->score) +
                          " until " + now.override_in_force->expires_on.ToString() + ": " +
                          now.override_in_force->reason + ".");
  }
  return explanation;
}

// What moved between `then` (`back` days ago) and `now`: the changed components, and one
// sentence with the largest movements first.
HealthMove Moved(const Health& now, const Health& then, int back) {
  HealthMove m;
  m.days = back;
  m.score_then = then.score;
  if (now.score && then.score) m.change = *now.score - *then.score;
  std::vector<std::pair<double, std::string>> said;
  for (size_t i = 0; i < now.components.size(); ++i) {
    const auto& a = then.components[i];
    const auto& b = now.components[i];
    if (a.value == b.value) continue;
    double points = b.contribution - a.contribution;
    m.components.push_back({kHealthPartNames[i], a.value, b.value, points});
    std::string name(kHealthPartNames[i]);
    std::string text = !a.value ? name + " appeared at " + std::to_string(*b.value)
                       : !b.value
                           ? name + " dropped out (no data now)"
                           : name + (*b.value > *a.value ? " rose" : " fell") + " from " +
                                 std::to_string(*a.value) + " to " + std::to_string(*b.value) +
                                 " (" + Signed(points) + " points)";
    said.emplace_back(std::abs(points), std::move(text));
  }
  std::stable_sort(said.begin(), said.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  std::string sentence;
  if (now.score && then.score) {
    int change = *now.score - *then.score;
    sentence = change == 0
                   ? "Unchanged since " + std::to_string(back) + " days ago"
                   : std::string(change > 0 ? "Up " : "Down ") + std::to_string(std::abs(change)) +
                         " since " + std::to_string(back) + " days ago (" +
                         std::to_string(*then.score) + ")";
  } else {
    sentence = "Since " + std::to_string(back) + " days ago";
  }
  for (size_t i = 0; i < said.size(); ++i) {
    sentence += (i == 0 ? ": " : "; ") + said[i].second;
  }
  m.summary = sentence + ".";
  return m;
}

AccountMetrics MetricsOf(const ReadModel& model, const Settings& settings, size_t slot, int32_t d) {
  const auto& on = model.On(d, settings);
  const Summary& sum = on.summary[slot];
  const Tier tier = static_cast<Tier>(sum.tier);
  const int32_t renewal = on.renewal[slot];
  AccountMetrics m;
  m.multithreading_depth = sum.depth;
  m.multithreading_target = settings.For(tier).multithreading_target;
  m.single_threaded = (sum.flags & Summary::kSingleThreaded) != 0;
  if (sum.last_meaningful != kNoDay)
    m.last_meaningful_contact = Date::FromDays(sum.last_meaningful);
  if (renewal != kOpenEnd) m.renewal_date = Date::FromDays(renewal);
  m.renewal_engaged_days_before = RenewalEngagement(model, slot, renewal, d);
  m.plan_completeness = sum.completeness;
  if (sum.plan_changed != kNoDay) m.plan_freshness_days = d - sum.plan_changed;
  m.plan_refresh_days = settings.For(tier).plan_refresh_days;
  m.plan_stale = (sum.flags & Summary::kStalePlan) != 0;
  m.overdue_actions = (sum.flags & Summary::kOverdueActions) != 0;
  m.economic_buyer_engaged = (sum.flags & Summary::kNoEconomicBuyer) == 0;
  m.whitespace_cents = sum.whitespace_cents;
  m.potential = PotentialOf(model, slot, on.arr_cents[slot], sum.whitespace_cents, settings);
  m.quadrant = static_cast<Quadrant>(sum.quadrant);
  return m;
}

}  // namespace

Result<HealthReport> AccountHealthReport(const ReadModel& model, const Settings& settings,
                                         Date today, int64_t account_id, int history_days) {
  const int32_t d = today.days();
  auto lock = model.ReadLock();
  auto slot = model.SlotOf(account_id);
  if (!slot || !model.live(*slot)) {
    return Fail(ErrorCode::kNotFound, "account " + std::to_string(account_id) + " not found");
  }
  const auto& on = model.On(d, settings);
  const Summary& sum = on.summary[*slot];
  auto tier_on = [&](int32_t day) {
    return TierFor(model, *slot, model.ArrCentsOn(*slot, day), settings.tiers);
  };
  Health now = ComputeHealth(model, *slot, d, static_cast<Tier>(sum.tier), settings, true);
  HealthReport r;
  r.account_id = account_id;
  r.as_of = today;
  r.tier = static_cast<Tier>(sum.tier);
  r.arr_cents = on.arr_cents[*slot];
  r.score = now.score;
  r.colour = ColourOf(now.score, settings);
  r.computed = now.computed;
  r.override_in_force = now.override_in_force;
  r.churned_after = now.churned_after;
  for (size_t i = 0; i < now.components.size(); ++i) {
    const auto& c = now.components[i];
    r.components.push_back(
        {kHealthPartNames[i], c.value, c.weight, c.share, c.contribution, c.detail});
  }
  r.explanation = HowMade(now);
  for (int back : {7, 30}) {
    Health then = ComputeHealth(model, *slot, d - back, tier_on(d - back), settings, false);
    r.moved.push_back(Moved(now, then, back));
    r.explanation.push_back(r.moved.back().summary);
  }
  for (int back = history_days - 1; back >= 0; --back) {
    Health h = ComputeHealth(model, *slot, d - back, tier_on(d - back), settings, false);
    r.history.push_back({Date::FromDays(d - back), h.score, ColourOf(h.score, settings)});
  }
  r.metrics = MetricsOf(model, settings, *slot, d);
  return r;
}

}  // namespace orchard::engine
