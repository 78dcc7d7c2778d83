#include "ingest/salesforce.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ingest/csv.h"
#include "ingest/salesforce_signals.h"
#include "ingest/source_rules.h"
#include "ingest/text.h"

namespace orchard::ingest {

using namespace source;  // the rules every source shares (source_rules.h)

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

enum class SfObject { kAccount, kContact, kOpportunity, kContract, kLineItem };

ImportObject ImportObjectOf(SfObject o) {
  switch (o) {
    case SfObject::kAccount:
      return ImportObject::kAccounts;
    case SfObject::kContact:
      return ImportObject::kContacts;
    case SfObject::kOpportunity:
      return ImportObject::kOpportunities;
    default:
      return ImportObject::kContractLines;
  }
}

std::optional<SfObject> SfObjectNamed(std::string_view name) {
  std::string f = Folded(name);
  if (f == "account" || f == "accounts") return SfObject::kAccount;
  if (f == "contact" || f == "contacts") return SfObject::kContact;
  if (f == "opportunity" || f == "opportunities") return SfObject::kOpportunity;
  if (f == "contract" || f == "contracts") return SfObject::kContract;
  if (f == "opportunitylineitem" || f == "opportunitylineitems") return SfObject::kLineItem;
  return std::nullopt;
}

// Each object's fields by their API name, lower case (Salesforce's names are case-insensitive).
const std::map<std::string, Rule>& SfRules(SfObject o) {
  static const auto tables = [] {
    using K = KeySystem;
    std::array<std::map<std::string, Rule>, 5> t;
    auto& account = t[static_cast<size_t>(SfObject::kAccount)];
    account["id"] = Key(K::kSalesforce);
    account["name"] = Value(Field::kName);
    account["industry"] = Value(Field::kIndustry);
    account["billingcountry"] = Value(Field::kRegion);
    account["numberofemployees"] = Value(Field::kEmployees, Conv::kInt);
    account["parentid"] = Link(Field::kParent, K::kSalesforce);
    account["owner.email"] = Value(Field::kOwner);
    // Orchard's own fields, as its Salesforce export writes them (salesforce_export.h).
    account["orchard_lifecycle_stage__c"] = Value(Field::kLifecycle, Conv::kEnum);
    account["orchard_strategic__c"] = Value(Field::kStrategic, Conv::kEnum);
    // Text, so that an empty cell clears the value as an empty buying role does.
    account["orchard_tier_override__c"] = Value(Field::kTier);
    account["orchard_tier_override_reason__c"] = Value(Field::kTierReason);
    account["orchard_growth_potential__c"] = Value(Field::kPotential);
    auto& contact = t[static_cast<size_t>(SfObject::kContact)];
    contact["id"] = Key(K::kSalesforce);
    contact["accountid"] = Link(Field::kAccount, K::kSalesforce);
    contact["firstname"] = Value(Field::kFirstName);
    contact["lastname"] = Value(Field::kLastName);
    contact["email"] = Value(Field::kEmail);
    contact["title"] = Value(Field::kTitle);
    contact["reportstoid"] = Link(Field::kReportsTo, K::kSalesforce);
    contact["owner.email"] = Value(Field::kOwner);
    contact["orchard_buying_role__c"] = Value(Field::kBuyingRole, Conv::kEnum);
    contact["orchard_stance__c"] = Value(Field::kStance, Conv::kEnum);
    contact["orchard_influence__c"] = Value(Field::kInfluence, Conv::kInt);
    contact["orchard_status__c"] = Value(Field::kStatus, Conv::kEnum);
    auto& opp = t[static_cast<size_t>(SfObject::kOpportunity)];
    opp["id"] = Key(K::kSalesforce);
    opp["accountid"] = Link(Field::kAccount, K::kSalesforce);
    opp["name"] = Value(Field::kName);
    opp["type"] = Value(Field::kType, Conv::kType);
    opp["stagename"] = Value(Field::kStage, Conv::kStage);
    opp["amount"] = Value(Field::kAmount, Conv::kMoney);
    opp["closedate"] = Value(Field::kCloseDate, Conv::kDate);
    opp["createddate"] = Value(Field::kCreatedOn, Conv::kDate);
    opp["loss_reason__c"] = Value(Field::kLostReason);
    opp["owner.email"] = Value(Field::kOwner);
    auto& contract = t[static_cast<size_t>(SfObject::kContract)];
    contract["id"] = Key(K::kSalesforce);
    contract["accountid"] = Link(Field::kAccount, K::kSalesforce);
    contract["startdate"] = Value(Field::kStartDate, Conv::kDate);
    contract["enddate"] = Value(Field::kEndDate, Conv::kDate);
    contract["contractterm"] = Extra("term");
    contract["arr__c"] = Value(Field::kArr, Conv::kMoney);
    contract["annual_value__c"] = Value(Field::kArr, Conv::kMoney);
    contract["productcode"] = Value(Field::kProduct);
    contract["product_code__c"] = Value(Field::kProduct);
    auto& item = t[static_cast<size_t>(SfObject::kLineItem)];
    item["id"] = Key(K::kSalesforce);
    item["opportunityid"] = Link(Field::kOpportunity, K::kSalesforce);
    item["productcode"] = Value(Field::kProduct);
    item["product2.productcode"] = Value(Field::kProduct);
    item["product2.name"] = Value(Field::kProductName);
    item["totalprice"] = Value(Field::kArr, Conv::kMoney);
    item["quantity"] = Extra("quantity");
    item["unitprice"] = Extra("unit_price");
    item["servicedate"] = Value(Field::kStartDate, Conv::kDate);
    return t;
  }();
  return tables[static_cast<size_t>(o)];
}

const Rule* SfRule(SfObject o, std::string_view api_name) {
  const auto& table = SfRules(o);
  auto it = table.find(Lower(Trim(api_name)));
  return it == table.end() ? nullptr : &it->second;
}

// Values Salesforce leaves to be derived: a contract's end from its term, a line item's total
// from quantity and price, a contract without an ARR column.
void FinishSf(SfObject o, bool has_arr, Importer& im, ImportRow& row, const Extras& extras) {
  if (o == SfObject::kContract) {
    bool no_end = !row.Has(Field::kEndDate) || row.Get(Field::kEndDate).empty();
    if (no_end && row.Has(Field::kStartDate)) {
      auto term = extras.find("term");
      int64_t months = 0;
      if (term != extras.end() &&
          std::from_chars(term->second.data(), term->second.data() + term->second.size(), months)
                  .ec == std::errc() &&
          months > 0 && months < 1200) {
        if (auto start = Date::Parse(row.Get(Field::kStartDate))) {
          row.Set(Field::kEndDate,
                  start->AddMonths(static_cast<int>(months)).AddDays(-1).ToString());
        }
      }
    }
    if (!has_arr && !row.Has(Field::kArr)) {
      im.Warn("Contract has no ARR column (ARR__c or Annual_Value__c): kept with ARR 0");
      row.Set(Field::kArr, "0");
    }
  }
  if (o == SfObject::kLineItem && !row.Has(Field::kArr)) {
    auto q = extras.find("quantity");
    auto p = extras.find("unit_price");
    if (q != extras.end() && p != extras.end()) {
      double quantity = std::atof(q->second.c_str());
      if (auto price = ParseMoney(p->second, MoneyFormat{})) {
        row.Set(Field::kArr,
                std::to_string(std::llround(quantity * static_cast<double>(price->cents()))));
      }
    }
  }
}

int Rank(SfObject o) { return static_cast<int>(o); }

Result<SfObject> SfObjectOfCsv(const std::string& path, const std::vector<std::string>& header) {
  std::string stem = fs::path(path).stem().string();
  if (auto o = SfObjectNamed(stem)) return *o;
  // A name like "Account_export" or "opportunities-2026": the object is its first word.
  auto cut = stem.find_first_of("_-. ");
  if (cut != std::string::npos) {
    if (auto o = SfObjectNamed(stem.substr(0, cut))) return *o;
  }
  auto has = [&](std::string_view name) {
    return std::any_of(header.begin(), header.end(),
                       [&](const std::string& h) { return Lower(Trim(h)) == name; });
  };
  if (has("opportunityid")) return SfObject::kLineItem;
  if (has("stagename")) return SfObject::kOpportunity;
  if (has("contractterm") || (has("startdate") && has("accountid"))) return SfObject::kContract;
  if (has("lastname") && has("accountid")) return SfObject::kContact;
  if (has("name") && has("id")) return SfObject::kAccount;
  return Fail(ErrorCode::kInvalidArgument,
              path +
                  ": cannot tell which Salesforce object this is; name the file Account.csv, "
                  "Contact.csv, Opportunity.csv, Contract.csv or OpportunityLineItem.csv");
}

std::vector<std::string> ReadHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CsvReader reader(in);
  CsvRecord record;
  CsvProblem problem;
  auto status = reader.Next(&record, &problem);
  if (status && *status == CsvReader::Status::kRecord) return record.fields;
  return {};
}

