#include "automation/rule_engine.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <climits>
#include <cmath>
#include <map>
#include <set>

#include "automation/account_fields.h"
#include "automation/actions.h"
#include "automation/state.h"
#include "automation/triggers.h"
#include "service/unit_of_work.h"

namespace orchard::automation {
namespace json = boost::json;

struct RuleEngine::Memory {
  std::unordered_set<std::string> keys;           // "account|anchor" of every firing
  std::unordered_map<int64_t, int32_t> last_day;  // account → the day it last fired
};

struct RuleEngine::Live {
  StoredRule rule;
  Condition condition;
  Memory* memory = nullptr;
};

namespace {

using Clock_ = std::chrono::steady_clock;

double MsSince(Clock_::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock_::now() - t0).count();
}

std::string Key(int64_t account, std::string_view anchor) {
  std::string k = std::to_string(account);
  k += '|';
  k += anchor;
  return k;
}

constexpr int kMaxAttempts = 8;

// An in-app notification to every active admin, once per key.
Status NotifyAdmins(store::Database& db, const std::string& key, const std::string& title,
                    const std::string& body, Timestamp now) {
  std::vector<store::SqlValue> p;
  p.emplace_back(key);
  p.emplace_back(title);
  p.emplace_back(body);
  p.emplace_back(now.ToString());
  ORCHARD_CHECK(db.Exec(
      "INSERT INTO notifications (user_id, dedupe_key, title, body, link, created_at) SELECT id, "
      "?, ?, ?, '/rules', ? FROM users WHERE role = 'admin' AND active ON CONFLICT (user_id, "
      "dedupe_key) DO NOTHING",
      p));
  return Ok();
}

// The wait before an action's next attempt: a minute, doubling, at most six hours.
int64_t RetrySeconds(int64_t attempts) {
  const int64_t s = 60LL << std::min<int64_t>(attempts - 1, 9);
  return std::min<int64_t>(s, 6 * 3600);
}

// The events since the cursor: what they were, and which accounts they touched. The cursor
// moves past what was read; `processed` holds the entries of the last window already read.
Result<Events> ReadEvents(store::Database& db, Date today, std::set<int64_t>& processed,
                          PassReport& report) {
  Events out;
  ORCHARD_TRY(auto cursor_text, ReadState(db, "event_seq"));
  ORCHARD_TRY(auto newest, db.QueryInt("SELECT MAX(seq) FROM change_log"));
  if (!cursor_text) {
    // The first pass starts from now: what happened before automation existed fires nothing.
    ORCHARD_CHECK(WriteState(db, "event_seq", std::to_string(newest.value_or(0))));
  } else {
    // Sequence numbers are handed out at insert, not at commit: a lower one can appear after
    // a higher one was read. The last 100 are read again; those already seen are skipped.
    const int64_t cursor = std::stoll(*cursor_text);
    int64_t last = cursor;
    store::SqlValue p[] = {std::max<int64_t>(0, cursor - 100)};
    struct Entry {
      int64_t seq;
      std::string entity;
      int64_t id;
      int64_t account;
    };
    std::vector<Entry> entries;
    ORCHARD_CHECK(db.Query(
        "SELECT seq, entity, entity_id, account_id FROM change_log WHERE seq > ? AND last_id "
        "IS NULL ORDER BY seq LIMIT 20000",
        p, [&](const store::Row& row) -> Status {
          Entry e;
          ORCHARD_TRY(e.seq, row.GetInt(0));
          e.entity = std::string(row.GetText(1));
          ORCHARD_TRY(e.id, row.GetInt(2));
          e.account = 0;
          if (!row.IsNull(3)) {
            ORCHARD_TRY(e.account, row.GetInt(3));
          }
          entries.push_back(std::move(e));
          return Ok();
        }));
    report.events = static_cast<int64_t>(entries.size());
    const int32_t recent = today.AddDays(-30).days();
    for (const Entry& e : entries) {
      if (e.seq <= cursor && processed.contains(e.seq)) continue;
      processed.insert(e.seq);
      last = std::max(last, e.seq);
      if (e.account != 0) out.touched.insert(e.account);
      store::SqlValue id[] = {e.id};
      if (e.entity == "opportunities") {
        ORCHARD_CHECK(
            db.Query("SELECT stage, close_date, account_id, name FROM opportunities WHERE id = ?",
                     id, [&](const store::Row& row) -> Status {
                       const std::string_view stage = row.GetText(0);
                       if (row.GetText(1).empty()) return Ok();  // open, with no close date yet
                       ORCHARD_TRY(Date close, Date::Parse(row.GetText(1)));
                       ORCHARD_TRY(int64_t account, row.GetInt(2));
                       if (close.days() < recent) return Ok();
                       const bool won = stage == "closed_won";
                       if (!won && stage != "closed_lost") return Ok();
                       out.rows.push_back(
                           {won ? TriggerKind::kOpportunityWon : TriggerKind::kOpportunityLost,
                            account, "opportunity:" + std::to_string(e.id),
                            "opportunity \"" + std::string(row.GetText(3)) + "\" closed " +
                                (won ? "won" : "lost") + " on " + close.ToString()});
                       return Ok();
                     }));
      } else if (e.entity == "contacts") {
        ORCHARD_CHECK(db.Query(
            "SELECT status, buying_role, stance, account_id, first_name, last_name FROM "
            "contacts WHERE id = ?",
            id, [&](const store::Row& row) -> Status {
              if (row.GetText(0) != "departed") return Ok();
              const std::string_view role = row.IsNull(1) ? "" : row.GetText(1);
              const bool key =
                  role == "champion" || role == "economic_buyer" || row.GetText(2) == "champion";
              if (!key) return Ok();
              ORCHARD_TRY(int64_t account, row.GetInt(3));
              out.rows.push_back({TriggerKind::kContactDeparted, account,
                                  "contact:" + std::to_string(e.id) + ":departed",
                                  std::string(row.GetText(4)) + " " + std::string(row.GetText(5)) +
                                      " (" + (role.empty() ? "champion" : std::string(role)) +
                                      ") departed"});
              return Ok();
            }));
      } else if (e.entity == "tickets") {
        ORCHARD_CHECK(db.Query(
            "SELECT escalated, status, account_id, subject FROM tickets WHERE id = ?", id,
            [&](const store::Row& row) -> Status {
              ORCHARD_TRY(bool escalated, row.GetBool(0));
              if (!escalated || row.GetText(1) == "closed") return Ok();
              ORCHARD_TRY(int64_t account, row.GetInt(2));
              out.rows.push_back({TriggerKind::kTicketEscalated, account,
                                  "ticket:" + std::to_string(e.id) + ":escalated",
                                  "ticket \"" + std::string(row.GetText(3)) + "\" was escalated"});
              return Ok();
            }));
      } else if (e.entity == "nps_responses") {
        ORCHARD_CHECK(db.Query(
            "SELECT score, responded_on, account_id FROM nps_responses WHERE id = ?", id,
            [&](const store::Row& row) -> Status {
              ORCHARD_TRY(int64_t score, row.GetInt(0));
              ORCHARD_TRY(Date on, Date::Parse(row.GetText(1)));
              if (score > 6 || on.days() < recent) return Ok();
              ORCHARD_TRY(int64_t account, row.GetInt(2));
              out.rows.push_back(
                  {TriggerKind::kNpsDetractor, account, "nps:" + std::to_string(e.id),
                   "an NPS response of " + std::to_string(score) + " on " + on.ToString()});
              return Ok();
            }));
      } else if (e.entity == "text_sentiments") {
        ORCHARD_CHECK(ReadSentimentEvent(db, e.id, recent, out.rows));
      } else if (e.entity == "usage_metrics" && e.account != 0) {
        out.usage.insert(e.account);
      } else if (e.entity == "engagement_signals" && e.account != 0) {
        out.engagement.emplace(e.account, std::vector<SignalDay>{});
      }
    }
    ORCHARD_CHECK(ReadSignals(db, today, out.engagement));
    std::erase_if(processed, [&](int64_t seq) { return seq <= last - 100; });
    if (last != cursor) {
      ORCHARD_CHECK(WriteState(db, "event_seq", std::to_string(last)));
    }
  }
  return out;
}

}  // namespace

