#include "engine/dashboards.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "domain/tiers.h"
#include "engine/health.h"
#include "engine/parallel.h"

namespace orchard::engine {

namespace {

// The page [offset, offset + limit) of a stream of items ordered by `less`, kept while the
// stream goes by: a bounded max-heap of the best offset + limit (the worst of them on top), so a
// page of a million-account list costs one comparison per account, not a vector of a million and
// a sort.
template <class T, class Less>
class PageOf {
 public:
  PageOf(size_t offset, size_t limit, Less less)
      : offset_(offset),
        keep_(limit > SIZE_MAX - offset ? SIZE_MAX : offset + limit),
        less_(less) {}

  void Push(const T& item) {
    if (keep_ == 0) return;
    if (heap_.size() < keep_) {
      heap_.push_back(item);
      std::push_heap(heap_.begin(), heap_.end(), less_);
    } else if (less_(item, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), less_);
      heap_.back() = item;
      std::push_heap(heap_.begin(), heap_.end(), less_);
    }
  }
  // Adds what another page of the same list kept (one range's, when a pass is split).
  void Merge(PageOf&& other) {
    for (const T& item : other.heap_) Push(item);
    other.heap_.clear();
  }
  // The items kept, in order, from `offset` on.
  std::vector<T> Take() && {
    std::sort_heap(heap_.begin(), heap_.end(), less_);
    if (offset_ >= heap_.size()) return {};
    heap_.erase(heap_.begin(), heap_.begin() + static_cast<std::ptrdiff_t>(offset_));
    return std::move(heap_);
  }

 private:
  size_t offset_, keep_;
  Less less_;
  std::vector<T> heap_;
};

template <class T, class Less>
PageOf<T, Less> MakePage(size_t offset, size_t limit, Less less) {
  return PageOf<T, Less>(offset, limit, less);
}

std::optional<Date> DayOrNone(int32_t day) {
  if (day == kNoDay || day == kOpenEnd) return std::nullopt;
  return Date::FromDays(day);
}

bool Admits(const DashboardFilter& f, const ReadModel& model, size_t slot, const Summary& s) {
  return model.live(slot) && f.Admits(model, slot, static_cast<Tier>(s.tier));
}

// splitmix64: a fixed, well-mixed hash, so the monthly sample is the same on every server.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Days to the slot's next renewal; nullopt without one.
std::optional<int> DaysLeft(const DayColumns& on, size_t slot, int32_t today) {
  if (on.renewal[slot] == kOpenEnd || on.renewal[slot] == kNoDay) return std::nullopt;
  return on.renewal[slot] - today;
}

}  // namespace

Result<DashboardSort> ParseDashboardSort(std::string_view text) {
  if (text == "urgency") return DashboardSort::kUrgency;
  if (text == "arr") return DashboardSort::kArr;
  return FailField("sort", "must be urgency or arr; got \"" + std::string(text) + "\"");
}

std::string_view ToString(DashboardSort sort) {
  return sort == DashboardSort::kUrgency ? "urgency" : "arr";
}

int UrgencyWeightBp(std::optional<int> days_left, int window_days) {
  constexpr int kNear = 30, kFull = 10'000, kFloor = 2'500;
  if (!days_left || *days_left > window_days) return kFloor;
  if (*days_left <= kNear) return kFull;
  // Inside the window past 30 days: from 1 at day 30 down to 0.25 at the window's last day.
  const int64_t span = window_days - kNear;
  return kFull -
         static_cast<int>((kFull - kFloor) * static_cast<int64_t>(*days_left - kNear) / span);
}

