// bench/rules: the automation rules' time triggers (issue 19, item 9) asked three ways on the same
// book — Orchard's rule engine over the in-memory book, SQL on PostgreSQL, SQL on SQLite — with
// the answers checked against each other.
//
//   orchard-bench-rules --accounts N --pg URL [--work DIR] [--runs R] [--sql-runs R]
//                       [--event-to-task-ms MEDIAN --event-to-task-p99-ms P99]
//
// Seeds the deterministic synthetic book (ingest/seed.h, default 1,000,000 accounts) into an
// SQLite file (or reuses the one a run of this bench or of bench/dashboards with the same
// --accounts left in --work: the same book) and into PostgreSQL, adds the indexes a good DBA would
// add (dashboards_sql.h's and rules_sql.h's) and ANALYZEs. Then, for a realistic set of time rules
// (kRules below), times RuleEngine::EvaluateTimeRules — the evaluation of a full pass, every rule
// over every account, without firing — warm once, then the median of --runs; asks each rule of
// both databases in SQL (rules_sql.h; median of up to --sql-runs); and checks that the three
// answers are the same set of (account, anchor) per rule. Ends with
//   RESULT rules_pass_ms=X ratio_vs_postgres=Y ratio_vs_sqlite=Z event_to_task_ms=W …
// where the ratios are the peers' time for all the rules over the engine's time for the pass, and
// event_to_task_ms is what bench/rules measured against the real server before (passed in).
// Run it through bench/rules, which builds it, measures event → task and starts a throwaway
// PostgreSQL.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "automation/rule.h"
#include "automation/rule_engine.h"
#include "automation/rule_store.h"
#include "bench/book.h"
#include "bench/dashboards_sql.h"
#include "bench/rules_sql.h"
#include "core/clock.h"
#include "engine/read_model.h"
#include "store/pool.h"

namespace orchard::bench {
namespace {

// The rules: what an account team would switch on. The SQL of each is rules_sql.h's; the seeded
// book's regions are ingest/seed_words.h's kRegions.
struct BenchRule {
  std::string_view name;
  std::string_view definition;  // JSON, read by automation::ParseDefinition
  std::string_view anchor;      // the anchor's prefix, before the day
  std::string (*sql)(const RulesSql&);
};

// The shipped 90-day renewal nudge (defaults.cc "renewal-90": 120 days for tier 1, 30 catch-up
// days), written out here so that the SQL below is visibly the same rule.
constexpr std::string_view kRenewal90 =
    R"J({"trigger": {"kind": "renewal_in", "days": 90, "days_by_tier": {"1": 120},
          "catch_up_days": 30},
        "actions": [{"kind": "task", "title": "Prepare the renewal of {{account.name}}",
                     "owner": "am", "due_in_days": 14}]})J";
constexpr std::string_view kRenewalLarge =
    R"J({"trigger": {"kind": "renewal_in", "days": 60, "catch_up_days": 30},
        "condition": "arr >= 25k and region in (\"EMEA\", \"North America\")",
        "actions": [{"kind": "task", "title": "Exec sponsor call before {{account.name}} renews",
                     "owner": "am", "due_in_days": 7}]})J";
constexpr std::string_view kNoContact60 =
    R"J({"trigger": {"kind": "no_contact", "days": 60, "catch_up_days": 30},
        "actions": [{"kind": "task", "title": "Get back in touch with {{account.name}}",
                     "owner": "am", "due_in_days": 7}]})J";
constexpr std::string_view kPlanStale12 =
    R"J({"trigger": {"kind": "plan_stale"}, "condition": "tier in (1, 2)",
        "actions": [{"kind": "task", "title": "Refresh the account plan of {{account.name}}",
                     "owner": "am", "due_in_days": 14}]})J";

// Text conditions compare ASCII case-insensitively (condition.cc), hence LOWER; a missing
// region is in no list, as NULL IN (…) is not true.
const std::array<BenchRule, 4> kRules{{
    {"renewal in 90 days (tier 1: 120)", kRenewal90, "renewal:",
     [](const RulesSql& q) {
       return q.RenewalIn({120, 90, 90}, 30, "");
     }},
    {"renewal in 60, ARR ≥ 25k, EMEA/NA", kRenewalLarge, "renewal:",
     [](const RulesSql& q) {
       return q.RenewalIn({60, 60, 60}, 30,
                          "arr >= 2500000 AND LOWER(region) IN ('emea', 'north america')");
     }},
    {"no contact for 60 days", kNoContact60,
     "no_contact:", [](const RulesSql& q) { return q.NoContact(60, 30); }},
    {"plan stale, tier 1 or 2", kPlanStale12,
     "plan_stale:", [](const RulesSql& q) { return q.PlanStale("tier IN (1, 2)"); }},
}};