RuleEngine::RuleEngine(store::ConnectionPool& pool, engine::ReadModel& model,
                       std::function<Settings()> settings, const Clock& clock)
    : pool_(pool), model_(model), settings_(std::move(settings)), clock_(clock) {}

RuleEngine::~RuleEngine() = default;

Result<RuleEngine::Memory*> RuleEngine::MemoryOf(store::Database& db, int64_t rule_id) {
  auto& slot = memory_[rule_id];
  if (slot) return slot.get();
  auto m = std::make_unique<Memory>();
  store::SqlValue p[] = {rule_id};
  ORCHARD_CHECK(db.Query("SELECT account_id, anchor, day FROM rule_firings WHERE rule_id = ?", p,
                         [&](const store::Row& row) -> Status {
                           ORCHARD_TRY(int64_t account, row.GetInt(0));
                           ORCHARD_TRY(Date d, Date::Parse(row.GetText(2)));
                           m->keys.insert(Key(account, row.GetText(1)));
                           int32_t& last = m->last_day[account];
                           last = std::max(last, d.days());
                           return Ok();
                         }));
  slot = std::move(m);
  return slot.get();
}

Status RuleEngine::LoadObservations(store::Database& db) {
  if (observed_loaded_) return Ok();
  ORCHARD_CHECK(
      db.Query("SELECT account_id, colour, health, peak_health, peak_on FROM rule_observations", {},
               [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(int64_t account, row.GetInt(0));
                 Observation o;
                 ORCHARD_TRY(int64_t colour, row.GetInt(1));
                 ORCHARD_TRY(int64_t health, row.GetInt(2));
                 ORCHARD_TRY(int64_t peak, row.GetInt(3));
                 ORCHARD_TRY(Date on, Date::Parse(row.GetText(4)));
                 o.colour = static_cast<int>(colour);
                 o.health = static_cast<int>(health);
                 o.peak = static_cast<int>(peak);
                 o.peak_on = on.days();
                 observed_[account] = o;
                 return Ok();
               }));
  observed_loaded_ = true;
  return Ok();
}

