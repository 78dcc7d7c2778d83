// The KPI strip (engine/dashboards.h): the trailing year's, which every write keeps for the whole
// book, and any period's, whole and by group, which one pass over the accounts sums.
#include <algorithm>
#include <tuple>

#include "engine/dashboards.h"
#include "engine/health.h"
#include "engine/parallel.h"

namespace orchard::engine {

namespace {

// What one pass sums: the strip's sums and retention, in total and per group (by dense key), and
// the SLA by AM for the whole strip.
struct Part {
  KpiSums sums;
  RetentionFigures retention;
  std::vector<SlaTally> sla_by_owner;  // by the owner's dense index
  std::vector<KpiSums> group_sums;     // by group key
  std::vector<RetentionFigures> group_retention;
};

void Merge(Part& into, const Part& part) {
  into.sums.Merge(part.sums);
  into.retention.Merge(part.retention);
  for (size_t i = 0; i < into.sla_by_owner.size(); ++i) {
    into.sla_by_owner[i].Add(part.sla_by_owner[i]);
  }
  for (size_t k = 0; k < into.group_sums.size(); ++k) {
    into.group_sums[k].Merge(part.group_sums[k]);
    into.group_retention[k].Merge(part.group_retention[k]);
  }
}

// The strip's figures from its sums and retention.
Kpis FromSums(const KpiSums& sums, const RetentionFigures& retention) {
  Kpis k;
  k.retention = retention;
  for (size_t t = 0; t < 3; ++t) k.sla.Add(sums.sla[t]);
  k.sla_by_tier = {sums.sla[0], sums.sla[1]};
  k.accounts = sums.accounts;
  k.arr_cents = sums.arr_cents.cents();
  k.at_risk = sums.at_risk;
  k.expansion_created_cents = sums.expansion_created_cents.cents();
  if (sums.accounts > 0) k.average_depth = static_cast<double>(sums.depth_sum) / sums.accounts;
  if (sums.planned > 0) {
    k.average_completeness = static_cast<double>(sums.completeness_sum) / sums.planned;
  }
  return k;
}

// The group of the account in `slot`, by dense key (retention.cc's keys; the tier as KpiReport
// says).
size_t GroupKey(const ReadModel& model, const Settings& settings, RetentionGroup group, size_t slot,
                int32_t to, int64_t start_cents, const Summary& s) {
  switch (group) {
    case RetentionGroup::kAm:
      return model.owner_index_on(slot, to);
    case RetentionGroup::kTier:
      return start_cents > 0
                 ? static_cast<size_t>(TierFor(model, slot, start_cents, settings.tiers))
                 : static_cast<size_t>(s.tier);
    case RetentionGroup::kIndustry:
      return model.industry_code(slot);
    case RetentionGroup::kRegion:
      return model.region_code(slot);
    case RetentionGroup::kSegment:
      return static_cast<size_t>(s.quadrant);
    case RetentionGroup::kAmAtStart:  // refused by KpiReportFor
    case RetentionGroup::kNone:
      break;
  }
  return 0;
}

}  // namespace

Result<KpiReport> KpiReportFor(const ReadModel& model, const Settings& settings, Date today,
                               Date from, Date to, const DashboardFilter& filter,
                               RetentionGroup group) {
  if (to < from) {
    return FailValue("from", "the period starts (" + from.ToString() + ") after it ends (" +
                                 to.ToString() + ")");
  }
  if (today < to) {
    return FailValue("to", "the period ends (" + to.ToString() + ") after today (" +
                               today.ToString() + "): the book's figures are not known yet");
  }
  if (group == RetentionGroup::kAmAtStart) {
    return FailField("group_by", "the KPI strip groups by am, tier, segment, industry or region");
  }
  KpiReport report;
  report.from = from;
  report.to = to;
  report.group_by = group;
  auto lock = model.ReadLock();
  // Today's columns are kept by every write; another day's are built aside, leaving them be.
  DayColumns other;
  const bool kept = to == today;
  if (!kept) model.BuildColumnsOn(to.days(), settings, other);
  const DayColumns& on = kept ? model.On(to.days(), settings) : other;
  Part all;
  if (kept && filter.Whole() && group == RetentionGroup::kNone && on.year_ago == from.days()) {
    // The whole book over the trailing year: its sums and retention are kept by every write.
    all.sums = on.kpi_total;
    all.retention = on.year_total;
    all.sla_by_owner = on.sla_by_owner;
  } else {
    auto starts = model.ArrColumn(from.days());
    const size_t width = group == RetentionGroup::kNone
                             ? 0
                             : std::max({model.owner_count(), model.word_count(), size_t{4}});
    auto scan = [&](Part& part, size_t begin, size_t end) {
      for (size_t slot = begin; slot < end; ++slot) {
        const Summary& s = on.summary[slot];
        if (!model.live(slot) || !filter.Admits(model, slot, static_cast<Tier>(s.tier))) continue;
        const int64_t start = (*starts)[slot], arr = on.arr_cents[slot];
        part.sums.Count(s, arr, 1);
        part.retention.Add(start, arr);
        if (s.sla_met + s.sla_missed > 0) {
          part.sla_by_owner[model.owner_index(slot)].Add(SlaTally{s.sla_met, s.sla_missed});
        }
        if (width == 0) continue;
        const size_t key = GroupKey(model, settings, group, slot, to.days(), start, s);
        part.group_sums[key].Count(s, arr, 1);
        part.group_retention[key].Add(start, arr);
      }
    };
    Part empty{{},
               {},
               std::vector<SlaTally>(model.owner_count()),
               std::vector<KpiSums>(width),
               std::vector<RetentionFigures>(width)};
    all = ReduceRanges(model.slots(), std::move(empty), scan,
                       [](Part& into, const Part& part) { Merge(into, part); });
  }
  report.total = FromSums(all.sums, all.retention);
  for (size_t i = 0; i < all.sla_by_owner.size(); ++i) {
    if (all.sla_by_owner[i].measured() > 0) {
      report.total.sla_by_am.emplace_back(model.owner_at(static_cast<uint32_t>(i)),
                                          all.sla_by_owner[i]);
    }
  }
  std::sort(report.total.sla_by_am.begin(), report.total.sla_by_am.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t key = 0; key < all.group_sums.size(); ++key) {
    if (all.group_sums[key].accounts == 0) continue;
    KpiGroupRow row;
    row.key = GroupKeyName(model, group, key, row.owner_id);
    if (group != RetentionGroup::kAm) row.owner_id = 0;
    row.kpis = FromSums(all.group_sums[key], all.group_retention[key]);
    report.groups.push_back(std::move(row));
  }
  // Largest ARR first (ties by name); nobody's accounts last.
  auto rank = [](const KpiGroupRow& r) {
    return std::tuple(r.key.empty(), -r.kpis.arr_cents, std::string_view(r.key));
  };
  std::sort(report.groups.begin(), report.groups.end(),
            [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return report;
}

Kpis KpiStrip(const ReadModel& model, const Settings& settings, Date today,
              const DashboardFilter& filter) {
  auto report = KpiReportFor(model, settings, today, today.AddYears(-1), today, filter,
                             RetentionGroup::kNone);
  return report ? std::move(report->total) : Kpis{};  // a year to today is always a period
}

}  // namespace orchard::engine
