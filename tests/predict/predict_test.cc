// The models trained on the book's own history (issue 20, items 2–3) over a seeded book on each
// backend: trained, their backtest's AUC above chance (the seed's story makes them learnable),
// no example whose outcome came after the cutoff in training, too few events refused with the
// count and nothing stored, a stored model predicting as it did before it was stored, drivers in
// words with the actionable first, and a model of another feature list refused ("retrain").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
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
using ::testing::HasSubstr;

const Date kToday = kPredictToday;

class PredictTest : public SeededBookTest {
 protected:
  int64_t StoredModels() {
    auto n = db_->QueryInt("SELECT COUNT(*) FROM predictive_models");
    return n ? n->value_or(0) : -1;
  }
};

// 1,200 accounts hold a few hundred renewals with an outcome in the last two years (about one in
// six a churn or contraction) and thousands of upsell snapshots. The story puts a troubled path
// before 70 % of losses and 15 % of flat renewals, so the churn model's test AUC is near 0.85 on
// such books (docs/MODELS.md): 0.65 leaves room for a seed's luck yet fails a model that learned
// nothing (0.5) or a broken split.
TEST_P(PredictTest, TrainsBothModelsOnTheBooksHistory) {
  SetUpBook(1200);
  if (HasFatalFailure() || IsSkipped()) return;
  for (auto kind : {predict::ModelKind::kChurn, predict::ModelKind::kUpsell}) {
    auto report = predict::Train(kind, *db_, *model_, settings_, kToday, 1);
    ASSERT_TRUE(report) << report.error().message;
    std::printf("%s: %lld examples, %lld events, cutoff %s, AUC %.4f (LR %.4f, trees %.4f)\n",
                std::string(predict::ToString(kind)).c_str(),
                static_cast<long long>(report->examples), static_cast<long long>(report->events),
                report->cutoff.ToString().c_str(), report->auc, report->auc_logistic,
                report->auc_trees);
    ASSERT_TRUE(report->trained) << report->reason;
    EXPECT_GE(report->events, 50);
    EXPECT_GT(report->auc, 0.65);
    EXPECT_GT(report->test_examples, 0);
    EXPECT_FALSE(report->reliability.empty());
    EXPECT_EQ(report->version, 1);
    EXPECT_EQ(report->features, predict::FeatureKeys());
  }
  EXPECT_EQ(StoredModels(), 2);
  auto audited = db_->QueryInt(
      "SELECT COUNT(*) FROM audit_log WHERE entity = 'predictive_models' AND action = 'create'");
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->value_or(0), 2);

  auto predictor = predict::Predictor::Load(*db_);
  ASSERT_TRUE(predictor) << predictor.error().message;
  auto reports = (*predictor)->Reports();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[0].trained);
  EXPECT_EQ(reports[0].kind, predict::ModelKind::kChurn);
  EXPECT_TRUE(reports[1].trained);

  ASSERT_TRUE((*predictor)->Refresh(*model_, kToday, settings_));
  auto scores = (*predictor)->Latest();
  ASSERT_NE(scores, nullptr);
  int scored = 0;
  size_t some_slot = 0;
  for (size_t s = 0; s < scores->churn.size(); ++s) {
    if (std::isnan(scores->churn[s])) continue;
    ++scored;
    some_slot = s;
    EXPECT_FALSE(std::isnan(scores->upsell[s]));
    EXPECT_GE(scores->expected_expansion_cents[s], 0);
  }
  EXPECT_GT(scored, 1000);

  // One account: the same probability as the scan, with drivers in words, those raising the
  // churn risk first, the actionable ones first among them.
  AccountId account(model_->account_id(some_slot));
  auto p = (*predictor)->Predict(predict::ModelKind::kChurn, *model_, account, kToday, settings_);
  ASSERT_TRUE(p.available) << p.reason;
  EXPECT_NEAR(p.probability, scores->churn[some_slot], 1e-4);
  EXPECT_LE(p.drivers.size(), 5u);
  bool seen_against = false, seen_context = false;
  for (const auto& d : p.drivers) {
    EXPECT_FALSE(d.words.empty());
    EXPECT_THAT(d.words, ::testing::Not(HasSubstr("nan")));
    if (d.effect <= 0) {
      seen_against = true;
      continue;
    }
    EXPECT_FALSE(seen_against) << "a driver raising the risk after one lowering it";
    if (!d.actionable) seen_context = true;
    EXPECT_FALSE(d.actionable && seen_context) << d.feature << " after a context driver";
  }
}

