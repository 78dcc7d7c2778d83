#include "ingest/source_rules.h"

#include <charconv>
#include <filesystem>
#include <fstream>

#include "ingest/csv.h"
#include "ingest/import_help.h"
#include "ingest/picklists.h"
#include "ingest/text.h"

namespace orchard::ingest::source {

namespace fs = std::filesystem;

namespace {

// Whether a cell's text is the whole of it: then it is moved into the row, not copied.
std::string Owned(std::string_view text, std::string& cell) {
  return text.size() == cell.size() ? std::move(cell) : std::string(text);
}

// A picklist value read by folding case, spaces and punctuation: kept, and said (counted by row).
void Guessed(Importer& im, Field f, std::string_view text, std::string_view value) {
  im.Warn(std::string(FieldName(f)) + " \"" + std::string(text) + "\" was read as " +
          std::string(value) + " (a guess: case, spaces and punctuation ignored)");
}

// Whether text is one of the field's values as Orchard names them.
bool ParseEnumOf(Field f, std::string_view text) {
  if (f == Field::kStrategic) return true;  // yes, no, 1, 0 … are read as they are
  auto names = PicklistValues(f);
  for (auto name : names) {
    if (name == text) return true;
  }
  return names.empty();  // not a picklist: nothing to guess
}

// A value cell's text (trimmed, not empty unless the rule keeps empties) into its field's
// canonical value; the reason when it is not a valid one. Called once per cell: kept beside Fill
// so that the compiler inlines it.
std::optional<std::string> FillValue(Importer& im, const Rule& rule, std::string_view text,
                                     std::string& cell, ImportRow& row) {
  Field f = rule.field;
  std::string label(FieldName(f));
  if (text.empty()) {
    if (rule.skip_empty) return std::nullopt;
    if (rule.conv == Conv::kText || f == Field::kEndDate || f == Field::kLostReason ||
        f == Field::kBuyingRole) {
      row.Set(f, "");
    }
    return std::nullopt;
  }
  switch (rule.conv) {
    case Conv::kText:
    case Conv::kEnum: {
      if (!rule.values.empty()) {
        if (auto it = rule.values.find(Folded(text)); it != rule.values.end()) {
          if (!rule.exact_values.contains(text)) Guessed(im, f, text, it->second);
          row.Set(f, it->second);
          break;
        }
      }
      if (rule.conv == Conv::kEnum && rule.values.empty() && !ParseEnumOf(f, text)) {
        if (auto guess = FoldedPicklistValue(f, text)) {
          Guessed(im, f, text, *guess);
          row.Set(f, std::string(*guess));
          break;
        }
      }
      row.Set(f, Owned(text, cell));
      break;
    }
    case Conv::kInt: {
      std::string digits;
      for (char ch : text) {
        if (ch != ',' && ch != ' ') digits.push_back(ch);
      }
      // "12345.0" (a number written by a JSON or spreadsheet export) is whole.
      if (auto dot = digits.find('.');
          dot != std::string::npos && digits.find_first_not_of('0', dot + 1) == std::string::npos) {
        digits.resize(dot);
      }
      int64_t v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        return label + " must be a whole number; got \"" + std::string(text) + "\"";
      }
      row.Set(f, std::to_string(v));
      break;
    }
    case Conv::kMoney: {
      auto m = ParseMoney(text, rule.money);
      if (!m) return m.error().message;
      if (!rule.unit_warning.empty()) {
        im.Warn(rule.unit_warning);
      } else if (!rule.magnitude_warning.empty() &&
                 (m->cents() >= kImplausibleCents || m->cents() <= -kImplausibleCents)) {
        im.Warn(rule.magnitude_warning);
      }
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
        return label + " must be a date like " + tried + "; got \"" + std::string(text) + "\"";
      }
      row.Set(f, d->ToString());
      break;
    }
    case Conv::kStage:
    case Conv::kType: {
      std::optional<std::string> canonical;
      auto it = rule.values.empty() ? rule.values.end() : rule.values.find(Folded(text));
      bool exact = true;
      if (it != rule.values.end()) {
        canonical = it->second;
        exact = rule.exact_values.contains(text);
      } else if (rule.conv == Conv::kStage) {
        if (auto s = StageFromLabel(text)) canonical = std::string(ToString(*s));
        if (!canonical && ParseEnum<OpportunityStage>(text)) canonical = std::string(text);
        exact = IsStandardStageLabel(text);
      } else {
        if (auto t = TypeFromLabel(text)) canonical = std::string(ToString(*t));
        if (!canonical && ParseEnum<OpportunityType>(text)) canonical = std::string(text);
        exact = IsStandardTypeLabel(text);
      }
      if (canonical && !exact) Guessed(im, f, text, *canonical);
      if (!canonical) {
        std::string fallback = rule.conv == Conv::kStage ? "prospecting" : "new_business";
        if (rule.strict) {
          return label + " \"" + std::string(text) +
                 "\" is not a known value and the mapping does not translate it";
        }
        im.Warn(label + " \"" + std::string(text) + "\" is not a standard value: kept as " +
                fallback);
        canonical = fallback;
      }
      row.Set(f, std::move(*canonical));
      break;
    }
  }
  return std::nullopt;
}

}  // namespace

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
    switch (rule.target) {
      case Target::kIgnore:
        break;
      case Target::kExtra:
        extras[rule.extra] = std::string(text);
        break;
      case Target::kKey:
        if (!text.empty()) row.key = Ref{rule.system, Owned(text, *c.text)};
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
      case Target::kValue:
        if (auto reason = FillValue(im, rule, text, *c.text, row)) return issue(std::move(*reason));
        break;
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

}  // namespace orchard::ingest::source
