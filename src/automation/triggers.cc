// What the rule engine reads of the book and of the database to decide whether a trigger holds
// (automation/triggers.h).
#include "automation/triggers.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>

#include "automation/account_fields.h"

namespace orchard::automation {

std::string Day(int32_t day) { return Date::FromDays(day).ToString(); }

bool IsTimeTrigger(TriggerKind k) {
  return k == TriggerKind::kRenewalIn || k == TriggerKind::kPlanStale ||
         k == TriggerKind::kNoContact || k == TriggerKind::kOnboardingDay || IsSlaTrigger(k);
}
bool IsObservedTrigger(TriggerKind k) {
  return k == TriggerKind::kHealthColour || k == TriggerKind::kHealthDrop;
}
bool IsUsageTrigger(TriggerKind k) {
  return k == TriggerKind::kUsageSpike || k == TriggerKind::kUsageDrop;
}
bool IsSlaTrigger(TriggerKind k) {
  return k == TriggerKind::kSlaAtRisk || k == TriggerKind::kSlaBreached;
}

Result<Onboardings> ReadOnboardings(store::Database& db, Date since) {
  Onboardings out;
  store::SqlValue p[] = {Timestamp::At(since).ToString()};
  ORCHARD_CHECK(
      db.Query("SELECT id, account_id, accepted_at FROM handoffs WHERE accepted_at IS NOT NULL AND "
               "accepted_at >= ?",
               p, [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(int64_t id, row.GetInt(0));
                 ORCHARD_TRY(int64_t account, row.GetInt(1));
                 ORCHARD_TRY(Timestamp at, Timestamp::Parse(row.GetText(2)));
                 out[account].emplace_back(id, at.date().days());
                 return Ok();
               }));
  return out;
}

Result<Users> ReadUsers(store::Database& db) {
  Users u;
  ORCHARD_CHECK(
      db.Query("SELECT id, email, name FROM users", {}, [&](const store::Row& row) -> Status {
        ORCHARD_TRY(int64_t id, row.GetInt(0));
        u.email[id] = std::string(row.GetText(1));
        u.name[id] = std::string(row.GetText(2));
        return Ok();
      }));
  return u;
}

TriggerState TimeState(const Trigger& t, const engine::ReadModel& model,
                       const engine::DayColumns& day, size_t slot, const Onboardings& onboard,
                       const engine::SlaNow& sla, bool words) {
  TriggerState out;
  if (IsSlaTrigger(t.kind)) return SlaState(t, model, day, slot, sla, words);
  const engine::Summary& s = day.summary[slot];
  const int32_t today = day.day;
  switch (t.kind) {
    case TriggerKind::kRenewalIn: {
      const int32_t renewal = day.renewal[slot];
      if (renewal == INT32_MAX) {
        if (words) out.text = "no renewal ahead";
        return out;
      }
      const int mark = t.DaysFor(s.tier);
      const int32_t days = renewal - today;
      out.holds = days <= mark && days >= mark - t.catch_up_days && days >= 0;
      if (out.holds) out.anchor = "renewal:" + Day(renewal);
      if (words) {
        out.text = "the renewal on " + Day(renewal) + " is " + std::to_string(days) +
                   " days away; the rule acts at " + std::to_string(mark) + " days or less";
        if (days < mark - t.catch_up_days) {
          out.text += ", but the mark was passed more than its catch-up of " +
                      std::to_string(t.catch_up_days) + " days ago";
        }
      }
      return out;
    }
    case TriggerKind::kPlanStale: {
      out.holds = (s.flags & engine::Summary::kStalePlan) != 0;
      const std::string since =
          s.plan_changed == engine::DayColumns::kNoDay ? "never" : Day(s.plan_changed);
      if (out.holds) out.anchor = "plan_stale:" + since;
      if (words) {
        out.text = out.holds ? "the plan was last reviewed or changed " +
                                   (since == "never" ? since : "on " + since) +
                                   ", longer ago than its tier's refresh cadence"
                             : "the plan is within its tier's refresh cadence (or needs none)";
      }
      return out;
    }
    case TriggerKind::kNoContact: {
      if (s.last_meaningful == engine::DayColumns::kNoDay) {
        if (words) out.text = "no meaningful contact was ever logged (the rule waits for a first)";
        return out;
      }
      const int32_t days = today - s.last_meaningful;
      out.holds = days >= t.days && days <= t.days + t.catch_up_days;
      if (out.holds) out.anchor = "no_contact:" + Day(s.last_meaningful);
      if (words) {
        out.text = "the last meaningful contact was on " + Day(s.last_meaningful) + ", " +
                   std::to_string(days) + " days ago; the rule acts at " + std::to_string(t.days) +
                   " days";
      }
      return out;
    }
    case TriggerKind::kOnboardingDay: {
      auto it = onboard.find(model.account_id(slot));
      if (it == onboard.end()) {
        if (words) out.text = "no handoff was accepted recently";
        return out;
      }
      for (const auto& [handoff, accepted] : it->second) {
        const int32_t since = today - accepted;
        if (since >= t.days && since <= t.days + t.catch_up_days) {
          out.holds = true;
          out.anchor = "onboarding:" + std::to_string(handoff) + ":day" + std::to_string(t.days);
          if (words) {
            out.text = "handoff " + std::to_string(handoff) + " was accepted on " + Day(accepted) +
                       ": today is onboarding day " + std::to_string(since);
          }
          return out;
        }
        if (words) {
          out.text = "handoff " + std::to_string(handoff) + " was accepted on " + Day(accepted) +
                     ": today is onboarding day " + std::to_string(since) +
                     ", the rule acts on day " + std::to_string(t.days);
        }
      }
      return out;
    }
    default:
      return out;
  }
}

std::optional<UsageJump> UsageZ(std::span<const engine::UsageRec> usage, int32_t today,
                                const std::string& metric) {
  auto value = [&](const engine::UsageRec& u) {
    return metric == "seat_utilisation" ? (u.seats > 0 ? 100.0 * u.active_users / u.seats : 0.0)
                                        : static_cast<double>(u.active_users);
  };
  const engine::UsageRec* latest = nullptr;
  for (const auto& u : usage) {
    if (u.day <= today && (latest == nullptr || u.day > latest->day)) latest = &u;
  }
  if (latest == nullptr || latest->day < today - 3) return std::nullopt;
  std::vector<double> base;
  for (const auto& u : usage) {
    if (u.day < latest->day && u.day >= latest->day - 28) base.push_back(value(u));
  }
  if (base.size() < 14) return std::nullopt;
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  };
  const double m = median(base);
  std::vector<double> dev;
  for (double x : base) dev.push_back(std::abs(x - m));
  // 1.4826 × MAD estimates the standard deviation of a normal baseline; a flat baseline still
  // needs a real change (5 % of its level, at least one) to count.
  const double scale = std::max({1.4826 * median(dev), 0.05 * std::abs(m), 1.0});
  UsageJump j;
  j.day = latest->day;
  j.value = value(*latest);
  j.median = m;
  j.z = (j.value - m) / scale;
  return j;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

namespace {
std::string Dollars(int64_t cents) {
  std::string digits = std::to_string(std::llabs(cents) / 100);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return (cents < 0 ? "-$" : "$") + digits;
}

}  // namespace

std::map<std::string, std::string> MergeOf(const engine::ReadModel& model,
                                           const engine::DayColumns& day, size_t slot,
                                           const Users& users, const std::string& rule_name) {
  const engine::Summary& s = day.summary[slot];
  std::map<std::string, std::string> m;
  m["account.name"] = model.name(slot);
  m["account.tier"] = std::to_string(s.tier + 1);
  m["account.arr"] = Dollars(day.arr_cents[slot]);
  m["account.health"] = s.health < 0 ? "no score" : std::to_string(s.health);
  m["account.colour"] = std::string(ColourName(s.colour));
  m["account.url"] = "/accounts/" + std::to_string(model.account_id(slot));
  const int32_t renewal = day.renewal[slot];
  m["renewal_date"] = renewal == INT32_MAX ? "no renewal" : Day(renewal);
  m["days_to_renewal"] = renewal == INT32_MAX ? "" : std::to_string(renewal - day.day);
  const int64_t owner = model.owner_id(slot);
  auto e = users.email.find(owner);
  auto n = users.name.find(owner);
  m["owner.email"] = e == users.email.end() ? "" : e->second;
  m["owner.name"] = n == users.name.end() ? "" : (n->second.empty() ? m["owner.email"] : n->second);
  m["rule.name"] = rule_name;
  m["today"] = Day(day.day);
  return m;
}

std::string_view WaitsFor(TriggerKind k) {
  switch (k) {
    case TriggerKind::kHealthColour:
      return "the health colour to change";
    case TriggerKind::kHealthDrop:
      return "health to drop within 7 days";
    case TriggerKind::kUsageSpike:
      return "a usage spike against the account's 28-day normal";
    case TriggerKind::kUsageDrop:
      return "a usage drop against the account's 28-day normal";
    case TriggerKind::kOpportunityWon:
      return "an opportunity to close won";
    case TriggerKind::kOpportunityLost:
      return "an opportunity to close lost";
    case TriggerKind::kContactDeparted:
      return "a champion or economic buyer to depart";
    case TriggerKind::kTicketEscalated:
      return "a ticket to be escalated";
    case TriggerKind::kNpsDetractor:
      return "an NPS response of 6 or less";
    case TriggerKind::kReviewDue:
      return "a review to fall due";
    case TriggerKind::kSlaAtRisk:
    case TriggerKind::kSlaBreached:
      return "a ticket's first response to near or pass its tier's SLA";
    default:
      return "its trigger";
  }
}

}  // namespace orchard::automation
