// The models' scoring of every account and the features of a past day, over a seeded book on each
// backend: the trees as Refresh walks them (complete, 64 rows at a time, features by column) give
// XGBoost's own margins — a missing value (NaN) at any feature following each split's default way
// — and the same margin for a row alone as in a block; a plan written after a past day (its
// parts, its review, its version) leaves that day's features as they were; the plan of a past day
// is its version in force then; and no account has a plan on a day before its ARR first reached
// tier 2 (a plan tied to today's tier would tell a past day which accounts would grow or shrink).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/read_model.h"
#include "ingest/seed.h"
#include "models/churn_model.h"
#include "predict/examples.h"
#include "predict/features.h"
#include "predict/model_store.h"
#include "predict/predictor.h"
#include "predict/seeded_book.h"
#include "store/migrate.h"
#include "support/test_database.h"

namespace orchard {
namespace {

using testing::Backend;

const Date kToday = kPredictToday;

class PredictFutureTest : public SeededBookTest {};

// Each row again with one feature missing in turn: every split on it then takes its default way,
// left or right as XGBoost learned it. The margins of all those rows at once (blocks of 64, the
// last one short) and of each row alone are XGBoost's to 1e-4.
TEST_P(PredictFutureTest, TheWalkedTreesGiveXgboostsMarginsWithMissingValues) {
  SetUpBook(300);
  if (HasFatalFailure() || IsSkipped()) return;
  for (auto kind : {predict::ModelKind::kChurn, predict::ModelKind::kUpsell}) {
    auto ex = predict::BuildExamples(kind, *model_, settings_, kToday);
    ASSERT_GT(ex.data.rows(), 10u);
    auto fitted = models::ChurnModel::Fit(ex.data, 3, 1, {.l2 = 3, .tree_weight = 0.4});
    ASSERT_TRUE(fitted) << fitted.error().message;
    auto json = fitted->trees().Save();
    ASSERT_TRUE(json) << json.error().message;
    auto flat = predict::FlatTrees::FromXgboostJson(*json, ex.data.cols());
    ASSERT_TRUE(flat) << flat.error().message;

    models::Dataset probe;
    probe.feature_names = ex.data.feature_names;
    const size_t cols = ex.data.cols();
    for (size_t i = 0; i < std::min<size_t>(ex.data.rows(), 40); ++i) {
      for (size_t j = 0; j <= cols; ++j) {  // j == cols: the row as it is
        auto row = ex.data.Row(i);
        probe.values.insert(probe.values.end(), row.begin(), row.end());
        if (j < cols) probe.values[probe.values.size() - cols + j] = std::nanf("");
      }
    }
    ASSERT_NE(probe.rows() % 64, 0u);  // a short last block too
    auto xgb = fitted->trees().PredictMargin(probe);
    ASSERT_TRUE(xgb) << xgb.error().message;
    std::vector<double> all(probe.rows());
    flat->Margins(probe.values.data(), probe.rows(), cols, all.data());
    size_t differs_from_whole = 0;
    for (size_t r = 0; r < probe.rows(); ++r) {
      EXPECT_NEAR(all[r], (*xgb)[r], 1e-4) << predict::ToString(kind) << " row " << r;
      EXPECT_NEAR(flat->Margin(probe.Row(r)), (*xgb)[r], 1e-4) << r;
      const size_t whole = r - r % (cols + 1) + cols;
      differs_from_whole += std::abs((*xgb)[r] - (*xgb)[whole]) > 1e-6;
    }
    EXPECT_GT(differs_from_whole, 0u);  // the missing values did take other ways
  }
}

// A plan written after a past day — a new plan with priorities, a review, an owned risk, an
// action — leaves that day's features as they were.
TEST_P(PredictFutureTest, APlanWrittenAfterAPastDayChangesNothingInItsFeatures) {
  SetUpBook(300);
  if (HasFatalFailure() || IsSkipped()) return;
  const int32_t past = kToday.days() - 200;
  auto lock = model_->ReadLock();
  engine::DayColumns columns;
  model_->BuildColumnsOn(past, settings_, columns);
  size_t slot = model_->slots();
  for (size_t s = 0; s < model_->slots(); ++s) {
    if (columns.arr_cents[s] <= 0) continue;
    if (slot == model_->slots()) slot = s;
    if (model_->plan(s).empty()) {  // an account with no plan today: best shows a leak
      slot = s;
      break;
    }
  }
  ASSERT_LT(slot, model_->slots());
  std::vector<float> before(predict::Features().size()), after(before.size());
  predict::FeatureRow(*model_, columns, slot, settings_, before);
  lock.unlock();

  const Timestamp later = Timestamp::At(Date::FromDays(past + 30), 9);
  AccountPlan plan;
  plan.id = PlanId(999'999'001);
  plan.account_id = AccountId(model_->account_id(slot));
  plan.summary = "written after the day";
  plan.last_reviewed_at = later;
  plan.updated_at = later;
  model_->Upsert(plan);
  PlanPriority priority;
  priority.id = PriorityId(999'999'002);
  priority.plan_id = plan.id;
  priority.text = "fewer outages";
  model_->Upsert(priority);
  PlanRisk risk;
  risk.id = RiskId(999'999'003);
  risk.plan_id = plan.id;
  risk.description = "budget cut";
  risk.mitigation_owner_id = UserId(1);
  model_->Upsert(risk);
  PlanAction action;
  action.id = ActionId(999'999'004);
  action.plan_id = plan.id;
  action.description = "exec sponsor call";
  action.owner_id = UserId(1);
  action.due_on = Date::FromDays(past + 60);
  model_->Upsert(action);
  PlanVersion version;
  version.id = PlanVersionId(999'999'005);
  version.plan_id = plan.id;
  version.version = 1;
  version.changed_at = later;
  version.snapshot_json = R"({"priorities":1,"risks":1,"whitespace_cells":1,"open_actions":1})";
  model_->Upsert(version);

  lock = model_->ReadLock();
  ASSERT_FALSE(model_->plan_versions(slot).empty()) << "the version reached the model";
  model_->BuildColumnsOn(past, settings_, columns);
  predict::FeatureRow(*model_, columns, slot, settings_, after);
  for (size_t j = 0; j < before.size(); ++j) {
    if (std::isnan(before[j])) {
      EXPECT_TRUE(std::isnan(after[j])) << predict::Features()[j].key;
    } else {
      EXPECT_EQ(before[j], after[j]) << predict::Features()[j].key;
    }
  }
}

// The index of a feature by its key.
size_t FeatureIndex(std::string_view key) {
  for (size_t j = 0; j < predict::Features().size(); ++j) {
    if (predict::Features()[j].key == key) return j;
  }
  ADD_FAILURE() << "no feature " << key;
  return 0;
}

TEST_P(PredictFutureTest, ThePlanOfAPastDayIsItsVersionInForceThen) {
  SetUpBook(300);
  if (HasFatalFailure() || IsSkipped()) return;
  const size_t parts = FeatureIndex("plan_parts"), since = FeatureIndex("days_since_plan_change");
  auto lock = model_->ReadLock();
  int checked = 0;
  engine::DayColumns columns;
  std::vector<float> row(predict::Features().size());
  for (size_t s = 0; s < model_->slots() && checked < 20; ++s) {
    auto versions = model_->plan_versions(s);
    if (versions.size() < 3) continue;
    // The day before the second version: the first is in force, a day old or more.
    const engine::PlanVersionRec& first = versions[0];
    const int32_t day = versions[1].day - 1;
    if (day < first.day) continue;
    model_->BuildColumnsOn(day, settings_, columns);
    if (columns.arr_cents[s] <= 0) continue;
    predict::FeatureRow(*model_, columns, s, settings_, row);
    EXPECT_EQ(row[parts], static_cast<float>(std::popcount(first.parts))) << "slot " << s;
    EXPECT_EQ(row[since], static_cast<float>(day - first.day)) << "slot " << s;
    // The day before the plan's first version: no plan yet.
    model_->BuildColumnsOn(first.day - 1, settings_, columns);
    if (columns.arr_cents[s] > 0) {
      predict::FeatureRow(*model_, columns, s, settings_, row);
      EXPECT_TRUE(std::isnan(row[parts]) && std::isnan(row[since])) << "slot " << s;
    }
    ++checked;
  }
  EXPECT_GT(checked, 5) << "seeded plans with a history to read";
}

TEST_P(PredictFutureTest, NoAccountHasAPlanBeforeItsArrFirstReachedTierTwo) {
  SetUpBook(400);
  if (HasFatalFailure() || IsSkipped()) return;
  const size_t parts = FeatureIndex("plan_parts");
  const int64_t tier2 = settings_.tiers.tier2_min_arr.cents();
  auto lock = model_->ReadLock();
  engine::DayColumns columns;
  std::vector<float> row(predict::Features().size());
  int with_plan = 0, lost_with_plan = 0;
  for (int k = 24; k >= 1; --k) {
    const int32_t day = kToday.days() - k * predict::kGridStep;
    model_->BuildColumnsOn(day, settings_, columns);
    for (size_t s = 0; s < model_->slots(); ++s) {
      if (!model_->live(s) || columns.arr_cents[s] <= 0 || model_->strategic(s)) continue;
      predict::FeatureRow(*model_, columns, s, settings_, row);
      if (std::isnan(row[parts])) continue;
      ++with_plan;
      lost_with_plan += model_->ArrCentsOn(s, kToday.days()) == 0;
      bool reached = false;
      for (int32_t d = day; d > day - 4 * 365 && !reached; d -= 7) {
        reached = model_->ArrCentsOn(s, d) >= tier2;
      }
      EXPECT_TRUE(reached) << "account " << model_->account_id(s) << " has a plan on day " << day
                           << " but its ARR had not reached tier 2";
    }
  }
  EXPECT_GT(with_plan, 100);
  EXPECT_GT(lost_with_plan, 0) << "lost customers kept the plans they had";
}

INSTANTIATE_TEST_SUITE_P(Backends, PredictFutureTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard
