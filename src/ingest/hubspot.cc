#include "ingest/hubspot.h"

#include <array>
#include <filesystem>
#include <map>
#include <vector>

#include "ingest/source_rules.h"
#include "ingest/text.h"

namespace orchard::ingest {

using namespace source;  // the rules every source shares (source_rules.h)

namespace {

namespace fs = std::filesystem;

const Rule* HubspotRule(ImportObject object, std::string_view header) {
  static const auto tables = [] {
    using K = KeySystem;
    std::array<std::map<std::string, Rule>, 4> t;
    auto& companies = t[static_cast<size_t>(ImportObject::kAccounts)];
    for (const char* h : {"recordid", "companyid", "hubspotid"}) companies[h] = Key(K::kHubspot);
    for (const char* h : {"name", "companyname"}) companies[h] = Value(Field::kName);
    companies["industry"] = Value(Field::kIndustry);
    for (const char* h : {"countryregion", "country"}) companies[h] = Value(Field::kRegion);
    companies["numberofemployees"] = Value(Field::kEmployees, Conv::kInt);
    for (const char* h : {"companyowner", "hubspotowneremail", "owneremail"}) {
      companies[h] = Value(Field::kOwner);
    }
    companies["parentcompanyid"] = Link(Field::kParent, K::kHubspot);
    auto& contacts = t[static_cast<size_t>(ImportObject::kContacts)];
    for (const char* h : {"recordid", "contactid"}) contacts[h] = Key(K::kHubspot);
    contacts["firstname"] = Value(Field::kFirstName);
    contacts["lastname"] = Value(Field::kLastName);
    contacts["email"] = Value(Field::kEmail);
    contacts["jobtitle"] = Value(Field::kTitle);
    for (const char* h : {"contactowner", "hubspotowneremail", "owneremail"}) {
      contacts[h] = Value(Field::kOwner);
    }
    for (const char* h : {"companyid", "associatedcompanyid", "associatedcompanyids",
                          "associatedcompanyidsprimary", "primaryassociatedcompanyid"}) {
      contacts[h] = Link(Field::kAccount, K::kHubspot);
    }
    auto& deals = t[static_cast<size_t>(ImportObject::kOpportunities)];
    for (const char* h : {"recordid", "dealid"}) deals[h] = Key(K::kHubspot);
    deals["dealname"] = Value(Field::kName);
    deals["dealstage"] = Value(Field::kStage, Conv::kStage);
    deals["amount"] = Value(Field::kAmount, Conv::kMoney);
    deals["closedate"] = Value(Field::kCloseDate, Conv::kDate);
    deals["createdate"] = Value(Field::kCreatedOn, Conv::kDate);
    deals["dealtype"] = Value(Field::kType, Conv::kType);
    deals["closedlostreason"] = Value(Field::kLostReason);
    for (const char* h : {"dealowner", "hubspotowneremail", "owneremail"}) {
      deals[h] = Value(Field::kOwner);
    }
    for (const char* h : {"companyid", "associatedcompanyid", "associatedcompanyids",
                          "associatedcompanyidsprimary", "primaryassociatedcompanyid"}) {
      deals[h] = Link(Field::kAccount, K::kHubspot);
    }
    for (auto& table : t) {
      for (auto& [name, rule] : table) {
        // HubSpot writes dates as its portal is set: ISO, 2002/1/16 or 1/16/2002.
        if (rule.conv == Conv::kDate) rule.dates = {"YYYY-MM-DD", "YYYY/M/D", "M/D/YYYY"};
      }
    }
    return t;
  }();
  const auto& table = tables[static_cast<size_t>(object)];
  auto it = table.find(Folded(header));
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace

Status ImportHubspot(Importer& importer, ImportObject object, const std::string& path,
                     std::optional<std::string> date_format) {
  if (object == ImportObject::kContractLines) {
    return Fail(ErrorCode::kInvalidArgument,
                "HubSpot imports companies, contacts and deals; contract lines come from "
                "Salesforce or a mapped CSV");
  }
  std::vector<Rule> overridden;  // with --date-format: the date rules, changed
  overridden.reserve(64);
  return ReadCsvFile(importer, path, object, std::nullopt,
                     [&](const std::vector<std::string>& header) -> Result<FileRules> {
                       FileRules rules;
                       for (const auto& h : header) {
                         const Rule* r = HubspotRule(object, h);
                         if (r && r->conv == Conv::kDate && date_format) {
                           overridden.push_back(*r);
                           overridden.back().dates = {*date_format};
                           r = &overridden.back();
                         }
                         rules.by_column.push_back(r);
                         if (!r) {
                           importer.Warn(fs::path(path).filename().string() + ": column " + h +
                                         " has no Orchard field; not imported");
                         }
                       }
                       return rules;
                     });
}

}  // namespace orchard::ingest
