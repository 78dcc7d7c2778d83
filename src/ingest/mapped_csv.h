// Any CSV, with a mapping file (ParseCsvMap): which column is which field, date and money
// formats, picklist translations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "ingest/formats.h"
#include "ingest/import.h"

namespace orchard::ingest {

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
  std::optional<std::string> source;              // the system external_id keys come from
  std::optional<std::string> unassigned_account;  // holds rows without an account
  bool uses_external_id = false;                  // a column is external_id or a link by it
};
// Fails naming what is wrong: malformed JSON, an unknown key, a field the object lacks.
Result<CsvMap> ParseCsvMap(std::string_view json, ImportObject object);

Status ImportMappedCsv(Importer& importer, ImportObject object, const std::string& path,
                       const CsvMap& map);

}  // namespace orchard::ingest
