// The Salesforce-compatible export: accounts, contacts, opportunities and contract lines as Bulk
// API CSV (Account, Contact, Opportunity, Contract), with Salesforce's field names and picklist
// labels, streamed row by row. A row Orchard has from Salesforce keeps its Id; one that began in
// Orchard is written as "orchard-N", which the importer reads back as that row. Importing the
// files again, here or into an empty book, changes nothing and exports the same bytes.
// What Salesforce has no standard field for travels as custom fields, by Orchard's value names:
// Account's Orchard_Lifecycle_Stage__c, Orchard_Strategic__c (true/false),
// Orchard_Tier_Override__c (1–3) with its _Reason__c and Orchard_Growth_Potential__c, Contact's
// Orchard_Buying_Role__c, Orchard_Stance__c, Orchard_Influence__c (1–5) and Orchard_Status__c,
// so the relationship map and the lifecycle survive a round trip.
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
