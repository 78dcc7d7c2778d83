#include "engine/dashboards.h"

#include <algorithm>
#include <map>

#include "domain/tiers.h"

namespace orchard::engine {

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
    Tier tier = TierFor(model, slot, on.arr_cents[slot], settings.tiers);
    if (!filter.Admits(model, slot, tier)) continue;
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

Result<std::vector<RetentionRow>> NrrLeaderboard(const ReadModel& model, const Settings& settings,
                                                 Date from, Date to,
                                                 const DashboardFilter& filter) {
  ORCHARD_TRY(auto report, Retention(model, from, to, RetentionGroup::kAm, settings.tiers, filter));
  std::vector<RetentionRow> rows;
  for (auto& row : report.rows) {
    if (!row.key.empty()) rows.push_back(std::move(row));  // "": accounts with no AM
  }
  // Best NRR first; ties by user id.
  std::sort(rows.begin(), rows.end(), [](const RetentionRow& a, const RetentionRow& b) {
    int64_t na = a.figures.nrr_bp().value_or(0), nb = b.figures.nrr_bp().value_or(0);
    return na != nb ? na > nb : std::stoll(a.key) < std::stoll(b.key);
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
      Tier tier = TierFor(model, slot, on.arr_cents[slot], settings.tiers);
      if (!filter.Admits(model, slot, tier)) continue;
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
    Tier tier = TierFor(model, slot, now, settings.tiers);
    if (!filter.Admits(model, slot, tier)) continue;
    ++k.accounts;
    k.arr_cents += now;
    k.retention.Add(model.ArrCentsOn(slot, t0), now);
  }
  return k;
}

}  // namespace orchard::engine
