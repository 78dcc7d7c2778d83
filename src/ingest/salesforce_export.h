// The Salesforce-compatible export: accounts, contacts, opportunities and contract lines as Bulk
// API CSV (Account, Contact, Opportunity, Contract), with Salesforce's field names and picklist
// labels, streamed row by row. A row Orchard has from Salesforce keeps its Id; one that began in
// Orchard is written as "orchard-N", which the importer reads back as that row. Importing the
// files again, here or into an empty book, changes nothing and exports the same bytes.
#pragma once

#include <ostream>

#include "core/result.h"
#include "ingest/import.h"
#include "store/database.h"

namespace orchard::ingest {

// Writes `object`'s rows as the Salesforce object's CSV (header first); returns the row count.
Result<int64_t> ExportSalesforce(store::Database& db, ImportObject object, std::ostream& out);

// The Salesforce object a file of `object` holds: "Account", "Contact", "Opportunity", "Contract".
std::string_view SalesforceObjectName(ImportObject object);

}  // namespace orchard::ingest