Result<std::vector<RuleEngine::Live>> RuleEngine::LiveRules(store::Database& db, bool) {
  ORCHARD_TRY(auto all, RuleService::ReadAll(db));
  std::vector<Live> out;
  for (auto& r : all) {
    if (!r.Live()) continue;
    ORCHARD_TRY(Condition c, ParseCondition(r.definition.condition, AccountFields()));
    ORCHARD_TRY(Memory * m, MemoryOf(db, r.id));
    out.push_back(Live{std::move(r), std::move(c), m});
  }
  return out;
}

Result<std::vector<Hit>> RuleEngine::EvaluateTimeRules(const std::vector<StoredRule>& rules,
                                                       bool skip_fired) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  std::vector<Live> live;
  std::vector<const Trigger*> triggers;
  for (const auto& r : rules) {
    if (!IsTimeTrigger(r.definition.trigger.kind)) continue;
    ORCHARD_TRY(Condition c, ParseCondition(r.definition.condition, AccountFields()));
    Memory* m = nullptr;
    if (skip_fired) {
      ORCHARD_TRY(m, MemoryOf(*db, r.id));
    }
    live.push_back(Live{r, std::move(c), m});
    triggers.push_back(&r.definition.trigger);
  }
  const Date today = clock_.Today();
  ORCHARD_TRY(const TimeContext context, ReadTimeContext(*db, triggers, today));
  Users users;
  ORCHARD_TRY(users, ReadUsers(*db));
  std::vector<Hit> hits;
  auto lock = model_.ReadLock();
  const engine::DayColumns& day = model_.On(today.days(), settings_());
  AccountReader reader(model_, day, users.email);
  const engine::SlaNow sla = engine::SlaNowOf(day.settings, clock_.Now());
  const size_t slots = model_.slots();
  for (size_t r = 0; r < live.size(); ++r) {
    const Trigger& t = live[r].rule.definition.trigger;
    const Condition& cond = live[r].condition;
    for (size_t slot = 0; slot < slots; ++slot) {
      if (!model_.live(slot)) continue;
      std::vector<TriggerState> held = IsSlaTrigger(t.kind)
                                           ? SlaStates(t, model_, day, slot, sla, true)
                                           : std::vector<TriggerState>{};
      if (!IsSlaTrigger(t.kind)) {
        TriggerState st = TimeState(t, model_, day, slot, context, sla, false);
        if (st.holds) held.push_back(std::move(st));
      }
      if (held.empty()) continue;
      reader.At(slot);
      if (!cond.always() && !cond.Eval(reader)) continue;
      const int64_t account = model_.account_id(slot);
      for (TriggerState& st : held) {
        if (live[r].memory != nullptr && live[r].memory->keys.contains(Key(account, st.anchor))) {
          continue;
        }
        hits.push_back(Hit{r, slot, account, std::move(st.anchor), std::move(st.text)});
      }
    }
  }
  return hits;
}

