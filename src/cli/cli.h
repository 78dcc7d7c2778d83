// The command line: parses `orchard COMMAND …` with CLI11 into plain argument structs, calls the
// handler the composition root (app/) supplies, and turns the outcome into an exit code —
// 0 done, 1 the command failed (one line on stderr), 2 a usage error naming the flag or value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace orchard::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

inline constexpr const char* kDefaultDb = "sqlite:orchard.db";
inline constexpr const char* kDefaultListen = "127.0.0.1:8080";

struct Listen {
  std::string host;
  uint16_t port = 0;
};
// "127.0.0.1:8080", "[::1]:8080", "localhost:0". Fails naming what is wrong.
Result<Listen> ParseListen(std::string_view text);

struct MigrateArgs {
  std::string db;
};

struct SeedArgs {
  std::string db;
  int64_t accounts = 1000;
  uint64_t seed = 1;
  std::optional<Date> today;  // default: the clock's today
};

struct ServeArgs {
  std::string db;
  Listen listen;
  int threads = 0;  // 0: one per core
  bool access_log = true;
  size_t body_limit = 1 << 20;
  int blocking_threads = 4;   // sign-in's hashing, PDF exports
  int max_connections = 0;    // 0: from the file-descriptor limit
  bool trust_proxy = false;   // believe X-Forwarded-Proto / -For
  std::string metrics_token;  // /metrics needs it; without one, open on loopback only
  int pdf_exports = 2;        // at once on this server
  int pdf_exports_per_user = 1;
  int rules_every_s = 30;     // a full pass of the time rules at least this often
  bool rules_active = false;  // the shipped rules start active (the demo book) or as drafts
  std::string public_url;     // where people reach this server (e-mails' links); "": --listen
};

// orchard rules list | show ID | dry-run ID | backtest ID | run --once
struct RulesArgs {
  std::string db;
  std::string action;  // list, show, dry-run, backtest, run
  int64_t id = 0;
  int limit = 20;
  std::string format = "table";  // table or json
};

// orchard model train|eval|show NAME (issue 20): the sentiment model, the churn and upsell models.
struct ModelArgs {
  std::string action;                // train, eval, show
  std::string name;                  // sentiment, churn, upsell
  std::string db;                    // the book (churn and upsell are trained on its history)
  std::optional<std::string> data;   // sentiment: the labelled data's folder
  std::optional<std::string> telco;  // churn: evaluate on the IBM Telco data set's folder instead
  std::optional<std::string> out;    // train: where the model file is written
  uint64_t seed = 1;
  std::string format = "table";  // table or json
};

// orchard sentiment: one text per line on stdin, one JSON object per line on stdout.
struct SentimentArgs {
  std::optional<std::string> model;  // a model file; default: the one built into the binary
};

struct DemoArgs {
  std::string db;  // sqlite:orchard-demo.db
  Listen listen;
  int64_t accounts = 2000;
};

struct UserAddArgs {
  std::string db;
  std::string email;
  std::string role;
  std::string name;
  bool create = false;  // start a new, empty book when --db names none
};

struct ReportArgs {
  std::string db;
  std::string name;              // a dashboard, one of Handlers::dashboards
  std::string format = "table";  // table, csv or json
  std::optional<int64_t> am;
  std::optional<std::string> tier;
  std::optional<int64_t> window;
  std::optional<Date> from, to, today;  // today: default the clock's
  std::optional<std::string> quadrant;
  std::optional<int64_t> limit, offset;
  std::optional<int64_t> team;          // a manager's user id: their team's accounts
  std::optional<int64_t> csm;           // a CSM's user id: the accounts they cover
  std::optional<std::string> sort;      // at-risk, renewals: urgency or arr
  std::optional<std::string> group_by;  // nrr-leaderboard, kpis: am, tier, segment, industry,
                                        // region
};

struct ScoreArgs {
  std::string db;
  std::optional<Date> today;
};

struct ImportArgs {
  std::string db;
  std::string source;  // salesforce, hubspot, csv, orchard (a book export)
  std::string path;
  std::optional<std::string> object;
  std::optional<std::string> map;  // csv: the mapping file's path
  std::optional<std::string> date_format;
  std::optional<std::string> source_name;  // csv: the system external_id keys come from
  bool create_users = false;               // owners Orchard lacks become inactive users
  bool dry_run = false;
  std::string report;  // rejected rows as CSV; empty: <file name>.rejected.csv here
  int batch = 20000;
  std::optional<Date> as_of;  // the create date of deals without one (default: the file's date)
  bool batch_given = false;   // --batch given: every batch commits, even into an empty table
};

struct ExportArgs {
  std::string db;
  std::string object;              // a table: accounts, contacts, … (the handler checks the name)
  std::string format = "csv";      // csv, json or jsonl
  std::optional<std::string> out;  // none: standard output
};

struct Handlers {
  std::function<Status(const MigrateArgs&)> migrate;
  std::function<Status(const SeedArgs&)> seed;
  std::function<Status(const ServeArgs&)> serve;
  std::function<Status(const DemoArgs&)> demo;
  std::function<Status(const UserAddArgs&)> user_add;
  std::function<Status(const ReportArgs&)> report;
  std::function<Status(const ScoreArgs&)> score;
  std::function<Status(const ImportArgs&)> import_;
  std::function<Status(const ExportArgs&)> export_;
  std::function<Status(const RulesArgs&)> rules;
  std::function<Status(const ModelArgs&)> model;
  std::function<Status(const SentimentArgs&)> sentiment;
  // The dashboards `report` prints, by name, in order (engine/dashboard_table.h: app/ hands them
  // over, so the CLI depends on nothing above core).
  std::vector<std::string> dashboards;
  // The footer of `import csv --help`: every field and picklist value (ingest/import_help.h).
  std::string import_csv_help;
};

// Reads ORCHARD_DB and ORCHARD_LISTEN as defaults for --db and --listen.
int Run(int argc, char** argv, const Handlers& handlers);

}  // namespace orchard::cli
