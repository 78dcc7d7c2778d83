#include "ingest/salesforce_export.h"

#include <cstdlib>
#include <string>

#include "core/text.h"
#include "domain/enums.h"
#include "ingest/picklists.h"
#include "ingest/text.h"

namespace orchard::ingest {

namespace {

// Cents as Salesforce writes currency: "1234.5" → "1234.50", "-0.05".
std::string Decimal(int64_t cents) {
  std::string sign = cents < 0 ? "-" : "";
  uint64_t v = cents < 0 ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  std::string frac = std::to_string(v % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(v / 100) + "." + frac;
}

// A row's Salesforce Id: its own, or Orchard's id in a form the importer reads back.
constexpr const char* kIdOf = "COALESCE(%.salesforce_id, 'orchard-' || CAST(%.id AS TEXT))";

std::string IdOf(const std::string& alias) {
  std::string out = kIdOf;
  for (size_t at; (at = out.find('%')) != std::string::npos;) out.replace(at, 1, alias);
  return out;
}

struct Export {
  std::vector<std::string_view> header;
  std::string sql;
  // How each selected column is written (by position): as is, money, stage or type.
  enum class As { kText, kMoney, kStage, kType, kBool };
  std::vector<As> as;
};

Export ExportOf(ImportObject object) {
  using A = Export::As;
  switch (object) {
    case ImportObject::kAccounts:
      return {{"Id", "Name", "ParentId", "Industry", "BillingCountry", "NumberOfEmployees",
               "Owner.Email", "Orchard_Lifecycle_Stage__c", "Orchard_Strategic__c",
               "Orchard_Tier_Override__c", "Orchard_Tier_Override_Reason__c",
               "Orchard_Growth_Potential__c"},
              "SELECT " + IdOf("a") + ", a.name, CASE WHEN p.id IS NULL THEN NULL ELSE " +
                  IdOf("p") +
                  " END, a.industry, a.region, a.employees, u.email, a.lifecycle_stage, "
                  "a.strategic, a.tier_override, a.tier_override_reason, a.growth_potential FROM "
                  "accounts a LEFT JOIN accounts p ON p.id = a.parent_id LEFT JOIN users u ON "
                  "u.id = a.owner_id ORDER BY a.id",
              {A::kText, A::kText, A::kText, A::kText, A::kText, A::kText, A::kText, A::kText,
               A::kBool, A::kText, A::kText, A::kText}};
    case ImportObject::kContacts:
      return {{"Id", "AccountId", "FirstName", "LastName", "Email", "Title", "ReportsToId",
               "Owner.Email", "Orchard_Buying_Role__c", "Orchard_Stance__c", "Orchard_Influence__c",
               "Orchard_Status__c"},
              "SELECT " + IdOf("c") + ", " + IdOf("a") +
                  ", c.first_name, c.last_name, c.email, c.title, CASE WHEN m.id IS NULL THEN "
                  "NULL ELSE " +
                  IdOf("m") +
                  " END, u.email, c.buying_role, c.stance, c.influence, c.status FROM contacts "
                  "c JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts m ON m.id = "
                  "c.reports_to_id LEFT JOIN users u ON u.id = c.relationship_owner_id ORDER BY "
                  "c.id",
              {A::kText, A::kText, A::kText, A::kText, A::kText, A::kText, A::kText, A::kText,
               A::kText, A::kText, A::kText, A::kText}};
    case ImportObject::kOpportunities:
      return {{"Id", "AccountId", "Name", "Type", "StageName", "Amount", "CloseDate", "CreatedDate",
               "Loss_Reason__c", "Owner.Email"},
              "SELECT " + IdOf("o") + ", " + IdOf("a") +
                  ", o.name, o.type, o.stage, o.amount_cents, o.close_date, o.created_on, "
                  "o.lost_reason, u.email FROM opportunities o JOIN accounts a ON a.id = "
                  "o.account_id LEFT JOIN users u ON u.id = o.owner_id ORDER BY o.id",
              {A::kText, A::kText, A::kText, A::kType, A::kStage, A::kMoney, A::kText, A::kText,
               A::kText, A::kText}};
    case ImportObject::kContractLines:
      return {{"Id", "AccountId", "StartDate", "EndDate", "ARR__c", "ProductCode"},
              "SELECT " + IdOf("l") + ", " + IdOf("a") +
                  ", l.start_date, l.end_date, l.arr_cents, p.sku FROM contract_lines l JOIN "
                  "accounts a ON a.id = l.account_id JOIN products p ON p.id = l.product_id "
                  "ORDER BY l.id",
              {A::kText, A::kText, A::kText, A::kText, A::kMoney, A::kText}};
  }
  return {};
}

}  // namespace

std::string_view SalesforceObjectName(ImportObject object) {
  switch (object) {
    case ImportObject::kAccounts:
      return "Account";
    case ImportObject::kContacts:
      return "Contact";
    case ImportObject::kOpportunities:
      return "Opportunity";
    case ImportObject::kContractLines:
      return "Contract";
  }
  return "";
}

Result<int64_t> ExportSalesforce(store::Database& db, ImportObject object, std::ostream& out) {
  Export e = ExportOf(object);
  for (size_t i = 0; i < e.header.size(); ++i) out << (i ? "," : "") << e.header[i];
  out << "\n";
  int64_t rows = 0;
  ORCHARD_CHECK(db.Query(e.sql, {}, [&](const store::Row& r) -> Status {
    for (int i = 0; i < r.size(); ++i) {
      if (i) out << ',';
      if (r.IsNull(i)) continue;
      switch (e.as[static_cast<size_t>(i)]) {
        case Export::As::kText:
          out << CsvField(r.GetText(i));
          break;
        case Export::As::kMoney: {
          ORCHARD_TRY(int64_t cents, r.GetInt(i));
          out << Decimal(cents);
          break;
        }
        case Export::As::kStage: {
          ORCHARD_TRY(auto stage, ParseEnum<OpportunityStage>(r.GetText(i)));
          out << CsvField(SalesforceStageLabel(stage));
          break;
        }
        case Export::As::kBool: {
          ORCHARD_TRY(bool yes, r.GetBool(i));
          out << (yes ? "true" : "false");
          break;
        }
        case Export::As::kType: {
          ORCHARD_TRY(auto type, ParseEnum<OpportunityType>(r.GetText(i)));
          out << CsvField(SalesforceTypeLabel(type));
          break;
        }
      }
    }
    out << '\n';
    if (!out) return Fail(ErrorCode::kUnavailable, "the export could not be written");
    ++rows;
    return Ok();
  }));
  out.flush();
  if (!out) return Fail(ErrorCode::kUnavailable, "the export could not be written");
  return rows;
}

}  // namespace orchard::ingest
