// The composition root: the only place that picks concrete classes (which database adapter,
// which clock, the server) and hands them to the commands the CLI parsed.
#include <fmt/core.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <boost/json.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "app/book.h"
#include "app/book_io.h"
#include "app/model_commands.h"
#include "app/report_command.h"
#include "app/scores.h"
#include "automation/actions.h"
#include "automation/backtest.h"
#include "automation/outbox.h"
#include "automation/rule_engine.h"
#include "automation/rule_runner.h"
#include "automation/rule_store.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "core/clock.h"
#include "core/text.h"
#include "domain/schema.h"
#include "engine/dashboard_json.h"
#include "engine/dashboard_table.h"
#include "engine/follower.h"
#include "engine/retention.h"
#include "http/api.h"
#include "http/server.h"
#include "ingest/export.h"
#include "ingest/import_help.h"
#include "ingest/salesforce_export.h"
#include "ingest/salesforce_signals.h"
#include "ingest/seed.h"
#include "ingest/sources.h"
#include "predict/predictor.h"
#include "service/account_service.h"
#include "service/auth_service.h"
#include "service/entity_service.h"
#include "service/passwords.h"
#include "store/migrate.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard {
namespace {

Status RunMigrate(const cli::MigrateArgs& args) {
  ORCHARD_TRY(auto db, store::OpenDatabase(args.db));
  ORCHARD_TRY(int before, store::SchemaVersion(*db));
  ORCHARD_TRY(int applied, store::Migrate(*db));
  fmt::print("{}: schema at version {} (was {}, applied {} migration{}).\n", db->description(),
             store::LatestSchemaVersion(), before, applied, applied == 1 ? "" : "s");
  return Ok();
}

Result<ingest::SeedSummary> SeedWithProgress(store::Database& db, const ingest::SeedOptions& opts) {
  cli::ProgressLine progress(stderr, "accounts");
  auto summary = ingest::SeedBook(db, opts, [&](const ingest::SeedProgress& p) {
    progress.Update(p.accounts_done, p.accounts_total, p.rows_written, p.seconds);
  });
  progress.Finish();
  return summary;
}

Status RunSeed(const cli::SeedArgs& args, const Clock& clock) {
  ORCHARD_TRY(auto db, OpenMigrated(args.db, false));
  ingest::SeedOptions opts;
  opts.accounts = args.accounts;
  opts.seed = args.seed;
  opts.today = args.today.value_or(clock.Today());
  ORCHARD_TRY(auto summary, SeedWithProgress(*db, opts));
  fmt::print("Seeded {} with {} accounts (seed {}, today {}): {} rows in {:.1f} s, {} rows/s.\n",
             db->description(), cli::Grouped(summary.accounts), opts.seed, opts.today.ToString(),
             cli::Grouped(summary.rows), summary.seconds,
             cli::Grouped(summary.seconds > 0 ? static_cast<int64_t>(summary.rows / summary.seconds)
                                              : summary.rows));
  return Ok();
}

int Threads(int requested) {
  if (requested > 0) return requested;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 2 : static_cast<int>(n);
}

Status Serve(const cli::ServeArgs& args, const Clock& clock, const std::string& banner) {
  const std::string& db_url = args.db;
  const cli::Listen& listen = args.listen;
  if (db_url == "sqlite::memory:") {
    // Each connection of the pool (and the change-log follower) would open its own empty
    // database: refuse, rather than serve a book that loses what it is told.
    return FailField("--db",
                     "an in-memory SQLite database lives inside one connection, and the "
                     "server uses several; give a file (sqlite:PATH)");
  }
  int threads = Threads(args.threads);
  Settings settings;
  std::string shown;  // the URL without any password
  std::unique_ptr<engine::ReadModel> model;
  {
    ORCHARD_TRY(auto db, OpenMigrated(db_url, false));  // migrate at start
    shown = db->description();
    store::Store store(*db);
    ORCHARD_TRY(auto rows, store.LoadSettings());
    ORCHARD_CHECK(settings.Apply(rows));
    auto started = std::chrono::steady_clock::now();
    ORCHARD_TRY(model, engine::ReadModel::Load(*db));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    fmt::print(stderr, "Loaded the book into memory: {} accounts, {} contract lines in {} ms.\n",
               cli::Grouped(static_cast<int64_t>(model->account_count())),
               cli::Grouped(static_cast<int64_t>(model->line_count())), ms);
  }
  // A connection for every event loop and every blocking worker: none waits for another's.
  ORCHARD_TRY(auto pool, store::ConnectionPool::Open(db_url, threads + args.blocking_threads));
  service::SettingsService settings_service(*pool, clock, settings);
  // Automation: the shipped rules (active in the demo book, drafts elsewhere), the engine, and
  // its runner, woken by every applied write. Started before the follower, so it outlives every
  // thread that may wake it.
  automation::RuleService rules(*pool, clock);
  ORCHARD_CHECK(rules.InstallDefaults(args.rules_active));
  automation::RuleEngine rule_engine(
      *pool, *model, [&settings_service] { return settings_service.Current(); }, clock);
  automation::RunnerOptions run;
  run.full_every_ms = args.rules_every_s * 1000;
  run.on_error = [](const Error& e) {
    spdlog::warn("automation pass: {} (retrying)", e.ToString());
  };
  run.on_pass = [](const automation::PassReport& p) {
    spdlog::info("automation: {} fired, {} actions done, {} failed{}", p.fired, p.actions_done,
                 p.actions_failed, p.paused.empty() ? "" : "; paused: " + p.paused.front());
  };
  ORCHARD_TRY(auto runner, automation::RuleRunner::Start(db_url, rule_engine, run));
  model->SetOnApplied([r = runner.get()] { r->Wake(); });
  // Other servers on the same database write too: follow their changes.
  engine::FollowOptions follow;
  follow.on_error = [](const Error& e) {
    spdlog::warn("following the change log: {} (retrying)", e.ToString());
  };
  ORCHARD_TRY(auto follower, engine::ChangeFollower::Start(db_url, *model, follow));
  // Automation's e-mail and webhooks, on a connection of its own; stopped when Serve returns.
  ORCHARD_TRY(auto outbox, automation::OutboxWorker::Start(db_url, clock));
  service::AccountService accounts(*pool, clock, settings_service);
  service::AuthService auth(*pool, clock, {}, &settings_service);  // the idle limit in force
  http::Metrics metrics;
  metrics.AddGauge("orchard_db_pool_connections", "Database connections the pool may open",
                   [&pool] { return static_cast<double>(pool->size()); });
  metrics.AddGauge("orchard_db_pool_in_use", "Database connections lent out right now",
                   [&pool] { return static_cast<double>(pool->in_use()); });
  metrics.SetToken(args.metrics_token);
  // The churn and upsell models (issue 20): loaded now, scored once the server is up (below).
  std::unique_ptr<scoring::LiveScores> predictions = LoadScoresOrWarn(*pool);
  http::ApiDeps deps{*pool, clock, accounts, auth, settings_service, &metrics, model.get()};
  deps.predictions = predictions.get();
  deps.pdf_exports_at_once = args.pdf_exports;
  deps.pdf_exports_per_user = args.pdf_exports_per_user;
  deps.rules = &rules;
  deps.rule_engine = &rule_engine;
  http::Router router = http::MakeRouter(deps);
  http::ServerOptions options;
  options.host = listen.host;
  options.port = listen.port;
  options.threads = threads;
  options.blocking_threads = args.blocking_threads;
  options.max_connections = args.max_connections;
  options.trust_proxy = args.trust_proxy;
  options.body_limit = args.body_limit;
  options.access_log =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  options.metrics = &metrics;
  options.access_log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
  // --no-access-log keeps the errors (a handler that threw) and drops the line per request.
  options.access_log->set_level(args.access_log ? spdlog::level::info : spdlog::level::warn);
  http::Server server(router, options);
  ORCHARD_CHECK(server.Start());
  server.StopOnSignals();
  std::string host =
      listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host;
  {
    ORCHARD_TRY(auto db, pool->Acquire());
    ORCHARD_CHECK(automation::SetPublicUrl(
        *db, args.public_url.empty() ? fmt::format("http://{}:{}", host, server.port())
                                     : args.public_url));
  }
  StartScoring(predictions.get(), *model, clock, settings_service);
  fmt::print("Orchard is serving {} at http://{}:{}/ with {} threads (Ctrl-C to stop).\n", shown,
             host, server.port(), threads);
  if (!banner.empty()) fmt::print("{}", banner);
  std::fflush(stdout);
  server.Wait();
  if (predictions) predictions->Stop();
  fmt::print(stderr, "Orchard stopped.\n");
  return Ok();
}

// The file a sqlite:PATH[?options] URL names; none for sqlite::memory: and other databases.
// The demo login is kept beside an SQLite demo file (mode 0600) so every start can print it.
std::optional<std::filesystem::path> LoginFileFor(const std::string& db_url) {
  if (!db_url.starts_with("sqlite:") || db_url == "sqlite::memory:") return std::nullopt;
  return std::filesystem::path(db_url.substr(7) + ".login");
}

Status RunDemo(const cli::DemoArgs& args, const Clock& clock) {
  constexpr const char* kAdminEmail = "admin@orchard.example";
  std::string password;
  {
    ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
    ORCHARD_TRY(auto accounts, db->QueryInt("SELECT COUNT(*) FROM accounts"));
    auto login_file = LoginFileFor(args.db);
    if (accounts.value_or(0) == 0) {
      fmt::print("Creating the demo book in {} ({} accounts)…\n", db->description(),
                 cli::Grouped(args.accounts));
      ingest::SeedOptions opts;
      opts.accounts = args.accounts;
      opts.seed = 42;
      opts.today = clock.Today();
      ORCHARD_CHECK(SeedWithProgress(*db, opts));
      // The seed writes its texts in bulk: score them, then learn churn and upsell from the
      // book's history, so the health's sentiment and the predictions show from the first page.
      ORCHARD_CHECK(ScoreBookSentiment(args.db, clock));
      ORCHARD_CHECK(TrainBookModels(args.db, clock));
      password = service::GeneratePassword();
      ORCHARD_TRY(std::string hash, service::HashPassword(password));
      store::Store store(*db);
      User admin;
      admin.email = kAdminEmail;
      admin.name = "Demo Admin";
      admin.role = Role::kAdmin;
      admin.password_hash = hash;
      admin.created_at = clock.Now();
      ORCHARD_CHECK(store.Insert(admin));
      if (login_file) {
        std::ofstream out(*login_file, std::ios::trunc);
        out << password << "\n";
        out.close();
        std::filesystem::permissions(
            *login_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      }
    } else {
      if (login_file && std::filesystem::exists(*login_file)) {
        std::ifstream in(*login_file);
        std::getline(in, password);
      }
      // A demo book made by an earlier Orchard keeps models trained on another feature list,
      // which predict nothing: train them again, as the first start did.
      bool stale = false;
      for (auto kind : {predict::ModelKind::kChurn, predict::ModelKind::kUpsell}) {
        ORCHARD_TRY(bool other, predict::StoredOnOtherFeatures(*db, kind));
        stale = stale || other;
      }
      if (stale) {
        fmt::print(
            "The demo book's models were trained by an earlier Orchard on other features: "
            "training them again…\n");
        ORCHARD_CHECK(TrainBookModels(args.db, clock));
      }
    }
  }
  std::string banner =
      fmt::format("Sign in as {} with password {}\n", kAdminEmail,
                  password.empty() ? "(shown when the demo book was created)" : password);
  cli::ServeArgs serve;
  serve.db = args.db;
  serve.listen = args.listen;
  serve.rules_active = true;
  return Serve(serve, clock, banner);
}

// A user is added to a book that exists: a mistyped --db (or the default, orchard.db, when the
// demo book is orchard-demo.db) must not silently start a new, empty one the user then signs in
// to and finds nothing. `--create` says a new book is meant.
Status RequireBook(const std::string& url, bool create) {
  if (create) return Ok();
  const std::string hint =
      ": `orchard user add` adds a user to an existing book. For the demo book pass "
      "--db sqlite:orchard-demo.db; to start a new, empty book, add --create";
  if (auto path = SqliteFileOf(url); path && !std::filesystem::exists(*path)) {
    return FailField("--db", "there is no database at " + *path + hint);
  }
  ORCHARD_TRY(auto db, store::OpenDatabase(url));
  ORCHARD_TRY(int version, store::SchemaVersion(*db));
  if (version == 0) return FailField("--db", db->description() + " holds no Orchard book" + hint);
  return Ok();
}

Status RunUserAdd(const cli::UserAddArgs& args, const Clock& clock) {
  ORCHARD_TRY(Role role, ParseEnum<Role>(args.role));
  std::string password;
  bool generated = false;
  if (isatty(fileno(stdin)) == 0) {
    std::getline(std::cin, password);
    while (!password.empty() && (password.back() == '\r' || password.back() == '\n'))
      password.pop_back();
  }
  if (password.empty()) {
    password = service::GeneratePassword();
    generated = true;
  }
  if (args.email.find('@') == std::string::npos) {
    return FailField("--email", "\"" + args.email + "\" is not an e-mail address");
  }
  if (!generated) ORCHARD_CHECK(service::CheckNewPassword(password, args.email));
  ORCHARD_CHECK(RequireBook(args.db, args.create));
  ORCHARD_TRY(std::string hash, service::HashPassword(password));
  ORCHARD_CHECK(OpenMigrated(args.db, true));
  ORCHARD_TRY(auto pool, store::ConnectionPool::Open(args.db, 1));
  User user;
  user.email = args.email;
  user.name = args.name.empty() ? args.email.substr(0, args.email.find('@')) : args.name;
  user.role = role;
  user.password_hash = hash;
  // Through the service, as the API does: validated, and audited with no user as the actor
  // (an operator at the command line).
  const service::Actor operator_at_cli{UserId(), Role::kAdmin, {}};
  auto saved = service::EntityService<User>(*pool, clock).Create(operator_at_cli, user);
  if (!saved && saved.error().code == ErrorCode::kAlreadyExists) {
    return Fail(ErrorCode::kAlreadyExists, "a user with e-mail " + args.email + " already exists");
  }
  ORCHARD_CHECK(saved);
  if (generated) {
    fmt::print("Added {} ({}) with password {}\n", args.email, args.role, password);
  } else {
    fmt::print("Added {} ({}).\n", args.email, args.role);
  }
  return Ok();
}

Status RunScore(const cli::ScoreArgs& args, const Clock& clock) {
  ORCHARD_CHECK(ScoreBookSentiment(args.db, clock));  // texts not yet scored: on write from now
  auto started = std::chrono::steady_clock::now();
  ORCHARD_TRY(auto book, LoadBook(args.db));
  Date today = args.today.value_or(clock.Today());
  fmt::print(
      "Loaded {} accounts, {} contract lines and {} signal and plan rows in {} ms ({} MB).\n",
      cli::Grouped(static_cast<int64_t>(book.model->account_count())),
      cli::Grouped(static_cast<int64_t>(book.model->line_count())),
      cli::Grouped(static_cast<int64_t>(book.model->signal_count())), book.load_ms,
      book.model->Bytes() >> 20);
  auto compute_started = std::chrono::steady_clock::now();
  {
    // Every account's ARR, renewal, tier, health, depth, plan completeness and quadrant: built
    // once a day by the first question, then kept current by writes.
    auto lock = book.model->ReadLock();
    book.model->Recompute(today.days(), book.settings);
  }
  fmt::print(
      "  {:<20} {:>8.1f} ms\n", "full recompute",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - compute_started)
          .count());
  for (const engine::DashboardEntry& entry : engine::DashboardTable()) {
    auto one = std::chrono::steady_clock::now();
    ORCHARD_TRY(auto answer, engine::AnswerDashboard(entry.name, *book.model, book.settings, today,
                                                     engine::DashboardQuery{}));
    engine::DashboardJson(*book.model, answer);  // as the API answers it, JSON included
    fmt::print(
        "  {:<20} {:>8.1f} ms\n", entry.name,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - one).count());
  }
  auto one = std::chrono::steady_clock::now();
  ORCHARD_CHECK(engine::Retention(*book.model, today.AddYears(-1), today,
                                  engine::RetentionGroup::kAm, book.settings));
  fmt::print(
      "  {:<20} {:>8.1f} ms\n", "retention by AM",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - one).count());
  auto end = std::chrono::steady_clock::now();
  fmt::print("Recomputed every metric in {:.1f} ms ({:.1f} ms with the load).\n",
             std::chrono::duration<double, std::milli>(end - compute_started).count(),
             std::chrono::duration<double, std::milli>(end - started).count());
  return Ok();
}

