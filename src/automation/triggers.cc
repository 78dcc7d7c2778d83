// What the rule engine reads of the book and of the database to decide whether a trigger holds
// (automation/triggers.h).
#include "automation/triggers.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>

#include "automation/account_fields.h"
#include "domain/limits.h"

namespace orchard::automation {

std::string Day(int32_t day) { return Date::FromDays(day).ToString(); }

bool IsTimeTrigger(TriggerKind k) {
  return k == TriggerKind::kRenewalIn || k == TriggerKind::kPlanStale ||
         k == TriggerKind::kNoContact || k == TriggerKind::kOnboardingDay ||
         k == TriggerKind::kReviewDue || IsSlaTrigger(k);
}
bool IsObservedTrigger(TriggerKind k) {
  return k == TriggerKind::kHealthColour || k == TriggerKind::kHealthDrop;
}
bool IsUsageTrigger(TriggerKind k) {
  return k == TriggerKind::kUsageSpike || k == TriggerKind::kUsageDrop;
}
bool IsEngagementTrigger(TriggerKind k) {
  return k == TriggerKind::kEngagementSpike || k == TriggerKind::kEngagementDrop;
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

Result<TimeContext> ReadTimeContext(store::Database& db,
                                    const std::vector<const Trigger*>& triggers, Date today) {
  int onboarding_back = -1, review_ahead = -1, review_back = 0;
  for (const Trigger* t : triggers) {
    if (t->kind == TriggerKind::kOnboardingDay) {
      onboarding_back = std::max(onboarding_back, t->days + t->catch_up_days);
    } else if (t->kind == TriggerKind::kReviewDue) {
      review_ahead = std::max(review_ahead, t->days);
      review_back = std::max(review_back, t->catch_up_days);
    }
  }
  TimeContext c;
  if (onboarding_back >= 0) {
    ORCHARD_TRY(Onboardings onboard, ReadOnboardings(db, today.AddDays(-onboarding_back - 1)));
    c.onboard.swap(onboard);
  }
  if (review_ahead >= 0) {
    std::vector<store::SqlValue> p;
    p.emplace_back(today.AddDays(-review_back).ToString());
    p.emplace_back(today.AddDays(review_ahead).ToString());
    ORCHARD_CHECK(db.Query(
        "SELECT id, account_id, due_on, kind FROM reviews WHERE status = 'scheduled' AND due_on "
        ">= ? AND due_on <= ? ORDER BY due_on, id",
        p, [&](const store::Row& row) -> Status {
          ScheduledReview r;
          ORCHARD_TRY(r.id, row.GetInt(0));
          ORCHARD_TRY(int64_t account, row.GetInt(1));
          ORCHARD_TRY(Date due, Date::Parse(row.GetText(2)));
          r.due = due.days();
          ORCHARD_TRY(r.kind, ParseEnum<ReviewKind>(row.GetText(3)));
          c.reviews[account].push_back(r);
          return Ok();
        }));
  }
  return c;
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

namespace {

// review_due: the account's first scheduled review (of the trigger's kind) due within `days`
// and overdue by no more than the catch-up.
TriggerState ReviewState(const Trigger& t, const TimeContext& context, int64_t account,
                         int32_t today, bool words) {
  TriggerState out;
  const std::string which = t.review ? std::string(ToString(*t.review)) + " review" : "review";
  auto it = context.reviews.find(account);
  if (it != context.reviews.end()) {
    for (const ScheduledReview& r : it->second) {
      if (t.review && r.kind != *t.review) continue;
      const int32_t ahead = r.due - today;
      if (ahead > t.days || -ahead > t.catch_up_days) continue;
      out.holds = true;
      out.anchor = "review:" + std::to_string(r.id) + ":" + Day(r.due);
      if (words) {
        out.text = "the " + std::string(ToString(r.kind)) + " review " + std::to_string(r.id) +
                   " is due on " + Day(r.due) +
                   (ahead > 0    ? ", in " + std::to_string(ahead) + " days"
                    : ahead == 0 ? ", today"
                                 : ", " + std::to_string(-ahead) + " days overdue");
      }
      return out;
    }
  }
  if (words) {
    out.text = "no " + which + " is scheduled within " + std::to_string(t.days) +
               " days (or overdue by " + std::to_string(t.catch_up_days) + " days or less)";
  }
  return out;
}

}  // namespace

TriggerState TimeState(const Trigger& t, const engine::ReadModel& model,
                       const engine::DayColumns& day, size_t slot, const TimeContext& context,
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
      auto it = context.onboard.find(model.account_id(slot));
      if (it == context.onboard.end()) {
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
    case TriggerKind::kReviewDue:
      return ReviewState(t, context, model.account_id(slot), today, words);
    default:
      return out;
  }
}

namespace {
// `value` on `day` against `base`: a robust z-score (median and MAD).
UsageJump RobustJump(std::vector<double> base, int32_t day, double value) {
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
  j.day = day;
  j.value = value;
  j.median = m;
  j.z = (value - m) / scale;
  return j;
}
}  // namespace

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
  return RobustJump(std::move(base), latest->day, value(*latest));
}

std::optional<UsageJump> EngagementZ(std::span<const SignalDay> signals, int32_t today,
                                     const std::vector<EngagementKind>& kinds) {
  std::map<int32_t, int> per_day;
  for (const SignalDay& s : signals) {
    if (s.day > today || s.day < today - 32) continue;
    if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) continue;
    ++per_day[s.day];
  }
  if (per_day.empty() || per_day.rbegin()->first < today - 3) return std::nullopt;
  const int32_t latest = per_day.rbegin()->first;
  std::vector<double> base;
  for (int32_t d = latest - 28; d < latest; ++d) {
    auto it = per_day.find(d);
    base.push_back(it == per_day.end() ? 0.0 : it->second);
  }
  return RobustJump(std::move(base), latest, per_day.rbegin()->second);
}

Status ReadSignals(store::Database& db, Date today,
                   std::unordered_map<int64_t, std::vector<SignalDay>>& accounts) {
  const std::string since = Timestamp::At(today.AddDays(-32)).ToString();
  for (auto& [account, signals] : accounts) {
    std::vector<store::SqlValue> p;
    p.emplace_back(account);
    p.emplace_back(since);
    signals.clear();
    ORCHARD_CHECK(db.Query(
        "SELECT kind, occurred_at FROM engagement_signals WHERE account_id = ? AND occurred_at "
        ">= ?",
        p, [&](const store::Row& row) -> Status {
          ORCHARD_TRY(EngagementKind kind, ParseEnum<EngagementKind>(row.GetText(0)));
          ORCHARD_TRY(Timestamp at, Timestamp::Parse(row.GetText(1)));
          signals.push_back({kind, at.date().days()});
          return Ok();
        }));
  }
  return Ok();
}

std::optional<std::pair<std::string, std::string>> JumpHit(const Trigger& t,
                                                           const std::optional<UsageJump>& jump) {
  if (!jump) return std::nullopt;
  const bool spike = t.kind == TriggerKind::kUsageSpike || t.kind == TriggerKind::kEngagementSpike;
  if (spike ? jump->z < t.z : jump->z > -t.z) return std::nullopt;
  const std::string day = Day(jump->day);
  const std::string against = " on " + day + " against a 28-day median of " + Number(jump->median);
  const std::string z = " (robust z " + Number(jump->z) + ")";
  if (IsEngagementTrigger(t.kind)) {
    return std::pair{"engagement:" + day,
                     SignalNames(t.signals) + ": " + Number(jump->value) + against + " a day" + z};
  }
  return std::pair{"usage:" + t.metric + ":" + day,
                   t.metric + " was " + Number(jump->value) + against + z};
}

std::string SignalNames(const std::vector<EngagementKind>& kinds) {
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += i + 1 == kinds.size() ? " and " : ", ";
    std::string name(ToString(kinds[i]));
    std::replace(name.begin(), name.end(), '_', ' ');
    out += name + "s";
  }
  return out;
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
    case TriggerKind::kEngagementSpike:
      return "engagement signals well above the account's 28-day normal";
    case TriggerKind::kEngagementDrop:
      return "engagement signals well below the account's 28-day normal";
    case TriggerKind::kNegativeSentiment:
      return "a text to be scored negative at or below its threshold";
    case TriggerKind::kSlaAtRisk:
    case TriggerKind::kSlaBreached:
      return "a ticket's first response to near or pass its tier's SLA";
    default:
      return "its trigger";
  }
}

