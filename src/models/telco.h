// IBM's Telco Customer Churn sample (../shared/data/telco-churn, SOURCE.md there): 7,043 customers
// of a telephone company, 21 columns, 26.5 % churned. Orchard's churn learners are evaluated on
// it until a book has enough renewal history of its own (issue 20): tenure and Contract stand in
// for the renewal features.
//
// Read as: customerID kept as the row's id, not a feature; Churn Yes/No the label; SeniorCitizen,
// tenure, MonthlyCharges and TotalCharges numeric; the other 15 columns categorical (one-hot).
// TotalCharges is blank in 11 rows, all with tenure 0: customers not billed yet, so their total is
// 0, not unknown.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "models/dataset.h"
#include "models/encoder.h"

namespace orchard::models {

inline constexpr const char* kTelcoFile = "WA_Fn-UseC_-Telco-Customer-Churn.csv";

// A CSV file's cells (RFC 4180 quoting; one record per line, as this file has). NotFound if the
// file cannot be opened; InvalidArgument naming the line for a record of the wrong width.
Result<TextTable> ReadCsvTable(const std::string& path);

struct TelcoData {
  Dataset raw;                   // the 19 columns as they are: numerics and one-hot categoricals
  Dataset engineered;            // the same, plus the churn features of AddChurnFeatures
  std::vector<std::string> ids;  // customerID per row (not a feature)
};

// Reads DIR/WA_Fn-UseC_-Telco-Customer-Churn.csv. A missing column is an InvalidArgument error
// naming it; so is a Churn cell other than Yes/No, or a number that is not one (with its record).
Result<TelcoData> LoadTelco(const std::string& dir);

// Features a renewal model reads better than the raw columns: log tenure, the monthly charge
// against the average month so far (a price rise), the count of add-on services, and tenure for
// month-to-month customers apart (they can leave any month; the others at the contract's end).
Result<Dataset> AddChurnFeatures(const Dataset& raw);

}  // namespace orchard::models
