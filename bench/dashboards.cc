// bench/dashboards: every dashboard asked three ways on the same book — Orchard's engine, SQL on
// PostgreSQL, SQL on SQLite — with the answers checked against each other.
//
//   orchard-bench-dashboards --accounts N --pg URL [--work DIR] [--runs R] [--sql-runs R]
//
// Seeds the deterministic synthetic book (ingest/seed.h, default 1,000,000 accounts) into an
// SQLite file (or reuses the one a run with the same --accounts and --work left) and into
// PostgreSQL, adds the indexes a good DBA would add for these questions
// (dashboards_sql.h) and ANALYZEs, then for each dashboard prints the median milliseconds of
// each way and the ratios. Also: the engine's load time and memory per account, the full
// recompute (every account's ARR, tier, health, depth, plan completeness, quadrant), and how
// long one new signal takes to reach the dashboards. Ends with
//   RESULT min_ratio_vs_postgres=X min_ratio_vs_sqlite=Y max_dashboard_ms=Z recompute_ms=W
// Run it through bench/dashboards, which builds it and starts a throwaway PostgreSQL.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench/book.h"
#include "bench/dashboards_sql.h"
#include "engine/dashboard_json.h"
#include "engine/dashboard_table.h"
#include "engine/dashboards.h"
#include "engine/health.h"
#include "ingest/seed.h"
#include "store/migrate.h"
#include "store/store.h"

namespace orchard::bench {
namespace {

// Every row of a query as text cells, joined: what the answers are compared by.
std::string Rows(store::Database& db, const std::string& sql) {
  std::string out;
  Must(db.Query(sql, {},
                [&](const store::Row& row) -> Status {
                  for (int i = 0; i < row.size(); ++i) {
                    out += i ? "|" : "";
                    out += row.IsNull(i) ? "null" : std::string(row.GetText(i));
                  }
                  out += "\n";
                  return Ok();
                }),
       "query failed");
  return out;
}

std::string Opt(int v) { return v < 0 ? "null" : std::to_string(v); }

// The engine's answers in the shape of the SQL's rows.
struct EngineAnswers {
  const engine::ReadModel& model;
  const Settings& settings;
  Date today;
  static constexpr int kPage = 100;

  std::string AtRisk() const {
    auto page = engine::AccountsAtRisk(model, settings, today, {}, 0, kPage);
    std::string out;
    for (const auto& r : page.items) {
      out += fmt::format("{}|{}|{}|{}|{}\n", r.account_id, r.arr_cents, r.health, page.total,
                         page.total_arr_cents);
    }
    return out;
  }
  std::string Renewals() const {
    auto all = engine::Renewals(model, settings, today, settings.renewal_window_days, {});
    int64_t total = 0;
    for (const auto& r : all) total += r.arr_cents;
    std::string out;
    for (size_t i = 0; i < all.size() && i < kPage; ++i) {
      const auto& r = all[i];
      out += fmt::format("{}|{}|{}|{}|{}|{}\n", r.account_id, r.arr_cents, r.renewal_date.days(),
                         Opt(r.health), all.size(), total);
    }
    return out;
  }
  std::string Pipeline(Date from) const {
    auto p = engine::ExpansionPipeline(model, settings, today, from, today, {});
    std::vector<std::string> open;
    for (const auto& st : p.stages) {
      if (st.count > 0) {
        open.push_back(fmt::format("{}|{}|{}\n", ToString(st.stage), st.count, st.amount_cents));
      }
    }
    std::sort(open.begin(), open.end());  // SQL orders by the stage's name
    std::string out;
    for (const auto& line : open) out += line;
    return out + fmt::format("{}|{}|{}\n", p.created_count, p.created_cents, p.won_cents);
  }
  std::string Leaderboard(Date from) const {
    auto rows = *engine::NrrLeaderboard(model, settings, from, today, {});
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return std::stoll(a.key) < std::stoll(b.key); });
    std::string out;
    for (const auto& r : rows) {
      const auto& f = r.figures;
      out +=
          fmt::format("{}|{}|{}|{}|{}|{}|{}|{}\n", r.key, f.accounts, f.start_cents.cents(),
                      f.end_cents.cents(), f.expansion_cents.cents(), f.contraction_cents.cents(),
                      f.churn_cents.cents(), f.retained_cents.cents());
    }
    return out;
  }
  std::string Portfolio() const {
    auto p = engine::PortfolioGrid(model, settings, today, {}, std::nullopt, 0, kPage);
    std::string out;
    for (size_t q = 0; q < p.cells.size(); ++q) {
      if (p.cells[q].accounts == 0) continue;
      out += fmt::format("{}|{}|{}|{}\n", q, p.cells[q].accounts, p.cells[q].arr_cents,
                         p.cells[q].whitespace_cents);
    }
    for (const auto& pt : p.items) {
      out += fmt::format("{}|{}\n", pt.account_id, static_cast<int>(pt.quadrant));
    }
    return out;
  }
  std::string Coverage() const {
    std::string out;
    for (const auto& r : engine::Coverage(model, settings, today, {})) {
      out += fmt::format("{}|{}|{}|{}|{}\n", r.owner_id, r.accounts_by_tier[0],
                         r.accounts_by_tier[1], r.accounts_by_tier[2], r.arr_cents);
    }
    return out;
  }
  std::string Inspection() const {
    auto q = engine::InspectionQueueFor(model, settings, today, {}, 0, SIZE_MAX);
    std::string out;
    for (const auto& item : q.items) {
      if (!item.sampled) out += fmt::format("{}\n", item.account_id);
    }
    return out;
  }
  std::string Kpis() const {
    auto k = engine::KpiStrip(model, settings, today, {});
    auto lock = model.ReadLock();
    const auto& on = model.On(today.days(), settings);
    int64_t depth = 0, planned = 0, completeness = 0;
    for (size_t s = 0; s < model.slots(); ++s) {
      if (!model.live(s)) continue;
      depth += on.summary[s].depth;
      if (on.summary[s].tier != static_cast<uint8_t>(Tier::kVolume)) {
        ++planned;
        completeness += on.summary[s].completeness;
      }
    }
    const auto& r = k.retention;
    return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", k.accounts, k.arr_cents, depth,
                       planned, completeness, k.at_risk, r.accounts, r.start_cents.cents(),
                       r.end_cents.cents(), r.expansion_cents.cents(), r.churn_cents.cents(),
                       r.retained_cents.cents(), k.expansion_created_cents);
  }
};