struct Options {
  int64_t accounts = 1'000'000;
  std::string pg_url;
  std::string work = "/tmp/orchard-bench-rules";
  int runs = 7;
  int sql_runs = 3;
  std::string event_to_task_ms = "n/a";
  std::string event_to_task_p99_ms = "n/a";
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--accounts") {
      o.accounts = std::stoll(next());
    } else if (a == "--pg") {
      o.pg_url = next();
    } else if (a == "--work") {
      o.work = next();
    } else if (a == "--runs") {
      o.runs = std::max(1, std::stoi(next()));
    } else if (a == "--sql-runs") {
      o.sql_runs = std::max(1, std::stoi(next()));
    } else if (a == "--event-to-task-ms") {
      o.event_to_task_ms = next();
    } else if (a == "--event-to-task-p99-ms") {
      o.event_to_task_p99_ms = next();
    } else {
      Die("unknown option " + a +
          "; usage: orchard-bench-rules --accounts N --pg URL [--work DIR] [--runs R] "
          "[--sql-runs R] [--event-to-task-ms M --event-to-task-p99-ms P]");
    }
  }
  if (o.accounts < 100) Die("--accounts must be at least 100");
  if (o.pg_url.empty()) Die("--pg URL is required (bench/rules starts a throwaway server)");
  return o;
}

// One rule's answer: "account|anchor" lines, sorted.
using Answer = std::vector<std::string>;

Answer SqlAnswer(store::Database& db, const std::string& sql, std::string_view prefix) {
  Answer out;
  Must(db.Query(sql, {},
                [&](const store::Row& row) -> Status {
                  std::string line(row.GetText(0));
                  line += '|';
                  line += prefix;
                  if (row.IsNull(1)) {
                    line += "never";
                  } else {
                    ORCHARD_TRY(int64_t day, row.GetInt(1));
                    line += Date::FromDays(static_cast<int32_t>(day)).ToString();
                  }
                  out.push_back(std::move(line));
                  return Ok();
                }),
       "query failed");
  std::sort(out.begin(), out.end());
  return out;
}

// The engine's hits, per rule.
std::vector<Answer> EngineAnswers(const std::vector<automation::Hit>& hits, size_t rules) {
  std::vector<Answer> out(rules);
  for (const auto& h : hits) out[h.rule].push_back(fmt::format("{}|{}", h.account_id, h.anchor));
  for (auto& a : out) std::sort(a.begin(), a.end());
  return out;
}

// The first lines one answer has and the other has not, both ways.
std::string FirstDifferences(const Answer& engine, const Answer& sql) {
  Answer only_engine, only_sql;
  std::set_difference(engine.begin(), engine.end(), sql.begin(), sql.end(),
                      std::back_inserter(only_engine));
  std::set_difference(sql.begin(), sql.end(), engine.begin(), engine.end(),
                      std::back_inserter(only_sql));
  std::string out;
  for (size_t i = 0; i < only_engine.size() && i < 5; ++i) {
    out += "    engine only: " + only_engine[i] + "\n";
  }
  for (size_t i = 0; i < only_sql.size() && i < 5; ++i)
    out += "    SQL only:    " + only_sql[i] + "\n";
  return out + fmt::format("    ({} only in the engine's answer, {} only in the SQL's)\n",
                           only_engine.size(), only_sql.size());
}

