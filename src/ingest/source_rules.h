// What the sources share (internal to ingest/): a column's rule — which field, key or link it
// fills and how its text becomes canonical — the one loop that fills an ImportRow from a
// record's cells, and the one reader of a CSV file that every CSV source runs its rules through.
// Each source (salesforce.cc, hubspot.cc, mapped_csv.cc) only says which rule each column gets.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ingest/formats.h"
#include "ingest/import.h"

namespace orchard::ingest::source {

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
  std::map<std::string, std::string> values;        // picklist translations, by folded value
  std::set<std::string, std::less<>> exact_values;  // their keys as the mapping spells them
  bool strict = false;      // an unknown picklist value rejects the row (else kept, reported)
  bool skip_empty = false;  // an empty cell leaves the field as it was
  std::string extra;        // kExtra: the name a source's own step reads it by
  // kMoney, mapped columns: a unit that looks 100x off (see mapped_csv.cc). unit_warning is said
  // of every row with a value (the column's name says cents, the format does not);
  // magnitude_warning of a row whose amount is kImplausibleCents or more.
  std::string unit_warning, magnitude_warning;
};

// One deal or contract line of ten million or more (in the currency): most likely cents read as
// whole units.
inline constexpr int64_t kImplausibleCents = int64_t{10'000'000} * 100;

inline Rule Value(Field f, Conv conv = Conv::kText) {
  Rule r;
  r.target = Target::kValue;
  r.field = f;
  r.conv = conv;
  if (f == Field::kOwner) r.skip_empty = true;
  return r;
}
inline Rule Key(KeySystem system) {
  Rule r;
  r.target = Target::kKey;
  r.system = system;
  return r;
}
inline Rule Link(Field f, KeySystem system) {
  Rule r;
  r.target = Target::kLink;
  r.field = f;
  r.system = system;
  return r;
}
inline Rule Extra(std::string name) {
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

// A bad value: its column and why.
struct CellIssue {
  int64_t column = 0;
  std::string name;
  std::string reason;
};

// One record's cells into row (and extras): each value in its field's canonical text, the key
// and the links as references; on a bad value, the issue and its column. Warnings (a value kept
// as the default, a second associated record) go to im.
std::optional<CellIssue> Fill(Importer& im, const std::vector<Cell>& cells, ImportRow& row,
                              Extras& extras);

// The columns of a file by field, for the rejected rows' report.
SourceColumns ColumnsOf(const std::vector<const Rule*>& rules,
                        const std::vector<std::string>& names);

// What a source makes of a file's header: one rule per column (null: not imported), and a step
// run on each row after its cells (derived values).
struct FileRules {
  std::vector<const Rule*> by_column;
  std::function<void(Importer&, ImportRow&, const Extras&)> finish;
};

// Reads a CSV file into im as `object`s: the header through rules_for (which may refuse it),
// then every record through Fill and the rules' finish step. A record that cannot be read, or
// has more fields than the header, is a rejected row.
Status ReadCsvFile(
    Importer& im, const std::string& path, ImportObject object, std::optional<char> delimiter,
    const std::function<Result<FileRules>(const std::vector<std::string>&)>& rules_for);

}  // namespace orchard::ingest::source
