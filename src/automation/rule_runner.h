// RuleRunner: runs the rule engine inside `orchard serve` (issue 19). One leader among the
// servers sharing a database evaluates: on PostgreSQL the one holding a session advisory lock on
// a connection of its own (a server that dies lets it go with its connection, and another takes
// over within a poll); on SQLite the one server. The leader runs a full pass at least every
// `full_every_ms` (default 30 s: date rules are checked twice a minute, not hourly) and an event
// pass as soon as a write was applied (ReadModel::Applied: this server's writes at once, other
// servers' as the follower reads them). Nothing depends on the leader for correctness: firings
// are unique by key and actions are flipped before they act (automation/rule_engine.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "automation/rule_engine.h"
#include "store/database.h"

namespace orchard::automation {

struct RunnerOptions {
  int full_every_ms = 30'000;
  std::function<void(const Error&)> on_error;      // a failed pass (retried); may be empty
  std::function<void(const PassReport&)> on_pass;  // after each pass that did something
};

class RuleRunner {
 public:
  static Result<std::unique_ptr<RuleRunner>> Start(const std::string& url, RuleEngine& engine,
                                                   RunnerOptions options = {});
  ~RuleRunner();  // stops and joins
  RuleRunner(const RuleRunner&) = delete;
  RuleRunner& operator=(const RuleRunner&) = delete;

  void Wake();  // a write was applied: an event pass now
  bool leader() const { return leader_.load(); }

 private:
  RuleRunner(std::unique_ptr<store::Database> db, RuleEngine& engine, RunnerOptions options);
  void Run();
  bool TryLead();

  std::unique_ptr<store::Database> db_;  // PostgreSQL: holds the advisory lock
  std::string url_;
  RuleEngine& engine_;
  RunnerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stop_ = false;
  std::atomic<bool> leader_{false};
  std::thread thread_;
};

}  // namespace orchard::automation
