// The Salesforce source: a Salesforce CLI data-tree export (its plan file, or the folder holding
// it: the per-object JSON files with their @ref links), or Bulk API CSV exports of Account,
// Contact, Opportunity, Contract and OpportunityLineItem (a file, or a folder of them; links by
// Id). Field names match case-insensitively, as Salesforce's do; standard picklists are mapped
// (picklists.h). Files are read in link order (accounts, contacts, opportunities, contracts,
// line items) whatever order they are given in.
#pragma once

#include <string>

#include "core/result.h"
#include "ingest/import.h"

namespace orchard::ingest {

Status ImportSalesforce(Importer& importer, const std::string& path);

}  // namespace orchard::ingest
