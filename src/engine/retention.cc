#include "engine/retention.h"

#include <algorithm>
#include <tuple>

#include "domain/tiers.h"
#include "engine/health.h"
#include "engine/parallel.h"

namespace orchard::engine {

Tier TierFor(const ReadModel& model, size_t slot, int64_t arr_cents, const TierRules& rules) {
  if (auto t = model.tier_override(slot)) return *t;
  return RuleTier(Money::FromCents(arr_cents), model.strategic(slot), rules);
}

Result<RetentionGroup> ParseRetentionGroup(std::string_view text) {
  if (text.empty()) return RetentionGroup::kNone;
  if (text == "am") return RetentionGroup::kAm;
  if (text == "am_at_start") return RetentionGroup::kAmAtStart;
  if (text == "tier") return RetentionGroup::kTier;
  if (text == "industry") return RetentionGroup::kIndustry;
  if (text == "region") return RetentionGroup::kRegion;
  if (text == "segment") return RetentionGroup::kSegment;
  return FailField("group_by", "\"" + std::string(text) +
                                   "\" is not a grouping; use am, am_at_start, tier, segment, "
                                   "industry or region");
}

std::optional<int64_t> RetentionFigures::nrr_bp() const {
  if (start_cents.is_zero()) return std::nullopt;
  return RatioBasisPoints(end_cents, start_cents);
}

std::optional<int64_t> RetentionFigures::grr_bp() const {
  if (start_cents.is_zero()) return std::nullopt;
  return RatioBasisPoints(retained_cents, start_cents);
}

std::string GroupKeyName(const ReadModel& model, RetentionGroup group, size_t key, int64_t& id) {
  id = static_cast<int64_t>(key);
  switch (group) {
    case RetentionGroup::kAm:
    case RetentionGroup::kAmAtStart:
      id = model.owner_at(static_cast<uint32_t>(key));
      return id == 0 ? "" : std::to_string(id);
    case RetentionGroup::kTier:
      return std::string(ToString(static_cast<Tier>(key)));
    case RetentionGroup::kIndustry:
    case RetentionGroup::kRegion:
      return model.word(static_cast<uint32_t>(key));
    case RetentionGroup::kSegment:
      return std::string(ToString(static_cast<Quadrant>(key)));
    case RetentionGroup::kNone:
      break;
  }
  return "";
}

std::string_view GroupColumn(RetentionGroup group) {
  switch (group) {
    case RetentionGroup::kAm:
      return "am";
    case RetentionGroup::kAmAtStart:
      return "am_at_start";
    case RetentionGroup::kTier:
      return "tier";
    case RetentionGroup::kIndustry:
      return "industry";
    case RetentionGroup::kRegion:
      return "region";
    case RetentionGroup::kSegment:
      return "segment";
    case RetentionGroup::kNone:
      break;
  }
  return "";
}

namespace {

// The report's figures, its rows in no order; each row's `id` is its dense group key's number
// (the AM's user id, the tier, the quadrant, the word's code).
struct Grouped {
  RetentionFigures total;
  std::vector<std::pair<int64_t, RetentionRow>> rows;
};

Result<Grouped> Group(const ReadModel& model, Date from, Date to, RetentionGroup group,
                      const Settings& settings, const DashboardFilter& filter) {
  if (to < from) {
    return FailValue("from", "the period starts (" + from.ToString() + ") after it ends (" +
                                 to.ToString() + ")");
  }
  const TierRules& tiers = settings.tiers;
  Grouped report;
  // Grouped by a small dense number (the AM's index, the tier, an interned industry or region,
  // the quadrant): an array index per account, the names made once per group at the end. A
  // group is listed when an account is in it (its figures count at least one account).
  struct Part {
    RetentionFigures total;
    std::vector<RetentionFigures> groups;  // by dense key
  };
  Part all;
  const std::vector<RetentionFigures>* groups = &all.groups;
  auto lock = model.ReadLock();
  // The trailing year to the columns' day, for the whole book, by AM or in total: the figures
  // every write keeps (DayColumns), one row per AM instead of a pass over every account.
  if ((group == RetentionGroup::kAm || group == RetentionGroup::kNone) && filter.Whole() &&
      !filter.tier && from == to.AddYears(-1) && model.columns_day() == to.days()) {
    const DayColumns& on = model.On(to.days(), settings);
    all.total = on.year_total;
    groups = &on.year_by_owner;
  } else {
    auto starts = model.ArrColumn(from.days());
    auto ends = model.ArrColumn(to.days());
    const size_t width = std::max({model.owner_count(), model.word_count(), size_t{4}});
    auto scan = [&](Part& part, size_t begin, size_t end) {
      for (size_t slot = begin; slot < end; ++slot) {
        int64_t s = (*starts)[slot];
        if (s <= 0 || !model.live(slot)) continue;
        Tier tier = TierFor(model, slot, s, tiers);
        if (!filter.Admits(model, slot, tier)) continue;
        int64_t e = (*ends)[slot];
        part.total.Add(s, e);
        size_t key = 0;
        switch (group) {
          case RetentionGroup::kNone:
            continue;
          case RetentionGroup::kAm:  // the owner at the period's end
            key = model.owner_index_on(slot, to.days());
            break;
          case RetentionGroup::kAmAtStart:
            key = model.owner_index_on(slot, from.days());
            break;
          case RetentionGroup::kTier:
            key = static_cast<size_t>(tier);
            break;
          case RetentionGroup::kIndustry:
            key = model.industry_code(slot);
            break;
          case RetentionGroup::kRegion:
            key = model.region_code(slot);
            break;
          case RetentionGroup::kSegment:
            key = static_cast<size_t>(QuadrantOf(
                s, PotentialOf(model, slot, s, WhitespaceCents(model, slot), settings), settings));
            break;
        }
        part.groups[key].Add(s, e);
      }
    };
    all = ReduceRanges(model.slots(), Part{{}, std::vector<RetentionFigures>(width)}, scan,
                       [](Part& into, const Part& part) {
                         into.total.Merge(part.total);
                         for (size_t key = 0; key < into.groups.size(); ++key) {
                           into.groups[key].Merge(part.groups[key]);
                         }
                       });
  }
  report.total = all.total;
  if (group == RetentionGroup::kNone) return report;
  for (size_t key = 0; key < groups->size(); ++key) {
    const RetentionFigures& figures = (*groups)[key];
    if (figures.accounts == 0) continue;
    int64_t id = 0;
    std::string name = GroupKeyName(model, group, key, id);
    report.rows.push_back({id, RetentionRow{std::move(name), figures}});
  }
  return report;
}

}  // namespace

Result<RetentionReport> Retention(const ReadModel& model, Date from, Date to, RetentionGroup group,
                                  const Settings& settings, const DashboardFilter& filter) {
  ORCHARD_TRY(Grouped grouped, Group(model, from, to, group, settings, filter));
  RetentionReport report;
  report.from = from;
  report.to = to;
  report.group_by = group;
  report.total = grouped.total;
  for (auto& [id, row] : grouped.rows) report.rows.push_back(std::move(row));
  // By name, as text sorts ("" first): the order the API has always given.
  std::sort(report.rows.begin(), report.rows.end(),
            [](const RetentionRow& a, const RetentionRow& b) { return a.key < b.key; });
  return report;
}

Result<std::vector<RetentionRow>> NrrLeaderboard(const ReadModel& model, const Settings& settings,
                                                 Date from, Date to, const DashboardFilter& filter,
                                                 RetentionGroup group) {
  if (group == RetentionGroup::kNone) group = RetentionGroup::kAm;
  ORCHARD_TRY(Grouped grouped, Group(model, from, to, group, settings, filter));
  // Best NRR first; ties by the key (the AM's user id, else the name). The accounts with no
  // owner (no industry, no region) last: they are nobody's result, but their retention is in
  // the book's, so the rows add up to it.
  auto rank = [](const std::pair<int64_t, RetentionRow>& r) {
    return std::tuple(r.second.key.empty(), -r.second.figures.nrr_bp().value_or(0), r.first,
                      std::string_view(r.second.key));
  };
  std::sort(grouped.rows.begin(), grouped.rows.end(),
            [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  std::vector<RetentionRow> rows;
  rows.reserve(grouped.rows.size());
  for (auto& [id, row] : grouped.rows) rows.push_back(std::move(row));
  return rows;
}

}  // namespace orchard::engine
