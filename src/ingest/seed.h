// The synthetic book: a deterministic, realistic book of accounts at any scale, for demos,
// tests and benchmarks. The same seed and reference day give the same rows, byte for byte.
// Rows stream to the database in batches of accounts, so memory does not grow with the book.
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
  Date today;                     // the book is laid out around this day
  int64_t batch_accounts = 1000;  // accounts buffered before each write (bounds memory)
};

struct SeedProgress {
  int64_t accounts_done = 0;
  int64_t accounts_total = 0;
  int64_t rows_written = 0;
  double seconds = 0;
};

struct SeedSummary {
  int64_t accounts = 0;
  int64_t users = 0;
  int64_t products = 0;
  int64_t contacts = 0;
  int64_t contract_lines = 0;
  int64_t opportunities = 0;
  int64_t signals = 0;  // activities, tickets, NPS responses, usage days, engagement signals
  int64_t rows = 0;     // every row in every table
  double seconds = 0;
};

// Writes the book into a migrated, empty database, in one transaction: a failure leaves nothing.
// A database that already holds accounts is refused (kAlreadyExists) and left as it was.
Result<SeedSummary> SeedBook(store::Database& db, const SeedOptions& options,
                             const std::function<void(const SeedProgress&)>& on_progress);

}  // namespace orchard::ingest
