// `orchard export --format orchard` and `orchard import orchard` (issue 21, item 5): the whole
// book out to a folder, and into an empty book again (ingest/book_export.h).
#pragma once

#include "cli/cli.h"
#include "core/clock.h"
#include "core/result.h"

namespace orchard {

// Writes the book at args.db into the folder args.out (required); says what it wrote on stderr.
Status RunBookExport(const cli::ExportArgs& args, const Clock& clock);
// Imports the folder args.path into the empty book at args.db (created and migrated if it is a
// new SQLite file); says what it read on stdout. --dry-run and --report do not apply.
Status RunBookImport(const cli::ImportArgs& args, const Clock& clock);

}  // namespace orchard
