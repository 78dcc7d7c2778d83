#include "automation/backtest.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "automation/account_fields.h"
#include "automation/condition.h"
#include "automation/triggers.h"

namespace orchard::automation {
namespace {

constexpr int kStep = 7;
constexpr int kOutcomeDays = 90;

// Row events of an account dated in (from, to]: what the runner would have read from the change
// log in that week.
std::vector<std::pair<std::string, std::string>> RowEventsIn(const Trigger& t,
                                                             const engine::ReadModel& model,
                                                             size_t slot, int32_t from,
                                                             int32_t to) {
  std::vector<std::pair<std::string, std::string>> out;  // anchor, words
  switch (t.kind) {
    case TriggerKind::kNpsDetractor:
      for (const auto& n : model.nps(slot)) {
        if (n.day > from && n.day <= to && n.score <= 6) {
          out.emplace_back("nps:" + std::to_string(n.id),
                           "an NPS response of " + std::to_string(n.score));
        }
      }
      break;
    case TriggerKind::kOpportunityWon:
    case TriggerKind::kOpportunityLost: {
      const auto want = static_cast<uint8_t>(t.kind == TriggerKind::kOpportunityWon
                                                 ? OpportunityStage::kClosedWon
                                                 : OpportunityStage::kClosedLost);
      for (const auto& o : model.opportunities(slot)) {
        if (o.stage == want && o.close > from && o.close <= to) {
          out.emplace_back("opportunity:" + std::to_string(o.id), "an opportunity closed");
        }
      }
      break;
    }
    case TriggerKind::kNegativeSentiment:
      for (const auto& r : model.sentiments(slot)) {
        if (r.day <= from || r.day > to || r.score_milli > std::lround(t.score * 1000)) continue;
        const std::string source(kTextSources[r.source & 3]);
        if (!t.sources.empty() &&
            std::find(t.sources.begin(), t.sources.end(), source) == t.sources.end()) {
          continue;
        }
        out.emplace_back("sentiment:" + source + ":" + std::to_string(r.source_id),
                         "a text scored negative");
      }
      break;
    case TriggerKind::kTicketEscalated:
      for (const auto& k : model.tickets(slot)) {
        if (k.escalated != 0 && k.opened > from && k.opened <= to) {
          out.emplace_back("ticket:" + std::to_string(k.id) + ":escalated", "a ticket escalated");
        }
      }
      break;
    default:
      break;
  }
  return out;
}

std::string RenewalBucket(int32_t days) {
  if (days < 0) return "no renewal ahead";
  if (days <= 30) return "0–30 days";
  if (days <= 60) return "31–60 days";
  if (days <= 90) return "61–90 days";
  if (days <= 180) return "91–180 days";
  return "over 180 days";
}

// The anchors the rule's trigger holds on for one account at one step: `before` is the book a
// step earlier (for the health triggers).
std::vector<std::pair<std::string, std::string>> AnchorsAt(
    const RuleDefinition& d, const engine::ReadModel& model, const engine::DayColumns& before,
    const engine::DayColumns& now, size_t slot, Date day, const TimeContext& context) {
  std::vector<std::pair<std::string, std::string>> anchors;
  if (IsTimeTrigger(d.trigger.kind)) {
    TriggerState st = TimeState(d.trigger, model, now, slot, context, {}, false);
    if (st.holds) anchors.emplace_back(st.anchor, "");
  } else if (d.trigger.kind == TriggerKind::kHealthColour) {
    const int from = before.summary[slot].colour, to = now.summary[slot].colour;
    const std::string f(ColourName(from)), t(ColourName(to));
    const bool to_ok = d.trigger.to.empty() ? to > from
                                            : std::find(d.trigger.to.begin(), d.trigger.to.end(),
                                                        t) != d.trigger.to.end();
    const bool from_ok =
        d.trigger.from.empty() ||
        std::find(d.trigger.from.begin(), d.trigger.from.end(), f) != d.trigger.from.end();
    if (from != 0 && to != 0 && from != to && to_ok && from_ok) {
      anchors.emplace_back("colour:" + f + ">" + t + ":" + day.ToString(), "");
    }
  } else if (d.trigger.kind == TriggerKind::kHealthDrop) {
    const int h0 = before.summary[slot].health, h1 = now.summary[slot].health;
    if (h0 >= 0 && h1 >= 0 && h0 - h1 >= d.trigger.points) {
      anchors.emplace_back("drop:" + day.AddDays(-kStep).ToString() + ":" + std::to_string(h0), "");
    }
  } else if (IsUsageTrigger(d.trigger.kind)) {
    auto jump = UsageZ(model.usage(slot), day.days(), d.trigger.metric);
    if (jump && jump->day > day.days() - kStep) {
      if (auto hit = JumpHit(d.trigger, jump)) anchors.emplace_back(std::move(hit->first), "");
    }
  } else {
    anchors = RowEventsIn(d.trigger, model, slot, day.days() - kStep, day.days());
  }
  return anchors;
}

}  // namespace

Result<BacktestResult> Backtest(const RuleDefinition& d, const engine::ReadModel& model,
                                const Settings& settings, store::Database& db, Date today) {
  const auto started = std::chrono::steady_clock::now();
  ORCHARD_TRY(Condition cond, ParseCondition(d.condition, AccountFields()));
  ORCHARD_TRY(Users users, ReadUsers(db));
  BacktestResult r;
  r.to = today;
  r.from = today.AddDays(-364);
  r.step_days = kStep;
  // Only an onboarding rule reads the handoffs (g++ 12 warns falsely on assigning the map from
  // a Result: it is built in place).
  const Date handoffs_since = d.trigger.kind == TriggerKind::kOnboardingDay
                                  ? r.from.AddDays(-d.trigger.days - d.trigger.catch_up_days - 1)
                                  : today.AddDays(1);
  ORCHARD_TRY(Onboardings onboard, ReadOnboardings(db, handoffs_since));
  TimeContext context;
  context.onboard.swap(onboard);
  const TriggerKind kind = d.trigger.kind;
  if (kind == TriggerKind::kContactDeparted || kind == TriggerKind::kReviewDue ||
      kind == TriggerKind::kSlaAtRisk || kind == TriggerKind::kSlaBreached ||
      IsEngagementTrigger(kind)) {
    r.note = "The book keeps no dated history of this trigger (" + std::string(ToString(kind)) +
             "): the replay cannot say when it would have fired.";
    return r;
  }
  std::map<std::string, int64_t> by_month, by_renewal;
  std::unordered_set<std::string> fired_keys;
  std::unordered_map<size_t, int32_t> last_fired;  // slot → day
  std::unordered_set<size_t> fired_slots;
  auto lock = model.ReadLock();
  const size_t slots = model.slots();
  engine::DayColumns before, now;
  AccountReader reader(model, now, users.email);
  // Health against the step before: the colour and the score a week earlier.
  model.BuildColumnsOn(r.from.AddDays(-kStep).days(), settings, before);
  std::vector<std::pair<size_t, int32_t>> not_fired_steps;
  for (Date day = r.from; day <= today; day = day.AddDays(kStep)) {
    model.BuildColumnsOn(day.days(), settings, now);
    for (size_t slot = 0; slot < slots; ++slot) {
      if (!model.live(slot)) continue;
      const auto anchors = AnchorsAt(d, model, before, now, slot, day, context);
      bool fired_now = false;
      for (const auto& [anchor, words] : anchors) {
        const int64_t account = model.account_id(slot);
        const std::string key = std::to_string(account) + "|" + anchor;
        if (fired_keys.contains(key)) continue;
        reader.At(slot);
        if (!cond.always() && !cond.Eval(reader)) continue;
        auto last = last_fired.find(slot);
        if (d.cooldown_days > 0 && last != last_fired.end() &&
            day.days() - last->second < d.cooldown_days) {
          continue;
        }
        fired_keys.insert(key);
        last_fired[slot] = day.days();
        fired_slots.insert(slot);
        fired_now = true;
        BacktestFiring f;
        f.account_id = account;
        f.name = model.name(slot);
        f.day = day;
        f.anchor = anchor;
        f.days_to_renewal = now.renewal[slot] == INT32_MAX ? -1 : now.renewal[slot] - day.days();
        const Date after = day.AddDays(kOutcomeDays);
        f.evaluable = after <= today;
        if (f.evaluable) {
          f.contracted = model.ArrCentsOn(slot, after.days()) < now.arr_cents[slot];
          ++r.fired_evaluable;
          r.fired_contracted += f.contracted ? 1 : 0;
        }
        ++r.firings;
        ++by_month[day.ToString().substr(0, 7)];
        ++by_renewal[RenewalBucket(f.days_to_renewal)];
        if (r.sample.size() < 200) r.sample.push_back(std::move(f));
      }
      if (!fired_now && day.AddDays(kOutcomeDays) <= today) {
        not_fired_steps.emplace_back(slot, day.days());
      }
    }
    std::swap(before, now);
  }
  // The comparison: every (account, step) of an account it never fired on.
  for (const auto& [slot, day] : not_fired_steps) {
    if (fired_slots.contains(slot)) continue;
    ++r.other_evaluable;
    const int64_t then = model.ArrCentsOn(slot, day);
    r.other_contracted += model.ArrCentsOn(slot, day + kOutcomeDays) < then ? 1 : 0;
  }
  r.accounts = static_cast<int64_t>(fired_slots.size());
  for (const auto& [month, n] : by_month) r.by_month.emplace_back(month, n);
  for (const char* b : {"0–30 days", "31–60 days", "61–90 days", "91–180 days", "over 180 days",
                        "no renewal ahead"}) {
    r.by_days_to_renewal.emplace_back(b, by_renewal[b]);
  }
  r.ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return r;
}

std::string BacktestText(const BacktestResult& b) {
  std::string out;
  char line[256];
  if (!b.note.empty()) out += b.note + "\n";
  std::snprintf(line, sizeof line,
                "replayed from %s to %s, a week at a time: %lld firings on %lld accounts (%.0f "
                "ms).\n",
                b.from.ToString().c_str(), b.to.ToString().c_str(),
                static_cast<long long>(b.firings), static_cast<long long>(b.accounts), b.ms);
  out += line;
  for (const auto& [month, n] : b.by_month) {
    std::snprintf(line, sizeof line, "  %s  %6lld\n", month.c_str(), static_cast<long long>(n));
    out += line;
  }
  out += "Before the renewal:\n";
  for (const auto& [bucket, n] : b.by_days_to_renewal) {
    std::snprintf(line, sizeof line, "  %-18s %6lld\n", bucket.c_str(), static_cast<long long>(n));
    out += line;
  }
  std::snprintf(line, sizeof line,
                "ARR fell within 90 days for %.1f %% of its firings (%lld of %lld), against %.1f "
                "%% of the weeks of the accounts it never fired on (%lld of %lld).\n",
                100 * b.fired_share(), static_cast<long long>(b.fired_contracted),
                static_cast<long long>(b.fired_evaluable), 100 * b.other_share(),
                static_cast<long long>(b.other_contracted),
                static_cast<long long>(b.other_evaluable));
  return out + line;
}

}  // namespace orchard::automation