// SQLite prints whole-number sums as integers and PostgreSQL too; both print NULL as null.
std::string SqlAnswer(store::Database& db, const std::vector<std::string>& queries) {
  std::string out;
  for (const auto& q : queries) out += Rows(db, q);
  return out;
}

struct Options {
  int64_t accounts = 1'000'000;
  std::string pg_url;
  std::string work = "/tmp/orchard-bench-dashboards";
  int runs = 20;
  int sql_runs = 3;
  std::string print_sql;  // "postgres" or "sqlite": print every question's SQL and stop
  // For profiling the engine at scale: no peers, and the SQLite book in --work is kept and
  // reused by the next run with the same --accounts (seeding 1M accounts takes minutes).
  bool engine_only = false;
  std::string only;  // with --engine-only: this dashboard alone (for a profiler)
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
      o.runs = std::stoi(next());
    } else if (a == "--sql-runs") {
      o.sql_runs = std::stoi(next());
    } else if (a == "--print-sql") {
      o.print_sql = next();
    } else if (a == "--engine-only") {
      o.engine_only = true;
    } else if (a == "--only") {
      o.only = next();
    } else {
      Die("unknown option " + a +
          "; usage: orchard-bench-dashboards --accounts N --pg URL [--work DIR] [--runs R] "
          "[--sql-runs R] [--engine-only [--only NAME]]");
    }
  }
  if (o.accounts < 100) Die("--accounts must be at least 100");
  if (o.pg_url.empty() && o.print_sql.empty() && !o.engine_only)
    Die("--pg URL is required (bench/dashboards starts a throwaway server)");
  return o;
}

BookOptions Book(const Options& o) { return {o.accounts, o.pg_url}; }

// The engine loaded from `db`, with how long that took and the median of three full recomputes.
struct Engine {
  std::unique_ptr<engine::ReadModel> model;
  double load_ms = 0, recompute_ms = 0;
};

Engine LoadEngine(store::Database& db, Date today, const Settings& settings) {
  Engine e;
  auto load_started = Clock::now();
  e.model = Must(engine::ReadModel::Load(db), "loading the engine");
  e.load_ms = Ms(Clock::now() - load_started);
  std::vector<double> recomputes;
  for (int i = 0; i < 3; ++i) {
    auto started = Clock::now();
    auto lock = e.model->ReadLock();
    e.model->Recompute(today.days(), settings);
    recomputes.push_back(Ms(Clock::now() - started));
  }
  e.recompute_ms = Median(recomputes);
  return e;
}

// The dashboard `name` the way the API answers it: the engine's table, then its JSON.
void AskDashboard(std::string_view name, const engine::ReadModel& model, const Settings& settings,
                  Date today) {
  auto answer = Must(engine::AnswerDashboard(name, model, settings, today, {}), std::string(name));
  engine::DashboardJson(model, answer);
}

// Each of `runs` askings of dashboard `name` the way the API answers it (AskDashboard, JSON
// included), in milliseconds.
std::vector<double> TimeDashboard(const std::string& name, const engine::ReadModel& model,
                                  const Settings& settings, Date today, int runs) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto started = Clock::now();
    AskDashboard(name, model, settings, today);
    times.push_back(Ms(Clock::now() - started));
  }
  return times;
}

