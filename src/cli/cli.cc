#include "cli/cli.h"

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <charconv>

namespace orchard::cli {

Result<Listen> ParseListen(std::string_view text) {
  auto bad = [&](std::string why) {
    return Fail(ErrorCode::kInvalidArgument,
                "--listen \"" + std::string(text) + "\": " + why + " (expected HOST:PORT)");
  };
  std::string_view host, port;
  if (text.starts_with("[")) {  // [::1]:8080
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("unclosed IPv6 address");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || value > 65535) {
    return bad("port must be a number from 0 to 65535");
  }
  return Listen{std::string(host), static_cast<uint16_t>(value)};
}

namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

// CLI11 validators that reuse the domain's parsers, so messages match everywhere.
CLI::Validator DateValidator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        auto d = Date::Parse(s);
        return d ? "" : d.error().message;
      },
      "YYYY-MM-DD");
}

CLI::Validator ListenValidator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        auto l = ParseListen(s);
        return l ? "" : l.error().message;
      },
      "HOST:PORT");
}

int Finish(const Status& status) {
  if (status) return kExitOk;
  fmt::print(stderr, "orchard: {}\n", status.error().message);
  return status.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailed;
}

}  // namespace

// Long: the commands' option declarations, one statement per flag, which must all outlive the
// parse; the dispatch after them is short.
int Run(int argc, char** argv, const Handlers& handlers) {
  CLI::App app{
      "Orchard: account management as a measured system — tiers, living account plans, health "
      "that explains itself, NRR/GRR and the dashboards that say which accounts need attention."};
  app.name("orchard");
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Every command's options");

  std::string default_db = EnvOr("ORCHARD_DB", kDefaultDb);
  std::string default_listen = EnvOr("ORCHARD_LISTEN", kDefaultListen);
  const char* db_help =
      "Database URL: sqlite:PATH, sqlite::memory: or postgresql://user@host:port/db "
      "(env ORCHARD_DB)";

  MigrateArgs migrate;
  migrate.db = default_db;
  auto* migrate_cmd = app.add_subcommand("migrate", "Apply the schema migrations to a database");
  migrate_cmd->add_option("--db", migrate.db, db_help)->capture_default_str();

  SeedArgs seed;
  seed.db = default_db;
  std::string seed_today;
  auto* seed_cmd = app.add_subcommand(
      "seed", "Write a deterministic synthetic book of accounts into a database");
  seed_cmd->add_option("--db", seed.db, db_help)->capture_default_str();
  seed_cmd->add_option("--accounts", seed.accounts, "Number of accounts")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
  seed_cmd->add_option("--seed", seed.seed, "Random seed: the same seed and day give the same book")
      ->capture_default_str();
  seed_cmd
      ->add_option("--today", seed_today,
                   "Reference day the book is laid out around (default: today)")
      ->check(DateValidator());

  ServeArgs serve;
  std::string serve_db = default_db, serve_listen = default_listen;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API over a database");
  serve_cmd->add_option("--db", serve_db, db_help)->capture_default_str();
  serve_cmd->add_option("--listen", serve_listen, "Address to listen on (env ORCHARD_LISTEN)")
      ->capture_default_str()
      ->check(ListenValidator());
  serve_cmd->add_option("--threads", serve.threads, "Worker threads (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  serve_cmd
      ->add_flag("--access-log,!--no-access-log", serve.access_log,
                 "Log one line per request to stderr")
      ->capture_default_str();
  serve_cmd->add_option("--body-limit", serve.body_limit, "Largest request body in bytes")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  serve_cmd
      ->add_option("--blocking-threads", serve.blocking_threads,
                   "Threads for slow requests (sign-in's password hashing, PDF exports), so the "
                   "event loops keep answering")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve_cmd
      ->add_option("--max-connections", serve.max_connections,
                   "Open connections at most; past it a new one gets 503 and is closed (0: the "
                   "file-descriptor limit less 128, at most 10000)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  serve_cmd->add_flag("--trust-proxy", serve.trust_proxy,
                      "Behind a reverse proxy that terminates TLS: believe X-Forwarded-Proto "
                      "(session cookies get Secure) and X-Forwarded-For (the client's address)");
  serve.metrics_token = EnvOr("ORCHARD_METRICS_TOKEN", "");
  serve_cmd->add_option("--metrics-token", serve.metrics_token,
                        "/metrics answers only a request with Authorization: Bearer TOKEN (env "
                        "ORCHARD_METRICS_TOKEN); without one, /metrics is open only when "
                        "listening on loopback");
  serve_cmd
      ->add_option("--pdf-exports", serve.pdf_exports,
                   "PDF exports (a Chromium process each) at once on this server; past it 429")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve_cmd
      ->add_option("--pdf-exports-per-user", serve.pdf_exports_per_user,
                   "PDF exports one user may run at once; past it 429")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));

  serve_cmd
      ->add_option("--rules-every", serve.rules_every_s,
                   "Seconds between full passes of the automation rules' date triggers (event "
                   "rules run right after each write)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve_cmd->add_option("--public-url", serve.public_url,
                        "The address people reach this server at (https://orchard.example.com), "
                        "for the links e-mails carry; default: the address it listens on");

  DemoArgs demo;
  std::string demo_db = "sqlite:orchard-demo.db", demo_listen = default_listen;
  auto* demo_cmd = app.add_subcommand(
      "demo",
      "Serve a ready demo book: creates orchard-demo.db (2,000 accounts and an admin "
      "login) on first run, prints the URL and the login, then serves");
  demo_cmd->add_option("--db", demo_db, "Demo database URL")->capture_default_str();
  demo_cmd->add_option("--listen", demo_listen, "Address to listen on (env ORCHARD_LISTEN)")
      ->capture_default_str()
      ->check(ListenValidator());
  demo_cmd->add_option("--accounts", demo.accounts, "Accounts in a new demo book")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));

  UserAddArgs user_add;
  user_add.db = default_db;
  auto* user_cmd = app.add_subcommand("user", "Manage the people who sign in");
  user_cmd->require_subcommand(1);
  auto* user_add_cmd = user_cmd->add_subcommand(
      "add", "Add a user; the password is read from standard input, or generated and printed");
  user_add_cmd->add_option("--db", user_add.db, db_help)->capture_default_str();
  user_add_cmd->add_option("--email", user_add.email, "E-mail address (the sign-in name)")
      ->required();
  user_add_cmd->add_option("--role", user_add.role, "admin, leader, manager, am, csm or viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "leader", "manager", "am", "csm", "viewer"}));
  user_add_cmd->add_option("--name", user_add.name, "Full name");
  user_add_cmd->add_flag("--create", user_add.create,
                         "Start a new, empty book if --db names none (without it, a missing or "
                         "empty database is an error: users are added to an existing book)");

  ReportArgs report;
  report.db = default_db;
  std::string report_today, report_from, report_to;
  std::string dashboard_names;
  for (const auto& n : handlers.dashboards) {
    dashboard_names += (dashboard_names.empty() ? "" : ", ") + n;
  }
  auto* report_cmd =
      app.add_subcommand("report", "Print a dashboard from the in-memory book: " + dashboard_names);
  report_cmd->add_option("name", report.name, "The dashboard")
      ->required()
      ->check(CLI::IsMember(handlers.dashboards));
  report_cmd->add_option("--db", report.db, db_help)->capture_default_str();
  report_cmd->add_option("--format", report.format, "table, csv or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "csv", "json"}));
  report_cmd->add_option("--am", report.am, "Only this AM's accounts (user id)")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  report_cmd->add_option("--tier", report.tier, "Only this tier (1, 2 or 3)")
      ->check(CLI::IsMember({"1", "2", "3"}));
  report_cmd->add_option("--team", report.team, "Only this manager's team's accounts (user id)")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  report_cmd->add_option("--csm", report.csm, "Only the accounts this CSM covers (user id)")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  report_cmd->add_option("--sort", report.sort, "At risk, renewals: urgency (default) or arr")
      ->check(CLI::IsMember({"urgency", "arr"}));
  report_cmd->add_option("--window", report.window, "Renewals: days ahead (default: settings)")
      ->check(CLI::Range(int64_t{1}, int64_t{730}));
  report_cmd
      ->add_option("--from", report_from,
                   "NRR leaderboard, KPIs, expansion pipeline: the period's first day (default: a "
                   "year before --to)")
      ->check(DateValidator());
  report_cmd
      ->add_option("--to", report_to,
                   "NRR leaderboard, KPIs, expansion pipeline: the period's last day (default: "
                   "today)")
      ->check(DateValidator());
  report_cmd
      ->add_option("--group-by", report.group_by,
                   "NRR leaderboard, KPIs: a row per am (the leaderboard's default), tier, "
                   "segment, industry or region; accounts without one in a row of their own "
                   "(\"(no owner)\"), last")
      ->check(CLI::IsMember({"am", "tier", "segment", "industry", "region"}));
  report_cmd->add_option("--quadrant", report.quadrant, "Portfolio: only this quadrant")
      ->check(CLI::IsMember({"invest", "protect", "develop", "automate"}));
  report_cmd->add_option("--limit", report.limit, "Long dashboards: rows to print (default 100)")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000}));
  report_cmd->add_option("--offset", report.offset, "Long dashboards: rows to skip")
      ->check(CLI::Range(int64_t{0}, int64_t{INT32_MAX}));
  report_cmd->add_option("--today", report_today, "The day the report is as of (default: today)")
      ->check(DateValidator());

  ScoreArgs score;
  score.db = default_db;
  std::string score_today;
  auto* score_cmd = app.add_subcommand(
      "score",
      "Score the sentiment of every text not yet scored, then load the book into memory, "
      "recompute every metric, and print how long it took");
  score_cmd->add_option("--db", score.db, db_help)->capture_default_str();
  score_cmd->add_option("--today", score_today, "The day to compute as of (default: today)")
      ->check(DateValidator());

  ImportArgs import_args;
  import_args.db = default_db;
  std::string import_as_of;
  auto* import_cmd = app.add_subcommand(
      "import",
      "Import accounts, contacts, opportunities and contracts from Salesforce, HubSpot or any "
      "CSV: upserts by external id (a second run changes nothing), reports every rejected row");
  import_cmd->require_subcommand(1);
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--db", import_args.db, db_help)->capture_default_str();
    cmd->add_flag("--dry-run", import_args.dry_run,
                  "Check everything and report, but write nothing");
    cmd->add_option("--report", import_args.report,
                    "Where rejected rows go as CSV (default: FILE.rejected.csv in this folder, "
                    "written only when a row is rejected)");
    cmd->add_option("--batch", import_args.batch,
                    "Rows per transaction (without it, a file whose table is empty is one "
                    "transaction, its indexes built at the end)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1'000'000))
        ->each([&](const std::string&) { import_args.batch_given = true; });
    cmd->add_option("--as-of", import_as_of,
                    "The create date of deals that have none and close later (default: the "
                    "file's modification date)")
        ->check(DateValidator());
  };
  auto* import_sf = import_cmd->add_subcommand(
      "salesforce",
      "A Salesforce CLI data-tree export (its plan file or folder) or Bulk API CSV exports of "
      "Account, Contact, Opportunity, Contract and OpportunityLineItem (a file or a folder)");
  import_sf->add_option("path", import_args.path, "Plan file, data-tree JSON, CSV or folder")
      ->required();
  common(import_sf);
  auto* import_hs = import_cmd->add_subcommand(
      "hubspot", "A HubSpot export of companies, contacts or deals, with its column names");
  import_hs->add_option("--object", import_args.object, "companies, contacts or deals")
      ->required()
      ->check(CLI::IsMember({"companies", "contacts", "deals"}));
  import_hs->add_option("--date-format", import_args.date_format,
                        "How dates are written, e.g. DD/MM/YYYY (default: ISO, YYYY/M/D or "
                        "M/D/YYYY)");
  import_hs->add_option("file", import_args.path, "The exported CSV")->required();
  common(import_hs);
  auto* import_csv = import_cmd->add_subcommand(
      "csv", "Any CSV, with a mapping file naming its columns, formats and picklist values");
  import_csv
      ->add_option("--object", import_args.object,
                   "accounts, contacts, opportunities, contract_lines, products or users (a "
                   "sales-teams file: name, email, manager, office)")
      ->required()
      ->check(CLI::IsMember(
          {"accounts", "contacts", "opportunities", "contract_lines", "products", "users"}));
  import_csv->add_option("--source-name", import_args.source_name,
                         "The system external_id keys come from, e.g. ravenstack (else the "
                         "mapping's \"source\")");
  import_csv->add_flag("--create-users", import_args.create_users,
                       "Add owners Orchard does not know as inactive users (role am, no "
                       "password: they cannot sign in), listed in the summary");
  import_csv
      ->add_option("--map", import_args.map,
                   "The mapping file (JSON; products: optional when the columns are named name, "
                   "code, series, list price)")
      ->check(CLI::ExistingFile);
  import_csv->footer(handlers.import_csv_help);
  import_csv->add_option("file", import_args.path, "The CSV file")->required();
  common(import_csv);
  auto* import_book = import_cmd->add_subcommand(
      "orchard",
      "A whole book as `orchard export --format orchard` wrote it, into an empty book: every "
      "table, every row with its id, in one transaction");
  import_book->add_option("folder", import_args.path, "The export's folder (manifest.json)")
      ->required();
  import_book->add_option("--db", import_args.db, db_help)->capture_default_str();

  ExportArgs export_args;
  export_args.db = default_db;
  auto* export_cmd = app.add_subcommand(
      "export",
      "Write every row of one table as CSV, a JSON array or JSON lines, streamed, or the whole "
      "book with --format orchard (users without their password hashes; sessions and API tokens "
      "are not exported)");
  export_cmd->add_option("--db", export_args.db, db_help)->capture_default_str();
  export_cmd->add_option(
      "--object", export_args.object,
      "The table: accounts, contacts, opportunities, contract_lines, divisions, "
      "products, activities, tickets, users, settings, … (a wrong name lists all); "
      "required but with --format orchard");
  export_cmd
      ->add_option("--format", export_args.format,
                   "csv, json, jsonl, or salesforce: accounts, contacts, opportunities and "
                   "contract_lines as Salesforce Bulk API CSV, and activities, tickets, "
                   "nps_responses, usage_metrics and health_overrides as Task, Case and Orchard "
                   "custom objects, which `orchard import salesforce` reads back; or orchard: the "
                   "whole book into the folder --out, which `orchard import orchard` reads into "
                   "an empty book")
      ->capture_default_str()
      ->check(CLI::IsMember({"csv", "json", "jsonl", "salesforce", "orchard"}));
  export_cmd->add_option("--out", export_args.out,
                         "Write to this file (through FILE.tmp, renamed when complete) instead of "
                         "standard output");

  RulesArgs rules;
  rules.db = default_db;
  auto* rules_cmd = app.add_subcommand(
      "rules", "The automation rules: list them, show one, dry-run one, or run one pass");
  rules_cmd->require_subcommand(1);
  auto rules_common = [&](CLI::App* c) {
    c->add_option("--db", rules.db, db_help)->capture_default_str();
    c->add_option("--format", rules.format, "table or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "json"}));
  };
  auto* rules_list = rules_cmd->add_subcommand("list", "Every rule, its state and today's firings");
  rules_common(rules_list);
  auto* rules_show = rules_cmd->add_subcommand("show", "One rule: its definition and versions");
  rules_show->add_option("id", rules.id, "The rule's id")->required()->check(CLI::PositiveNumber);
  rules_common(rules_show);
  auto* rules_dry =
      rules_cmd->add_subcommand("dry-run", "The accounts a rule would act on now (nothing fires)");
  rules_dry->add_option("id", rules.id, "The rule's id")->required()->check(CLI::PositiveNumber);
  rules_dry->add_option("--limit", rules.limit, "Accounts listed")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  rules_common(rules_dry);
  auto* rules_back = rules_cmd->add_subcommand(
      "backtest",
      "Replay a rule over the last 12 months: how often it would have fired, and whether the "
      "accounts it fired on lost ARR within 90 days more often than the others");
  rules_back->add_option("id", rules.id, "The rule's id")->required()->check(CLI::PositiveNumber);
  rules_common(rules_back);
  bool run_once = false;
  auto* rules_run = rules_cmd->add_subcommand(
      "run", "One full pass of every live rule (for cron): fires, acts, retries what is due");
  rules_run->add_flag("--once", run_once, "One pass, then exit (the only mode)")->required();
  rules_common(rules_run);

  ModelArgs model;
  model.db = default_db;
  auto* model_cmd = app.add_subcommand(
      "model", "The sentiment, churn and upsell models: train them, evaluate them, show them");
  model_cmd->require_subcommand(1);
  auto model_sub = [&](const char* action, const char* help) {
    auto* c = model_cmd->add_subcommand(action, help);
    c->add_option("name", model.name, "sentiment, churn or upsell")
        ->required()
        ->check(CLI::IsMember({"sentiment", "churn", "upsell"}));
    c->add_option("--db", model.db, db_help)->capture_default_str();
    c->add_option("--format", model.format, "table or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "json"}));
    c->add_option("--seed", model.seed, "The random seed (folds, sampling)")->capture_default_str();
    return c;
  };
  auto* model_train = model_sub(
      "train",
      "Train a model: sentiment writes its file (--out); churn and upsell are trained on the "
      "book's history (--db) and stored in it");
  model_train->add_option("--data", model.data, "sentiment: the labelled data's folder");
  model_train->add_option("--out", model.out, "Where the model file is written");
  auto* model_eval = model_sub(
      "eval",
      "Evaluate a model on held-out data and print its quality (churn and upsell: the time-based "
      "backtest on the book's history, nothing stored)");
  model_eval->add_option("--data", model.data, "sentiment: the labelled data's folder");
  model_eval->add_option("--telco", model.telco,
                         "churn: cross-validate on the IBM Telco Customer Churn folder instead");
  auto* model_show = model_sub(
      "show", "A model's quality, training date and data size (churn and upsell: the stored one)");
  (void)model_show;

  SentimentArgs sentiment;
  auto* sentiment_cmd = app.add_subcommand(
      "sentiment",
      "Score text for sentiment: one text per line on stdin, one JSON object per line on stdout "
      "(label, score, phrases)");
  sentiment_cmd->add_option("--model", sentiment.model,
                            "A model file (default: the one built into orchard)");

  // CLI11 reports a mistyped command as "a subcommand is required"; name it instead.
  std::string names;
  bool known = false;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(stderr, "orchard: unknown command \"{}\"; the commands are {}\n", argv[1], names);
    fmt::print(stderr, "Run 'orchard --help' for usage.\n");
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "orchard: {}\n", e.what());
    fmt::print(stderr, "Run 'orchard{} --help' for usage.\n",
               app.get_subcommands().empty() ? std::string()
                                             : " " + app.get_subcommands().front()->get_name());
    return kExitUsage;
  }

  if (migrate_cmd->parsed()) return Finish(handlers.migrate(migrate));
  if (seed_cmd->parsed()) {
    if (!seed_today.empty()) seed.today = *Date::Parse(seed_today);
    return Finish(handlers.seed(seed));
  }
  if (serve_cmd->parsed()) {
    serve.db = serve_db;
    serve.listen = *ParseListen(serve_listen);
    return Finish(handlers.serve(serve));
  }
  if (user_add_cmd->parsed()) return Finish(handlers.user_add(user_add));
  if (report_cmd->parsed()) {
    if (!report_today.empty()) report.today = *Date::Parse(report_today);
    if (!report_from.empty()) report.from = *Date::Parse(report_from);
    if (!report_to.empty()) report.to = *Date::Parse(report_to);
    return Finish(handlers.report(report));
  }
  if (score_cmd->parsed()) {
    if (!score_today.empty()) score.today = *Date::Parse(score_today);
    return Finish(handlers.score(score));
  }
  if (import_cmd->parsed()) {
    if (!import_as_of.empty()) import_args.as_of = *Date::Parse(import_as_of);
    import_args.source = import_sf->parsed()     ? "salesforce"
                         : import_hs->parsed()   ? "hubspot"
                         : import_book->parsed() ? "orchard"
                                                 : "csv";
    return Finish(handlers.import_(import_args));
  }
  if (export_cmd->parsed()) {
    if (export_args.object.empty() && export_args.format != "orchard") {
      fmt::print(stderr, "orchard: --object is required (or --format orchard: the whole book)\n");
      return kExitUsage;
    }
    return Finish(handlers.export_(export_args));
  }
  if (rules_cmd->parsed()) {
    rules.action = rules_list->parsed()   ? "list"
                   : rules_show->parsed() ? "show"
                   : rules_dry->parsed()  ? "dry-run"
                   : rules_back->parsed() ? "backtest"
                                          : "run";
    return Finish(handlers.rules(rules));
  }
  if (model_cmd->parsed()) {
    model.action = model_train->parsed() ? "train" : model_eval->parsed() ? "eval" : "show";
    return Finish(handlers.model(model));
  }
  if (sentiment_cmd->parsed()) return Finish(handlers.sentiment(sentiment));
  if (demo_cmd->parsed()) {
    demo.db = demo_db;
    demo.listen = *ParseListen(demo_listen);
    return Finish(handlers.demo(demo));
  }
  return kExitUsage;
}

}  // namespace orchard::cli