Result<PassReport> RuleEngine::RunPass(bool full) {
  std::lock_guard one_at_a_time(pass_mu_);
  const auto t0 = Clock_::now();
  PassReport report;
  std::optional<store::ConnectionPool::Lease> lease;
  {
    ORCHARD_TRY(auto leased, pool_.Acquire());
    lease.emplace(std::move(leased));
  }
  store::ConnectionPool::Lease& db = *lease;
  ORCHARD_TRY(std::vector<Live> rules, LiveRules(*db, full));
  report.rules = static_cast<int>(rules.size());
  bool observed = false;
  std::vector<const Trigger*> triggers;
  for (const auto& r : rules) {
    observed |= IsObservedTrigger(r.rule.definition.trigger.kind);
    if (full) triggers.push_back(&r.rule.definition.trigger);
  }
  if (observed) ORCHARD_CHECK(LoadObservations(*db));
  const Date today = clock_.Today();
  ORCHARD_TRY(const TimeContext context, ReadTimeContext(*db, triggers, today));
  ORCHARD_TRY(Users users, ReadUsers(*db));

  ORCHARD_TRY(Events events, ReadEvents(*db, today, processed_, report));

  // Evaluate: the book alone, under its read lock.
  std::vector<Hit> hits;
  std::vector<std::pair<int64_t, Observation>> observed_now;
  const auto te = Clock_::now();
  Evaluate(rules, full, observed, today, context, users, events, hits, observed_now, report);
  report.evaluate_ms = MsSince(te);
  report.candidates = static_cast<int64_t>(hits.size());

  ORCHARD_CHECK(SaveObservations(*db, observed_now));

  // Fire, act, and retry what is due. Facts and merge fields are read from the book again,
  // for the hits that fire only.
  lease.reset();
  ORCHARD_CHECK(Fire(rules, hits, report));
  ORCHARD_CHECK(RetryDue(report));
  report.total_ms = MsSince(t0);
  return report;
}

