// orchard rules list | show | dry-run | backtest | run --once.
#include <fmt/core.h>

#include <boost/json.hpp>

#include "app/book.h"
#include "app/model_commands.h"
#include "automation/backtest.h"
#include "automation/rule_engine.h"
#include "automation/rule_store.h"
#include "cli/progress.h"
#include "service/actor.h"
#include "store/pool.h"

namespace orchard {

// orchard rules list | show | dry-run | run --once: the rules over the in-memory book, as the
// server runs them (for those who prefer cron to the server's own runner).
Status RunRules(const cli::RulesArgs& args, const Clock& clock) {
  ORCHARD_CHECK(RequireExistingDatabase(args.db));
  ORCHARD_TRY(LoadedBook book, LoadBook(args.db));
  ORCHARD_TRY(auto pool, store::ConnectionPool::Open(args.db, 2));
  automation::RuleService rules(*pool, clock);
  const Settings settings = book.settings;
  automation::RuleEngine engine(
      *pool, *book.model, [settings] { return settings; }, clock);
  const service::Actor cli_operator{UserId(), Role::kAdmin, {}};
  const bool json = args.format == "json";
  if (args.action == "list") {
    ORCHARD_TRY(auto all, rules.List(cli_operator));
    // The state in words: live, disabled, not active (a draft or archived), or paused and why.
    auto state = [](const automation::StoredRule& r) {
      return r.paused_reason ? "paused: " + *r.paused_reason
             : r.Live()      ? std::string("live")
                             : std::string(r.enabled ? "not active" : "disabled");
    };
    if (json) {
      boost::json::array out;
      for (const auto& r : all) {
        out.push_back({{"id", r.id},
                       {"name", r.name},
                       {"status", ToString(r.status)},
                       {"version", r.version},
                       {"state", state(r)},
                       {"trigger", ToString(r.definition.trigger.kind)}});
      }
      fmt::print("{}\n", boost::json::serialize(out));
      return Ok();
    }
    fmt::print("{:>4}  {:<44} {:<9} {:<17} {}\n", "id", "name", "status", "trigger", "state");
    for (const auto& r : all) {
      fmt::print("{:>4}  {:<44} {:<9} {:<17} {}\n", r.id, r.name.substr(0, 44), ToString(r.status),
                 ToString(r.definition.trigger.kind), state(r));
    }
    return Ok();
  }
  if (args.action == "show") {
    ORCHARD_TRY(auto r, rules.Get(cli_operator, args.id));
    ORCHARD_TRY(auto versions, rules.Versions(cli_operator, args.id));
    if (json) {
      fmt::print("{}\n", automation::DefinitionJson(r.definition));
      return Ok();
    }
    fmt::print("Rule {}: {} ({}, version {}{})\n{}\n\nDefinition:\n{}\n\nVersions:\n", r.id, r.name,
               ToString(r.status), r.version, r.enabled ? "" : ", disabled", r.description,
               automation::DefinitionJson(r.definition));
    for (const auto& v : versions) {
      fmt::print("  {}  {}  {}\n", v.version, v.created_at.ToString(), ToString(v.status));
    }
    return Ok();
  }
  if (args.action == "dry-run") {
    ORCHARD_TRY(auto r, rules.Get(cli_operator, args.id));
    ORCHARD_TRY(auto run, engine.DryRunOf(r.definition, args.limit));
    if (!run.note.empty()) fmt::print("{}\n", run.note);
    fmt::print("Rule {} (\"{}\") would act on {} account(s) now.\n", r.id, r.name,
               cli::Grouped(run.total));
    for (const auto& a : run.accounts) {
      fmt::print("  {:>8}  {:<40} {}\n", a.account_id, a.name.substr(0, 40),
                 a.trigger.empty() ? a.condition : a.trigger);
    }
    return Ok();
  }
  if (args.action == "backtest") {
    ORCHARD_TRY(auto r, rules.Get(cli_operator, args.id));
    ORCHARD_TRY(auto db, pool->Acquire());
    ORCHARD_TRY(auto b,
                automation::Backtest(r.definition, *book.model, settings, *db, clock.Today()));
    fmt::print("Rule {} (\"{}\"): {}", r.id, r.name, automation::BacktestText(b));
    return Ok();
  }
  ORCHARD_TRY(auto pass, engine.RunPass(true));
  fmt::print(
      "Ran {} live rule(s) over {} accounts in {:.0f} ms (evaluation {:.1f} ms): {} fired, "
      "{} actions done, {} failed.\n",
      pass.rules, cli::Grouped(pass.accounts), pass.total_ms, pass.evaluate_ms, pass.fired,
      pass.actions_done, pass.actions_failed);
  for (const auto& p : pass.paused) fmt::print("Paused: {}\n", p);
  return Ok();
}

}  // namespace orchard
