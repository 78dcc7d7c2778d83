// The import's vocabulary: objects and fields by name, and the summary as JSON.
#include <boost/json.hpp>

#include "ingest/import.h"

namespace orchard::ingest {

namespace {

// In the order of Field, laid out by hand.
// clang-format off
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "name",       "industry",   "region",      "employees", "owner",        "lifecycle_stage",
    "strategic",  "first_name", "last_name",   "email",     "title",        "buying_role",
    "stance",     "influence",  "status",      "type",      "stage",        "amount",
    "close_date", "created_on", "lost_reason", "product",   "product_name", "arr",
    "start_date", "end_date",
    "tier_override", "tier_override_reason", "growth_potential",
    "key",         "account",   "parent",       "reports_to",
    "opportunity"};
// clang-format on

// The value fields each object takes.
std::vector<Field> FieldsOf(ImportObject object) {
  using F = Field;
  switch (object) {
    case ImportObject::kAccounts:
      return {F::kName,      F::kIndustry,  F::kRegion, F::kEmployees,  F::kOwner,
              F::kLifecycle, F::kStrategic, F::kTier,   F::kTierReason, F::kPotential};
    case ImportObject::kContacts:
      return {F::kFirstName,  F::kLastName, F::kEmail,     F::kTitle, F::kOwner,
              F::kBuyingRole, F::kStance,   F::kInfluence, F::kStatus};
    case ImportObject::kOpportunities:
      return {F::kName,      F::kType,  F::kStage,      F::kAmount, F::kCloseDate,
              F::kCreatedOn, F::kOwner, F::kLostReason, F::kProduct};
    case ImportObject::kContractLines:
      return {F::kProduct, F::kProductName, F::kArr, F::kStartDate, F::kEndDate};
  }
  return {};
}

}  // namespace

std::string_view ObjectName(ImportObject object) {
  switch (object) {
    case ImportObject::kAccounts:
      return "accounts";
    case ImportObject::kContacts:
      return "contacts";
    case ImportObject::kOpportunities:
      return "opportunities";
    case ImportObject::kContractLines:
      return "contract_lines";
  }
  return "";
}

Result<ImportObject> ParseObject(std::string_view name) {
  for (ImportObject o : kImportObjects) {
    if (ObjectName(o) == name) return o;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "unknown object \"" + std::string(name) +
                  "\": the objects are accounts, contacts, opportunities, contract_lines");
}

std::string_view FieldName(Field field) { return kFieldNames[static_cast<size_t>(field)]; }

std::optional<Field> FieldOf(ImportObject object, std::string_view name) {
  for (Field f : FieldsOf(object)) {
    if (FieldName(f) == name) return f;
  }
  return std::nullopt;
}

std::string FieldNames(ImportObject object) {
  std::string out;
  for (Field f : FieldsOf(object)) {
    if (!out.empty()) out += ", ";
    out += FieldName(f);
  }
  return out;
}

// ---- summary ----------------------------------------------------------------------------------

std::string ImportSummary::ToJson() const {
  namespace json = boost::json;
  json::object o;
  o["source"] = source;
  o["dry_run"] = dry_run;
  o["rows"] = rows;
  o["inserted"] = inserted;
  o["updated"] = updated;
  o["unchanged"] = unchanged;
  o["rejected"] = rejected;
  o["skipped"] = skipped;
  o["seconds"] = seconds;
  o["rows_per_s"] = seconds > 0 ? static_cast<double>(rows) / seconds : 0.0;
  json::array fs;
  for (const auto& f : files) {
    fs.push_back(json::object{{"file", f.file},
                              {"object", f.object},
                              {"rows", f.rows},
                              {"inserted", f.inserted},
                              {"updated", f.updated},
                              {"unchanged", f.unchanged},
                              {"rejected", f.rejected},
                              {"skipped", f.skipped}});
  }
  o["files"] = std::move(fs);
  json::array ws;
  for (const auto& [message, count] : warnings) {
    ws.push_back(json::object{{"message", message}, {"rows", count}});
  }
  o["warnings"] = std::move(ws);
  json::array rs;
  for (const auto& r : rejections) {
    rs.push_back(json::object{{"file", r.file},
                              {"line", r.line},
                              {"column", r.column},
                              {"column_name", r.column_name},
                              {"reason", r.reason}});
  }
  o["rejected_rows"] = std::move(rs);
  if (!report_path.empty()) o["report"] = report_path;
  json::array created;
  for (const auto& u : created_users) created.push_back(json::string(u));
  o["created_users"] = std::move(created);
  if (!unassigned_account.empty()) {
    o["unassigned_account"] = json::object{{"name", unassigned_account}, {"rows", unassigned}};
  }
  return json::serialize(o);
}

}  // namespace orchard::ingest
