// The synthetic book: a deterministic, realistic book of accounts at any scale, for demos,
// tests and benchmarks. The same seed and reference day give the same rows, byte for byte,
// whatever the batch size. Rows stream to the database a batch of accounts at a time, so memory
// does not grow with the book; the whole book is one transaction, so a failure leaves nothing.
//
// The caller (orchard seed / orchard demo) applies the migrations first and owns the Database.
#pragma once

#include <cstdint>
#include <functional>

#include "core/date.h"
#include "core/result.h"
#include "store/database.h"

namespace orchard::ingest {

struct SeedOptions {
  int64_t accounts = 1000;
  uint64_t seed = 1;
  Date today;                     // the book is laid out around this day (no wall clock inside)
  int64_t batch_accounts = 1000;  // accounts buffered before each write: bounds memory only
};

struct SeedProgress {
  int64_t accounts_done = 0;
  int64_t accounts_total = 0;
  int64_t rows_written = 0;
  double seconds = 0;
};

// Rows written per table, and in all.
struct SeedSummary {
  int64_t users = 0;
  int64_t products = 0;
  int64_t accounts = 0;
  int64_t divisions = 0;
  int64_t contract_lines = 0;
  int64_t contacts = 0;
  int64_t opportunities = 0;
  int64_t activities = 0;
  int64_t activity_contacts = 0;
  int64_t tickets = 0;
  int64_t nps_responses = 0;
  int64_t usage_metrics = 0;
  int64_t engagement_signals = 0;
  int64_t account_plans = 0;
  int64_t plan_priorities = 0;
  int64_t plan_risks = 0;
  int64_t whitespace_cells = 0;
  int64_t plan_actions = 0;
  int64_t plan_versions = 0;
  int64_t reviews = 0;
  int64_t tasks = 0;
  int64_t handoffs = 0;
  int64_t health_overrides = 0;
  int64_t signals = 0;  // activities + tickets + NPS responses + usage days + engagement signals
  int64_t rows = 0;     // every row in every table
  double seconds = 0;
};

// Writes the book into a migrated database that holds no accounts, in one transaction: any
// failure rolls everything back. A database that already holds accounts is refused
// (kAlreadyExists, naming how many) and left as it was. on_progress (may be empty) is called
// after a batch is written, at most about four times a second, and once at the end.
Result<SeedSummary> SeedBook(store::Database& db, const SeedOptions& options,
                             const std::function<void(const SeedProgress&)>& on_progress);

}  // namespace orchard::ingest