bool IsProduct2Csv(const std::string& path) {
  std::string stem = Folded(fs::path(path).stem().string());
  if (stem.starts_with("product2")) return true;
  std::set<std::string> header;
  for (const auto& h : ReadHeader(path)) header.insert(Folded(h));
  return header.contains("productcode") && header.contains("name") &&
         !header.contains("accountid") && !header.contains("opportunityid");
}

Status ImportSfCsv(Importer& im, const std::string& path, SfObject o) {
  return ReadCsvFile(im, path, ImportObjectOf(o), std::nullopt,
                     [&](const std::vector<std::string>& header) -> Result<FileRules> {
                       FileRules rules;
                       bool has_arr = false;
                       for (const auto& h : header) {
                         const Rule* r = SfRule(o, h);
                         rules.by_column.push_back(r);
                         if (r && r->target == Target::kValue && r->field == Field::kArr)
                           has_arr = true;
                         if (!r)
                           im.Warn(fs::path(path).filename().string() + ": column " + h +
                                   " has no Orchard field; not imported");
                       }
                       rules.finish = [o, has_arr](Importer& i, ImportRow& row,
                                                   const Extras& extras) {
                         FinishSf(o, has_arr, i, row, extras);
                       };
                       return rules;
                     });
}

std::string JsonText(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_: {
      std::ostringstream out;
      out.precision(15);
      out << v.get_double();
      return out.str();
    }
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    default:
      return "";
  }
}

Result<json::value> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, path + " is not valid JSON: " + ec.message());
  }
  return v;
}

// One data-tree file: {"records": [{"attributes": {"type", "referenceId"}, fields…}, …]}.
Status ImportTreeFile(Importer& im, const std::string& path, std::optional<SfObject> declared) {
  ORCHARD_TRY(json::value doc, ReadJsonFile(path));
  const json::array* records = nullptr;
  if (doc.is_object() && doc.as_object().contains("records") &&
      doc.as_object().at("records").is_array()) {
    records = &doc.as_object().at("records").as_array();
  }
  if (!records) {
    return Fail(ErrorCode::kInvalidArgument,
                path + " is not a Salesforce data-tree file: it has no \"records\" array");
  }
  std::optional<SfObject> object = declared;
  if (!object && !records->empty() && records->at(0).is_object()) {
    const auto& first = records->at(0).as_object();
    if (auto a = first.if_contains("attributes"); a && a->is_object()) {
      if (auto t = a->as_object().if_contains("type"); t && t->is_string()) {
        object = SfObjectNamed(t->get_string());
      }
    }
  }
  if (!object) {
    return Fail(ErrorCode::kInvalidArgument,
                path +
                    ": cannot tell the Salesforce object (no plan entry and no "
                    "attributes.type); the objects are Account, Contact, Opportunity, "
                    "Contract and OpportunityLineItem");
  }
  // The report's columns: the first field name seen for each of Orchard's fields.
  std::vector<const Rule*> rules;
  std::vector<std::string> names;
  for (const auto& rec : *records) {
    if (!rec.is_object()) continue;
    for (const auto& kv : rec.as_object()) {
      std::string name(kv.key());
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      names.push_back(name);
      rules.push_back(SfRule(*object, name));
    }
  }
  ORCHARD_CHECK(im.BeginFile(path, ImportObjectOf(*object), ColumnsOf(rules, names)));
  bool has_arr = false;
  for (const Rule* r : rules) {
    if (r && r->target == Target::kValue && r->field == Field::kArr) has_arr = true;
  }
  int64_t n = 0;
  std::vector<std::string> texts;
  std::vector<Cell> cells;
  Extras extras;
  for (const auto& rec : *records) {
    ++n;
    if (!rec.is_object()) {
      im.Reject(n, 0, "", "record " + std::to_string(n) + " is not a JSON object");
      continue;
    }
    ImportRow row;
    row.line = n;
    texts.clear();
    cells.clear();
    extras.clear();
    const auto& obj = rec.as_object();
    texts.reserve(obj.size());
    for (const auto& kv : obj) {
      if (kv.key() == "attributes") {
        if (kv.value().is_object()) {
          if (auto ref = kv.value().as_object().if_contains("referenceId");
              ref && ref->is_string()) {
            row.alias = std::string(ref->get_string());
          }
        }
        continue;
      }
      const Rule* r = SfRule(*object, kv.key());
      if (!r) {
        im.Warn(fs::path(path).filename().string() + ": field " + std::string(kv.key()) +
                " has no Orchard field; not imported");
        continue;
      }
      texts.push_back(JsonText(kv.value()));
      auto at = std::find(names.begin(), names.end(), std::string(kv.key()));
      cells.push_back(Cell{r, nullptr, at - names.begin() + 1, kv.key()});
    }
    for (size_t i = 0; i < cells.size(); ++i) cells[i].text = &texts[i];
    if (auto issue = Fill(im, cells, row, extras)) {
      im.Reject(n, issue->column, issue->name, issue->reason);
      continue;
    }
    FinishSf(*object, has_arr, im, row, extras);
    ORCHARD_CHECK(im.Add(std::move(row)));
  }
  return im.EndFile();
}

Status ImportTreePlan(Importer& im, const std::string& plan_path) {
  ORCHARD_TRY(json::value plan, ReadJsonFile(plan_path));
  if (!plan.is_array()) {
    return Fail(ErrorCode::kInvalidArgument,
                plan_path +
                    " is not a data-tree plan: it should be an array of "
                    "{\"sobject\", \"files\"} entries");
  }
  struct Entry {
    SfObject object;
    std::string file;
    size_t order;
  };
  std::vector<Entry> entries;
  fs::path dir = fs::path(plan_path).parent_path();
  for (const auto& e : plan.as_array()) {
    const json::object* o = e.if_object();
    const json::value* sobject = o ? o->if_contains("sobject") : nullptr;
    const json::value* files = o ? o->if_contains("files") : nullptr;
    if (!sobject || !sobject->is_string() || !files || !files->is_array()) {
      return Fail(ErrorCode::kInvalidArgument,
                  plan_path + ": each entry needs \"sobject\" and \"files\"");
    }
    auto object = SfObjectNamed(sobject->get_string());
    if (!object) {
      return Fail(ErrorCode::kInvalidArgument,
                  plan_path + ": Orchard does not import " + std::string(sobject->get_string()) +
                      "; it imports Account, Contact, Opportunity, Contract and "
                      "OpportunityLineItem");
    }
    for (const auto& f : files->as_array()) {
      if (!f.is_string()) continue;
      entries.push_back({*object, (dir / std::string(f.get_string())).string(), entries.size()});
    }
  }
  // Link order, whatever order the plan lists them in.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return Rank(a.object) < Rank(b.object); });
  for (const auto& e : entries) ORCHARD_CHECK(ImportTreeFile(im, e.file, e.object));
  return Ok();
}

}  // namespace

Status ImportSalesforce(Importer& importer, const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> plans, csvs;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string name = entry.path().filename().string();
      std::string lower = Lower(name);
      if (lower.ends_with(".json") && lower.find("plan") != std::string::npos) {
        plans.push_back(entry.path().string());
      } else if (lower.ends_with(".csv") && !IsProduct2Csv(entry.path().string()) &&
                 !IsSalesforceSignalsCsv(entry.path().string())) {  // salesforce_signals.h
        csvs.push_back(entry.path().string());
      }
    }
    if (plans.size() > 1) {
      return Fail(ErrorCode::kInvalidArgument, path + " holds " + std::to_string(plans.size()) +
                                                   " data-tree plans; name the one to import");
    }
    if (plans.size() == 1) return ImportTreePlan(importer, plans[0]);
    if (csvs.empty() && SalesforceProductFiles(path).empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  path + " holds neither a data-tree plan (*plan*.json) nor Bulk API CSV files");
    }
    std::vector<std::pair<SfObject, std::string>> files;
    for (const auto& csv : csvs) {
      ORCHARD_TRY(SfObject o, SfObjectOfCsv(csv, ReadHeader(csv)));
      files.emplace_back(o, csv);
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
      return Rank(a.first) != Rank(b.first) ? Rank(a.first) < Rank(b.first) : a.second < b.second;
    });
    for (const auto& [o, csv] : files) ORCHARD_CHECK(ImportSfCsv(importer, csv, o));
    return Ok();
  }
  if (!fs::exists(path, ec)) return Fail(ErrorCode::kInvalidArgument, path + " does not exist");
  std::string lower = Lower(path);
  if (lower.ends_with(".json")) {
    ORCHARD_TRY(json::value doc, ReadJsonFile(path));
    if (doc.is_array()) return ImportTreePlan(importer, path);
    return ImportTreeFile(importer, path, std::nullopt);
  }
  if (IsProduct2Csv(path) || IsSalesforceSignalsCsv(path)) return Ok();  // sources.cc reads it
  ORCHARD_TRY(SfObject o, SfObjectOfCsv(path, ReadHeader(path)));
  return ImportSfCsv(importer, path, o);
}

std::vector<std::string> SalesforceProductFiles(const std::string& path) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (Lower(path).ends_with(".csv") && fs::exists(path, ec) && IsProduct2Csv(path)) {
      out.push_back(path);
    }
    return out;
  }
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    std::string file = entry.path().string();
    if (Lower(file).ends_with(".csv") && IsProduct2Csv(file)) out.push_back(file);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace orchard::ingest