// --engine-only: the engine's side of the table alone.
int RunEngineOnly(const Options& o, const std::string& file, Date today, const Settings& settings) {
  auto sqlite = SqliteBook(Book(o), file, today);
  Engine e = LoadEngine(*sqlite, today, settings);
  fmt::print("engine: loaded in {:.0f} ms, {} MB\nfull recompute {:.0f} ms\n", e.load_ms,
             e.model->Bytes() >> 20, e.recompute_ms);
  double max_ms = 0;
  for (const engine::DashboardEntry& entry : engine::DashboardTable()) {
    const std::string name(entry.name);
    if (!o.only.empty() && o.only != name) continue;
    std::vector<double> ours = TimeDashboard(name, *e.model, settings, today, o.runs);
    fmt::print("{:<20} {:>10.2f} ms (first {:.2f})\n", name, Median(ours), ours.front());
    max_ms = std::max(max_ms, Median(ours));
  }
  fmt::print("max_dashboard_ms={:.2f}\n", max_ms);
  return 0;
}

// --print-sql: the peers' statements, for EXPLAIN ANALYZE by hand.
int PrintSql(const Options& o, Date today, const Settings& settings) {
  DashboardSql q(o.print_sql == "sqlite" ? store::Dialect::kSqlite : store::Dialect::kPostgres,
                 today, settings);
  const Date from = today.AddYears(-1);
  for (const auto& sql :
       {q.AtRisk(100), q.Renewals(settings.renewal_window_days, 100), q.PipelineOpen(),
        q.PipelineCreated(from, today), q.Leaderboard(from, today), q.PortfolioGrid(),
        q.PortfolioPage(100), q.Coverage(), q.InspectionFlagged(), q.Kpis()}) {
    fmt::print("{};\n\n", sql);
  }
  return 0;
}

// One new signal: a ticket on the largest at-risk account, applied as the services apply it,
// then the at-risk dashboard asked again.
void MeasureOneSignal(engine::ReadModel& model, const Settings& settings, Date today) {
  auto first = engine::AccountsAtRisk(model, settings, today, {}, 0, 1);
  if (first.items.empty()) return;
  Ticket t;
  t.id = TicketId(1'000'000'000'000);
  t.account_id = AccountId(first.items[0].account_id);
  t.severity = TicketSeverity::kUrgent;
  t.escalated = true;
  t.opened_at = Timestamp::At(today, 9);
  auto started = Clock::now();
  model.Upsert(t);
  auto applied = Clock::now();
  AskDashboard("at-risk", model, settings, today);
  fmt::print(
      "\none new signal → its account's health and the at-risk dashboard: {:.2f} ms "
      "(applying it {:.2f} ms)\n",
      Ms(Clock::now() - started), Ms(applied - started));
}

