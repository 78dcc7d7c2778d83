#include "ingest/mapped_csv.h"

#include <boost/json.hpp>
#include <map>
#include <vector>

#include "ingest/import_help.h"
#include "ingest/source_rules.h"
#include "ingest/text.h"

namespace orchard::ingest {

using namespace source;  // the rules every source shares (source_rules.h)

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

Result<Rule> RuleOfTarget(ImportObject object, const CsvColumnMap& m) {
  const std::string& t = m.target;
  auto system_of = [](std::string_view s) -> std::optional<KeySystem> {
    if (s == "salesforce_id") return KeySystem::kSalesforce;
    if (s == "hubspot_id") return KeySystem::kHubspot;
    if (s == "name") return KeySystem::kName;
    if (s == "external_id") return KeySystem::kExternal;
    return std::nullopt;
  };
  if (t == "salesforce_id" || t == "hubspot_id" || t == "external_id") {
    if (object == ImportObject::kContractLines && t == "hubspot_id") {
      return Fail(ErrorCode::kInvalidArgument, "contract_lines have no hubspot_id");
    }
    return Key(*system_of(t));
  }
  if (auto dot = t.find('.'); dot != std::string::npos) {
    std::string link = t.substr(0, dot);
    auto system = system_of(std::string_view(t).substr(dot + 1));
    std::optional<Field> f;
    if (link == "account" && object != ImportObject::kAccounts) f = Field::kAccount;
    if (link == "parent" && object == ImportObject::kAccounts) f = Field::kParent;
    if (link == "reports_to" && object == ImportObject::kContacts) f = Field::kReportsTo;
    if (link == "opportunity" && object == ImportObject::kContractLines) {
      f = Field::kOpportunity;
    }
    if (!f || !system) {
      return Fail(ErrorCode::kInvalidArgument,
                  "\"" + t + "\" is not a link " + std::string(ObjectName(object)) +
                      " have; links are written like account.salesforce_id, "
                      "account.hubspot_id or account.name (accounts: parent.…; contacts: "
                      "reports_to.…)");
    }
    if (*f != Field::kAccount && *f != Field::kParent && *system == KeySystem::kName) {
      return Fail(ErrorCode::kInvalidArgument,
                  "\"" + t + "\": only accounts can be linked by name");
    }
    return Link(*f, *system);
  }
  auto field = FieldOf(object, t);
  if (!field) {
    return Fail(ErrorCode::kInvalidArgument,
                "\"" + t + "\" is not a field of " + std::string(ObjectName(object)) +
                    "; they are " + FieldNames(object) +
                    ", the key (salesforce_id, hubspot_id) and links (account.salesforce_id, …)");
  }
  Conv conv = Conv::kText;
  switch (*field) {
    case Field::kEmployees:
    case Field::kInfluence:
      conv = Conv::kInt;
      break;
    case Field::kAmount:
    case Field::kArr:
      conv = Conv::kMoney;
      break;
    case Field::kCloseDate:
    case Field::kCreatedOn:
    case Field::kStartDate:
    case Field::kEndDate:
      conv = Conv::kDate;
      break;
    case Field::kStage:
      conv = Conv::kStage;
      break;
    case Field::kType:
      conv = Conv::kType;
      break;
    case Field::kLifecycle:
    case Field::kBuyingRole:
    case Field::kStance:
    case Field::kStatus:
    case Field::kStrategic:
      conv = Conv::kEnum;
      break;
    default:
      break;
  }
  Rule r = Value(*field, conv);
  if (m.date_format) {
    if (conv != Conv::kDate) {
      return Fail(ErrorCode::kInvalidArgument, "date_format is for date fields, not " + t);
    }
    r.dates = {*m.date_format};
  }
  if (m.money_format) {
    if (conv != Conv::kMoney) {
      return Fail(ErrorCode::kInvalidArgument, "money_format is for amounts, not " + t);
    }
    r.money = *m.money_format;
  }
  // Every target checked now: a wrong one is one error, not a rejected row per use.
  if (!m.values.empty() && !PicklistValues(*field).empty()) {
    ORCHARD_CHECK(CheckPicklistTargets(*field, m.values));
  }
  for (const auto& [from, to] : m.values) {
    r.values[Folded(from)] = to;
    r.exact_values.insert(from);
  }
  // A mapping that translates a picklist means it: a value it does not name is an error.
  r.strict = !m.values.empty();
  return r;
}

// A money column whose unit looks 100x off: named in cents (its folded name holds "cents")
// without money_format cents, every row with a value is counted; otherwise a row of
// kImplausibleCents or more.
void CheckUnit(const std::string& column, Rule& r) {
  if (r.money.cents) return;
  std::string field(FieldName(r.field));
  if (Folded(column).find("cents") != std::string::npos) {
    r.unit_warning = "column \"" + column + "\" is named in cents but mapped to " + field +
                     " without \"money_format\": \"cents\": its values were read as whole "
                     "currency units, 100x too much";
    return;
  }
  r.magnitude_warning = "column \"" + column + "\": " + field +
                        " of 10,000,000 or more in one row; if the column is in cents, map it "
                        "with \"money_format\": \"cents\"";
}

}  // namespace

