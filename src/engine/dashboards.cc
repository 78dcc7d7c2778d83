#include "engine/dashboards.h"

#include <algorithm>
#include <map>

#include "domain/tiers.h"

namespace orchard::engine {

namespace {

bool Passes(const ReadModel& m, size_t slot, Tier tier, const DashboardFilter& f) {
  if (f.am && m.owner_id(slot) != *f.am) return false;
  if (f.tier && tier != *f.tier) return false;
  return true;
}

}  // namespace

Tier TierOf(const ReadModel& model, size_t slot, int32_t day, const TierRules& rules) {
  if (auto t = model.tier_override(slot)) return *t;
  return RuleTier(Money::FromCents(model.ArrCentsOn(slot, day)), model.strategic(slot), rules);
}

namespace {

// The tier in force for a slot whose ARR (on the day of interest) is known.
Tier TierWith(const ReadModel& model, size_t slot, int64_t arr_cents, const TierRules& rules) {
  if (auto t = model.tier_override(slot)) return *t;
  return RuleTier(Money::FromCents(arr_cents), model.strategic(slot), rules);
}

}  // namespace

std::vector<Renewal> Renewals(const ReadModel& model, const Settings& settings, Date today,
                              int window_days, const DashboardFilter& filter) {
  std::vector<Renewal> out;
  const int32_t d = today.days();
  const int32_t last = d + window_days;
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(d);
  for (size_t slot = 0; slot < model.slots(); ++slot) {
    int32_t renewal = on.renewal[slot];
    if (renewal > last || !model.live(slot)) continue;
    Tier tier = TierWith(model, slot, on.arr_cents[slot], settings.tiers);
    if (!Passes(model, slot, tier, filter)) continue;
    Renewal r;
    r.account_id = model.account_id(slot);
    r.owner_id = model.owner_id(slot);
    r.tier = tier;
    r.arr_cents = on.arr_cents[slot];
    r.renewal_date = Date::FromDays(renewal);
    r.days_left = renewal - d;
    out.push_back(r);
  }
  std::sort(out.begin(), out.end(), [](const Renewal& a, const Renewal& b) {
    if (a.arr_cents != b.arr_cents) return a.arr_cents > b.arr_cents;
    if (a.days_left != b.days_left) return a.days_left < b.days_left;
    return a.account_id < b.account_id;
  });
  return out;
}

std::vector<RetentionRow> NrrLeaderboard(const ReadModel& model, const Settings& settings,
                                         Date from, Date to, const DashboardFilter& filter) {
  std::map<int64_t, RetentionFigures> by_am;
  {
    auto lock = model.ReadLock();
    for (size_t slot = 0; slot < model.slots(); ++slot) {
      if (!model.live(slot) || model.owner_id(slot) == 0) continue;
      int64_t s = model.ArrCentsOn(slot, from.days());
      if (s <= 0) continue;
      Tier tier = model.tier_override(slot).value_or(
          RuleTier(Money::FromCents(s), model.strategic(slot), settings.tiers));
      if (!Passes(model, slot, tier, filter)) continue;
      by_am[model.owner_id(slot)].Add(s, model.ArrCentsOn(slot, to.days()));
    }
  }
  std::vector<RetentionRow> rows;
  for (const auto& [am, figures] : by_am) rows.push_back({std::to_string(am), figures});
  std::stable_sort(rows.begin(), rows.end(), [](const RetentionRow& a, const RetentionRow& b) {
    return a.figures.nrr_bp().value_or(0) > b.figures.nrr_bp().value_or(0);
  });
  return rows;
}

std::vector<CoverageRow> Coverage(const ReadModel& model, const Settings& settings, Date today,
                                  const DashboardFilter& filter) {
  std::map<int64_t, CoverageRow> by_am;
  {
    auto lock = model.ReadLock();
    const DayColumns& on = model.On(today.days());
    for (size_t slot = 0; slot < model.slots(); ++slot) {
      if (!model.live(slot)) continue;
      Tier tier = TierWith(model, slot, on.arr_cents[slot], settings.tiers);
      if (!Passes(model, slot, tier, filter)) continue;
      CoverageRow& row = by_am[model.owner_id(slot)];
      row.owner_id = model.owner_id(slot);
      ++row.accounts_by_tier[static_cast<size_t>(tier)];
      row.arr_cents += on.arr_cents[slot];
    }
  }
  std::vector<CoverageRow> out;
  for (auto& [am, row] : by_am) {
    double at_target = 0, at_top = 0, at_bottom = 0;
    for (Tier t : {Tier::kStrategic, Tier::kCore}) {
      const TierCoverage& c = settings.For(t);
      double n = static_cast<double>(row.accounts_by_tier[static_cast<size_t>(t)]);
      if (c.accounts_per_am_target > 0) at_target += n / c.accounts_per_am_target;
      if (c.accounts_per_am_max > 0) at_top += n / c.accounts_per_am_max;
      if (c.accounts_per_am_min > 0) at_bottom += n / c.accounts_per_am_min;
    }
    row.load = at_target;
    if (am == 0) {
      row.status = "unassigned";
    } else if (at_top > 1.0) {
      row.status = "overloaded";
    } else if (at_bottom < 1.0) {
      row.status = "under";
    } else {
      row.status = "within";
    }
    out.push_back(row);
  }
  return out;
}

Kpis KpiStrip(const ReadModel& model, const Settings& settings, Date today,
              const DashboardFilter& filter) {
  Kpis k;
  const int32_t t0 = today.AddYears(-1).days(), t1 = today.days();
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(t1);
  for (size_t slot = 0; slot < model.slots(); ++slot) {
    if (!model.live(slot)) continue;
    int64_t now = on.arr_cents[slot];
    Tier tier = TierWith(model, slot, now, settings.tiers);
    if (!Passes(model, slot, tier, filter)) continue;
    ++k.accounts;
    k.arr_cents += now;
    k.retention.Add(model.ArrCentsOn(slot, t0), now);
  }
  return k;
}

}  // namespace orchard::engine