Status RunImport(const cli::ImportArgs& args, const Clock& clock) {
  if (args.source == "orchard") return RunBookImport(args, clock);
  ingest::ImportRequest request;
  request.source = args.source;
  request.path = args.path;
  request.object = args.object;
  request.date_format = args.date_format;
  request.source_name = args.source_name;
  request.create_users = args.create_users;
  if (args.map) {
    std::ifstream in(*args.map, std::ios::binary);
    if (!in) return Fail(ErrorCode::kInvalidArgument, "--map: cannot read " + *args.map);
    std::ostringstream text;
    text << in.rdbuf();
    request.map_json = text.str();
  }
  ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
  ingest::ImportOptions options;
  options.dry_run = args.dry_run;
  options.batch_rows = args.batch;
  options.as_of = args.as_of;
  options.first_load = !args.batch_given;  // a batch size asked for is kept, even for a first load
  options.report_path = args.report;
  if (options.report_path.empty()) {
    options.report_path = std::filesystem::path(args.path).filename().string() + ".rejected.csv";
  }
  cli::ProgressLine progress(stderr, "KB");
  options.on_progress = [&](const ingest::ImportProgress& p) {
    if (p.seconds < 1.0) return;  // a quick import needs no progress line
    progress.Update(p.bytes >> 10, p.total_bytes >> 10, p.rows, p.seconds);
  };
  auto summary = ingest::RunImport(*db, clock, request, std::move(options));
  progress.Finish();
  if (!summary) return std::unexpected(summary.error());
  if (!isatty(fileno(stdout))) {
    fmt::print("{}\n", summary->ToJson());
    return Ok();
  }
  // On a terminal: what happened, file by file, then what to look at.
  for (const auto& f : summary->files) {
    fmt::print("{} ({}): {} rows: {} new, {} updated, {} unchanged, {} rejected{}\n", f.file,
               f.object, cli::Grouped(f.rows), cli::Grouped(f.inserted), cli::Grouped(f.updated),
               cli::Grouped(f.unchanged), cli::Grouped(f.rejected),
               f.skipped ? fmt::format(", {} skipped", cli::Grouped(f.skipped)) : "");
  }
  for (const auto& [message, count] : summary->warnings) {
    fmt::print("  note: {} ({} row{})\n", message, cli::Grouped(count), count == 1 ? "" : "s");
  }
  size_t shown = 0;
  for (const auto& r : summary->rejections) {
    if (++shown > 20) break;
    fmt::print("  rejected {}:{}{}: {}\n", r.file, r.line,
               r.column ? fmt::format(" column {}{}", r.column,
                                      r.column_name.empty() ? "" : " (" + r.column_name + ")")
                        : "",
               r.reason);
  }
  for (const auto& u : summary->created_users) {
    fmt::print("  added user {} (inactive: cannot sign in)\n", u);
  }
  if (!summary->unassigned_account.empty()) {
    fmt::print("  {} rows without an account are under \"{}\"\n", cli::Grouped(summary->unassigned),
               summary->unassigned_account);
  }
  if (!summary->report_path.empty()) {
    fmt::print("Every rejected row is in {}.\n", summary->report_path);
  }
  fmt::print("{} {} rows in {:.1f} s ({} rows/s){}.\n", summary->dry_run ? "Checked" : "Imported",
             cli::Grouped(summary->rows), summary->seconds,
             cli::Grouped(
                 summary->seconds > 0 ? static_cast<int64_t>(summary->rows / summary->seconds) : 0),
             summary->dry_run ? "; nothing was written (dry run)" : "");
  return Ok();
}

