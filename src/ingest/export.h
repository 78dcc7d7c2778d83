// Export: every row of one entity table as CSV, a JSON array or JSON lines (`orchard export`,
// issue 6), streamed — each row is written as the database hands it over, through a buffer of
// about 64 KiB, so memory stays flat whatever the table's size.
//
// Columns come in domain/schema.h's order under their schema names. Values take the API's form
// (service/entity_json.h): ids, integers and *_cents as numbers, booleans true/false, days
// YYYY-MM-DD, instants ISO 8601 UTC, enums by name, tiers 1/2/3, NULL as null (an empty CSV
// field; an empty text is a quoted "" so the two stay apart). CSV is RFC 4180: CRLF line ends,
// a field with a comma, quote, CR or LF in quotes with inner quotes doubled.
//
// Secrets never leave: users are written without password_hash; sessions and api_tokens are
// refused (they are sign-in credentials, not the book's data).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace orchard::ingest {

enum class ExportFormat { kCsv, kJson, kJsonLines };

// "csv", "json" or "jsonl"; anything else is an InvalidArgument naming the three.
Result<ExportFormat> ParseExportFormat(std::string_view name);

// The tables `orchard export --object` takes, in schema order.
const std::vector<std::string_view>& ExportableObjects();

// Ok if `object` can be exported; otherwise an InvalidArgument on --object that says why
// (sessions, api_tokens) or lists the names it takes.
Status CheckExportable(std::string_view object);

// The export's bytes, in order, in chunks; an error returned stops the export with that error.
using ExportSink = std::function<Status(std::string_view chunk)>;

struct ExportSummary {
  int64_t rows = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

// Streams every row of `object` (ordered by id, or by all columns for a table without one) from
// a migrated database into sink. On an error part of the output may have been written already.
Result<ExportSummary> Export(store::Database& db, std::string_view object, ExportFormat format,
                             const ExportSink& sink);

// Into an open stdio stream (stdout): a write error is an Unavailable naming `what`.
Result<ExportSummary> ExportToStream(store::Database& db, std::string_view object,
                                     ExportFormat format, std::FILE* out, std::string_view what);

// Into the file at path, all or nothing: written to path + ".tmp", flushed to disk, then renamed
// over path. On any failure path is left as it was and the .tmp file is removed.
Result<ExportSummary> ExportToFile(store::Database& db, std::string_view object,
                                   ExportFormat format, const std::string& path);

}  // namespace orchard::ingest
