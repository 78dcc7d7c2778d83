// Orchard's own export of a whole book, and its import into an empty one (issue 21, item 5):
// `orchard export --format orchard --out DIR` and `orchard import orchard DIR`.
//
// DIR holds manifest.json — {"format": "orchard-book", "format_version": 1, "orchard_version",
// "schema_version", "exported_at", "tables": [{"name", "file", "rows"}, …], "left_out": {table:
// why}} — and one JSON-lines file per table (accounts.jsonl, …), in link order: every row one
// object with the table's columns under their schema names, values in the API's form (as
// `orchard export --format jsonl` writes them). The tables are read in one snapshot (a read
// transaction), so links between them agree.
//
// Rows keep their ids. The import goes into an empty book only, so no id is taken and every link
// (an account's owner, a contact's manager, a plan action's risk, …) stays as it was, with no
// key to translate; a row's external keys (salesforce_id, hubspot_id, and any key column a later
// schema adds) are copied like every other column, so the book's links to other systems stay.
//
// Not in the export (the manifest's left_out says why, table by table): credentials (users'
// password hashes — imported users set a password anew —, sessions, API tokens, webhook secrets,
// SMTP settings, the automation's state with the unsubscribe signing key), what is derived and
// rebuilt (the churn and upsell models: `orchard model train`), messages in flight (the outbox)
// and bookkeeping (the change log, id reservations, schema versions). The automation's rules,
// firings, notifications and opt-outs are in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "store/database.h"

namespace orchard::ingest {

inline constexpr int kBookFormatVersion = 1;

struct BookTableCount {
  std::string name;
  int64_t rows = 0;
};

struct BookSummary {
  std::vector<BookTableCount> tables;  // in link order
  int64_t rows = 0;
  double seconds = 0;
};

// The tables the book export writes, in link order (each after the tables it links to).
const std::vector<std::string>& BookTables();

// Writes the whole book into `dir`, which must not exist or be empty: the files go into
// dir + ".partial", which is renamed to dir when complete, so a failure leaves no half export.
Result<BookSummary> ExportBook(store::Database& db, const Clock& clock, const std::string& dir);

// Imports an export written by ExportBook into `db`, which must be migrated and empty (no row in
// any table the export holds): otherwise a FailedPrecondition naming a table with rows. All in
// one transaction: a bad file, a bad value (named by file, line and field) or a broken link
// leaves the book empty. One audit entry records the import.
Result<BookSummary> ImportBook(store::Database& db, const Clock& clock, const std::string& dir,
                               std::optional<UserId> actor);

}  // namespace orchard::ingest
