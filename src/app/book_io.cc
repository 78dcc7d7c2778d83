#include "app/book_io.h"

#include <fmt/core.h>

#include "app/book.h"
#include "cli/progress.h"
#include "ingest/book_export.h"

namespace orchard {

Status RunBookExport(const cli::ExportArgs& args, const Clock& clock) {
  if (!args.out) {
    return FailField("--out", "--format orchard writes a folder: name it with --out DIR");
  }
  if (!args.object.empty()) {
    return FailField("--object", "--format orchard exports every table; leave --object out");
  }
  ORCHARD_CHECK(RequireExistingDatabase(args.db));
  ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
  ORCHARD_TRY(auto summary, ingest::ExportBook(*db, clock, *args.out));
  fmt::print(stderr, "Exported {} rows of {} tables to {} in {:.2f} s.\n",
             cli::Grouped(summary.rows), summary.tables.size(), *args.out, summary.seconds);
  return Ok();
}

Status RunBookImport(const cli::ImportArgs& args, const Clock& clock) {
  if (args.dry_run) {
    return FailField("--dry-run",
                     "an Orchard export goes into an empty book in one transaction; there is "
                     "nothing to check apart from importing it");
  }
  ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
  ORCHARD_TRY(auto summary, ingest::ImportBook(*db, clock, args.path, std::nullopt));
  for (const auto& t : summary.tables) {
    if (t.rows > 0) fmt::print("{}: {} rows\n", t.name, cli::Grouped(t.rows));
  }
  fmt::print(
      "Imported {} rows of {} tables into {} in {:.1f} s. Users come without passwords: add an "
      "admin with `orchard user add --email … --role admin`, who sets the others' "
      "(POST /api/v1/users/{{id}}/password).\n",
      cli::Grouped(summary.rows), summary.tables.size(), db->description(), summary.seconds);
  return Ok();
}

}  // namespace orchard
