#include "ingest/import_help.h"

#include "domain/enums.h"
#include "ingest/text.h"

namespace orchard::ingest {

namespace {

template <class E>
std::vector<std::string_view> NamesOf() {
  const auto& names = EnumTraits<E>::kNames;
  return {names.begin(), names.end()};
}

std::string Joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace

std::vector<std::string_view> PicklistValues(Field field) {
  switch (field) {
    case Field::kStage:
      return NamesOf<OpportunityStage>();
    case Field::kType:
      return NamesOf<OpportunityType>();
    case Field::kLifecycle:
      return NamesOf<LifecycleStage>();
    case Field::kBuyingRole:
      return NamesOf<BuyingRole>();
    case Field::kStance:
      return NamesOf<Stance>();
    case Field::kStatus:
      return NamesOf<ContactStatus>();
    case Field::kStrategic:
      return {"true", "false"};
    case Field::kTier:
      return NamesOf<Tier>();
    case Field::kPotential:
      return NamesOf<Potential>();
    default:
      return {};
  }
}

std::optional<std::string_view> FoldedPicklistValue(Field field, std::string_view text) {
  std::string folded = Folded(text);
  std::optional<std::string_view> found;
  for (auto name : PicklistValues(field)) {
    if (Folded(name) != folded) continue;
    if (found) return std::nullopt;  // two values fold alike: no guess
    found = name;
  }
  return found;
}

Status CheckPicklistTargets(Field field, const std::map<std::string, std::string>& values) {
  auto allowed = PicklistValues(field);
  std::string wrong;
  for (const auto& [from, to] : values) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == to;
    if (!ok) wrong += (wrong.empty() ? "" : ", ") + ("\"" + from + "\": \"" + to + "\"");
  }
  if (wrong.empty()) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              "the values table maps " + wrong + ", which " + std::string(FieldName(field)) +
                  " does not take; " + std::string(FieldName(field)) + " takes " + Joined(allowed));
}

std::string CsvImportHelp() {
  std::string out = "Fields a mapping's \"columns\" may name, by --object:\n";
  for (ImportObject o : kImportObjects) {
    out += "  " + std::string(ObjectName(o)) + ": " + FieldNames(o) + "\n";
  }
  out +=
      "  products: name, code, series, list_price (a catalogue; no mapping needed when the "
      "columns are so named)\n"
      "  users: name, email, external_id, manager (by e-mail or name), office (a sales-teams "
      "file)\n"
      "Keys: salesforce_id, hubspot_id (contract_lines: salesforce_id), external_id (any system's "
      "id, named by the mapping's \"source\" or --source-name). Without one, rows match on their "
      "natural key (docs/IMPORT.md).\n"
      "Links: account.salesforce_id, account.hubspot_id, account.external_id, account.name; "
      "accounts: parent.…; contacts: reports_to.…; contract_lines: opportunity.…\n"
      "Mapping options: \"delimiter\", \"source\", \"unassigned_account\" (a holding account "
      "for contacts and deals without one)\n"
      "Picklist values (a \"values\" table translates the file's to these):\n";
  for (Field f :
       {Field::kStage, Field::kType, Field::kLifecycle, Field::kBuyingRole, Field::kStance,
        Field::kStatus, Field::kStrategic, Field::kTier, Field::kPotential}) {
    out += "  " + std::string(FieldName(f)) + ": " + Joined(PicklistValues(f)) + "\n";
  }
  out +=
      "Money formats (\"money_format\"): 1,234.50 (default), 1.234,50, 1 234,50, 1234.50, "
      "1234,50, cents (whole cents)\n"
      "Dates (\"date_format\"): by pattern of YYYY, MM, DD, M, D (default YYYY-MM-DD)\n";
  return out;
}

}  // namespace orchard::ingest
