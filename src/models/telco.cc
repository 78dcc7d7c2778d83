#include "models/telco.h"

#include <cmath>
#include <fstream>

namespace orchard::models {

namespace {

// One CSV line into fields: commas split unless quoted; "" inside quotes is one quote.
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

const char* const kNumeric[] = {"SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"};
const char* const kCategorical[] = {
    "gender",          "Partner",         "Dependents",   "PhoneService",     "MultipleLines",
    "InternetService", "OnlineSecurity",  "OnlineBackup", "DeviceProtection", "TechSupport",
    "StreamingTV",     "StreamingMovies", "Contract",     "PaperlessBilling", "PaymentMethod"};
const char* const kAddOns[] = {"OnlineSecurity", "OnlineBackup", "DeviceProtection",
                               "TechSupport",    "StreamingTV",  "StreamingMovies"};

Result<size_t> FeatureIndex(const Dataset& data, const std::string& name) {
  for (size_t j = 0; j < data.cols(); ++j)
    if (data.feature_names[j] == name) return j;
  return Fail(ErrorCode::kInvalidArgument, "churn features: no feature '" + name + "'");
}

}  // namespace

Result<TextTable> ReadCsvTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot open " + path);
  TextTable table;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a UTF-8 BOM
    if (line.empty()) continue;
    auto fields = SplitCsvLine(line);
    if (table.header.empty()) {
      table.header = std::move(fields);
      continue;
    }
    if (fields.size() != table.header.size())
      return Fail(ErrorCode::kInvalidArgument,
                  path + " line " + std::to_string(number) + ": " + std::to_string(fields.size()) +
                      " fields, the header has " + std::to_string(table.header.size()));
    table.rows.push_back(std::move(fields));
  }
  if (table.header.empty()) return Fail(ErrorCode::kInvalidArgument, path + " is empty");
  return table;
}

Result<TelcoData> LoadTelco(const std::string& dir) {
  const std::string path = dir + "/" + kTelcoFile;
  ORCHARD_TRY(TextTable table, ReadCsvTable(path));
  std::vector<ColumnSpec> specs;
  for (const char* name : kNumeric) specs.push_back({name, ColumnKind::kNumeric});
  for (const char* name : kCategorical) specs.push_back({name, ColumnKind::kCategorical});
  for (const auto& spec : specs)
    if (auto found = table.Column(spec.name, path); !found) return std::unexpected(found.error());
  ORCHARD_TRY(size_t id, table.Column("customerID", path));
  ORCHARD_TRY(size_t churn, table.Column("Churn", path));
  ORCHARD_TRY(size_t total, table.Column("TotalCharges", path));
  ORCHARD_TRY(size_t tenure, table.Column("tenure", path));
  std::vector<int> labels;
  std::vector<std::string> ids;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    auto& row = table.rows[r];
    if (row[churn] != "Yes" && row[churn] != "No")
      return FailField("Churn", path + " record " + std::to_string(r + 1) + ": '" + row[churn] +
                                    "' is neither Yes nor No");
    labels.push_back(row[churn] == "Yes" ? 1 : 0);
    ids.push_back(row[id]);
    // Not billed yet: a blank total with tenure 0 is a total of 0.
    auto charges = ParseNumberCell(row[total]);
    auto months = ParseNumberCell(row[tenure]);
    if (charges && std::isnan(*charges) && months && *months == 0) row[total] = "0";
  }
  ORCHARD_TRY(OneHotEncoder encoder, OneHotEncoder::Fit(table, std::move(specs)));
  ORCHARD_TRY(Dataset raw, encoder.Transform(table));
  raw.labels = std::move(labels);
  ORCHARD_CHECK(raw.CheckBothClasses());
  ORCHARD_TRY(Dataset engineered, AddChurnFeatures(raw));
  return TelcoData{std::move(raw), std::move(engineered), std::move(ids)};
}

Result<Dataset> AddChurnFeatures(const Dataset& raw) {
  ORCHARD_TRY(size_t tenure, FeatureIndex(raw, "tenure"));
  ORCHARD_TRY(size_t monthly, FeatureIndex(raw, "MonthlyCharges"));
  ORCHARD_TRY(size_t total, FeatureIndex(raw, "TotalCharges"));
  ORCHARD_TRY(size_t monthly_contract, FeatureIndex(raw, "Contract=Month-to-month"));
  std::vector<size_t> add_ons;
  for (const char* name : kAddOns) {
    ORCHARD_TRY(size_t j, FeatureIndex(raw, std::string(name) + "=Yes"));
    add_ons.push_back(j);
  }
  Dataset out;
  out.feature_names = raw.feature_names;
  for (const char* name : {"log_tenure", "charge_rise", "add_on_services", "month_to_month_tenure",
                           "month_to_month_log_tenure"})
    out.feature_names.emplace_back(name);
  out.labels = raw.labels;
  out.values.reserve(raw.rows() * out.cols());
  for (size_t i = 0; i < raw.rows(); ++i) {
    auto row = raw.Row(i);
    out.values.insert(out.values.end(), row.begin(), row.end());
    const float months = row[tenure];
    const float log_tenure = std::log1p(std::max(0.0f, months));
    const float average = months > 0 ? row[total] / months : row[monthly];
    float services = 0;
    for (size_t j : add_ons) services += row[j];
    const float m2m = row[monthly_contract];
    out.values.push_back(log_tenure);
    out.values.push_back(row[monthly] - average);
    out.values.push_back(services);
    out.values.push_back(m2m * months);
    out.values.push_back(m2m * log_tenure);
  }
  return out;
}

}  // namespace orchard::models