// Every training example's outcome was known before the cutoff; every test example was
// snapshotted on or after it; the features of a day read nothing dated after it.
TEST_P(PredictTest, TheBacktestNeverTrainsOnTheFuture) {
  SetUpBook(300);
  if (HasFatalFailure() || IsSkipped()) return;
  for (auto kind : {predict::ModelKind::kChurn, predict::ModelKind::kUpsell}) {
    auto ex = predict::BuildExamples(kind, *model_, settings_, kToday);
    ASSERT_GT(ex.data.rows(), 0u);
    auto split = predict::SplitAtCutoff(ex);
    ASSERT_FALSE(split.train.empty());
    ASSERT_FALSE(split.test.empty());
    for (size_t i : split.train) EXPECT_LT(ex.outcome[i], split.cutoff);
    for (size_t i : split.test) EXPECT_GE(ex.snapshot[i], split.cutoff);
    for (size_t i = 0; i < ex.data.rows(); ++i) {
      EXPECT_LE(ex.outcome[i], kToday.days());
      EXPECT_LT(ex.snapshot[i], ex.outcome[i]);
    }
  }
  // A ticket opened after a past day changes nothing in that day's features.
  const int32_t past = kToday.days() - 200;
  auto lock = model_->ReadLock();
  engine::DayColumns columns;
  model_->BuildColumnsOn(past, settings_, columns);
  size_t slot = 0;
  while (slot < model_->slots() && columns.arr_cents[slot] <= 0) ++slot;
  ASSERT_LT(slot, model_->slots());
  std::vector<float> before(predict::Features().size()), after(before.size());
  predict::FeatureRow(*model_, columns, slot, settings_, before);
  lock.unlock();
  Ticket t;
  t.id = TicketId(999'999'999);
  t.account_id = AccountId(model_->account_id(slot));
  t.severity = TicketSeverity::kUrgent;
  t.escalated = true;
  t.opened_at = Timestamp::At(Date::FromDays(past + 1), 9);
  model_->Upsert(t);
  lock = model_->ReadLock();
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

TEST_P(PredictTest, FewerThanFiftyEventsIsNotTrainedAndStoresNothing) {
  SetUpBook(60);
  if (HasFatalFailure() || IsSkipped()) return;
  auto report = predict::Train(predict::ModelKind::kChurn, *db_, *model_, settings_, kToday);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->trained);
  EXPECT_THAT(report->reason,
              HasSubstr("the book's history holds " + std::to_string(report->events) + " churn"));
  EXPECT_THAT(report->reason, HasSubstr("50 are needed"));
  EXPECT_LT(report->events, 50);
  EXPECT_EQ(StoredModels(), 0);
  auto audited = db_->QueryInt("SELECT COUNT(*) FROM audit_log WHERE entity = 'predictive_models'");
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->value_or(0), 0);
  auto predictor = predict::Predictor::Load(*db_);
  ASSERT_TRUE(predictor);
  auto p = (*predictor)
               ->Predict(predict::ModelKind::kChurn, *model_, AccountId(model_->account_id(0)),
                         kToday, settings_);
  EXPECT_FALSE(p.available);
  EXPECT_THAT(p.reason, HasSubstr("not trained yet: run `orchard model train churn`"));
}

