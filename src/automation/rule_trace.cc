// The rule engine's answers without firing (automation/rule_engine.h): a dry run's accounts and
// the trace of one rule for one account.
#include <boost/json.hpp>

#include "automation/account_fields.h"
#include "automation/rule_engine.h"
#include "automation/triggers.h"

namespace orchard::automation {

Result<DryRun> RuleEngine::DryRunOf(const RuleDefinition& d, int limit) {
  ORCHARD_TRY(Condition cond, ParseCondition(d.condition, AccountFields()));
  ORCHARD_TRY(auto db, pool_.Acquire());
  ORCHARD_TRY(Users users, ReadUsers(*db));
  const Date today = clock_.Today();
  ORCHARD_TRY(const TimeContext context, ReadTimeContext(*db, {&d.trigger}, today));
  DryRun out;
  const bool time = IsTimeTrigger(d.trigger.kind);
  if (!time) {
    out.note = "This rule fires on an event: it waits for " +
               std::string(WaitsFor(d.trigger.kind)) +
               ". The accounts listed are those its condition holds for now.";
  }
  auto lock = model_.ReadLock();
  const engine::DayColumns& day = model_.On(today.days(), settings_());
  const engine::SlaNow sla = engine::SlaNowOf(day.settings, clock_.Now());
  AccountReader reader(model_, day, users.email);
  for (size_t slot = 0; slot < model_.slots(); ++slot) {
    if (!model_.live(slot)) continue;
    TriggerState st;
    if (time) {
      st = TimeState(d.trigger, model_, day, slot, context, sla, false);
      if (!st.holds) continue;
    }
    reader.At(slot);
    if (!cond.always() && !cond.Eval(reader)) continue;
    ++out.total;
    if (static_cast<int>(out.accounts.size()) >= limit) continue;
    DryRunAccount a;
    a.account_id = model_.account_id(slot);
    a.name = model_.name(slot);
    a.anchor = st.anchor;
    if (time) a.trigger = TimeState(d.trigger, model_, day, slot, context, sla, true).text;
    a.condition = cond.always() ? "always" : cond.Explain(reader).Sentence();
    out.accounts.push_back(std::move(a));
  }
  return out;
}

namespace {

// A rule's firings for one account, newest first (50 at most), with each action's outcome.
Result<std::vector<TraceFiring>> ReadFirings(store::Database& db, int64_t rule_id,
                                             int64_t account_id) {
  std::vector<TraceFiring> firings;
  std::vector<store::SqlValue> p;
  p.emplace_back(rule_id);
  p.emplace_back(account_id);
  ORCHARD_CHECK(
      db.Query("SELECT id, rule_version, anchor, fired_at, status, facts FROM rule_firings WHERE "
               "rule_id = ? AND account_id = ? ORDER BY id DESC LIMIT 50",
               p, [&](const store::Row& row) -> Status {
                 TraceFiring f;
                 ORCHARD_TRY(f.id, row.GetInt(0));
                 ORCHARD_TRY(f.rule_version, row.GetInt(1));
                 f.anchor = std::string(row.GetText(2));
                 ORCHARD_TRY(f.fired_at, Timestamp::Parse(row.GetText(3)));
                 f.status = std::string(row.GetText(4));
                 f.facts_json = std::string(row.GetText(5));
                 firings.push_back(std::move(f));
                 return Ok();
               }));
  for (TraceFiring& f : firings) {
    store::SqlValue id[] = {f.id};
    ORCHARD_CHECK(
        db.Query("SELECT idx, kind, status, attempts, result, last_error, next_attempt_at FROM "
                 "rule_actions WHERE firing_id = ? ORDER BY idx",
                 id, [&](const store::Row& row) -> Status {
                   ActionRun a;
                   ORCHARD_TRY(int64_t idx, row.GetInt(0));
                   a.idx = static_cast<int>(idx);
                   a.kind = std::string(row.GetText(1));
                   a.status = std::string(row.GetText(2));
                   ORCHARD_TRY(a.attempts, row.GetInt(3));
                   a.result = std::string(row.GetText(4));
                   if (!row.IsNull(5)) a.error = std::string(row.GetText(5));
                   if (!row.IsNull(6)) {
                     ORCHARD_TRY(Timestamp at, Timestamp::Parse(row.GetText(6)));
                     a.next_attempt_at = at;
                   }
                   f.actions.push_back(std::move(a));
                   return Ok();
                 }));
  }
  return firings;
}

}  // namespace

Result<Trace> RuleEngine::TraceOf(int64_t rule_id, int64_t account_id) {
  Trace t;
  t.rule_id = rule_id;
  t.account_id = account_id;
  std::optional<store::ConnectionPool::Lease> lease;
  {
    ORCHARD_TRY(auto leased, pool_.Acquire());
    lease.emplace(std::move(leased));
  }
  store::ConnectionPool::Lease& db = *lease;
  ORCHARD_TRY(StoredRule rule, RuleService::ReadOne(*db, rule_id));
  t.rule_name = rule.name;
  t.live = rule.Live();
  t.state = rule.paused_reason                   ? "paused: " + *rule.paused_reason
            : rule.status != RuleStatus::kActive ? std::string(ToString(rule.status))
            : !rule.enabled                      ? "disabled"
                                                 : "active";
  ORCHARD_TRY(Users users, ReadUsers(*db));
  const Date today = clock_.Today();
  const RuleDefinition& d = rule.definition;
  ORCHARD_TRY(const TimeContext context, ReadTimeContext(*db, {&d.trigger}, today));
  ORCHARD_TRY(t.firings, ReadFirings(*db, rule_id, account_id));
  {
    std::vector<store::SqlValue> p;
    p.emplace_back(rule_id);
    p.emplace_back(today.ToString());
    ORCHARD_TRY(auto n,
                db->QueryInt("SELECT COUNT(*) FROM rule_firings WHERE rule_id = ? AND day = ?", p));
    t.cap =
        std::to_string(n.value_or(0)) + " of " + std::to_string(d.cap_per_day) + " firings today";
  }
  if (d.cooldown_days > 0 && !t.firings.empty()) {
    const Date last = t.firings.front().fired_at.date();
    const Date until = last.AddDays(d.cooldown_days);
    if (until > today) {
      t.cooldown = "in cooldown until " + until.ToString() + " (fired on " + last.ToString() + ")";
    }
  }
  ORCHARD_TRY(Condition cond, ParseCondition(d.condition, AccountFields()));
  if (IsObservedTrigger(d.trigger.kind)) ORCHARD_CHECK(LoadObservations(*db));
  lease.reset();
  auto lock = model_.ReadLock();
  auto slot = model_.SlotOf(account_id);
  if (!slot || !model_.live(*slot)) {
    return Fail(ErrorCode::kNotFound, "there is no account " + std::to_string(account_id));
  }
  const engine::DayColumns& day = model_.On(today.days(), settings_());
  t.account_name = model_.name(*slot);
  AccountReader reader(model_, day, users.email);
  reader.At(*slot);
  t.condition = cond.Explain(reader);
  t.condition_holds = cond.always() || t.condition.result;
  if (IsTimeTrigger(d.trigger.kind)) {
    TriggerState st = TimeState(d.trigger, model_, day, *slot, context,
                                engine::SlaNowOf(day.settings, clock_.Now()), true);
    t.trigger_holds = st.holds;
    t.trigger = st.text;
    t.anchor = st.anchor;
  } else if (IsObservedTrigger(d.trigger.kind)) {
    const engine::Summary& s = day.summary[*slot];
    auto it = observed_.find(account_id);
    t.trigger = "health is " +
                (s.health < 0 ? std::string("not scored") : std::to_string(s.health)) + " (" +
                std::string(ColourName(s.colour)) + ")";
    if (it != observed_.end()) {
      t.trigger += "; last observed " + std::to_string(it->second.health) + " (" +
                   std::string(ColourName(it->second.colour)) + "), peak " +
                   std::to_string(it->second.peak) + " on " + Day(it->second.peak_on);
    }
    t.trigger += "; the rule waits for " + std::string(WaitsFor(d.trigger.kind));
  } else {
    t.trigger = "the rule waits for " + std::string(WaitsFor(d.trigger.kind));
  }
  if (!t.anchor.empty()) {
    for (const auto& f : t.firings) t.fired_on_anchor |= f.anchor == t.anchor;
  }
  // The verdict: the first thing that stops it, or that it would fire.
  if (t.fired_on_anchor) {
    t.verdict = "It fired on " + t.anchor + " already; it fires once per anchor.";
  } else if (!t.live) {
    t.verdict = "It does not act: the rule is " + t.state + ".";
  } else if (!IsTimeTrigger(d.trigger.kind)) {
    t.verdict = t.condition_holds
                    ? "Its condition holds: it fires when " +
                          std::string(WaitsFor(d.trigger.kind)).substr(0) + " happens" +
                          (t.cooldown.empty() ? "." : ", after the cooldown.")
                    : "Its condition does not hold: " + t.condition.Sentence();
  } else if (!t.trigger_holds) {
    t.verdict = "Its trigger does not hold: " + t.trigger + ".";
  } else if (!t.condition_holds) {
    t.verdict = "Its trigger holds, but its condition does not: " + t.condition.Sentence();
  } else if (!t.cooldown.empty()) {
    t.verdict = "Its trigger and condition hold, but it is " + t.cooldown + ".";
  } else {
    t.verdict = "Its trigger and condition hold: it fires on " + t.anchor + " at the next pass.";
  }
  return t;
}

}  // namespace orchard::automation