// The hits of the live rules: time triggers over every account (a full pass), health against
// what was last observed (every account, or those the events touched), the row events and usage.
// The book alone, under its read lock; no database.
void RuleEngine::Evaluate(std::vector<Live>& rules, bool full, bool observed, Date today,
                          const TimeContext& context, const Users& users, const Events& events,
                          std::vector<Hit>& hits,
                          std::vector<std::pair<int64_t, Observation>>& observed_now,
                          PassReport& report) {
  auto lock = model_.ReadLock();
  const engine::DayColumns& day = model_.On(today.days(), settings_());
  AccountReader reader(model_, day, users.email);
  auto consider = [&](size_t r, size_t slot, std::string anchor, std::string text) {
    Live& live = rules[r];
    reader.At(slot);
    if (!live.condition.always() && !live.condition.Eval(reader)) return;
    const int64_t account = model_.account_id(slot);
    if (live.memory->keys.contains(Key(account, anchor))) return;
    hits.push_back(Hit{r, slot, account, std::move(anchor), std::move(text)});
  };
  if (full) {
    const size_t slots = model_.slots();
    report.accounts = static_cast<int64_t>(slots);
    const engine::SlaNow sla = engine::SlaNowOf(day.settings, clock_.Now());
    for (size_t r = 0; r < rules.size(); ++r) {
      const Trigger& t = rules[r].rule.definition.trigger;
      if (!IsTimeTrigger(t.kind)) continue;
      for (size_t slot = 0; slot < slots; ++slot) {
        if (!model_.live(slot)) continue;
        if (IsSlaTrigger(t.kind)) {  // each ticket it holds for, in words (the firing's facts)
          for (TriggerState& st : SlaStates(t, model_, day, slot, sla, true)) {
            consider(r, slot, std::move(st.anchor), std::move(st.text));
          }
          continue;
        }
        TriggerState st = TimeState(t, model_, day, slot, context, sla, false);
        if (st.holds) consider(r, slot, std::move(st.anchor), "");
      }
    }
  }
  // Health against what was last observed: every account on a full pass, the touched ones on
  // an event pass.
  if (observed) {
    auto observe = [&](size_t slot) {
      const engine::Summary& s = day.summary[slot];
      const int64_t account = model_.account_id(slot);
      auto it = observed_.find(account);
      Observation now{s.colour, s.health, s.health, today.days()};
      if (it == observed_.end()) {  // first sight: remembered, nothing to compare with
        observed_now.emplace_back(account, now);
        return;
      }
      const Observation before = it->second;
      if (before.peak >= s.health && today.days() - before.peak_on <= 7) {
        now.peak = before.peak;
        now.peak_on = before.peak_on;
      }
      if (now.colour == before.colour && now.health == before.health && now.peak == before.peak &&
          now.peak_on == before.peak_on) {
        return;
      }
      observed_now.emplace_back(account, now);
      for (size_t r = 0; r < rules.size(); ++r) {
        const Trigger& t = rules[r].rule.definition.trigger;
        if (t.kind == TriggerKind::kHealthColour && before.colour != now.colour &&
            before.colour != 0 && now.colour != 0) {
          const std::string from(ColourName(before.colour)), to(ColourName(now.colour));
          const bool to_ok = t.to.empty() ? now.colour > before.colour
                                          : std::find(t.to.begin(), t.to.end(), to) != t.to.end();
          const bool from_ok =
              t.from.empty() || std::find(t.from.begin(), t.from.end(), from) != t.from.end();
          if (to_ok && from_ok) {
            consider(r, slot, "colour:" + from + ">" + to + ":" + today.ToString(),
                     "health went from " + from + " to " + to + " (" +
                         std::to_string(before.health) + " → " + std::to_string(now.health) + ")");
          }
        } else if (t.kind == TriggerKind::kHealthDrop && now.health >= 0 && now.peak >= 0 &&
                   now.peak - now.health >= t.points) {
          consider(r, slot, "drop:" + Day(now.peak_on) + ":" + std::to_string(now.peak),
                   "health fell " + std::to_string(now.peak - now.health) + " points, from " +
                       std::to_string(now.peak) + " on " + Day(now.peak_on) + " to " +
                       std::to_string(now.health));
        }
      }
    };
    if (full) {
      for (size_t slot = 0; slot < model_.slots(); ++slot) {
        if (model_.live(slot)) observe(slot);
      }
    } else {
      for (int64_t account : events.touched) {
        if (auto slot = model_.SlotOf(account); slot && model_.live(*slot)) observe(*slot);
      }
    }
  }
  // Row events and usage.
  for (size_t r = 0; r < rules.size(); ++r) {
    const Trigger& t = rules[r].rule.definition.trigger;
    for (const RowEvent& e : events.rows) {
      if (e.kind != t.kind) continue;
      if (e.kind == TriggerKind::kNegativeSentiment && !SentimentFires(t, e)) continue;
      if (auto slot = model_.SlotOf(e.account); slot && model_.live(*slot)) {
        consider(r, *slot, e.anchor, e.text);
      }
    }
    if (IsEngagementTrigger(t.kind)) {
      for (const auto& [account, signals] : events.engagement) {
        auto slot = model_.SlotOf(account);
        if (!slot || !model_.live(*slot)) continue;
        if (auto hit = JumpHit(t, EngagementZ(signals, today.days(), t.signals))) {
          consider(r, *slot, std::move(hit->first), std::move(hit->second));
        }
      }
    }
    if (!IsUsageTrigger(t.kind)) continue;
    for (int64_t account : events.usage) {
      auto slot = model_.SlotOf(account);
      if (!slot || !model_.live(*slot)) continue;
      if (auto hit = JumpHit(t, UsageZ(model_.usage(*slot), today.days(), t.metric))) {
        consider(r, *slot, std::move(hit->first), std::move(hit->second));
      }
    }
  }
}

// What was observed is kept, so a restart compares with it rather than starting over.
Status RuleEngine::SaveObservations(
    store::Database& db, const std::vector<std::pair<int64_t, Observation>>& observed_now) {
  if (observed_now.empty()) return Ok();
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  for (const auto& [account, o] : observed_now) {
    std::vector<store::SqlValue> p;
    p.emplace_back(account);
    p.emplace_back(int64_t{o.colour});
    p.emplace_back(int64_t{o.health});
    p.emplace_back(int64_t{o.peak});
    p.emplace_back(Day(o.peak_on));
    auto written = db.Exec(
        "INSERT INTO rule_observations (account_id, colour, health, peak_health, peak_on) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET colour = "
        "excluded.colour, health = excluded.health, peak_health = excluded.peak_health, "
        "peak_on = excluded.peak_on",
        p);
    // An account deleted meanwhile has no row to observe: skipped.
    if (!written && written.error().code != ErrorCode::kInvalidValue) {
      return std::unexpected(written.error());
    }
  }
  ORCHARD_CHECK(tx.Commit());
  for (const auto& [account, o] : observed_now) observed_[account] = o;
  return Ok();
}

