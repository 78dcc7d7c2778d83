// The trained models in the database (migration 0017, table predictive_models): one row per
// version of a kind, the report and the fitted model as JSON text. Internal to predict/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "models/churn_model.h"
#include "predict/flat_trees.h"
#include "predict/predictor.h"
#include "store/database.h"

namespace orchard::predict {

// A model as stored and loaded: its report, and the model itself when its features are the
// code's (else `model` is empty and the report says "retrain").
class StoredModel {
 public:
  ModelReport report;
  std::optional<models::ChurnModel> model;
  std::optional<FlatTrees> flat;  // model's trees, for scoring every account (Refresh)
};

std::string ReportToJson(const ModelReport& report);
Result<ModelReport> ReportFromJson(std::string_view text);
Result<std::string> ModelToJson(const models::ChurnModel& model);
Result<models::ChurnModel> ModelFromJson(std::string_view text);

// Stores a new version of report.kind (version = the latest + 1) in one transaction; returns it.
Result<int64_t> SaveModel(store::Database& db, const ModelReport& report,
                          const models::ChurnModel& model);
// The latest version of `kind`; nullptr when none is stored. A stored feature list other than the
// code's gives a model-less StoredModel whose report says why ("trained by another version of
// Orchard on other features: retrain").
Result<std::shared_ptr<const StoredModel>> LoadLatest(store::Database& db, ModelKind kind);

}  // namespace orchard::predict
