#include "engine/growth.h"

#include <algorithm>
#include <cmath>

#include "core/money.h"

namespace orchard::engine {

void RankGrowth(const ReadModel& model, ModelScores& scores) {
  struct Ranked {
    int64_t expected, account_id;
    uint32_t slot;
  };
  std::vector<Ranked> ranked;
  {
    // Under the read lock only to read the book; the sort runs after, so writes never wait on it.
    auto lock = model.ReadLock();
    const size_t n = std::min(scores.expected_expansion_cents.size(), model.slots());
    for (size_t slot = 0; slot < n; ++slot) {
      const int64_t expected = scores.expected_expansion_cents[slot];
      if (expected <= 0 || !model.live(slot)) continue;
      ranked.push_back({expected, model.account_id(slot), static_cast<uint32_t>(slot)});
    }
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.expected != b.expected) return a.expected > b.expected;
    return a.account_id < b.account_id;
  });
  scores.growth.clear();
  scores.growth.reserve(ranked.size());
  scores.growth_total_cents = 0;
  for (const Ranked& r : ranked) {
    scores.growth.push_back(r.slot);
    scores.growth_total_cents = SaturatingAdd(scores.growth_total_cents, r.expected);
  }
}

GrowthPage GrowthPaged(const ReadModel& model, const Settings& settings, Date today,
                       const ModelScores* scores, const DashboardFilter& filter, size_t offset,
                       size_t limit) {
  GrowthPage page;
  if (scores == nullptr) {
    page.reason = "the models have not scored the book yet";
    return page;
  }
  page.scored = scores->day;
  if (!scores->upsell_reason.empty()) {
    page.reason = scores->upsell_reason;
    return page;
  }
  page.available = true;
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(today.days(), settings);
  auto row = [&](uint32_t slot) {
    const Summary& s = on.summary[slot];
    Growth g;
    g.account_id = model.account_id(slot);
    g.owner_id = model.owner_id(slot);
    g.tier = static_cast<Tier>(s.tier);
    g.arr_cents = on.arr_cents[slot];
    g.health = s.health;
    g.colour = s.colour;
    g.upsell_probability = scores->Upsell(slot);
    g.churn_probability = scores->Churn(slot);
    g.whitespace_cents = s.whitespace_cents;
    g.expected_expansion_cents = scores->Expected(slot);
    return g;
  };
  const std::vector<uint32_t>& ranked = scores->growth;
  if (filter.Whole()) {
    // The whole book: the ranking is the answer, so the page is read straight from it.
    page.total = static_cast<int64_t>(ranked.size());
    page.total_expected_cents = scores->growth_total_cents;
    const size_t end = std::min(ranked.size(), offset + std::min(limit, ranked.size()));
    for (size_t i = offset; i < end; ++i) {
      if (ranked[i] < model.slots()) page.items.push_back(row(ranked[i]));
    }
    return page;
  }
  // A filter: one walk of the ranking (accounts with a growth opportunity only), counting what
  // it admits and keeping the page.
  for (uint32_t slot : ranked) {
    if (slot >= model.slots() || !model.live(slot)) continue;
    if (!filter.Admits(model, slot, static_cast<Tier>(on.summary[slot].tier))) continue;
    const auto at = static_cast<size_t>(page.total++);
    page.total_expected_cents = SaturatingAdd(page.total_expected_cents, scores->Expected(slot));
    if (at >= offset && at - offset < limit) page.items.push_back(row(slot));
  }
  return page;
}

}  // namespace orchard::engine