namespace {

// Where a scored text lives, for its excerpt in the trace.
std::string_view TextSql(std::string_view source) {
  if (source == "activity") return "SELECT subject, body FROM activities WHERE id = ?";
  if (source == "ticket") return "SELECT subject, body FROM tickets WHERE id = ?";
  if (source == "nps_response") return "SELECT '', comment FROM nps_responses WHERE id = ?";
  return "SELECT '', text FROM transcripts WHERE id = ?";
}

std::string_view SourceWords(std::string_view source) {
  if (source == "activity") return "an e-mail or note";
  if (source == "ticket") return "a ticket";
  if (source == "nps_response") return "an NPS comment";
  return "a transcript";
}

}  // namespace

Status ReadSentimentEvent(store::Database& db, int64_t id, int32_t recent,
                          std::vector<RowEvent>& out) {
  std::vector<store::SqlValue> p;
  p.emplace_back(id);
  std::optional<RowEvent> event;
  int64_t source_id = 0;
  std::string day;
  ORCHARD_CHECK(db.Query(
      "SELECT source, source_id, account_id, score_milli, occurred_on FROM text_sentiments "
      "WHERE id = ?",
      p, [&](const store::Row& row) -> Status {
        ORCHARD_TRY(int64_t score, row.GetInt(3));
        ORCHARD_TRY(Date on, Date::Parse(row.GetText(4).substr(0, 10)));
        if (score >= 0 || on.days() < recent) return Ok();
        RowEvent e;
        e.kind = TriggerKind::kNegativeSentiment;
        e.source = std::string(row.GetText(0));
        ORCHARD_TRY(source_id, row.GetInt(1));
        ORCHARD_TRY(e.account, row.GetInt(2));
        e.score_milli = static_cast<int>(score);
        e.anchor = "sentiment:" + e.source + ":" + std::to_string(source_id);
        day = on.ToString();
        event = std::move(e);
        return Ok();
      }));
  if (!event) return Ok();
  std::string excerpt;
  std::vector<store::SqlValue> q;
  q.emplace_back(source_id);
  ORCHARD_CHECK(db.Query(TextSql(event->source), q, [&](const store::Row& row) -> Status {
    const std::string_view subject = row.IsNull(0) ? "" : row.GetText(0);
    const std::string_view body = row.IsNull(1) ? "" : row.GetText(1);
    excerpt = TruncateText(subject.empty() ? body : subject, 160);
    return Ok();
  }));
  char score[16];
  std::snprintf(score, sizeof score, "%+.2f", event->score_milli / 1000.0);
  event->text = std::string(SourceWords(event->source)) + " of " + day + " scored " + score +
                ": \"" + excerpt + "\"";
  out.push_back(std::move(*event));
  return Ok();
}

bool SentimentFires(const Trigger& t, const RowEvent& e) {
  if (e.score_milli > std::lround(t.score * 1000)) return false;
  return t.sources.empty() ||
         std::find(t.sources.begin(), t.sources.end(), e.source) != t.sources.end();
}

}  // namespace orchard::automation