int Run(const Options& o) {
  const Date today = BenchToday();  // fixed: the same book and answers every run
  const Settings settings;
  if (!o.print_sql.empty()) return PrintSql(o, today, settings);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a line at a time, also into a log file
  std::filesystem::create_directories(o.work);
  const std::string file = o.work + "/bench.db";
  if (o.engine_only) return RunEngineOnly(o, file, today, settings);
  auto sqlite = SqliteBook(Book(o), file, today);
  auto pg = FreshPostgres(Book(o));
  auto summary = SeedInto(*pg, Book(o), today, "PostgreSQL");
  fmt::print("book: {} accounts, {} contacts, {} opportunities, {} signal events\n",
             summary.accounts, summary.contacts, summary.opportunities, summary.signals);
  for (auto* db : {sqlite.get(), pg.get()}) {
    auto started = Clock::now();
    Must(db->ExecScript(DashboardSql(db->dialect(), today, settings).Indexes()), "indexing");
    fmt::print("indexes and ANALYZE on {}: {:.1f} s\n", db->description(),
               Ms(Clock::now() - started) / 1000);
  }

  // The engine: load, memory, full recompute.
  Engine e = LoadEngine(*sqlite, today, settings);
  auto& model = e.model;
  const double load_ms = e.load_ms, recompute_ms = e.recompute_ms;
  size_t bytes = model->Bytes();
  fmt::print(
      "engine: loaded in {:.0f} ms, {} bytes per account ({} MB), full recompute {:.0f} ms\n",
      load_ms, bytes / static_cast<size_t>(o.accounts), bytes >> 20, recompute_ms);

  const Date year_ago = today.AddYears(-1);
  EngineAnswers engine_answers{*model, settings, today};
  struct Question {
    std::string name;
    std::function<std::string()> engine;
    std::function<std::vector<std::string>(const DashboardSql&)> sql;
  };
  std::vector<Question> questions = {
      {"at-risk", [&] { return engine_answers.AtRisk(); },
       [](const DashboardSql& q) { return std::vector{q.AtRisk(EngineAnswers::kPage)}; }},
      {"renewals", [&] { return engine_answers.Renewals(); },
       [&](const DashboardSql& q) {
         return std::vector{q.Renewals(settings.renewal_window_days, EngineAnswers::kPage)};
       }},
      {"expansion-pipeline", [&] { return engine_answers.Pipeline(year_ago); },
       [&](const DashboardSql& q) {
         return std::vector{q.PipelineOpen(), q.PipelineCreated(year_ago, today)};
       }},
      {"nrr-leaderboard", [&] { return engine_answers.Leaderboard(year_ago); },
       [&](const DashboardSql& q) { return std::vector{q.Leaderboard(year_ago, today)}; }},
      {"portfolio", [&] { return engine_answers.Portfolio(); },
       [](const DashboardSql& q) {
         return std::vector{q.PortfolioGrid(), q.PortfolioPage(EngineAnswers::kPage)};
       }},
      {"coverage", [&] { return engine_answers.Coverage(); },
       [](const DashboardSql& q) { return std::vector{q.Coverage()}; }},
      {"inspection", [&] { return engine_answers.Inspection(); },
       [](const DashboardSql& q) { return std::vector{q.InspectionFlagged()}; }},
      {"kpis", [&] { return engine_answers.Kpis(); },
       [](const DashboardSql& q) { return std::vector{q.Kpis()}; }},
  };

  fmt::print("\n{:<20} {:>10} {:>12} {:>12} {:>10} {:>10}  {}\n", "dashboard", "orchard ms",
             "postgres ms", "sqlite ms", "× pg", "× sqlite", "answers");
  double min_pg = 1e300, min_sqlite = 1e300, max_ms = 0;
  bool all_agree = true;
  for (const auto& q : questions) {
    // The engine: the API's own answer (AskDashboard, JSON included), median of `runs`.
    std::vector<double> ours = TimeDashboard(q.name, *model, settings, today, o.runs);
    const std::string want = q.engine();
    std::map<std::string, double> theirs;
    const auto lines = std::count(want.begin(), want.end(), '\n');
    std::string verdict = fmt::format("agree ({} rows)", lines);
    for (auto* db : {pg.get(), sqlite.get()}) {
      DashboardSql sql(db->dialect(), today, settings);
      auto queries = q.sql(sql);
      std::vector<double> times;
      std::string got;
      // Up to sql_runs, but a question that takes seconds is not asked again past 3 s in all.
      double spent = 0;
      for (int i = 0; i < o.sql_runs && (i == 0 || spent < 3000); ++i) {
        auto started = Clock::now();
        got = SqlAnswer(*db, queries);
        times.push_back(Ms(Clock::now() - started));
        spent += times.back();
      }
      std::string who = db->dialect() == store::Dialect::kPostgres ? "postgres" : "sqlite";
      theirs[who] = Median(times);
      if (got != want) {
        all_agree = false;
        verdict = "DIFFER from " + who;
        std::string path = o.work + "/" + q.name + "." + who;
        std::FILE* f = std::fopen((path + ".sql.txt").c_str(), "w");
        if (f) {
          std::fputs(got.c_str(), f);
          std::fclose(f);
        }
        f = std::fopen((path + ".engine.txt").c_str(), "w");
        if (f) {
          std::fputs(want.c_str(), f);
          std::fclose(f);
        }
      }
    }
    double mine = Median(ours);
    double vs_pg = theirs["postgres"] / std::max(mine, 1e-3);
    double vs_sqlite = theirs["sqlite"] / std::max(mine, 1e-3);
    min_pg = std::min(min_pg, vs_pg);
    min_sqlite = std::min(min_sqlite, vs_sqlite);
    max_ms = std::max(max_ms, mine);
    fmt::print("{:<20} {:>10.2f} {:>12.1f} {:>12.1f} {:>10.0f} {:>10.0f}  {}\n", q.name, mine,
               theirs["postgres"], theirs["sqlite"], vs_pg, vs_sqlite, verdict);
  }

  MeasureOneSignal(*model, settings, today);
  if (!all_agree) fmt::print("answers differ: see {}/*.txt\n", o.work);
  fmt::print(
      "RESULT min_ratio_vs_postgres={:.0f} min_ratio_vs_sqlite={:.0f} max_dashboard_ms={:.2f} "
      "recompute_ms={:.0f}\n",
      min_pg, min_sqlite, max_ms, recompute_ms);
  return all_agree ? 0 : 1;
}

}  // namespace
}  // namespace orchard::bench

int main(int argc, char** argv) { return orchard::bench::Run(orchard::bench::Parse(argc, argv)); }