int Run(const Options& o) {
  const Date today = BenchToday();  // fixed: the same book and answers every run
  const Settings settings;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::filesystem::create_directories(o.work);
  const std::string file = o.work + "/bench.db";
  BookOptions book{o.accounts, o.pg_url};
  auto sqlite = SqliteBook(book, file, today);
  auto pg = FreshPostgres(book);
  auto summary = SeedInto(*pg, book, today, "PostgreSQL");
  fmt::print("book: {} accounts, {} contacts, {} opportunities, {} signal events\n",
             summary.accounts, summary.contacts, summary.opportunities, summary.signals);
  for (auto* db : {sqlite.get(), pg.get()}) {
    auto started = Clock::now();
    Must(db->ExecScript(DashboardSql(db->dialect(), today, settings).Indexes() +
                        RulesSql(db->dialect(), today, settings).Indexes()),
         "indexing");
    fmt::print("indexes and ANALYZE on {}: {:.1f} s\n", db->description(),
               Ms(Clock::now() - started) / 1000);
  }

  // The engine: the book loaded and its day's columns built, as the server holds it.
  auto load_started = Clock::now();
  auto model = Must(engine::ReadModel::Load(*sqlite), "loading the engine");
  {
    auto lock = model->ReadLock();
    model->On(today.days(), settings);
  }
  fmt::print("engine: loaded in {:.0f} ms, {} MB\n", Ms(Clock::now() - load_started),
             model->Bytes() >> 20);
  auto pool = Must(store::ConnectionPool::Open("sqlite:" + file, 2), "opening the pool");
  FixedClock clock(Timestamp::At(today, 12));
  automation::RuleEngine rule_engine(
      *pool, *model, [&] { return settings; }, clock);

  std::vector<automation::StoredRule> rules;
  for (size_t i = 0; i < kRules.size(); ++i) {
    automation::StoredRule r;
    r.id = static_cast<int64_t>(i + 1);
    r.name = std::string(kRules[i].name);
    r.status = automation::RuleStatus::kActive;
    r.definition = Must(automation::ParseDefinition(kRules[i].definition), r.name);
    rules.push_back(std::move(r));
  }
  // Each of `runs` evaluations of `some` (after one to warm), in milliseconds, and the hits.
  auto time_engine = [&](const std::vector<automation::StoredRule>& some,
                         std::vector<automation::Hit>* hits) {
    Must(rule_engine.EvaluateTimeRules(some, false), "evaluating");
    std::vector<double> times;
    for (int i = 0; i < o.runs; ++i) {
      auto started = Clock::now();
      auto got = Must(rule_engine.EvaluateTimeRules(some, false), "evaluating");
      times.push_back(Ms(Clock::now() - started));
      if (hits != nullptr && i == 0) *hits = std::move(got);
    }
    return Median(times);
  };
  std::vector<automation::Hit> hits;
  const double pass_ms = time_engine(rules, &hits);
  const std::vector<Answer> want = EngineAnswers(hits, rules.size());

  fmt::print("\n{:<36} {:>10} {:>12} {:>12} {:>8} {:>8} {:>9}  {}\n", "rule", "orchard ms",
             "postgres ms", "sqlite ms", "× pg", "× sqlite", "accounts", "answers");
  double pg_total = 0, sqlite_total = 0, alone_total = 0;
  bool all_agree = true;
  std::string differences;
  for (size_t r = 0; r < kRules.size(); ++r) {
    const double alone = time_engine({rules[r]}, nullptr);
    alone_total += alone;
    double theirs[2] = {0, 0};
    std::string verdict = "agree";
    for (auto* db : {pg.get(), sqlite.get()}) {
      const bool is_pg = db->dialect() == store::Dialect::kPostgres;
      const std::string sql = kRules[r].sql(RulesSql(db->dialect(), today, settings));
      std::vector<double> times;
      Answer got;
      // Up to sql_runs, but a question that takes seconds is not asked again past 3 s in all.
      double spent = 0;
      for (int i = 0; i < o.sql_runs && (i == 0 || spent < 3000); ++i) {
        auto started = Clock::now();
        got = SqlAnswer(*db, sql, kRules[r].anchor);
        times.push_back(Ms(Clock::now() - started));
        spent += times.back();
      }
      theirs[is_pg ? 0 : 1] = Median(times);
      if (got != want[r]) {
        all_agree = false;
        const std::string who = is_pg ? "postgres" : "sqlite";
        verdict = "DIFFER from " + who;
        differences += fmt::format("{} — the engine and {}:\n{}", kRules[r].name, who,
                                   FirstDifferences(want[r], got));
      }
    }
    pg_total += theirs[0];
    sqlite_total += theirs[1];
    fmt::print("{:<36} {:>10.1f} {:>12.1f} {:>12.1f} {:>8.0f} {:>8.0f} {:>9}  {}\n", kRules[r].name,
               alone, theirs[0], theirs[1], theirs[0] / std::max(alone, 1e-3),
               theirs[1] / std::max(alone, 1e-3), want[r].size(), verdict);
  }
  const double vs_pg = pg_total / std::max(pass_ms, 1e-3);
  const double vs_sqlite = sqlite_total / std::max(pass_ms, 1e-3);
  fmt::print("{:<36} {:>10.1f} {:>12.1f} {:>12.1f} {:>8.0f} {:>8.0f} {:>9}\n", "all four, one pass",
             pass_ms, pg_total, sqlite_total, vs_pg, vs_sqlite, hits.size());
  fmt::print("(each rule alone: {:.1f} ms in all; the pass is one EvaluateTimeRules call)\n",
             alone_total);
  if (!all_agree) fmt::print("\nanswers differ:\n{}", differences);
  fmt::print(
      "RESULT rules_pass_ms={:.1f} ratio_vs_postgres={:.0f} ratio_vs_sqlite={:.0f} "
      "event_to_task_ms={} event_to_task_p99_ms={}\n",
      pass_ms, vs_pg, vs_sqlite, o.event_to_task_ms, o.event_to_task_p99_ms);
  return all_agree ? 0 : 1;
}

}  // namespace
}  // namespace orchard::bench

int main(int argc, char** argv) { return orchard::bench::Run(orchard::bench::Parse(argc, argv)); }