// The stored form gives back the model: the same probabilities for the same rows.
TEST_P(PredictTest, AStoredModelPredictsAsBefore) {
  SetUpBook(300);
  if (HasFatalFailure() || IsSkipped()) return;
  auto ex = predict::BuildExamples(predict::ModelKind::kUpsell, *model_, settings_, kToday);
  auto fitted = models::ChurnModel::Fit(ex.data, 3, 1, {.l2 = 3, .tree_weight = 0.4});
  ASSERT_TRUE(fitted) << fitted.error().message;
  auto text = predict::ModelToJson(*fitted);
  ASSERT_TRUE(text);
  auto loaded = predict::ModelFromJson(*text);
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto a = fitted->Predict(ex.data);
  auto b = loaded->Predict(ex.data);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) EXPECT_NEAR((*a)[i], (*b)[i], 1e-6) << i;

  predict::ModelReport report;
  report.kind = predict::ModelKind::kUpsell;
  report.trained = true;
  report.features = predict::FeatureKeys();
  report.trained_at = "2026-12-07T01:00:00Z";
  auto version = predict::SaveModel(*db_, report, *fitted);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 1);
  auto stored = predict::LoadLatest(*db_, predict::ModelKind::kUpsell);
  ASSERT_TRUE(stored && *stored && (*stored)->model);
  auto c = (*stored)->model->Predict(ex.data);
  ASSERT_TRUE(c);
  for (size_t i = 0; i < a->size(); ++i) EXPECT_NEAR((*a)[i], (*c)[i], 1e-6) << i;

  // The trees as Refresh walks them give XGBoost's margins, missing values included.
  ASSERT_TRUE((*stored)->flat);
  auto xgb = fitted->trees().PredictMargin(ex.data);
  ASSERT_TRUE(xgb);
  size_t with_missing = 0;
  for (size_t i = 0; i < ex.data.rows(); ++i) {
    for (float v : ex.data.Row(i)) with_missing += std::isnan(v) ? 1 : 0;
    EXPECT_NEAR((*stored)->flat->Margin(ex.data.Row(i)), (*xgb)[i], 1e-4) << i;
  }
  EXPECT_GT(with_missing, 0u);
}

TEST_P(PredictTest, AModelOfAnotherFeatureListIsRefused) {
  SetUpBook(20);
  if (HasFatalFailure() || IsSkipped()) return;
  std::vector<store::SqlValue> row{std::string("churn"), std::string("2026-12-01 10:00:00"),
                                   std::string("{\"kind\":\"churn\",\"trained\":true}")};
  ASSERT_TRUE(db_->Exec(
      "INSERT INTO predictive_models (kind, version, trained_at, features, report, model) "
      "VALUES (?, 1, ?, '[\"old_feature\"]', ?, '{}')",
      row));
  auto predictor = predict::Predictor::Load(*db_);
  ASSERT_TRUE(predictor) << predictor.error().message;
  auto reports = (*predictor)->Reports();
  EXPECT_FALSE(reports[0].trained);
  EXPECT_THAT(reports[0].reason, HasSubstr("retrain"));
  auto p = (*predictor)
               ->Predict(predict::ModelKind::kChurn, *model_, AccountId(model_->account_id(0)),
                         kToday, settings_);
  EXPECT_FALSE(p.available);
  EXPECT_THAT(p.reason, HasSubstr("retrain"));
  EXPECT_FALSE(reports[1].trained);  // upsell: none stored
  EXPECT_THAT(reports[1].reason, HasSubstr("not trained yet"));
}

TEST(PredictKinds, NamesRoundTripAndAnUnknownOneIsNamed) {
  EXPECT_EQ(*predict::ParseModelKind("churn"), predict::ModelKind::kChurn);
  EXPECT_EQ(predict::ToString(*predict::ParseModelKind("upsell")), "upsell");
  auto bad = predict::ParseModelKind("churny");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("churny"));
  EXPECT_EQ(predict::DescribeFeature("days_since_meaningful_contact", 74),
            "no meaningful contact for 74 days");
  EXPECT_EQ(predict::DescribeFeature("usage_trend_90", -0.38f),
            "active users down 38 % over 90 days");
  // Counts agree with their number; a missing value says what is missing, not the feature's key.
  EXPECT_EQ(predict::DescribeFeature("tickets_90", 1), "1 ticket opened in 90 days");
  EXPECT_EQ(predict::DescribeFeature("open_tickets", 3), "3 open tickets");
  EXPECT_EQ(predict::DescribeFeature("nps_latest", std::nanf("")), "no NPS response on record");
}

INSTANTIATE_TEST_SUITE_P(Backends, PredictTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard
