#include "ingest/sources.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "ingest/csv.h"
#include "ingest/picklists.h"
#include "ingest/text.h"
#include "store/database.h"

namespace orchard::ingest {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// ---- column rules ---------------------------------------------------------------------------

enum class Target { kIgnore, kValue, kKey, kLink, kExtra };
enum class Conv { kText, kInt, kMoney, kDate, kStage, kType, kEnum };

// What one column of a file is, and how its text becomes a field's canonical value.
struct Rule {
  Target target = Target::kIgnore;
  Field field = Field::kName;  // kValue: the field; kLink: kAccount, kParent, kReportsTo, …
  KeySystem system = KeySystem::kSalesforce;  // kKey and kLink
  Conv conv = Conv::kText;
  MoneyFormat money;
  std::vector<std::string> dates = {"YYYY-MM-DD"};
  std::map<std::string, std::string> values;  // picklist translations, by folded value
  bool strict = false;      // an unknown picklist value rejects the row (else kept, reported)
  bool skip_empty = false;  // an empty cell leaves the field as it was
  std::string extra;        // kExtra: the name a source's own step reads it by
};

Rule Value(Field f, Conv conv = Conv::kText) {
  Rule r;
  r.target = Target::kValue;
  r.field = f;
  r.conv = conv;
  if (f == Field::kOwner) r.skip_empty = true;
  return r;
}
Rule Key(KeySystem system) {
  Rule r;
  r.target = Target::kKey;
  r.system = system;
  return r;
}
Rule Link(Field f, KeySystem system) {
  Rule r;
  r.target = Target::kLink;
  r.field = f;
  r.system = system;
  return r;
}
Rule Extra(std::string name) {
  Rule r;
  r.target = Target::kExtra;
  r.extra = std::move(name);
  return r;
}

struct Cell {
  const Rule* rule = nullptr;
  std::string* text = nullptr;  // the record's own text: moved into the row where it can be
  int64_t column = 0;
  std::string_view name;
};

using Extras = std::map<std::string, std::string>;

// One record's cells into row (and extras); on a bad value, the issue and the column.
struct CellIssue {
  int64_t column = 0;
  std::string name;
  std::string reason;
};

std::optional<CellIssue> Fill(Importer& im, const std::vector<Cell>& cells, ImportRow& row,
                              Extras& extras) {
  for (const Cell& c : cells) {
    if (!c.rule || c.rule->target == Target::kIgnore) continue;
    const Rule& rule = *c.rule;
    auto issue = [&](std::string reason) {
      return CellIssue{c.column, std::string(c.name), std::move(reason)};
    };
    // (UTF-8 is checked by the readers: CsvReader per field, Boost.JSON per document.)
    std::string_view text = Trim(*c.text);
    // The cell as a string of its own, moved out of the record when nothing was trimmed.
    auto owned = [&] {
      return text.size() == c.text->size() ? std::move(*c.text) : std::string(text);
    };
    switch (rule.target) {
      case Target::kIgnore:
        break;
      case Target::kExtra:
        extras[rule.extra] = std::string(text);
        break;
      case Target::kKey:
        if (!text.empty()) row.key = Ref{rule.system, owned()};
        break;
      case Target::kLink: {
        if (text.empty()) break;
        Ref ref{rule.system, std::string(text)};
        if (text.front() == '@') {  // a data-tree reference to a record of this import
          ref = Ref{KeySystem::kAlias, std::string(text.substr(1))};
        } else if (auto semi = text.find(';'); semi != std::string_view::npos) {
          // HubSpot lists every associated record; the first is the primary one.
          ref.key = std::string(Trim(text.substr(0, semi)));
          im.Warn("more than one associated record: linked to the first");
        }
        if (rule.field == Field::kAccount) row.account = ref;
        if (rule.field == Field::kParent) row.parent = ref;
        if (rule.field == Field::kReportsTo) row.reports_to = ref;
        if (rule.field == Field::kOpportunity) row.opportunity = ref;
        break;
      }
      case Target::kValue: {
        Field f = rule.field;
        std::string label(FieldName(f));
        if (text.empty()) {
          if (rule.skip_empty) break;
          if (rule.conv == Conv::kText || f == Field::kEndDate || f == Field::kLostReason ||
              f == Field::kBuyingRole) {
            row.Set(f, "");
          }
          break;
        }
        switch (rule.conv) {
          case Conv::kText:
          case Conv::kEnum: {
            if (!rule.values.empty()) {
              if (auto it = rule.values.find(Folded(text)); it != rule.values.end()) {
                row.Set(f, it->second);
                break;
              }
            }
            row.Set(f, owned());
            break;
          }
          case Conv::kInt: {
            std::string digits;
            for (char ch : text) {
              if (ch != ',' && ch != ' ') digits.push_back(ch);
            }
            // "12345.0" (a number written by a JSON or spreadsheet export) is whole.
            if (auto dot = digits.find('.');
                dot != std::string::npos &&
                digits.find_first_not_of('0', dot + 1) == std::string::npos) {
              digits.resize(dot);
            }
            int64_t v = 0;
            auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
            if (ec != std::errc() || end != digits.data() + digits.size()) {
              return issue(label + " must be a whole number; got \"" + std::string(text) + "\"");
            }
            row.Set(f, std::to_string(v));
            break;
          }
          case Conv::kMoney: {
            auto m = ParseMoney(text, rule.money);
            if (!m) return issue(m.error().message);
            row.Set(f, std::to_string(m->cents()));
            break;
          }
          case Conv::kDate: {
            std::optional<Date> d;
            std::string tried;
            for (const auto& pattern : rule.dates) {
              auto parsed = ParseDateAs(text, pattern);
              if (parsed) {
                d = *parsed;
                break;
              }
              tried += (tried.empty() ? "" : " or ") + pattern;
            }
            if (!d) {
              return issue(label + " must be a date like " + tried + "; got \"" +
                           std::string(text) + "\"");
            }
            row.Set(f, d->ToString());
            break;
          }
          case Conv::kStage:
          case Conv::kType: {
            std::optional<std::string> canonical;
            auto it = rule.values.empty() ? rule.values.end() : rule.values.find(Folded(text));
            if (it != rule.values.end()) {
              canonical = it->second;
            } else if (rule.conv == Conv::kStage) {
              if (auto s = StageFromLabel(text)) canonical = std::string(ToString(*s));
              if (!canonical && ParseEnum<OpportunityStage>(text)) canonical = std::string(text);
            } else {
              if (auto t = TypeFromLabel(text)) canonical = std::string(ToString(*t));
              if (!canonical && ParseEnum<OpportunityType>(text)) canonical = std::string(text);
            }
            if (!canonical) {
              std::string fallback = rule.conv == Conv::kStage ? "prospecting" : "new_business";
              if (rule.strict) {
                return issue(label + " \"" + std::string(text) +
                             "\" is not a known value and the mapping does not translate it");
              }
              im.Warn(label + " \"" + std::string(text) + "\" is not a standard value: kept as " +
                      fallback);
              canonical = fallback;
            }
            row.Set(f, std::move(*canonical));
            break;
          }
        }
        break;
      }
    }
  }
  return std::nullopt;
}

// The columns of a file by field, for the rejected rows' report.
SourceColumns ColumnsOf(const std::vector<const Rule*>& rules,
                        const std::vector<std::string>& names) {
  SourceColumns out;
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule* r = rules[i];
    if (!r ||
        (r->target != Target::kValue && r->target != Target::kLink && r->target != Target::kKey)) {
      continue;
    }
    Field f = r->target == Target::kKey ? Field::kKey : r->field;
    auto& slot = out[static_cast<size_t>(f)];
    if (slot.number == 0) slot = SourceColumn{static_cast<int64_t>(i + 1), names[i]};
  }
  return out;
}

