// The synthetic book the benchmarks that compare with PostgreSQL and SQLite ask their questions
// of: seeded into an SQLite file that is kept and reused (seeding 1M accounts takes ~20 minutes)
// and into a fresh database on a throwaway PostgreSQL, with a DBA's bulk-load settings. The same
// steps, seed (7), day and marker file for every bench, so bench/dashboards and bench/rules reuse
// each other's book left in the same --work directory.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ingest/seed.h"
#include "store/migrate.h"
#include "store/store.h"

namespace orchard::bench {

using Clock = std::chrono::steady_clock;

inline double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

[[noreturn]] inline void Die(const std::string& what) {
  fmt::print(stderr, "bench: {}\n", what);
  std::exit(1);
}

template <class T>
T Must(Result<T> r, const std::string& what) {
  if (!r) Die(what + ": " + r.error().message);
  return std::move(*r);
}

inline void Must(const Status& s, const std::string& what) {
  if (!s) Die(what + ": " + s.error().message);
}

// The day the book is seeded for and asked about: fixed, so every run has the same answers.
inline Date BenchToday() { return *Date::Parse("2026-11-25"); }

struct BookOptions {
  int64_t accounts = 1'000'000;
  std::string pg_url;
};

inline ingest::SeedSummary SeedInto(store::Database& db, const BookOptions& o, Date today,
                                    const std::string& label) {
  Must(store::Migrate(db), "migrating " + label);
  // A DBA's bulk load into PostgreSQL: secondary indexes dropped and foreign-key triggers off
  // while the (valid, generated) rows stream in, the indexes built again after: 20,000 accounts
  // load in 4.6 s instead of 22 s. The product's own seed keeps every check on.
  std::vector<std::string> rebuild;
  if (db.dialect() == store::Dialect::kPostgres) {
    Must(db.Query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND "
                  "indexname NOT IN (SELECT conname FROM pg_constraint)",
                  {},
                  [&](const store::Row& row) -> Status {
                    rebuild.emplace_back(row.GetText(1));
                    return Ok();
                  }),
         "listing indexes");
    std::string drop;
    for (const auto& def : rebuild) {
      // "CREATE [UNIQUE] INDEX name ON …": the name is the word before ON.
      auto on = def.find(" ON ");
      auto name_start = def.rfind(' ', on - 1) + 1;
      drop += "DROP INDEX " + def.substr(name_start, on - name_start) + ";";
    }
    Must(db.ExecScript(drop + "SET session_replication_role = replica;"), "dropping indexes");
  }
  ingest::SeedOptions seed;
  seed.accounts = o.accounts;
  seed.seed = 7;
  seed.today = today;
  auto started = Clock::now();
  auto summary = Must(ingest::SeedBook(db, seed,
                                       [&](const ingest::SeedProgress& p) {
                                         if (!isatty(2)) return;
                                         fmt::print(stderr, "\r  {}: {} / {} accounts", label,
                                                    p.accounts_done, p.accounts_total);
                                       }),
                      "seeding " + label);
  if (isatty(2)) fmt::print(stderr, "\n");
  if (!rebuild.empty()) {
    std::string create = "SET session_replication_role = origin;";
    for (const auto& def : rebuild) create += def + ";";
    Must(db.ExecScript(create), "building the indexes again");
  }
  fmt::print("seeded {}: {} rows in {:.1f} s\n", label, summary.rows,
             Ms(Clock::now() - started) / 1000);
  return summary;
}

// The SQLite book in `file`: seeded, or the one a run with the same accounts left there (the seed
// is deterministic: the same book). `file`.accounts marks a finished seed.
inline std::unique_ptr<store::Database> SqliteBook(const BookOptions& o, const std::string& file,
                                                   Date today) {
  const std::string marker = file + ".accounts";
  std::string seeded;
  if (std::FILE* f = std::fopen(marker.c_str(), "r")) {
    char buf[32] = {};
    seeded.assign(buf, std::fread(buf, 1, sizeof buf - 1, f));
    std::fclose(f);
  }
  if (seeded != std::to_string(o.accounts)) {
    for (const char* suffix : {"", "-wal", "-shm", ".accounts"}) {
      std::filesystem::remove(file + suffix);
    }
    auto db = Must(store::OpenDatabase("sqlite:" + file), "opening SQLite");
    SeedInto(*db, o, today, "SQLite");
    if (std::FILE* f = std::fopen(marker.c_str(), "w")) {
      std::fputs(std::to_string(o.accounts).c_str(), f);
      std::fclose(f);
    }
  } else {
    fmt::print("reusing the SQLite book of {} accounts in {}\n", o.accounts, file);
  }
  auto db = Must(store::OpenDatabase("sqlite:" + file), "opening SQLite");
  Must(store::Migrate(*db), "migrating SQLite");  // a book kept from an older Orchard
  return db;
}

// A database of its own (orchard_bench) on the PostgreSQL server given, made afresh: nothing else
// there is touched. JIT off, as a DBA would for this work: compiling these plans takes longer
// than running them (12.9 s of a 14.3 s KPI query at 20,000 accounts, with EXPLAIN ANALYZE).
inline std::unique_ptr<store::Database> FreshPostgres(const BookOptions& o) {
  {
    auto admin = Must(store::OpenDatabase(o.pg_url), "opening PostgreSQL");
    Must(admin->ExecScript("DROP DATABASE IF EXISTS orchard_bench"), "dropping orchard_bench");
    Must(admin->ExecScript("CREATE DATABASE orchard_bench"), "creating orchard_bench");
    Must(admin->ExecScript("ALTER DATABASE orchard_bench SET jit = off"), "setting jit");
  }
  auto slash = o.pg_url.rfind('/');
  if (slash == std::string::npos || slash < o.pg_url.find("://") + 3) Die("--pg: not a URL");
  return Must(store::OpenDatabase(o.pg_url.substr(0, slash) + "/orchard_bench"),
              "opening PostgreSQL");
}

}  // namespace orchard::bench
