// The opportunity picklists both ways: what the importers read (Salesforce's standard values and
// HubSpot's default pipeline) and what the Salesforce export writes, in one place so that an
// export imports back as it was.
#pragma once

#include <optional>
#include <string_view>

#include "domain/entities.h"

namespace orchard::ingest {

// Picklist mapping, Salesforce's and HubSpot's standard values to Orchard's. Matching ignores
// case and spaces; an unknown value maps to none (the caller keeps the row, says so, and picks
// the default).
std::optional<OpportunityStage> StageFromLabel(std::string_view label);
std::optional<OpportunityType> TypeFromLabel(std::string_view label);
// Whether a label is spelt exactly as Salesforce or HubSpot write it (or as Orchard names the
// value): anything else that StageFromLabel / TypeLabel reads was matched by folding case, spaces
// and punctuation, a guess the import reports.
bool IsStandardStageLabel(std::string_view label);
bool IsStandardTypeLabel(std::string_view label);
// The label the Salesforce export writes (and StageFromLabel reads back).
std::string_view SalesforceStageLabel(OpportunityStage stage);
std::string_view SalesforceTypeLabel(OpportunityType type);

}  // namespace orchard::ingest