// --format salesforce of what health and depth read: Task, Case and Orchard's custom objects
// (ingest/salesforce_signals.h), through FILE.tmp as below.
Status RunSalesforceSignalsExport(const cli::ExportArgs& args) {
  ORCHARD_CHECK(RequireExistingDatabase(args.db));
  ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
  if (!args.out) {
    ORCHARD_TRY(int64_t written, ingest::ExportSalesforceSignals(*db, args.object, std::cout));
    (void)written;
    return Ok();
  }
  std::string tmp = *args.out + ".tmp";
  Result<int64_t> rows = 0;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(ErrorCode::kUnavailable, "cannot write " + tmp);
    rows = ingest::ExportSalesforceSignals(*db, args.object, out);
  }
  std::error_code ec;
  if (!rows) {
    std::filesystem::remove(tmp, ec);
    return std::unexpected(rows.error());
  }
  std::filesystem::rename(tmp, *args.out, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot rename " + tmp + ": " + ec.message());
  fmt::print(stderr, "Exported {} {} as Salesforce {} rows to {}.\n", cli::Grouped(*rows),
             args.object, ingest::SalesforceSignalsObject(args.object), *args.out);
  return Ok();
}

// --format salesforce: the Bulk API CSV of one of the four objects that round-trip.
Status RunSalesforceExport(const cli::ExportArgs& args) {
  if (ingest::IsSalesforceSignalsTable(args.object)) return RunSalesforceSignalsExport(args);
  auto object = ingest::ParseObject(args.object);
  if (!object) {
    return Fail(ErrorCode::kInvalidArgument,
                "--object: the Salesforce export writes accounts, contacts, opportunities, "
                "contract_lines, activities, tickets, nps_responses, usage_metrics or "
                "health_overrides; got \"" +
                    args.object + "\"");
  }
  ORCHARD_CHECK(RequireExistingDatabase(args.db));
  ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
  if (!args.out) {
    ORCHARD_TRY(int64_t rows, ingest::ExportSalesforce(*db, *object, std::cout));
    (void)rows;
    return Ok();
  }
  // Through FILE.tmp, renamed when complete: a failure never leaves half a file.
  std::string tmp = *args.out + ".tmp";
  Result<int64_t> rows = 0;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(ErrorCode::kUnavailable, "cannot write " + tmp);
    rows = ingest::ExportSalesforce(*db, *object, out);
  }
  std::error_code ec;
  if (!rows) {
    std::filesystem::remove(tmp, ec);
    return std::unexpected(rows.error());
  }
  std::filesystem::rename(tmp, *args.out, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot rename " + tmp + ": " + ec.message());
  fmt::print(stderr, "Exported {} {} as Salesforce {} rows to {}.\n", cli::Grouped(*rows),
             args.object, ingest::SalesforceObjectName(*object), *args.out);
  return Ok();
}

