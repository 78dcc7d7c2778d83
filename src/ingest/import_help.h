// What a mapping may say, for checking it before any row is read and for `orchard import csv
// --help`: the picklist values each field takes, the one value a folded spelling stands for, and
// the help text listing every field of every object.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ingest/import.h"

namespace orchard::ingest {

// The values a picklist field takes (Orchard's names); empty for a field that is not one.
std::vector<std::string_view> PicklistValues(Field field);

// The value of `field` that `text` names once case, spaces and punctuation are ignored
// ("At Risk" → at_risk), if exactly one does.
std::optional<std::string_view> FoldedPicklistValue(Field field, std::string_view text);

// A values table's right-hand sides checked against the field's values: one error naming every
// wrong target and the values allowed.
Status CheckPicklistTargets(Field field, const std::map<std::string, std::string>& values);

// The footer of `orchard import csv --help`: every field of every object, the keys and links,
// the picklist values, the money formats, and the products file's columns.
std::string CsvImportHelp();

}  // namespace orchard::ingest