// ---- reading a CSV file -----------------------------------------------------------------------

// What a source makes of a file's header: one rule per column (null: not imported), and a step
// run on each row after its cells (derived values).
struct FileRules {
  std::vector<const Rule*> by_column;
  std::function<void(Importer&, ImportRow&, const Extras&)> finish;
};

Status ReadCsvFile(
    Importer& im, const std::string& path, ImportObject object, std::optional<char> delimiter,
    const std::function<Result<FileRules>(const std::vector<std::string>&)>& rules_for) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  std::error_code ec;
  int64_t total = static_cast<int64_t>(fs::file_size(path, ec));
  CsvOptions options;
  options.delimiter = delimiter;
  CsvReader reader(in, options);
  CsvRecord record;
  CsvProblem problem;
  std::optional<FileRules> rules;
  std::vector<std::string> header;
  std::vector<Cell> cells;
  Extras extras;
  while (true) {
    ORCHARD_TRY(auto status, reader.Next(&record, &problem));
    if (status == CsvReader::Status::kEnd) break;
    if (!rules) {
      if (status == CsvReader::Status::kProblem) {
        return Fail(ErrorCode::kInvalidArgument,
                    path + ": the header cannot be read (line " + std::to_string(problem.line) +
                        ", column " + std::to_string(problem.column) + "): " + problem.reason);
      }
      header = record.fields;
      for (size_t i = 0; i < header.size(); ++i) {
        if (auto bad = FirstInvalidUtf8(header[i])) {
          return Fail(ErrorCode::kInvalidArgument, path + ": column " + std::to_string(i + 1) +
                                                       " of the header is not valid UTF-8 (byte " +
                                                       std::to_string(*bad + 1) + ")");
        }
      }
      ORCHARD_TRY(auto made, rules_for(header));
      made.by_column.resize(header.size(), nullptr);
      ORCHARD_CHECK(im.BeginFile(path, object, ColumnsOf(made.by_column, header)));
      rules = std::move(made);
      continue;
    }
    if (status == CsvReader::Status::kProblem) {
      size_t col = static_cast<size_t>(problem.column);
      im.Reject(problem.line, problem.column,
                col >= 1 && col <= header.size() ? header[col - 1] : "", problem.reason);
      continue;
    }
    if (record.fields.size() > header.size()) {
      im.Reject(record.line, static_cast<int64_t>(header.size() + 1), "",
                "the row has " + std::to_string(record.fields.size()) + " fields and the header " +
                    std::to_string(header.size()));
      continue;
    }
    cells.clear();
    extras.clear();
    for (size_t i = 0; i < record.fields.size(); ++i) {
      cells.push_back(
          Cell{rules->by_column[i], &record.fields[i], static_cast<int64_t>(i + 1), header[i]});
    }
    ImportRow row;
    row.line = record.line;
    if (auto issue = Fill(im, cells, row, extras)) {
      im.Reject(record.line, issue->column, issue->name, issue->reason);
      continue;
    }
    if (rules->finish) rules->finish(im, row, extras);
    im.SetBytes(reader.bytes_read(), total);
    ORCHARD_CHECK(im.Add(std::move(row)));
  }
  if (!rules) {
    return Fail(ErrorCode::kInvalidArgument, path + " is empty: a CSV file needs a header row");
  }
  im.SetBytes(total, total);
  return im.EndFile();
}

// ---- Salesforce -------------------------------------------------------------------------------

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
    auto& contact = t[static_cast<size_t>(SfObject::kContact)];
    contact["id"] = Key(K::kSalesforce);
    contact["accountid"] = Link(Field::kAccount, K::kSalesforce);
    contact["firstname"] = Value(Field::kFirstName);
    contact["lastname"] = Value(Field::kLastName);
    contact["email"] = Value(Field::kEmail);
    contact["title"] = Value(Field::kTitle);
    contact["reportstoid"] = Link(Field::kReportsTo, K::kSalesforce);
    contact["owner.email"] = Value(Field::kOwner);
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

// ---- HubSpot ----------------------------------------------------------------------------------

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

// ---- any CSV ----------------------------------------------------------------------------------

Result<Rule> RuleOfTarget(ImportObject object, const CsvColumnMap& m) {
  const std::string& t = m.target;
  auto system_of = [](std::string_view s) -> std::optional<KeySystem> {
    if (s == "salesforce_id") return KeySystem::kSalesforce;
    if (s == "hubspot_id") return KeySystem::kHubspot;
    if (s == "name") return KeySystem::kName;
    return std::nullopt;
  };
  if (t == "salesforce_id" || t == "hubspot_id") {
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
  for (const auto& [from, to] : m.values) r.values[Folded(from)] = to;
  // A mapping that translates a picklist means it: a value it does not name is an error.
  r.strict = !m.values.empty();
  return r;
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
      } else if (lower.ends_with(".csv")) {
        csvs.push_back(entry.path().string());
      }
    }
    if (plans.size() > 1) {
      return Fail(ErrorCode::kInvalidArgument, path + " holds " + std::to_string(plans.size()) +
                                                   " data-tree plans; name the one to import");
    }
    if (plans.size() == 1) return ImportTreePlan(importer, plans[0]);
    if (csvs.empty()) {
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
  ORCHARD_TRY(SfObject o, SfObjectOfCsv(path, ReadHeader(path)));
  return ImportSfCsv(importer, path, o);
}

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
    return Fail(ErrorCode::kInvalidArgument, "the mapping has an unknown key \"" +
                                                 std::string(kv.key()) +
                                                 "\"; it takes columns, delimiter and object");
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
    if (!m.values.empty() && rule->conv != Conv::kEnum && rule->conv != Conv::kStage &&
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

namespace orchard::ingest {

namespace {

// The request's object and mapping, checked: an error names the option that is wrong.
struct Checked {
  std::optional<ImportObject> object;
  std::optional<CsvMap> map;
};

Result<Checked> Check(const ImportRequest& request) {
  Checked c;
  if (request.source == "hubspot") {
    std::string o = request.object.value_or("");
    if (o == "companies") c.object = ImportObject::kAccounts;
    if (o == "contacts") c.object = ImportObject::kContacts;
    if (o == "deals") c.object = ImportObject::kOpportunities;
    if (!c.object) {
      return FailField("object", "HubSpot imports companies, contacts or deals; got \"" + o + "\"");
    }
  } else if (request.source == "csv") {
    if (!request.object) {
      return FailField("object",
                       "name what the file holds: accounts, contacts, opportunities or "
                       "contract_lines");
    }
    auto object = ParseObject(*request.object);
    if (!object) return FailField("object", object.error().message);
    c.object = *object;
    if (!request.map_json) {
      return FailField("map", "a CSV import needs a mapping file naming its columns");
    }
    auto map = ParseCsvMap(*request.map_json, *c.object);
    if (!map) return FailField("map", map.error().message);
    c.map = std::move(*map);
  } else if (request.source != "salesforce") {
    return FailField("source", "salesforce, hubspot or csv; got \"" + request.source + "\"");
  }
  return c;
}

}  // namespace

Status CheckImportRequest(const ImportRequest& request) {
  ORCHARD_CHECK(Check(request));
  return Ok();
}

Result<ImportSummary> RunImport(store::Database& db, const Clock& clock,
                                const ImportRequest& request, ImportOptions options) {
  options.source = request.source;
  ORCHARD_TRY(Checked checked, Check(request));
  std::optional<ImportObject> object = checked.object;
  std::optional<CsvMap> map = std::move(checked.map);
  ORCHARD_TRY(auto importer, Importer::Start(db, clock, std::move(options)));
  if (request.source == "salesforce") {
    ORCHARD_CHECK(ImportSalesforce(*importer, request.path));
  } else if (request.source == "hubspot") {
    ORCHARD_CHECK(ImportHubspot(*importer, *object, request.path, request.date_format));
  } else {
    ORCHARD_CHECK(ImportMappedCsv(*importer, *object, request.path, *map));
  }
  return importer->Finish();
}

}  // namespace orchard::ingest