// What a firing keeps: the trigger, the condition's values, the merge fields, as they are now.
std::string RuleEngine::FactsOf(const Live& live, const Hit& h, const Users& users, Date today) {
  const RuleDefinition& def = live.rule.definition;
  json::object facts;
  auto lock = model_.ReadLock();
  const engine::DayColumns& day = model_.On(today.days(), settings_());
  AccountReader reader(model_, day, users.email);
  reader.At(h.slot);
  Explanation why = live.condition.Explain(reader);
  std::string trigger = h.trigger;
  if (trigger.empty()) {
    trigger = TimeState(def.trigger, model_, day, h.slot, {},
                        engine::SlaNowOf(day.settings, clock_.Now()), true)
                  .text;
    if (def.trigger.kind == TriggerKind::kOnboardingDay) trigger = "onboarding: " + h.anchor;
  }
  facts["trigger"] = trigger;
  facts["condition"] = live.condition.always() ? "always" : why.Sentence();
  json::object values;
  for (const Clause& c : why.clauses) values[c.field] = c.value;
  facts["values"] = std::move(values);
  json::object merge;
  for (auto& [k, v] : MergeOf(model_, day, h.slot, users, live.rule.name)) merge[k] = v;
  // What the trigger fired on, in words, and the ticket of an SLA trigger's anchor.
  merge["trigger"] = trigger;
  merge["ticket.id"] = h.anchor.starts_with("ticket:") ? h.anchor.substr(7) : "";
  facts["merge"] = std::move(merge);
  return json::serialize(facts);
}

Status RuleEngine::Fire(std::vector<Live>& rules, std::vector<Hit>& hits, PassReport& report) {
  if (hits.empty()) return Ok();
  const Date today = clock_.Today();
  std::vector<int64_t> fired_ids;
  {
    ORCHARD_TRY(auto db, pool_.Acquire());
    ORCHARD_TRY(Users users, ReadUsers(*db));
    std::map<size_t, int64_t> today_count;
    std::set<size_t> paused;
    for (const Hit& h : hits) {
      Live& live = rules[h.rule];
      const RuleDefinition& def = live.rule.definition;
      if (paused.contains(h.rule)) continue;
      if (!today_count.contains(h.rule)) {
        std::vector<store::SqlValue> p;
        p.emplace_back(live.rule.id);
        p.emplace_back(today.ToString());
        ORCHARD_TRY(
            auto n,
            db->QueryInt("SELECT COUNT(*) FROM rule_firings WHERE rule_id = ? AND day = ?", p));
        today_count[h.rule] = n.value_or(0);
      }
      int64_t& count = today_count[h.rule];
      if (count >= def.cap_per_day) {
        // At the cap the rule pauses, with its reason; no other rule stops.
        const std::string reason = "reached its cap of " + std::to_string(def.cap_per_day) +
                                   " firings on " + today.ToString() +
                                   "; resume it when the firings are checked";
        std::vector<store::SqlValue> p;
        p.emplace_back(reason);
        p.emplace_back(today.ToString());
        p.emplace_back(live.rule.id);
        ORCHARD_CHECK(db->Exec(
            "UPDATE rules SET paused_reason = ?, paused_on = ? WHERE id = ? AND paused_reason "
            "IS NULL",
            p));
        ORCHARD_CHECK(NotifyAdmins(
            *db, "cap:" + std::to_string(live.rule.id) + ":" + today.ToString(),
            "Rule \"" + live.rule.name + "\" paused at its cap", reason, clock_.Now()));
        report.paused.push_back(live.rule.name + ": " + reason);
        paused.insert(h.rule);
        continue;
      }
      if (def.cooldown_days > 0) {
        std::vector<store::SqlValue> p;
        p.emplace_back(live.rule.id);
        p.emplace_back(h.account_id);
        p.emplace_back(today.AddDays(-def.cooldown_days + 1).ToString());
        ORCHARD_TRY(auto recent,
                    db->QueryInt("SELECT COUNT(*) FROM rule_firings WHERE rule_id = ? AND "
                                 "account_id = ? AND day >= ?",
                                 p));
        if (recent.value_or(0) > 0) continue;
      }
      const std::string facts = FactsOf(live, h, users, today);
      ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
      std::vector<store::SqlValue> p;
      p.emplace_back(live.rule.id);
      p.emplace_back(live.rule.version);
      p.emplace_back(h.account_id);
      p.emplace_back(h.anchor);
      p.emplace_back(today.ToString());
      p.emplace_back(clock_.Now().ToString());
      p.emplace_back(facts);
      auto id = db->QueryInt(
          "INSERT INTO rule_firings (rule_id, rule_version, account_id, anchor, day, fired_at, "
          "facts, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (rule_id, "
          "account_id, anchor) DO NOTHING RETURNING id",
          p);
      if (!id && id.error().code == ErrorCode::kInvalidValue) continue;  // the account is gone
      if (!id) return std::unexpected(id.error());
      live.memory->keys.insert(Key(h.account_id, h.anchor));
      if (!*id) continue;  // fired before (another server, or before a restart): nothing to do
      for (size_t i = 0; i < def.actions.size(); ++i) {
        std::vector<store::SqlValue> a;
        a.emplace_back(**id);
        a.emplace_back(static_cast<int64_t>(i));
        a.emplace_back(std::string(ToString(def.actions[i].kind)));
        a.emplace_back(clock_.Now().ToString());
        ORCHARD_CHECK(db->Exec(
            "INSERT INTO rule_actions (firing_id, idx, kind, status, attempts, next_attempt_at) "
            "VALUES (?, ?, ?, 'pending', 0, ?)",
            a));
      }
      ORCHARD_CHECK(tx.Commit());
      live.memory->last_day[h.account_id] = today.days();
      const bool below_80 = count * 5 < static_cast<int64_t>(def.cap_per_day) * 4;
      ++count;
      ++report.fired;
      fired_ids.push_back(**id);
      if (below_80 && count * 5 >= static_cast<int64_t>(def.cap_per_day) * 4) {
        ORCHARD_CHECK(
            NotifyAdmins(*db, "cap80:" + std::to_string(live.rule.id) + ":" + today.ToString(),
                         "Rule \"" + live.rule.name + "\" is at 80 % of its cap",
                         std::to_string(count) + " of " + std::to_string(def.cap_per_day) +
                             " firings today; at the cap it pauses.",
                         clock_.Now()));
      }
    }
  }
  for (int64_t id : fired_ids) ORCHARD_CHECK(RunActionsOf(id, report));
  return Ok();
}

