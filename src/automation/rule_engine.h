// RuleEngine: evaluates the live rules over the in-memory book and acts on what fires (issue 19).
//
// A pass is: evaluate (under the book's read lock, no database) → fire (each firing inserted
// with its action rows; the unique key (rule, account, anchor) turns a second firing into a
// no-op, across restarts and servers) → act (each action in its own unit with the flip of its
// row, automation/actions.h) → retry the actions that failed and are due. A full pass checks the
// time triggers over every account (renewal in N days, plan stale, no contact, onboarding day N,
// and health colour and drop against what the engine last observed); an event pass reads the
// change log since its cursor and checks the event triggers (opportunity won or lost, contact
// departed, ticket escalated, NPS detractor, usage spike or drop) and the health of the accounts
// the writes touched. Both are safe to run twice or at once: nothing fires or acts twice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "automation/condition.h"
#include "automation/rule_store.h"
#include "automation/triggers.h"
#include "core/clock.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "store/pool.h"

namespace orchard::automation {

struct PassReport {
  int rules = 0;           // live rules evaluated
  int64_t accounts = 0;    // accounts looked at
  int64_t candidates = 0;  // (rule, account, anchor) found true and not yet fired
  int64_t fired = 0;       // firings recorded by this pass
  int64_t actions_done = 0;
  int64_t actions_failed = 0;
  int64_t events = 0;               // change-log entries read (event passes)
  std::vector<std::string> paused;  // rules their cap paused, with the reason
  double evaluate_ms = 0;           // the evaluation alone (the book, no database)
  double total_ms = 0;
};

// One account a rule is true for now.
struct Hit {
  size_t rule = 0;  // index into the rules evaluated
  size_t slot = 0;
  int64_t account_id = 0;
  std::string anchor;
  std::string trigger;  // the trigger's state, in words
};

struct DryRunAccount {
  int64_t account_id = 0;
  std::string name;
  std::string anchor;
  std::string trigger;
  std::string condition;  // Explanation::Sentence()
};
struct DryRun {
  int64_t total = 0;                    // accounts it would act on now
  std::vector<DryRunAccount> accounts;  // the first `limit`
  std::string note;                     // for event triggers: what it waits for
};

struct ActionRun {
  int idx = 0;
  std::string kind;
  std::string status;  // pending, done, failed
  int64_t attempts = 0;
  std::string result;
  std::string error;
  std::optional<Timestamp> next_attempt_at;
};
struct TraceFiring {
  int64_t id = 0;
  int64_t rule_version = 0;
  std::string anchor;
  Timestamp fired_at;
  std::string status;
  std::string facts_json;
  std::vector<ActionRun> actions;
};
// Why a rule did or did not fire for one account, now.
struct Trace {
  int64_t rule_id = 0;
  std::string rule_name;
  int64_t account_id = 0;
  std::string account_name;
  bool live = false;  // active, enabled, not paused
  std::string state;  // "active", "draft", "disabled", "paused: …"
  bool trigger_holds = false;
  std::string trigger;  // the trigger's state in words
  std::string anchor;   // what it would fire on now
  bool condition_holds = false;
  Explanation condition;
  std::string cooldown;              // "" or "in cooldown until 2027-01-04 (fired 2026-12-28)"
  std::string cap;                   // "12 of 500 today"
  bool fired_on_anchor = false;      // it already fired on this anchor
  std::string verdict;               // one sentence: would fire now / fired / why not
  std::vector<TraceFiring> firings;  // newest first
};

class RuleEngine {
 public:
  RuleEngine(store::ConnectionPool& pool, engine::ReadModel& model,
             std::function<Settings()> settings, const Clock& clock);
  ~RuleEngine();

  // One pass: full (time triggers over the book, and the events) or events only.
  Result<PassReport> RunPass(bool full);

  // The live time rules' hits over the whole book, without firing (bench/rules measures this).
  Result<std::vector<Hit>> EvaluateTimeRules(const std::vector<StoredRule>& rules, bool skip_fired);

  Result<DryRun> DryRunOf(const RuleDefinition& definition, int limit);
  Result<Trace> TraceOf(int64_t rule_id, int64_t account_id);

  // Called after a write commits: the next event pass should come now.
  void Notify() {
    if (on_change_) on_change_();
  }
  void SetOnChange(std::function<void()> f) { on_change_ = std::move(f); }

 private:
  struct Memory;  // what the engine remembers of a rule's firings
  struct Observation {
    int colour = 0;
    int health = -1;
    int peak = -1;
    int32_t peak_on = 0;
  };
  struct Live;

  Status LoadObservations(store::Database& db);
  std::string FactsOf(const Live& live, const Hit& h, const Users& users, Date today);
  Status SaveObservations(store::Database& db,
                          const std::vector<std::pair<int64_t, Observation>>& observed_now);
  void Evaluate(std::vector<Live>& rules, bool full, bool observed, Date today,
                const TimeContext& context, const Users& users, const Events& events,
                std::vector<Hit>& hits, std::vector<std::pair<int64_t, Observation>>& observed_now,
                PassReport& report);
  Result<Memory*> MemoryOf(store::Database& db, int64_t rule_id);
  Result<std::vector<Live>> LiveRules(store::Database& db, bool time_rules);
  // Fires the hits (cooldown and caps checked against the database) and runs their actions.
  Status Fire(std::vector<Live>& rules, std::vector<Hit>& hits, PassReport& report);
  Status RunActionsOf(int64_t firing_id, PassReport& report);
  Status RetryDue(PassReport& report);

  store::ConnectionPool& pool_;
  engine::ReadModel& model_;
  std::function<Settings()> settings_;
  const Clock& clock_;
  std::function<void()> on_change_;
  std::mutex pass_mu_;  // one pass at a time in this process
  std::unordered_map<int64_t, std::unique_ptr<Memory>> memory_;
  std::unordered_map<int64_t, Observation> observed_;
  bool observed_loaded_ = false;
  std::set<int64_t> processed_;  // change-log entries read in the last window
};

}  // namespace orchard::automation
