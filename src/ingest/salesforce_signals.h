// What health and multithreading depth read, in the Salesforce export and back (issue 21, item
// 5): activities as Task (with Orchard_Participants__c, the Contact Ids of everyone who took
// part), tickets as Case, and the rows Salesforce has no object for as Orchard custom objects —
// Orchard_NPS_Response__c, Orchard_Usage__c, Orchard_Health_Override__c — each linked to its
// Account (and Contact) by the Ids the Account and Contact files carry. Imported after those
// files, so that a book moved through the Salesforce export keeps its depth, health and at-risk
// count. The texts imported are scored for sentiment as they are written, as every write does
// (service/sentiment_on_write.h).
//
// These tables have no external-id column, so a re-import is kept from doubling them per
// account: an account that already had rows of a table before the import keeps them, and the
// files' rows for it are skipped (counted unchanged); an object in several files is read whole.
// Engagement signals and call transcripts are not written: neither the health nor depth reads
// them.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "ingest/import.h"
#include "store/database.h"

namespace orchard::ingest {

// The Orchard tables the export writes this way: activities, tickets, nps_responses,
// usage_metrics, health_overrides.
bool IsSalesforceSignalsTable(std::string_view table);

// The Salesforce object a file of `table` holds: "Task", "Case", "Orchard_NPS_Response__c", …
std::string_view SalesforceSignalsObject(std::string_view table);

// Writes `table`'s rows as that object's Bulk API CSV (header first); returns the row count.
Result<int64_t> ExportSalesforceSignals(store::Database& db, std::string_view table,
                                        std::ostream& out);

// Whether the CSV at `path` is one of those objects' files (by its name: Task.csv, Case.csv,
// Orchard_Usage__c.csv, …); the core Salesforce import leaves these files to the one below.
bool IsSalesforceSignalsCsv(const std::string& path);

// Reads those files at `path` (a folder, or one file), after the accounts and contacts they link
// to are in: one transaction; a row naming an Account or Contact the book does not hold, or a bad
// value, is an error naming the file, line and field, and nothing of these files is written.
Result<ImportSummary> ImportSalesforceSignals(store::Database& db, const Clock& clock,
                                              const std::string& path,
                                              const ImportOptions& options);

}  // namespace orchard::ingest