Status RuleEngine::RunActionsOf(int64_t firing_id, PassReport& report) {
  FiringContext f;
  f.firing_id = firing_id;
  int64_t version = 0;
  {
    ORCHARD_TRY(auto db, pool_.Acquire());
    bool found = false;
    store::SqlValue id[] = {firing_id};
    ORCHARD_CHECK(db->Query(
        "SELECT rule_id, rule_version, account_id, anchor, facts FROM rule_firings WHERE id = ?",
        id, [&](const store::Row& row) -> Status {
          found = true;
          ORCHARD_TRY(f.rule_id, row.GetInt(0));
          ORCHARD_TRY(version, row.GetInt(1));
          ORCHARD_TRY(f.account_id, row.GetInt(2));
          f.anchor = std::string(row.GetText(3));
          f.facts_json = std::string(row.GetText(4));
          return Ok();
        }));
    if (!found) return Ok();  // its account was deleted, and the firing with it
  }
  boost::system::error_code ec;
  json::value facts = json::parse(f.facts_json, ec);
  if (!ec && facts.is_object()) {
    if (const auto* merge = facts.as_object().if_contains("merge"); merge && merge->is_object()) {
      for (const auto& [k, v] : merge->as_object()) {
        if (v.is_string()) f.merge[std::string(k)] = std::string(v.as_string());
      }
    }
  }
  RuleDefinition def;
  {
    ORCHARD_TRY(auto db, pool_.Acquire());
    std::string text;
    store::SqlValue p[] = {f.rule_id, version};
    ORCHARD_CHECK(
        db->Query("SELECT definition, name FROM rule_versions WHERE rule_id = ? AND version = ?", p,
                  [&](const store::Row& row) -> Status {
                    text = std::string(row.GetText(0));
                    f.rule_name = std::string(row.GetText(1));
                    return Ok();
                  }));
    ORCHARD_TRY(def, ParseDefinition(text));
    f.trigger = std::string(ToString(def.trigger.kind));
  }
  const Timestamp now = clock_.Now();
  for (size_t idx = 0; idx < def.actions.size(); ++idx) {
    ORCHARD_TRY(auto work, service::UnitOfWork::Begin(pool_, &model_));
    std::vector<store::SqlValue> key;
    key.emplace_back(firing_id);
    key.emplace_back(static_cast<int64_t>(idx));
    // The flip first: a second pass reaching the same action finds it done and does nothing.
    std::vector<store::SqlValue> due = key;
    due.emplace_back(now.ToString());
    ORCHARD_TRY(int64_t mine,
                work.db().Exec("UPDATE rule_actions SET status = 'done', attempts = attempts "
                               "+ 1, next_attempt_at = NULL WHERE firing_id = ? AND idx = ? "
                               "AND status IN ('pending', 'failed') AND next_attempt_at <= ?",
                               due));
    if (mine == 0) continue;
    auto made = RunAction(work, pool_, clock_, &model_, def.actions[idx], static_cast<int>(idx), f);
    if (made) {
      std::vector<store::SqlValue> p;
      p.emplace_back(*made);
      p.emplace_back(firing_id);
      p.emplace_back(static_cast<int64_t>(idx));
      ORCHARD_CHECK(work.db().Exec(
          "UPDATE rule_actions SET result = ?, last_error = NULL WHERE firing_id = ? AND idx = ?",
          p));
      ORCHARD_CHECK(work.Commit());
      ++report.actions_done;
      continue;
    }
    // The action failed: nothing of it is kept but the error, and when it is tried again.
    { auto rolled_back = std::move(work); }
    ORCHARD_TRY(auto db, pool_.Acquire());
    ORCHARD_TRY(
        auto attempts,
        db->QueryInt("SELECT attempts FROM rule_actions WHERE firing_id = ? AND idx = ?", key));
    const int64_t tried = attempts.value_or(0) + 1;
    std::vector<store::SqlValue> p;
    p.emplace_back(made.error().message);
    if (tried >= kMaxAttempts) {
      p.emplace_back(std::monostate());  // no more tries: it stays failed, with its error
    } else {
      p.emplace_back(now.AddSeconds(RetrySeconds(tried)).ToString());
    }
    p.emplace_back(firing_id);
    p.emplace_back(static_cast<int64_t>(idx));
    ORCHARD_CHECK(db->Exec(
        "UPDATE rule_actions SET status = 'failed', attempts = attempts + 1, last_error = ?, "
        "next_attempt_at = ? WHERE firing_id = ? AND idx = ? AND status IN ('pending', 'failed')",
        p));
    ++report.actions_failed;
  }
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::SqlValue id[] = {firing_id};
  ORCHARD_TRY(auto open,
              db->QueryInt("SELECT COUNT(*) FROM rule_actions WHERE firing_id = ? AND status "
                           "<> 'done'",
                           id));
  ORCHARD_TRY(auto failed,
              db->QueryInt("SELECT COUNT(*) FROM rule_actions WHERE firing_id = ? AND status "
                           "= 'failed'",
                           id));
  std::vector<store::SqlValue> p;
  p.emplace_back(std::string(open.value_or(0) == 0    ? "done"
                             : failed.value_or(0) > 0 ? "failed"
                                                      : "pending"));
  p.emplace_back(firing_id);
  ORCHARD_CHECK(db->Exec("UPDATE rule_firings SET status = ? WHERE id = ?", p));
  return Ok();
}

// Every action due (pending since a pass that stopped, or failed and due again), in batches by
// firing, until none is left or the pass has spent its budget on them (the next pass goes on).
Status RuleEngine::RetryDue(PassReport& report) {
  const auto started = Clock_::now();
  int64_t after = 0;
  while (Clock_::now() - started < std::chrono::seconds(20)) {
    std::vector<int64_t> firings;
    {
      ORCHARD_TRY(auto db, pool_.Acquire());
      std::vector<store::SqlValue> p;
      p.emplace_back(after);
      p.emplace_back(clock_.Now().ToString());
      ORCHARD_CHECK(db->Query(
          "SELECT DISTINCT firing_id FROM rule_actions WHERE firing_id > ? AND status IN "
          "('pending', 'failed') AND next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER "
          "BY firing_id LIMIT 500",
          p, [&](const store::Row& row) -> Status {
            ORCHARD_TRY(int64_t id, row.GetInt(0));
            firings.push_back(id);
            return Ok();
          }));
    }
    if (firings.empty()) break;
    for (int64_t id : firings) ORCHARD_CHECK(RunActionsOf(id, report));
    after = firings.back();
  }
  return Ok();
}

}  // namespace orchard::automation
