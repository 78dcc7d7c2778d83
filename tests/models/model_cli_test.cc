// `orchard model eval churn --telco DIR` through the real binary, as a user runs it: both learners'
// AUC on the same folds, the chosen learner's quality, the JSON form, and clear errors for a
// malformed file and for the models not built yet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/process.h"

namespace orchard {
namespace {

using ::testing::HasSubstr;
using testing::RunOrchard;
using testing::TempDir;

std::string TelcoDir() { return std::string(ORCHARD_SOURCE_DIR) + "/../shared/data/telco-churn"; }

// One run for the table and one for JSON: each cross-validates four learners five times (the
// chosen one with 4 inner folds inside each).
TEST(ModelCli, TelcoEvaluationPrintsBothLearnersAndTheChosenOne) {
  auto r = RunOrchard({"model", "eval", "churn", "--telco", TelcoDir(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = boost::json::parse(r.out).as_object();
  EXPECT_EQ(doc.at("rows").as_int64(), 7043);
  EXPECT_EQ(doc.at("positives").as_int64(), 1869);
  EXPECT_EQ(doc.at("folds").as_int64(), 5);
  std::map<std::string, double> auc;
  const boost::json::object* chosen = nullptr;
  for (const auto& value : doc.at("learners").as_array()) {
    const auto& learner = value.as_object();
    const std::string name(learner.at("name").as_string());
    ASSERT_EQ(learner.at("fold_auc").as_array().size(), 5u) << name;
    auc[name] = learner.at("mean_auc").as_double();
    EXPECT_GT(learner.at("brier").as_double(), 0.0) << name;
    EXPECT_LT(learner.at("brier").as_double(), 0.25) << name;  // better than a coin
    if (learner.at("chosen").as_bool()) chosen = &learner;
  }
  ASSERT_TRUE(auc.contains("logistic regression"));
  ASSERT_TRUE(auc.contains("XGBoost defaults"));
  ASSERT_TRUE(auc.contains("boosted trees (depth 3, eta 0.1, 100 rounds)"));
  ASSERT_NE(chosen, nullptr);
  // Quality (docs/MODELS.md): the chosen learner measured 0.8504 on these folds, logistic
  // regression 0.8452, XGBoost's defaults 0.8253, depth-3 trees at eta 0.1 0.8474. Issue 20's
  // target of 0.855 is not reached.
  const double chosen_auc = chosen->at("mean_auc").as_double();
  EXPECT_GE(chosen_auc, 0.845);
  EXPECT_GE(chosen_auc, auc["logistic regression"]);
  EXPECT_GE(chosen_auc, auc["XGBoost defaults"]);
  EXPECT_GE(chosen_auc, auc["boosted trees (depth 3, eta 0.1, 100 rounds)"]);
  EXPECT_LT(chosen->at("ece").as_double(), 0.03);
  EXPECT_GE(doc.at("reliability").as_array().size(), 8u);
  // λ and the trees' weight, chosen on each outer fold's training rows.
  const auto& tuned = doc.at("tuned").as_array();
  ASSERT_EQ(tuned.size(), 5u);
  for (const auto& t : tuned) {
    EXPECT_GT(t.at("l2").as_double(), 0.0);
    EXPECT_GE(t.at("tree_weight").as_double(), 0.0);
    EXPECT_LE(t.at("tree_weight").as_double(), 1.0);
  }
  // The highest risks come with their drivers.
  const auto& examples = doc.at("examples").as_array();
  ASSERT_EQ(examples.size(), 3u);
  for (const auto& example : examples) {
    EXPECT_GT(example.at("probability").as_double(), 0.5);
    EXPECT_EQ(example.at("drivers").as_array().size(), 3u);
  }
}

TEST(ModelCli, TelcoTableHasTheFoldsAndTheReliabilityCurve) {
  auto r = RunOrchard({"model", "eval", "churn", "--telco", TelcoDir(), "--seed", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("7,043 customers, 1,869 churned (26.5 %); 5 stratified folds, seed 3"));
  EXPECT_THAT(r.out, HasSubstr("logistic regression"));
  EXPECT_THAT(r.out, HasSubstr("XGBoost defaults"));
  EXPECT_THAT(r.out, HasSubstr("boosted trees (depth 3, eta 0.1, 100 rounds)"));
  EXPECT_THAT(r.out, HasSubstr("fold 5"));
  EXPECT_THAT(r.out, HasSubstr("Chosen on each fold's training rows"));
  EXPECT_THAT(r.out, HasSubstr("Reliability of Orchard churn"));
  EXPECT_THAT(r.out, HasSubstr("top drivers"));
}

TEST(ModelCli, AMalformedTelcoFileNamesTheMissingColumn) {
  TempDir dir;
  std::ofstream(dir.path() + "/WA_Fn-UseC_-Telco-Customer-Churn.csv")
      << "customerID,gender,SeniorCitizen,tenure,MonthlyCharges,TotalCharges\n"
      << "1-A,Female,0,1,29.85,29.85\n";
  auto r = RunOrchard({"model", "eval", "churn", "--telco", dir.path()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("no column 'Partner'"));

  r = RunOrchard({"model", "eval", "churn", "--telco", dir.path() + "/nowhere"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("cannot open"));
}

// The book-trained models (predict/): bad arguments are named; a book without a stored model
// says how to train one.
TEST(ModelCli, BookModelsNameBadArguments) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.path() + "/book.db";
  auto r = RunOrchard({"model", "eval", "churn", "--db", "sqlite:" + dir.path() + "/none.db"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("no database at"));
  auto seeded = RunOrchard({"seed", "--db", url, "--accounts", "20", "--seed", "3"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  r = RunOrchard({"model", "train", "churny", "--db", url});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("churny not in {sentiment,churn,upsell}"));
  r = RunOrchard({"model", "eval", "upsell", "--db", url, "--format", "xml"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("xml not in {table,json}"));
  r = RunOrchard({"model", "show", "churn", "--db", url});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("not trained yet: run `orchard model train churn"));
  r = RunOrchard({"model", "train", "churn", "--db", url});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.out + r.err, HasSubstr("50 are needed"));
  r = RunOrchard({"model", "train", "upsell", "--db", url, "--telco", dir.path()});
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace orchard
