#include "ingest/picklists.h"

#include "ingest/text.h"

namespace orchard::ingest {

namespace {

struct StageLabel {
  std::string_view folded;
  OpportunityStage stage;
};
// Salesforce's standard Opportunity stages and HubSpot's default sales pipeline, folded.
constexpr StageLabel kStageLabels[] = {
    {"prospecting", OpportunityStage::kProspecting},
    {"qualification", OpportunityStage::kQualification},
    {"needsanalysis", OpportunityStage::kDiscovery},
    {"valueproposition", OpportunityStage::kDiscovery},
    {"iddecisionmakers", OpportunityStage::kDiscovery},
    {"perceptionanalysis", OpportunityStage::kDiscovery},
    {"discovery", OpportunityStage::kDiscovery},
    {"proposalpricequote", OpportunityStage::kProposal},
    {"proposal", OpportunityStage::kProposal},
    {"negotiationreview", OpportunityStage::kNegotiation},
    {"negotiation", OpportunityStage::kNegotiation},
    {"closedwon", OpportunityStage::kClosedWon},
    {"closedlost", OpportunityStage::kClosedLost},
    // HubSpot's default pipeline (labels and internal values fold the same).
    {"appointmentscheduled", OpportunityStage::kQualification},
    {"qualifiedtobuy", OpportunityStage::kQualification},
    {"presentationscheduled", OpportunityStage::kDiscovery},
    {"decisionmakerboughtin", OpportunityStage::kProposal},
    {"contractsent", OpportunityStage::kNegotiation},
};

struct TypeLabel {
  std::string_view folded;
  OpportunityType type;
};
constexpr TypeLabel kTypeLabels[] = {
    {"newcustomer", OpportunityType::kNewBusiness},
    {"newbusiness", OpportunityType::kNewBusiness},
    {"existingcustomerupgrade", OpportunityType::kUpsell},
    {"upsell", OpportunityType::kUpsell},
    {"existingbusiness", OpportunityType::kUpsell},
    {"existingcustomerreplacement", OpportunityType::kRenewal},
    {"existingcustomerdowngrade", OpportunityType::kRenewal},
    {"renewal", OpportunityType::kRenewal},
    {"crosssell", OpportunityType::kCrossSell},
};

// The standard spellings (Salesforce's labels, HubSpot's labels and internal values).
constexpr std::string_view kStandardStageLabels[] = {"Prospecting",
                                                     "Qualification",
                                                     "Needs Analysis",
                                                     "Value Proposition",
                                                     "Id. Decision Makers",
                                                     "Perception Analysis",
                                                     "Proposal/Price Quote",
                                                     "Negotiation/Review",
                                                     "Closed Won",
                                                     "Closed Lost",
                                                     "Appointment Scheduled",
                                                     "Qualified To Buy",
                                                     "Presentation Scheduled",
                                                     "Decision Maker Bought-In",
                                                     "Contract Sent",
                                                     "appointmentscheduled",
                                                     "qualifiedtobuy",
                                                     "presentationscheduled",
                                                     "decisionmakerboughtin",
                                                     "contractsent",
                                                     "closedwon",
                                                     "closedlost"};
constexpr std::string_view kStandardTypeLabels[] = {"New Customer",
                                                    "New Business",
                                                    "Existing Customer - Upgrade",
                                                    "Existing Customer - Replacement",
                                                    "Existing Customer - Downgrade",
                                                    "Renewal",
                                                    "Cross-Sell",
                                                    "Existing Business",
                                                    "newbusiness",
                                                    "existingbusiness"};

}  // namespace

bool IsStandardStageLabel(std::string_view label) {
  for (auto l : kStandardStageLabels) {
    if (l == label) return true;
  }
  return static_cast<bool>(ParseEnum<OpportunityStage>(label));
}

bool IsStandardTypeLabel(std::string_view label) {
  for (auto l : kStandardTypeLabels) {
    if (l == label) return true;
  }
  return static_cast<bool>(ParseEnum<OpportunityType>(label));
}

std::optional<OpportunityStage> StageFromLabel(std::string_view label) {
  std::string f = Folded(label);
  for (const auto& s : kStageLabels) {
    if (s.folded == f) return s.stage;
  }
  return std::nullopt;
}

std::optional<OpportunityType> TypeFromLabel(std::string_view label) {
  std::string f = Folded(label);
  for (const auto& t : kTypeLabels) {
    if (t.folded == f) return t.type;
  }
  return std::nullopt;
}

std::string_view SalesforceStageLabel(OpportunityStage stage) {
  switch (stage) {
    case OpportunityStage::kProspecting:
      return "Prospecting";
    case OpportunityStage::kQualification:
      return "Qualification";
    case OpportunityStage::kDiscovery:
      return "Needs Analysis";
    case OpportunityStage::kProposal:
      return "Proposal/Price Quote";
    case OpportunityStage::kNegotiation:
      return "Negotiation/Review";
    case OpportunityStage::kClosedWon:
      return "Closed Won";
    case OpportunityStage::kClosedLost:
      return "Closed Lost";
  }
  return "";
}

std::string_view SalesforceTypeLabel(OpportunityType type) {
  switch (type) {
    case OpportunityType::kNewBusiness:
      return "New Customer";
    case OpportunityType::kRenewal:
      return "Renewal";
    case OpportunityType::kUpsell:
      return "Existing Customer - Upgrade";
    case OpportunityType::kCrossSell:
      return "Cross-Sell";
  }
  return "";
}

}  // namespace orchard::ingest