Status RunExport(const cli::ExportArgs& args, const Clock& clock) {
  if (args.format == "orchard") return RunBookExport(args, clock);
  if (args.format == "salesforce") return RunSalesforceExport(args);
  // Usage errors before the database is touched.
  ORCHARD_TRY(auto format, ingest::ParseExportFormat(args.format));
  ORCHARD_CHECK(ingest::CheckExportable(args.object));
  ORCHARD_CHECK(RequireExistingDatabase(args.db));
  ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
  ingest::ExportSummary summary;
  if (args.out) {
    ORCHARD_TRY(summary, ingest::ExportToFile(*db, args.object, format, *args.out));
  } else {
    ORCHARD_TRY(summary,
                ingest::ExportToStream(*db, args.object, format, stdout, "standard output"));
  }
  if (args.out || ::isatty(STDERR_FILENO)) {
    fmt::print(
        stderr, "Exported {} {} rows ({} MB) to {} in {:.2f} s, {} rows/s.\n",
        cli::Grouped(summary.rows), args.object, summary.bytes >> 20,
        args.out ? *args.out : std::string("standard output"), summary.seconds,
        cli::Grouped(summary.seconds > 0 ? static_cast<int64_t>(summary.rows / summary.seconds)
                                         : summary.rows));
  }
  return Ok();
}

}  // namespace
}  // namespace orchard

