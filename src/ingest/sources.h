// The importers' sources: each reads its files and hands the Importer one ImportRow per record.
//
// - Salesforce (salesforce.h): a data-tree export or Bulk API CSVs.
// - HubSpot (hubspot.h): a companies, contacts or deals export.
// - Any CSV with a mapping file (mapped_csv.h).
// What they share — a column's rule, filling a row from a record, reading a CSV file — is
// source_rules.h. This header is the entry point the CLI and the import jobs use: one request,
// checked, then run through the source it names.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "ingest/hubspot.h"
#include "ingest/import.h"
#include "ingest/mapped_csv.h"
#include "ingest/salesforce.h"
#include "ingest/user_import.h"

namespace orchard::ingest {

// One import as the CLI and the API ask for it.
struct ImportRequest {
  std::string source;                   // salesforce, hubspot or csv
  std::string path;                     // a file, or (Salesforce) a folder
  std::optional<std::string> object;    // hubspot: companies, contacts, deals; csv: accounts, …
  std::optional<std::string> map_json;  // csv: the mapping file's text
  std::optional<std::string> date_format;  // hubspot: how its dates are written
  std::optional<std::string> source_name;  // csv: the system external_id keys come from
  bool create_users = false;               // owners Orchard lacks become inactive users
};
// Checks the request's source, object and mapping: an error names the option that is wrong.
Status CheckImportRequest(const ImportRequest& request);
// Checks the request, then imports.
Result<ImportSummary> RunImport(store::Database& db, const Clock& clock,
                                const ImportRequest& request, ImportOptions options);

}  // namespace orchard::ingest
