// The importers' sources: each reads its files and hands the Importer one ImportRow per record.
//
// - Salesforce: a Salesforce CLI data-tree export (its plan file, or the folder holding it: the
//   per-object JSON files with their @ref links), or Bulk API CSV exports of Account, Contact,
//   Opportunity, Contract and OpportunityLineItem (a file, or a folder of them; links by Id).
//   Field names match case-insensitively, as Salesforce's do; standard picklists are mapped.
// - HubSpot: a companies, contacts or deals export with HubSpot's column names and its
//   association columns.
// - Any CSV, with a mapping file (ParseCsvMap): which column is which field, date and money
//   formats, picklist translations.
// Files are read in link order (accounts, contacts, opportunities, contracts, line items)
// whatever order they are given in.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "ingest/formats.h"
#include "ingest/import.h"

namespace orchard::ingest {

Status ImportSalesforce(Importer& importer, const std::string& path);

Status ImportHubspot(Importer& importer, ImportObject object, const std::string& path,
                     std::optional<std::string> date_format = std::nullopt);

// A mapping file:
//   {"columns": {"Account ID": "salesforce_id", "Company": "name",
//                "Parent": "parent.salesforce_id",
//                "Renews": {"field": "close_date", "date_format": "DD/MM/YYYY"},
//                "ARR": {"field": "arr", "money_format": "1.234,50"},
//                "Stage": {"field": "stage", "values": {"Won": "closed_won"}}},
//    "delimiter": ";"}
// A column may name a field of the object, the key ("salesforce_id" or "hubspot_id"), or a link
// ("account.salesforce_id", "account.hubspot_id", "account.name", "parent.…",
// "reports_to.…"). Rows without a key column match on their natural key.
struct CsvColumnMap {
  std::string target;
  std::optional<std::string> date_format;
  std::optional<MoneyFormat> money_format;
  std::map<std::string, std::string> values;  // picklist: the file's value → Orchard's
};
struct CsvMap {
  std::map<std::string, CsvColumnMap> columns;  // by the file's column name
  std::optional<char> delimiter;
};
// Fails naming what is wrong: malformed JSON, an unknown key, a field the object lacks.
Result<CsvMap> ParseCsvMap(std::string_view json, ImportObject object);

Status ImportMappedCsv(Importer& importer, ImportObject object, const std::string& path,
                       const CsvMap& map);

// One import as the CLI and the API ask for it.
struct ImportRequest {
  std::string source;                   // salesforce, hubspot or csv
  std::string path;                     // a file, or (Salesforce) a folder
  std::optional<std::string> object;    // hubspot: companies, contacts, deals; csv: accounts, …
  std::optional<std::string> map_json;  // csv: the mapping file's text
  std::optional<std::string> date_format;  // hubspot: how its dates are written
};
// Checks the request's source, object and mapping: an error names the option that is wrong.
Status CheckImportRequest(const ImportRequest& request);
// Checks the request, then imports.
Result<ImportSummary> RunImport(store::Database& db, const Clock& clock,
                                const ImportRequest& request, ImportOptions options);

}  // namespace orchard::ingest
