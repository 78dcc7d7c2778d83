#include "automation/rule_runner.h"

#include <chrono>
#include <string_view>

namespace orchard::automation {
namespace {
// The advisory lock's key: "orchard rules" and the book's schema, as a number every server of
// that book agrees on. Advisory locks are the database's, not a schema's: with the constant
// alone, one book's leader kept every other book in the database (another schema) from ever
// running its rules.
constexpr std::string_view kLeaderLock =
    "SELECT pg_try_advisory_lock(hashtextextended('orchard rules:' || current_schema(), 0))";
}  // namespace

Result<std::unique_ptr<RuleRunner>> RuleRunner::Start(const std::string& url, RuleEngine& engine,
                                                      RunnerOptions options) {
  ORCHARD_TRY(auto db, store::OpenDatabase(url));
  std::unique_ptr<RuleRunner> r(new RuleRunner(std::move(db), engine, std::move(options)));
  r->url_ = url;
  r->thread_ = std::thread([raw = r.get()] { raw->Run(); });
  return r;
}

RuleRunner::RuleRunner(std::unique_ptr<store::Database> db, RuleEngine& engine,
                       RunnerOptions options)
    : db_(std::move(db)), engine_(engine), options_(std::move(options)) {}

RuleRunner::~RuleRunner() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RuleRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

bool RuleRunner::TryLead() {
  if (db_->dialect() != store::Dialect::kPostgres) return true;
  if (leader_) return true;
  bool got = false;
  auto asked = db_->Query(kLeaderLock, {}, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(got, row.GetBool(0));
    return Ok();
  });
  if (!asked) {
    // The connection may be gone (and the lock with it): a fresh one for the next try.
    if (options_.on_error) options_.on_error(asked.error());
    if (auto fresh = store::OpenDatabase(url_)) db_ = std::move(*fresh);
    return false;
  }
  return got;
}

void RuleRunner::Run() {
  using namespace std::chrono;
  auto next_full = steady_clock::now();
  while (true) {
    bool full = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_full, [&] { return stop_ || woken_; });
      if (stop_) return;
      full = steady_clock::now() >= next_full;
      woken_ = false;
    }
    if (full) next_full = steady_clock::now() + milliseconds(options_.full_every_ms);
    // A follower keeps asking for the lock: every full period, or sooner when woken.
    if (db_->dialect() == store::Dialect::kPostgres && leader_) {
      // Still ours while the connection lives; a ping finds out if it died.
      if (!db_->QueryInt("SELECT 1")) {
        leader_ = false;
        if (auto fresh = store::OpenDatabase(url_)) db_ = std::move(*fresh);
      }
    }
    leader_ = TryLead();
    if (!leader_) continue;
    auto pass = engine_.RunPass(full);
    if (!pass) {
      if (options_.on_error) options_.on_error(pass.error());
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, seconds(2), [&] { return stop_; });
      continue;
    }
    if (options_.on_pass &&
        (pass->fired > 0 || pass->actions_failed > 0 || !pass->paused.empty())) {
      options_.on_pass(*pass);
    }
  }
}

}  // namespace orchard::automation