int main(int argc, char** argv) {
  orchard::SystemClock clock;
  std::vector<std::string> dashboards;
  for (const auto& entry : orchard::engine::DashboardTable()) dashboards.emplace_back(entry.name);
  orchard::cli::Handlers handlers{
      .migrate = [](const orchard::cli::MigrateArgs& a) { return orchard::RunMigrate(a); },
      .seed = [&](const orchard::cli::SeedArgs& a) { return orchard::RunSeed(a, clock); },
      .serve = [&](const orchard::cli::ServeArgs& a) { return orchard::Serve(a, clock, ""); },
      .demo = [&](const orchard::cli::DemoArgs& a) { return orchard::RunDemo(a, clock); },
      .user_add = [&](const orchard::cli::UserAddArgs& a) { return orchard::RunUserAdd(a, clock); },
      .report = [&](const orchard::cli::ReportArgs& a) { return orchard::RunReport(a, clock); },
      .score = [&](const orchard::cli::ScoreArgs& a) { return orchard::RunScore(a, clock); },
      .import_ = [&](const orchard::cli::ImportArgs& a) { return orchard::RunImport(a, clock); },
      .export_ = [&](const orchard::cli::ExportArgs& a) { return orchard::RunExport(a, clock); },
      .rules = [&](const orchard::cli::RulesArgs& a) { return orchard::RunRules(a, clock); },
      .model = [&](const orchard::cli::ModelArgs& a) { return orchard::RunModel(a, clock); },
      .sentiment = [](const orchard::cli::SentimentArgs& a) { return orchard::RunSentiment(a); },
      .dashboards = std::move(dashboards),
      .import_csv_help = orchard::ingest::CsvImportHelp(),
  };
  return orchard::cli::Run(argc, argv, handlers);
}
