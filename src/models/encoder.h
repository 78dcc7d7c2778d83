// OneHotEncoder: text columns (as a CSV file holds them) into a Dataset's float features. A numeric
// column passes through (blank → NaN, a missing value the learners handle); a categorical column
// becomes one 0/1 feature per level seen when fitting, named "Column=level", in sorted order so the
// features do not depend on row order. A level not seen when fitting encodes as all zeros.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "models/dataset.h"

namespace orchard::models {

// A CSV file's cells, as text: the header and the records.
struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // The column's index, or an InvalidArgument error naming the missing column and `source`.
  Result<size_t> Column(const std::string& name, const std::string& source) const;
};

enum class ColumnKind { kNumeric, kCategorical };

struct ColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::kNumeric;
};

class OneHotEncoder {
 public:
  // Learns each categorical column's levels. Every column named must be in the table.
  static Result<OneHotEncoder> Fit(const TextTable& table, std::vector<ColumnSpec> columns);

  // The features of every row (no labels). A numeric cell that is neither blank nor a number is
  // an InvalidArgument error naming the column and the record.
  Result<Dataset> Transform(const TextTable& table) const;

  const std::vector<std::string>& feature_names() const { return feature_names_; }

 private:
  struct Encoded {
    ColumnSpec spec;
    std::vector<std::string> levels;  // categorical only, sorted
  };
  std::vector<Encoded> columns_;
  std::vector<std::string> feature_names_;
};

// A number as a CSV cell writes it (surrounding spaces allowed); blank is NaN; else none.
std::optional<float> ParseNumberCell(std::string_view cell);

}  // namespace orchard::models
