#include "engine/health.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/relationships.h"
#include "engine/retention.h"

namespace orchard::engine {

namespace {

constexpr int kUsageWindow = 30;                // the latest figure, and the recent trend period
constexpr int kUsagePrior = 90;                 // the trend compares with (d−90, d−30]
constexpr int kSupportWindow = 90;              // tickets counted
constexpr int kNpsWindow = 180;                 // responses counted
constexpr int kSentimentWindow = 90;            // scored texts counted
constexpr int kSentimentHalfLife = 30;          // a text's weight halves every 30 days
constexpr int kDepthWindow = kDepthWindowDays;  // multithreading depth
constexpr int kRenewalLookahead = 180;          // the renewal is engaged inside this window
constexpr int kMinSeats = 50;  // ticket volume is per 100 seats, counting at least 50

int RoundHalfUp(double v) { return static_cast<int>(std::floor(v + 0.5)); }

std::string Pct(double v) { return std::to_string(RoundHalfUp(v * 100)) + "%"; }

// "1 day", "2 days".
std::string Count(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string Days(int n) { return Count(n, "day", "days"); }

int SeverityWeight(uint8_t severity) {
  switch (static_cast<TicketSeverity>(severity)) {
    case TicketSeverity::kLow:
      return 1;
    case TicketSeverity::kMedium:
      return 2;
    case TicketSeverity::kHigh:
      return 4;
    case TicketSeverity::kUrgent:
      return 8;
  }
  return 1;
}

void Usage(const ReadModel& m, size_t slot, int32_t d, bool explain, HealthComponent& c) {
  const UsageRec* latest = nullptr;
  int64_t recent_sum = 0, recent_n = 0, prior_sum = 0, prior_n = 0;
  for (const UsageRec& u : m.usage(slot)) {
    if (u.day > d) continue;
    int age = d - u.day;
    if (age < kUsageWindow) {
      recent_sum += u.active_users;
      ++recent_n;
      if (u.seats > 0 && (latest == nullptr || u.day > latest->day)) latest = &u;
    } else if (age < kUsagePrior) {
      prior_sum += u.active_users;
      ++prior_n;
    }
  }
  if (latest == nullptr) {
    if (explain) c.detail = "no usage figures with licensed seats in the last 30 days";
    return;
  }
  double level = 100.0 * std::min(1.0, static_cast<double>(latest->active_users) / latest->seats);
  if (prior_n == 0 || prior_sum == 0) {
    c.value = RoundHalfUp(level);
    if (explain) {
      c.detail = std::to_string(latest->active_users) + " of " + std::to_string(latest->seats) +
                 " seats active on " + Date::FromDays(latest->day).ToString() +
                 "; no earlier period to compare the trend with";
    }
    return;
  }
  double recent = static_cast<double>(recent_sum) / static_cast<double>(recent_n);
  double prior = static_cast<double>(prior_sum) / static_cast<double>(prior_n);
  double trend = recent / prior;
  double trend_score = std::clamp(100.0 + 200.0 * (trend - 1.0), 0.0, 100.0);
  c.value = RoundHalfUp(0.7 * level + 0.3 * trend_score);
  if (explain) {
    c.detail = std::to_string(latest->active_users) + " of " + std::to_string(latest->seats) +
               " seats active on " + Date::FromDays(latest->day).ToString() +
               "; active users over 30 days " + (trend >= 1.0 ? "up " : "down ") +
               Pct(std::abs(trend - 1.0)) + " on the 60 days before";
  }
}

void Support(const ReadModel& m, size_t slot, int32_t d, bool explain, HealthComponent& c) {
  int64_t seats = 0;
  int32_t seats_day = kNoDay;
  for (const UsageRec& u : m.usage(slot)) {
    if (u.day <= d && u.day > seats_day) {
      seats_day = u.day;
      seats = u.seats;
    }
  }
  bool any_ticket = false;
  int weighted = 0, count = 0, escalations = 0;
  for (const TicketRec& t : m.tickets(slot)) {
    if (t.opened > d) continue;
    any_ticket = true;
    if (d - t.opened < kSupportWindow) {
      weighted += SeverityWeight(t.severity);
      ++count;
    }
    if (t.escalated && t.closed > d) ++escalations;
  }
  if (!any_ticket && seats_day == kNoDay) {
    if (explain) c.detail = "no tickets and no usage recorded";
    return;
  }
  double per_100 = 100.0 * weighted / static_cast<double>(std::max<int64_t>(seats, kMinSeats));
  c.value = std::clamp(RoundHalfUp(100.0 - 2.0 * per_100 - 20.0 * escalations), 0, 100);
  if (explain) {
    c.detail = Count(count, "ticket", "tickets") + " in 90 days (severity-weighted " +
               std::to_string(weighted) + ", " + std::to_string(RoundHalfUp(per_100)) +
               " per 100 seats); " + Count(escalations, "open escalation", "open escalations");
  }
}

void Nps(const ReadModel& m, size_t slot, int32_t d, bool explain, HealthComponent& c) {
  int n = 0, promoters = 0, detractors = 0;
  for (const NpsRec& r : m.nps(slot)) {
    if (r.day > d || d - r.day >= kNpsWindow) continue;
    ++n;
    if (r.score >= 9) ++promoters;
    if (r.score <= 6) ++detractors;
  }
  if (n == 0) {
    if (explain) c.detail = "no NPS response in 180 days";
    return;
  }
  c.value = RoundHalfUp(50.0 + 50.0 * (promoters - detractors) / n);
  if (explain) {
    c.detail = Count(n, "response", "responses") +
               " in 180 days: " + Count(promoters, "promoter", "promoters") + ", " +
               Count(detractors, "detractor", "detractors") + " (NPS " +
               std::to_string(RoundHalfUp(100.0 * (promoters - detractors) / n)) + ")";
  }
}

// Sentiment: the account's scored texts of (d − 90, d], each weighted by recency (halved every
// 30 days of age), their mean score m in [-1, 1] mapped to 50 × (1 + m). Missing without one.
void Sentiment(const ReadModel& m, size_t slot, int32_t d, bool explain, HealthComponent& c) {
  int n = 0;
  double sum = 0, weights = 0;
  const SentimentRec* worst = nullptr;
  for (const SentimentRec& r : m.sentiments(slot)) {
    if (r.day > d || d - r.day >= kSentimentWindow) continue;
    ++n;
    const double w = std::exp2(-(d - r.day) / static_cast<double>(kSentimentHalfLife));
    sum += w * r.score_milli;
    weights += w;
    if (worst == nullptr || r.score_milli < worst->score_milli ||
        (r.score_milli == worst->score_milli && r.day > worst->day)) {
      worst = &r;
    }
  }
  if (n == 0) {
    if (explain) c.detail = "no scored e-mail, note, ticket, NPS comment or transcript in 90 days";
    return;
  }
  const double mean = sum / weights / 1000.0;
  c.value = std::clamp(RoundHalfUp(50.0 * (1.0 + mean)), 0, 100);
  if (explain) {
    static constexpr std::string_view kWhat[] = {"an activity", "a ticket", "an NPS comment",
                                                 "a transcript"};
    char mean_text[16], worst_text[16];
    std::snprintf(mean_text, sizeof mean_text, "%+.2f", mean);
    std::snprintf(worst_text, sizeof worst_text, "%+.2f", worst->score_milli / 1000.0);
    c.detail = Count(n, "scored text", "scored texts") + " in 90 days, recency-weighted mean " +
               mean_text + "; most negative: " + std::string(kWhat[worst->source & 3]) + " on " +
               Date::FromDays(worst->day).ToString() + " (" + worst_text + ")";
  }
}

void Engagement(int32_t last, int32_t d, Tier tier, const Settings& s, bool explain,
                HealthComponent& c) {
  int cadence = s.For(tier).checkin_days;
  if (cadence <= 0) {
    if (explain) c.detail = "this tier has no check-in cadence";
    return;
  }
  if (last == kNoDay) {
    c.value = 0;
    if (explain) c.detail = "no meaningful contact ever";
    return;
  }
  int days = d - last;
  double v =
      days <= cadence ? 100.0 : std::max(0.0, 100.0 * (3.0 * cadence - days) / (2.0 * cadence));
  c.value = RoundHalfUp(v);
  if (explain) {
    c.detail =
        "last meaningful contact " + Days(days) + " ago (check-in cadence " + Days(cadence) + ")";
  }
}

void Relationships(int depth, Tier tier, const Settings& s, bool explain, HealthComponent& c) {
  int target = s.For(tier).multithreading_target;
  if (target <= 0) {
    if (explain) c.detail = "this tier has no multithreading target";
    return;
  }
  c.value = RoundHalfUp(100.0 * std::min(1.0, static_cast<double>(depth) / target));
  if (explain) {
    c.detail = Count(depth, "contact", "contacts") + " engaged in 90 days (target " +
               std::to_string(target) + ")";
  }
}

}  // namespace

uint8_t ColourOf(std::optional<int> score, const Settings& settings) {
  if (!score) return 0;
  if (*score >= settings.health_green_min) return 1;
  if (*score >= settings.health_yellow_min) return 2;
  return 3;
}

std::string_view ColourName(uint8_t colour) {
  static constexpr std::string_view kNames[] = {"none", "green", "yellow", "red"};
  return kNames[colour < 4 ? colour : 0];
}

int32_t LastMeaningful(const ReadModel& model, size_t slot, int32_t day) {
  int32_t last = kNoDay;
  for (const ActivityRec& a : model.activities(slot)) {
    if (a.day <= day) last = std::max(last, a.day);
  }
  return last;
}

namespace {

// Calls `met` for each active contact of the account who took part in a meaningful activity in
// (day − 90, day] — once per activity they were in. Both lists are sorted by id.
template <class Met>
void ForEachMet(const ReadModel& model, size_t slot, int32_t day, Met met) {
  auto activities = model.activities(slot);
  auto contacts = model.contacts(slot);
  for (const ParticipantRec& p : model.participants(slot)) {
    auto a = std::lower_bound(activities.begin(), activities.end(), p.id,
                              [](const ActivityRec& r, int64_t id) { return r.id < id; });
    if (a == activities.end() || a->id != p.id) continue;  // not meaningful
    if (a->day > day || day - a->day >= kDepthWindow) continue;
    auto c = std::lower_bound(contacts.begin(), contacts.end(), p.contact_id,
                              [](const ContactRec& r, int64_t id) { return r.id < id; });
    if (c == contacts.end() || c->id != p.contact_id || !c->ActiveOn(day)) continue;
    if (!met(*c)) return;
  }
}

// The last day of service of the latest line, when no line is active on `day` and one ended
// before it; none for a customer (a line active) and for an account with no line yet.
std::optional<Date> ChurnedAfter(const std::vector<Line>& lines, int32_t day) {
  int32_t last_end = kNoDay;
  for (const Line& l : lines) {
    if (l.ActiveOn(day)) return std::nullopt;
    if (l.end < day) last_end = std::max(last_end, l.end);
  }
  if (last_end == kNoDay) return std::nullopt;
  return Date::FromDays(last_end);
}

}  // namespace

int MultithreadingDepth(const ReadModel& model, size_t slot, int32_t day) {
  // A handful of contacts per account: a small vector is the set.
  std::vector<int64_t> seen;
  ForEachMet(model, slot, day, [&](const ContactRec& c) {
    if (std::find(seen.begin(), seen.end(), c.id) == seen.end()) seen.push_back(c.id);
    return true;
  });
  return static_cast<int>(seen.size());
}

std::optional<int> RenewalEngagement(const ReadModel& model, size_t slot, int32_t renewal,
                                     int32_t day) {
  if (renewal == kOpenEnd || renewal == kNoDay) return std::nullopt;
  const int32_t from = renewal - kRenewalLookahead;
  int32_t first = kOpenEnd;
  for (const OpportunityRec& o : model.opportunities(slot)) {
    if (o.type == static_cast<uint8_t>(OpportunityType::kRenewal) && o.created >= from &&
        o.created <= renewal && o.created <= day) {
      first = std::min(first, o.created);
    }
  }
  for (const ActivityRec& a : model.activities(slot)) {
    if (a.day >= from && a.day <= renewal && a.day <= day) first = std::min(first, a.day);
  }
  if (first == kOpenEnd) return std::nullopt;
  return renewal - first;
}

Potential PotentialOf(const ReadModel& model, size_t slot, int64_t arr_cents,
                      int64_t whitespace_cents, const Settings& settings) {
  if (auto set = model.potential(slot)) return *set;
  if (arr_cents <= 0) return whitespace_cents > 0 ? Potential::kHigh : Potential::kLow;
  // Basis points of ARR, in double: whitespace × 10000 may pass 2^63 for absurd figures.
  double bp = static_cast<double>(whitespace_cents) * 10000.0 / static_cast<double>(arr_cents);
  if (bp >= settings.potential_high_bp) return Potential::kHigh;
  if (bp >= settings.potential_medium_bp) return Potential::kMedium;
  return Potential::kLow;
}

int64_t WhitespaceCents(const ReadModel& model, size_t slot) {
  int64_t sum = 0;
  for (const CellRec& cell : model.cells(slot)) {
    if (CountsAsWhitespace(static_cast<WhitespaceStatus>(cell.status))) {
      sum = SaturatingAdd(sum, cell.potential_cents);
    }
  }
  return sum;
}

Quadrant QuadrantOf(int64_t arr_cents, Potential potential, const Settings& settings) {
  bool high_value = arr_cents >= settings.tiers.tier1_min_arr.cents();
  bool high_potential = potential == Potential::kHigh;
  if (high_value) return high_potential ? Quadrant::kInvest : Quadrant::kProtect;
  return high_potential ? Quadrant::kDevelop : Quadrant::kAutomate;
}

Health ComputeHealth(const ReadModel& model, size_t slot, int32_t day, Tier tier,
                     const Settings& settings, bool explain) {
  Health h;
  h.day = day;
  auto& c = h.components;
  const HealthWeights& w = settings.health_weights;
  c[0].weight = w.usage;
  c[1].weight = w.support;
  c[2].weight = w.nps;
  c[3].weight = w.engagement;
  c[4].weight = w.relationships;
  c[5].weight = w.sentiment;
  Usage(model, slot, day, explain, c[0]);
  Support(model, slot, day, explain, c[1]);
  Nps(model, slot, day, explain, c[2]);
  h.last_meaningful = LastMeaningful(model, slot, day);
  h.depth = MultithreadingDepth(model, slot, day);
  Engagement(h.last_meaningful, day, tier, settings, explain, c[3]);
  Relationships(h.depth, tier, settings, explain, c[4]);
  Sentiment(model, slot, day, explain, c[5]);
  int present_weight = 0;
  for (const auto& part : c) {
    if (part.value) present_weight += part.weight;
  }
  if (present_weight > 0) {
    double score = 0;
    for (auto& part : c) {
      if (!part.value) continue;
      part.share = static_cast<double>(part.weight) / present_weight;
      part.contribution = *part.value * part.share;
      score += part.contribution;
    }
    h.computed = RoundHalfUp(score);
  }
  h.churned_after = ChurnedAfter(model.lines(slot), day);
  if (h.churned_after) {
    h.computed.reset();
    h.score.reset();
    return h;
  }
  h.score = h.computed;
  const OverrideRec* in_force = nullptr;
  for (const OverrideRec& o : model.overrides(slot)) {
    if (o.set_on > day || o.expires < day) continue;
    if (in_force == nullptr || o.set_on > in_force->set_on ||
        (o.set_on == in_force->set_on && o.id > in_force->id)) {
      in_force = &o;
    }
  }
  if (in_force != nullptr) {
    h.score = std::clamp(in_force->score, 0, 100);
    h.override_in_force =
        HealthOverrideInForce{*h.score, in_force->reason, Date::FromDays(in_force->expires)};
  }
  return h;
}

Summary Summarize(const ReadModel& model, size_t slot, int32_t day, int64_t arr_cents,
                  int32_t renewal, const Settings& settings) {
  Summary s;
  Tier tier = TierFor(model, slot, arr_cents, settings.tiers);
  s.tier = static_cast<uint8_t>(tier);
  Health h = ComputeHealth(model, slot, day, tier, settings, false);
  s.health = h.score ? static_cast<int16_t>(*h.score) : int16_t{-1};
  s.colour = ColourOf(h.score, settings);
  if (h.override_in_force) s.flags |= Summary::kOverridden;
  s.depth = static_cast<int16_t>(std::min(h.depth, 32767));
  if (s.depth <= 1) s.flags |= Summary::kSingleThreaded;
  s.last_meaningful = h.last_meaningful;
  (void)renewal;
  const int32_t year_ago = Date::FromDays(day).AddYears(-1).days();
  const SlaTally sla = TallyOf(
      model.tickets(slot), int64_t{settings.For(tier).response_sla_hours} * 3600, year_ago, day);
  s.sla_met = static_cast<uint16_t>(std::min<int64_t>(sla.met, UINT16_MAX));
  s.sla_missed = static_cast<uint16_t>(std::min<int64_t>(sla.missed, UINT16_MAX));
  for (const OpportunityRec& o : model.opportunities(slot)) {
    if (o.IsExpansion() && o.CreatedIn(year_ago, day))
      s.expansion_created_cents = SaturatingAdd(s.expansion_created_cents, o.amount_cents);
  }

  // The plan: completeness, freshness, overdue actions, whitespace.
  int active = 0;
  bool economic_buyer = false, champion = false, economic_buyer_engaged = false;
  for (const ContactRec& c : model.contacts(slot)) {
    if (!c.ActiveOn(day)) continue;
    ++active;
    if (c.role == static_cast<int8_t>(BuyingRole::kEconomicBuyer)) {
      economic_buyer = true;
      if (c.last_engaged != kNoDay && c.last_engaged <= day && day - c.last_engaged < 90) {
        economic_buyer_engaged = true;
      }
    }
    if (c.role == static_cast<int8_t>(BuyingRole::kChampion) ||
        c.stance == static_cast<uint8_t>(Stance::kChampion)) {
      champion = true;
    }
  }
  if (!economic_buyer_engaged && economic_buyer) {
    // Engaged also when they took part in a meaningful activity in the last 90 days.
    ForEachMet(model, slot, day, [&](const ContactRec& c) {
      economic_buyer_engaged = c.role == static_cast<int8_t>(BuyingRole::kEconomicBuyer);
      return !economic_buyer_engaged;
    });
  }
  if (!economic_buyer_engaged) s.flags |= Summary::kNoEconomicBuyer;
  s.flags |= RelationshipFlags(model, slot, day);

  double points = 0;
  if (!model.priorities(slot).empty()) points += 20;
  points += 20.0 / 3 * (std::min(active, 3) / 3.0 + (economic_buyer ? 1 : 0) + (champion ? 1 : 0));
  for (const CellRec& cell : model.cells(slot)) {
    if (cell.potential_cents > 0) {
      points += 20;
      break;
    }
  }
  s.whitespace_cents = WhitespaceCents(model, slot);
  auto risks = model.risks(slot);
  if (!risks.empty()) {
    int owned = 0;
    for (const RiskRec& r : risks) owned += r.has_owner;
    points += 20.0 * owned / static_cast<double>(risks.size());
  }
  double action_points = 0;
  for (const ActionRec& a : model.actions(slot)) {
    if (!IsOpen(static_cast<ActionStatus>(a.status))) continue;
    action_points = std::max(action_points, a.has_owner && a.due != kNoDay ? 20.0 : 10.0);
    if (a.due != kNoDay && a.due < day) s.flags |= Summary::kOverdueActions;
  }
  points += action_points;
  s.completeness = static_cast<uint8_t>(std::clamp(RoundHalfUp(points), 0, 100));

  int refresh = settings.For(tier).plan_refresh_days;
  auto plan = model.plan(slot);
  if (!plan.empty()) {
    s.flags |= Summary::kHasPlan;
    s.plan_changed = std::max(plan.front().reviewed, plan.front().changed);
    if (refresh > 0 && day - s.plan_changed > refresh) s.flags |= Summary::kStalePlan;
  } else if (refresh > 0) {
    s.flags |= Summary::kStalePlan;
  }

  Potential potential = PotentialOf(model, slot, arr_cents, s.whitespace_cents, settings);
  bool high_value = arr_cents >= settings.tiers.tier1_min_arr.cents();
  bool high_potential = potential == Potential::kHigh;
  s.quadrant = static_cast<uint8_t>(
      high_value ? (high_potential ? Quadrant::kInvest : Quadrant::kProtect)
                 : (high_potential ? Quadrant::kDevelop : Quadrant::kAutomate));
  return s;
}

std::vector<std::string> WhyLow(const Health& health, size_t at_most) {
  std::vector<size_t> order;
  for (size_t i = 0; i < health.components.size(); ++i) {
    const auto& c = health.components[i];
    if (c.value && *c.value < 100) order.push_back(i);
  }
  auto cost = [&](size_t i) {
    return health.components[i].share * (100 - *health.components[i].value);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cost(a) > cost(b); });
  std::vector<std::string> out;
  if (health.override_in_force) {
    out.push_back("set by hand to " + std::to_string(health.override_in_force->score) + " until " +
                  health.override_in_force->expires_on.ToString() + ": " +
                  health.override_in_force->reason);
  }
  for (size_t i : order) {
    if (out.size() >= at_most) break;
    const auto& c = health.components[i];
    out.push_back(std::string(kHealthPartNames[i]) + " " + std::to_string(*c.value) + "/100" +
                  (c.detail.empty() ? "" : ": " + c.detail));
  }
  return out;
}

}  // namespace orchard::engine