int64_t UrgencyCents(int64_t arr_cents, int health, std::optional<int> days_left, int window_days) {
  const int h = health < 0 ? 50 : std::min(health, 100);
  const double share = (100 - h) / 100.0;
  const double at_risk = static_cast<double>(arr_cents) * share * share;
  return std::llround(at_risk * UrgencyWeightBp(days_left, window_days) / 10'000.0);
}

RenewalsPage RenewalsPaged(const ReadModel& model, const Settings& settings, Date today,
                           int window_days, const DashboardFilter& filter, size_t offset,
                           size_t limit, DashboardSort sort) {
  RenewalsPage page;
  const int32_t d = today.days();
  const int32_t last = d + window_days;
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(d, settings);
  auto urgency = [&](size_t slot) {
    return UrgencyCents(on.arr_cents[slot], on.summary[slot].health, DaysLeft(on, slot, d),
                        window_days);
  };
  using Hit = std::pair<size_t, int64_t>;  // slot, urgency (0 when sorted by ARR)
  auto hits = MakePage<Hit>(offset, limit, [&](const Hit& x, const Hit& y) {
    const size_t a = x.first, b = y.first;
    if (x.second != y.second) return x.second > y.second;
    if (on.arr_cents[a] != on.arr_cents[b]) return on.arr_cents[a] > on.arr_cents[b];
    if (on.renewal[a] != on.renewal[b]) return on.renewal[a] < on.renewal[b];
    return model.account_id(a) < model.account_id(b);
  });
  using Page = decltype(hits);
  struct Part {
    Page hits;
    int64_t total = 0, arr_cents = 0, at_risk = 0;
  };
  auto scan = [&](Part& part, size_t begin, size_t end) {
    for (size_t slot = begin; slot < end; ++slot) {
      if (on.renewal[slot] > last) continue;
      const Summary& sum = on.summary[slot];
      if (!Admits(filter, model, slot, sum)) continue;
      part.hits.Push({slot, sort == DashboardSort::kUrgency ? urgency(slot) : 0});
      ++part.total;
      part.arr_cents = SaturatingAdd(part.arr_cents, on.arr_cents[slot]);
      part.at_risk += sum.colour >= 2 ? 1 : 0;
    }
  };
  Part all = ReduceRanges(model.slots(), Part{hits}, scan, [](Part& into, Part& part) {
    into.hits.Merge(std::move(part.hits));
    into.total += part.total;
    into.arr_cents = SaturatingAdd(into.arr_cents, part.arr_cents);
    into.at_risk += part.at_risk;
  });
  page.total = all.total;
  page.total_arr_cents = all.arr_cents;
  page.at_risk = all.at_risk;
  for (const auto& [slot, key] : std::move(all.hits).Take()) {
    const Summary& sum = on.summary[slot];
    Renewal r;
    r.account_id = model.account_id(slot);
    r.owner_id = model.owner_id(slot);
    r.tier = static_cast<Tier>(sum.tier);
    r.arr_cents = on.arr_cents[slot];
    r.renewal_date = Date::FromDays(on.renewal[slot]);
    r.days_left = on.renewal[slot] - d;
    r.health = sum.health;
    r.colour = sum.colour;
    r.at_risk = sum.colour >= 2;
    r.engaged_days_before = RenewalEngagement(model, slot, on.renewal[slot], d);
    r.urgency_cents = urgency(slot);
    page.items.push_back(r);
  }
  return page;
}

std::vector<Renewal> Renewals(const ReadModel& model, const Settings& settings, Date today,
                              int window_days, const DashboardFilter& filter) {
  return RenewalsPaged(model, settings, today, window_days, filter, 0, SIZE_MAX).items;
}

AtRiskPage AccountsAtRisk(const ReadModel& model, const Settings& settings, Date today,
                          const DashboardFilter& filter, size_t offset, size_t limit,
                          DashboardSort sort) {
  AtRiskPage page;
  const int32_t d = today.days();
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(d, settings);
  auto urgency = [&](size_t slot) {
    return UrgencyCents(on.arr_cents[slot], on.summary[slot].health, DaysLeft(on, slot, d),
                        settings.renewal_window_days);
  };
  using Hit = std::pair<size_t, int64_t>;  // slot, urgency (0 when sorted by ARR)
  auto hits = MakePage<Hit>(offset, limit, [&](const Hit& a, const Hit& b) {
    if (a.second != b.second) return a.second > b.second;
    const int64_t arr_a = on.arr_cents[a.first], arr_b = on.arr_cents[b.first];
    if (arr_a != arr_b) return arr_a > arr_b;
    int ha = on.summary[a.first].health, hb = on.summary[b.first].health;
    if (ha != hb) return ha < hb;
    return model.account_id(a.first) < model.account_id(b.first);
  });
  using Page = decltype(hits);
  struct Part {
    Page hits;
    int64_t total = 0, arr_cents = 0;
  };
  auto scan = [&](Part& part, size_t begin, size_t end) {
    for (size_t slot = begin; slot < end; ++slot) {
      const Summary& s = on.summary[slot];
      if (s.colour < 2 || !Admits(filter, model, slot, s)) continue;
      part.hits.Push({slot, sort == DashboardSort::kUrgency ? urgency(slot) : 0});
      ++part.total;
      part.arr_cents = SaturatingAdd(part.arr_cents, on.arr_cents[slot]);
    }
  };
  Part all = ReduceRanges(model.slots(), Part{hits}, scan, [](Part& into, Part& part) {
    into.hits.Merge(std::move(part.hits));
    into.total += part.total;
    into.arr_cents = SaturatingAdd(into.arr_cents, part.arr_cents);
  });
  page.total = all.total;
  page.total_arr_cents = all.arr_cents;
  for (const auto& [slot, key] : std::move(all.hits).Take()) {
    const int64_t arr = on.arr_cents[slot];
    const Summary& s = on.summary[slot];
    AtRisk r;
    r.account_id = model.account_id(slot);
    r.owner_id = model.owner_id(slot);
    r.tier = static_cast<Tier>(s.tier);
    r.arr_cents = arr;
    r.renewal_date = DayOrNone(on.renewal[slot]);
    r.last_meaningful = DayOrNone(s.last_meaningful);
    r.health = s.health;
    r.colour = s.colour;
    r.why = WhyLow(ComputeHealth(model, slot, d, r.tier, settings, true), 2);
    r.urgency_cents = urgency(slot);
    page.items.push_back(std::move(r));
  }
  return page;
}

Pipeline ExpansionPipeline(const ReadModel& model, const Settings& settings, Date today, Date from,
                           Date to, const DashboardFilter& filter) {
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(today.days(), settings);
  // The whole book over the default period: the totals every opportunity write keeps. Otherwise
  // the same totals, counted over the accounts in the filter.
  PipelineTotals t;
  if (filter.Whole() && from == today.AddYears(-1) && to == today) {
    t = on.pipeline;
  } else {
    for (size_t slot = 0; slot < model.slots(); ++slot) {
      if (!Admits(filter, model, slot, on.summary[slot])) continue;
      for (const OpportunityRec& o : model.opportunities(slot)) {
        t.Count(o, from.days(), to.days(), 1);
      }
    }
  }
  Pipeline p;
  CentsTotal open;
  for (size_t i = 0; i < t.open_count.size(); ++i) {
    p.stages.push_back(
        PipelineStage{static_cast<OpportunityStage>(i), t.open_count[i], t.open_cents[i].cents()});
    p.open_count += t.open_count[i];
    open += t.open_cents[i];
  }
  p.open_cents = open.cents();
  p.created_count = t.created_count;
  p.created_cents = t.created_cents.cents();
  p.won_cents = t.won_cents.cents();
  return p;
}

Portfolio PortfolioGrid(const ReadModel& model, const Settings& settings, Date today,
                        const DashboardFilter& filter, std::optional<Quadrant> quadrant,
                        size_t offset, size_t limit) {
  Portfolio p;
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(today.days(), settings);
  using Hit = std::pair<size_t, int64_t>;  // slot, ARR
  auto hits = MakePage<Hit>(offset, limit, [&](const Hit& a, const Hit& b) {
    if (a.second != b.second) return a.second > b.second;
    return model.account_id(a.first) < model.account_id(b.first);
  });
  using Page = decltype(hits);
  struct Part {
    Page hits;
    decltype(p.cells) cells{};
    int64_t total = 0;
  };
  auto scan = [&](Part& part, size_t begin, size_t end) {
    for (size_t slot = begin; slot < end; ++slot) {
      const Summary& s = on.summary[slot];
      if (!Admits(filter, model, slot, s)) continue;
      PortfolioCell& cell = part.cells[s.quadrant];
      ++cell.accounts;
      cell.arr_cents = SaturatingAdd(cell.arr_cents, on.arr_cents[slot]);
      cell.whitespace_cents = SaturatingAdd(cell.whitespace_cents, s.whitespace_cents);
      if (!quadrant || static_cast<uint8_t>(*quadrant) == s.quadrant) {
        part.hits.Push({slot, on.arr_cents[slot]});
        ++part.total;
      }
    }
  };
  Part all = ReduceRanges(model.slots(), Part{hits, p.cells}, scan, [](Part& into, Part& part) {
    into.hits.Merge(std::move(part.hits));
    for (size_t q = 0; q < into.cells.size(); ++q) {
      into.cells[q].accounts += part.cells[q].accounts;
      into.cells[q].arr_cents = SaturatingAdd(into.cells[q].arr_cents, part.cells[q].arr_cents);
      into.cells[q].whitespace_cents =
          SaturatingAdd(into.cells[q].whitespace_cents, part.cells[q].whitespace_cents);
    }
    into.total += part.total;
  });
  p.cells = all.cells;
  p.total = all.total;
  for (const auto& [slot, arr] : std::move(all.hits).Take()) {
    const Summary& s = on.summary[slot];
    p.items.push_back(PortfolioPoint{model.account_id(slot), model.owner_id(slot), arr,
                                     s.whitespace_cents, static_cast<Quadrant>(s.quadrant),
                                     s.health});
  }
  return p;
}

InspectionQueue InspectionQueueFor(const ReadModel& model, const Settings& settings, Date today,
                                   const DashboardFilter& filter, size_t offset, size_t limit) {
  InspectionQueue q;
  const int32_t d = today.days();
  std::string day = today.ToString();
  q.month = day.substr(0, 7);
  const uint64_t month_key =
      Mix(static_cast<uint64_t>(std::stoi(day.substr(0, 4)) * 12 + std::stoi(day.substr(5, 2))));
  auto lock = model.ReadLock();
  const DayColumns& on = model.On(d, settings);
  struct Hit {
    size_t slot;
    int64_t arr;
    uint8_t flags;  // bits of kFlagNames
    uint64_t draw;  // the sample's order
  };
  static constexpr std::string_view kFlagNames[] = {"single_threaded", "stale_plan",
                                                    "renewal_not_green",
                                                    "no_economic_buyer_engaged", "overdue_actions"};
  // The flagged, biggest ARR first, only as far as the page reaches; the sample, the
  // `inspection.sample` unflagged accounts with the smallest draws.
  auto flagged = MakePage<Hit>(offset, limit, [&](const Hit& a, const Hit& b) {
    if (a.arr != b.arr) return a.arr > b.arr;
    return model.account_id(a.slot) < model.account_id(b.slot);
  });
  const size_t sample_size = static_cast<size_t>(std::max(0, settings.inspection_sample));
  auto sample = MakePage<Hit>(0, sample_size, [&](const Hit& a, const Hit& b) {
    return a.draw != b.draw ? a.draw < b.draw : model.account_id(a.slot) < model.account_id(b.slot);
  });
  using Flagged = decltype(flagged);
  using Sample = decltype(sample);
  struct Part {
    Flagged flagged;
    Sample sample;
    int64_t flagged_count = 0;
  };
  auto scan = [&](Part& part, size_t begin, size_t end) {
    for (size_t slot = begin; slot < end; ++slot) {
      const Summary& s = on.summary[slot];
      if (!Admits(filter, model, slot, s)) continue;
      uint8_t flags = 0;
      if (static_cast<Tier>(s.tier) == Tier::kStrategic) {
        if (s.flags & Summary::kSingleThreaded) flags |= 1;
        if (s.flags & Summary::kStalePlan) flags |= 2;
        if (on.renewal[slot] != kOpenEnd &&
            on.renewal[slot] - d <= settings.inspection_renewal_days && s.colour != 1) {
          flags |= 4;
        }
        if (s.flags & Summary::kNoEconomicBuyer) flags |= 8;
        if (s.flags & Summary::kOverdueActions) flags |= 16;
      }
      if (flags != 0) {
        part.flagged.Push(Hit{slot, on.arr_cents[slot], flags, 0});
        ++part.flagged_count;
      } else {
        part.sample.Push(Hit{slot, on.arr_cents[slot], 0,
                             Mix(month_key ^ static_cast<uint64_t>(model.account_id(slot)))});
      }
    }
  };
  Part parts = ReduceRanges(model.slots(), Part{flagged, sample}, scan, [](Part& into, Part& part) {
    into.flagged.Merge(std::move(part.flagged));
    into.sample.Merge(std::move(part.sample));
    into.flagged_count += part.flagged_count;
  });
  q.flagged = parts.flagged_count;
  // The queue is flagged ++ sample; `all` holds it from `offset` on (the flagged kept start
  // there) or, when the page starts inside the sample, the whole sample.
  std::vector<Hit> all = std::move(parts.flagged).Take();
  std::vector<Hit> sampled = std::move(parts.sample).Take();
  q.sampled = static_cast<int64_t>(sampled.size());
  all.insert(all.end(), sampled.begin(), sampled.end());
  offset -= std::min(offset, static_cast<size_t>(q.flagged));  // where the page starts in `all`
  for (size_t i = offset; i < all.size() && i < offset + limit; ++i) {
    const Hit& h = all[i];
    const Summary& s = on.summary[h.slot];
    Inspection item;
    item.account_id = model.account_id(h.slot);
    item.owner_id = model.owner_id(h.slot);
    item.tier = static_cast<Tier>(s.tier);
    item.arr_cents = h.arr;
    item.health = s.health;
    item.colour = s.colour;
    item.completeness = s.completeness;
    for (int bit = 0; bit < 5; ++bit) {
      if (h.flags & (1 << bit)) item.flags.emplace_back(kFlagNames[bit]);
    }
    item.sampled = h.flags == 0;
    q.items.push_back(std::move(item));
  }
  return q;
}

std::vector<CoverageRow> Coverage(const ReadModel& model, const Settings& settings, Date today,
                                  const DashboardFilter& filter) {
  std::vector<CoverageRow> by_am;  // by the owner's dense index; an AM with no account is empty
  {
    auto lock = model.ReadLock();
    const DayColumns& on = model.On(today.days(), settings);
    auto scan = [&](std::vector<CoverageRow>& part, size_t begin, size_t end) {
      for (size_t slot = begin; slot < end; ++slot) {
        if (!Admits(filter, model, slot, on.summary[slot])) continue;
        Tier tier = static_cast<Tier>(on.summary[slot].tier);
        CoverageRow& row = part[model.owner_index(slot)];
        ++row.accounts_by_tier[static_cast<size_t>(tier)];
        row.arr_cents = SaturatingAdd(row.arr_cents, on.arr_cents[slot]);
      }
    };
    by_am = ReduceRanges(model.slots(), std::vector<CoverageRow>(model.owner_count()), scan,
                         [](std::vector<CoverageRow>& into, const std::vector<CoverageRow>& part) {
                           for (size_t i = 0; i < into.size(); ++i) {
                             for (size_t t = 0; t < into[i].accounts_by_tier.size(); ++t) {
                               into[i].accounts_by_tier[t] += part[i].accounts_by_tier[t];
                             }
                             into[i].arr_cents =
                                 SaturatingAdd(into[i].arr_cents, part[i].arr_cents);
                           }
                         });
    for (size_t i = 0; i < by_am.size(); ++i)
      by_am[i].owner_id = model.owner_at(static_cast<uint32_t>(i));
  }
  std::vector<CoverageRow> out;
  for (size_t i = 0; i < by_am.size(); ++i) {
    CoverageRow& row = by_am[i];
    if (row.accounts_by_tier[0] + row.accounts_by_tier[1] + row.accounts_by_tier[2] == 0) continue;
    const int64_t am = row.owner_id;
    double at_target = 0, at_top = 0, at_bottom = 0;
    for (Tier t : {Tier::kStrategic, Tier::kCore}) {
      const TierCoverage& c = settings.For(t);
      double n = static_cast<double>(row.accounts_by_tier[static_cast<size_t>(t)]);
      if (c.accounts_per_am_target > 0) at_target += n / c.accounts_per_am_target;
      if (c.accounts_per_am_max > 0) at_top += n / c.accounts_per_am_max;
      if (c.accounts_per_am_min > 0) at_bottom += n / c.accounts_per_am_min;
    }
    // The pooled tier-3 team: a book at least nine tenths tier 3 is measured against the pooled
    // capacity (its range 80–120 % of it), not reported "under" for want of tier-1 and tier-2
    // accounts.
    const int64_t n3 = row.accounts_by_tier[2];
    row.pooled = am != 0 && n3 * 10 >= 9 * (row.accounts_by_tier[0] + row.accounts_by_tier[1] + n3);
    if (row.pooled && settings.pooled_accounts_per_am > 0) {
      const double capacity = settings.pooled_accounts_per_am;
      at_target += static_cast<double>(n3) / capacity;
      at_top += static_cast<double>(n3) / (capacity * 1.2);
      at_bottom += static_cast<double>(n3) / (capacity * 0.8);
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
  std::sort(out.begin(), out.end(),
            [](const CoverageRow& a, const CoverageRow& b) { return a.owner_id < b.owner_id; });
  return out;
}

}  // namespace orchard::engine
