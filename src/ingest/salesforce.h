// The Salesforce source: a Salesforce CLI data-tree export (its plan file, or the folder holding
// it: the per-object JSON files with their @ref links), or Bulk API CSV exports of Account,
// Contact, Opportunity, Contract and OpportunityLineItem (a file, or a folder of them; links by
// Id). Field names match case-insensitively, as Salesforce's do; standard picklists are mapped
// (picklists.h). Files are read in link order (accounts, contacts, opportunities, contracts,
// line items) whatever order they are given in.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "ingest/import.h"

namespace orchard::ingest {

// Product2 files (a catalogue) are not read here: SalesforceProductFiles names them, and
// sources.cc imports them first as products (products_import.h).
Status ImportSalesforce(Importer& importer, const std::string& path);

// The Product2 Bulk API CSVs at path (the file itself, or those in the folder): named Product2
// (or Product2_…), or with ProductCode and Name columns and no link to an account or opportunity.
std::vector<std::string> SalesforceProductFiles(const std::string& path);

}  // namespace orchard::ingest
