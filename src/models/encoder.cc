#include "models/encoder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

namespace orchard::models {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<float> ParseNumberCell(std::string_view cell) {
  cell = Trim(cell);
  if (cell.empty()) return std::numeric_limits<float>::quiet_NaN();
  float value = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

Result<size_t> TextTable::Column(const std::string& name, const std::string& source) const {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return FailField(name, source + " has no column '" + name + "'");
  return static_cast<size_t>(it - header.begin());
}

Result<OneHotEncoder> OneHotEncoder::Fit(const TextTable& table, std::vector<ColumnSpec> columns) {
  OneHotEncoder encoder;
  for (auto& spec : columns) {
    ORCHARD_TRY(size_t index, table.Column(spec.name, "the table"));
    Encoded encoded{std::move(spec), {}};
    if (encoded.spec.kind == ColumnKind::kNumeric) {
      encoder.feature_names_.push_back(encoded.spec.name);
    } else {
      std::set<std::string> levels;
      for (const auto& row : table.rows)
        if (index < row.size()) levels.insert(std::string(Trim(row[index])));
      encoded.levels.assign(levels.begin(), levels.end());
      for (const auto& level : encoded.levels)
        encoder.feature_names_.push_back(encoded.spec.name + "=" + level);
    }
    encoder.columns_.push_back(std::move(encoded));
  }
  return encoder;
}

Result<Dataset> OneHotEncoder::Transform(const TextTable& table) const {
  std::vector<size_t> indices;
  for (const auto& column : columns_) {
    ORCHARD_TRY(size_t index, table.Column(column.spec.name, "the table"));
    indices.push_back(index);
  }
  Dataset out;
  out.feature_names = feature_names_;
  out.values.reserve(table.rows.size() * feature_names_.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    for (size_t c = 0; c < columns_.size(); ++c) {
      const auto& column = columns_[c];
      const std::string_view cell = indices[c] < row.size() ? Trim(row[indices[c]]) : "";
      if (column.spec.kind == ColumnKind::kNumeric) {
        auto value = ParseNumberCell(cell);
        if (!value)
          return FailField(column.spec.name, "record " + std::to_string(r + 1) + ": '" +
                                                 std::string(cell) + "' is not a number");
        out.values.push_back(*value);
        continue;
      }
      for (const auto& level : column.levels) out.values.push_back(cell == level ? 1.0f : 0.0f);
    }
  }
  return out;
}

}  // namespace orchard::models
