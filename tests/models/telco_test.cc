// The Telco loader and encoder: the real file as SOURCE.md describes it, and malformed files that
// name what is wrong.
#include "models/telco.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace orchard::models {
namespace {

std::string TelcoDir() { return std::string(ORCHARD_SOURCE_DIR) + "/../shared/data/telco-churn"; }

size_t Feature(const Dataset& d, const std::string& name) {
  auto it = std::find(d.feature_names.begin(), d.feature_names.end(), name);
  EXPECT_NE(it, d.feature_names.end()) << name;
  return static_cast<size_t>(it - d.feature_names.begin());
}

TEST(ModelTelco, LoadsTheRealFile) {
  auto data = LoadTelco(TelcoDir());
  ASSERT_TRUE(data) << data.error().ToString();
  EXPECT_EQ(data->raw.rows(), 7043u);
  EXPECT_EQ(std::count(data->raw.labels.begin(), data->raw.labels.end(), 1), 1869);
  EXPECT_EQ(
      std::count(data->raw.feature_names.begin(), data->raw.feature_names.end(), "customerID"), 0);
  // The 11 blank totals (tenure 0) read as 0, so no value is missing.
  const size_t total = Feature(data->raw, "TotalCharges");
  const size_t tenure = Feature(data->raw, "tenure");
  int zero_totals = 0;
  for (size_t i = 0; i < data->raw.rows(); ++i) {
    EXPECT_FALSE(std::isnan(data->raw.At(i, total)));
    if (data->raw.At(i, total) == 0) {
      ++zero_totals;
      EXPECT_EQ(data->raw.At(i, tenure), 0);
    }
  }
  EXPECT_EQ(zero_totals, 11);
  Feature(data->raw, "Contract=Month-to-month");
  Feature(data->engineered, "month_to_month_log_tenure");
  EXPECT_EQ(data->engineered.rows(), 7043u);
}

class ModelTelcoFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("orchard_telco_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(dir_ / kTelcoFile) << text; }

  std::filesystem::path dir_;
};

TEST_F(ModelTelcoFile, AMissingColumnIsNamed) {
  // The real header without Contract.
  Write(
      "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,"
      "InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,"
      "StreamingMovies,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn\n");
  auto data = LoadTelco(dir_.string());
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().message.find("no column 'Contract'"), std::string::npos)
      << data.error().message;
}

TEST_F(ModelTelcoFile, ABadLabelOrNumberIsNamedWithItsRecord) {
  const std::string header =
      "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,"
      "InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,"
      "StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn\n";
  const std::string row =
      "1-A,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,"
      "Electronic check,29.85,29.85,";
  Write(header + row + "Yes\n" + row + "Maybe\n");
  auto data = LoadTelco(dir_.string());
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().message.find("record 2: 'Maybe'"), std::string::npos)
      << data.error().message;

  std::string bad = row;
  bad.replace(bad.find("29.85"), 5, "lots");
  Write(header + row + "Yes\n" + bad + "No\n");
  data = LoadTelco(dir_.string());
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().message.find("MonthlyCharges"), std::string::npos) << data.error().message;
  EXPECT_NE(data.error().message.find("'lots' is not a number"), std::string::npos);

  Write(header + row + "Yes\n" + "1-B,Female\n");
  data = LoadTelco(dir_.string());
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().message.find("line 3"), std::string::npos) << data.error().message;
}

TEST(ModelEncoder, LevelsSortedUnknownLevelsZeroBlankNumbersMissing) {
  TextTable table{{"plan", "seats"}, {{"pro", "3"}, {"basic", ""}, {"pro", " 7 "}}};
  auto encoder = OneHotEncoder::Fit(
      table, {{"plan", ColumnKind::kCategorical}, {"seats", ColumnKind::kNumeric}});
  ASSERT_TRUE(encoder);
  EXPECT_EQ(encoder->feature_names(),
            (std::vector<std::string>{"plan=basic", "plan=pro", "seats"}));
  auto data = encoder->Transform(table);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->values[0], 0.0f);
  EXPECT_EQ(data->values[1], 1.0f);
  EXPECT_EQ(data->values[2], 3.0f);
  EXPECT_TRUE(std::isnan(data->values[5]));
  EXPECT_EQ(data->values[8], 7.0f);

  TextTable unseen{{"plan", "seats"}, {{"enterprise", "1"}}};
  auto other = encoder->Transform(unseen);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->values, (std::vector<float>{0.0f, 0.0f, 1.0f}));
  TextTable missing{{"plan"}, {{"pro"}}};
  auto error = encoder->Transform(missing);
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("seats"), std::string::npos);
}

}  // namespace
}  // namespace orchard::models