Result<CsvMap> ParseCsvMap(std::string_view text, ImportObject object) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec)
    return Fail(ErrorCode::kInvalidArgument, "the mapping is not valid JSON: " + ec.message());
  if (!doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "the mapping must be a JSON object");
  }
  CsvMap map;
  for (const auto& kv : doc.as_object()) {
    if (kv.key() == "columns") continue;
    if (kv.key() == "delimiter") {
      const json::string* d = kv.value().if_string();
      if (!d || d->size() != 1) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the mapping's delimiter must be one character, such as \";\"");
      }
      map.delimiter = (*d)[0];
      continue;
    }
    if (kv.key() == "object") continue;  // informative; --object decides
    if (kv.key() == "source" || kv.key() == "unassigned_account") {  // see CsvMap
      const json::string* v = kv.value().if_string();
      if (!v || v->empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the mapping's " + std::string(kv.key()) + " must be a name, such as \"" +
                        (kv.key() == "source" ? "ravenstack" : "Unassigned") + "\"");
      }
      (kv.key() == "source" ? map.source : map.unassigned_account) = std::string(*v);
      continue;
    }
    return Fail(ErrorCode::kInvalidArgument, "the mapping has an unknown key \"" +
                                                 std::string(kv.key()) +
                                                 "\"; it takes columns, delimiter, object, "
                                                 "source and unassigned_account");
  }
  const json::value* columns = doc.as_object().if_contains("columns");
  if (!columns || !columns->is_object() || columns->as_object().empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the mapping needs \"columns\": {\"the file's column\": \"an Orchard field\"}");
  }
  for (const auto& kv : columns->as_object()) {
    std::string column(kv.key());
    CsvColumnMap m;
    if (kv.value().is_string()) {
      m.target = std::string(kv.value().get_string());
    } else if (kv.value().is_object()) {
      for (const auto& p : kv.value().as_object()) {
        std::string key(p.key());
        if (key == "field" && p.value().is_string()) {
          m.target = std::string(p.value().get_string());
        } else if (key == "date_format" && p.value().is_string()) {
          m.date_format = std::string(p.value().get_string());
        } else if (key == "money_format" && p.value().is_string()) {
          auto f = MoneyFormat::FromExample(p.value().get_string());
          if (!f) {
            return Fail(ErrorCode::kInvalidArgument,
                        "column \"" + column + "\": " + f.error().message);
          }
          m.money_format = *f;
        } else if (key == "values" && p.value().is_object()) {
          for (const auto& v : p.value().as_object()) {
            if (!v.value().is_string()) {
              return Fail(ErrorCode::kInvalidArgument,
                          "column \"" + column + "\": each value translates to a string");
            }
            m.values[std::string(v.key())] = std::string(v.value().get_string());
          }
        } else {
          return Fail(ErrorCode::kInvalidArgument,
                      "column \"" + column + "\": unknown or mistyped key \"" + key +
                          "\"; a column takes field, date_format, money_format and values");
        }
      }
    } else {
      return Fail(ErrorCode::kInvalidArgument,
                  "column \"" + column + "\" must name a field, or be {\"field\": …}");
    }
    if (m.target.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "column \"" + column + "\" names no field");
    }
    auto rule = RuleOfTarget(object, m);
    if (!rule) {
      return Fail(ErrorCode::kInvalidArgument,
                  "column \"" + column + "\": " + rule.error().message);
    }
    if (rule->system == KeySystem::kExternal &&
        (rule->target == Target::kKey || rule->target == Target::kLink)) {
      map.uses_external_id = true;
    }
    // Owners translate too: {"field": "owner", "values": {"D. Ruiz": "dana@example.com"}}.
    const bool owner = rule->target == Target::kValue && rule->field == Field::kOwner;
    if (!m.values.empty() && !owner && rule->conv != Conv::kEnum && rule->conv != Conv::kStage &&
        rule->conv != Conv::kType) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "column \"" + column + "\": values translate picklists, and " + m.target + " is not one");
    }
    map.columns[column] = std::move(m);
  }
  return map;
}

Status ImportMappedCsv(Importer& importer, ImportObject object, const std::string& path,
                       const CsvMap& map) {
  std::vector<Rule> rules;  // one per mapped column, in the map's order
  std::map<std::string, size_t> by_name;
  for (const auto& [column, m] : map.columns) {
    ORCHARD_TRY(Rule r, RuleOfTarget(object, m));
    if (r.conv == Conv::kMoney) CheckUnit(column, r);
    by_name[column] = rules.size();
    rules.push_back(std::move(r));
  }
  return ReadCsvFile(importer, path, object, map.delimiter,
                     [&](const std::vector<std::string>& header) -> Result<FileRules> {
                       FileRules out;
                       std::vector<bool> seen(rules.size(), false);
                       for (const auto& h : header) {
                         auto it = by_name.find(std::string(Trim(h)));
                         if (it == by_name.end()) {
                           out.by_column.push_back(nullptr);
                           continue;
                         }
                         seen[it->second] = true;
                         out.by_column.push_back(&rules[it->second]);
                       }
                       std::string missing;
                       for (const auto& [column, index] : by_name) {
                         if (!seen[index])
                           missing += (missing.empty() ? "\"" : ", \"") + column + "\"";
                       }
                       if (!missing.empty()) {
                         std::string have;
                         for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
                         return Fail(ErrorCode::kInvalidArgument,
                                     path + ": the mapping names " + missing +
                                         ", which the file does not have; its columns are " + have);
                       }
                       return out;
                     });
}

}  // namespace orchard::ingest
