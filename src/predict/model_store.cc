#include "predict/model_store.h"

#include <boost/json.hpp>
#include <utility>

#include "domain/entities.h"
#include "predict/features.h"
#include "store/store.h"

namespace orchard::predict {
namespace json = boost::json;

namespace {

json::array Doubles(const std::vector<double>& v) {
  json::array a;
  for (double x : v) a.emplace_back(x);
  return a;
}

// A feature list as a model's report and its row keep it.
json::array Keys(const std::vector<std::string>& keys) {
  json::array a;
  for (const auto& k : keys) a.emplace_back(k);
  return a;
}

// Whether a stored model's feature list (its row's `features` column) is another than this
// Orchard's: such a model cannot score today's rows and must be trained again.
bool OnOtherFeatures(std::string_view stored_features) {
  return stored_features != json::serialize(Keys(FeatureKeys()));
}

Result<std::vector<double>> DoublesFrom(const json::value* v, std::string_view what) {
  if (!v || !v->is_array()) return FailValue(std::string(what), "missing in the stored model");
  std::vector<double> out;
  for (const auto& x : v->as_array()) {
    if (!x.is_number()) return FailValue(std::string(what), "not a number in the stored model");
    out.push_back(x.to_number<double>());
  }
  return out;
}

double NumberOr(const json::object& o, std::string_view key, double fallback = 0) {
  const json::value* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : fallback;
}

std::string StringOr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<json::value> Parse(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return FailValue("model", "the stored model is not a JSON object");
  return v;
}

}  // namespace

std::string ReportToJson(const ModelReport& r) {
  json::object o;
  o["kind"] = ToString(r.kind);
  o["trained"] = r.trained;
  o["reason"] = r.reason;
  o["trained_at"] = r.trained_at;
  o["cutoff"] = r.cutoff.ToString();
  o["examples"] = r.examples;
  o["train_examples"] = r.train_examples;
  o["test_examples"] = r.test_examples;
  o["events"] = r.events;
  o["accounts"] = r.accounts;
  o["auc"] = r.auc;
  o["auc_logistic"] = r.auc_logistic;
  o["auc_trees"] = r.auc_trees;
  o["brier"] = r.brier;
  json::array bins;
  for (const auto& b : r.reliability) {
    bins.push_back(json::object{{"lo", b.lo},
                                {"hi", b.hi},
                                {"count", b.count},
                                {"mean_predicted", b.mean_predicted},
                                {"observed", b.observed}});
  }
  o["reliability"] = std::move(bins);
  o["features"] = Keys(r.features);
  o["version"] = r.version;
  return json::serialize(o);
}

Result<ModelReport> ReportFromJson(std::string_view text) {
  ORCHARD_TRY(json::value v, Parse(text));
  const json::object& o = v.as_object();
  ModelReport r;
  ORCHARD_TRY(r.kind, ParseModelKind(StringOr(o, "kind")));
  const json::value* trained = o.if_contains("trained");
  r.trained = trained && trained->is_bool() && trained->as_bool();
  r.reason = StringOr(o, "reason");
  r.trained_at = StringOr(o, "trained_at");
  if (auto cutoff = Date::Parse(StringOr(o, "cutoff"))) r.cutoff = *cutoff;
  r.examples = static_cast<int64_t>(NumberOr(o, "examples"));
  r.train_examples = static_cast<int64_t>(NumberOr(o, "train_examples"));
  r.test_examples = static_cast<int64_t>(NumberOr(o, "test_examples"));
  r.events = static_cast<int64_t>(NumberOr(o, "events"));
  r.accounts = static_cast<int64_t>(NumberOr(o, "accounts"));
  r.auc = NumberOr(o, "auc");
  r.auc_logistic = NumberOr(o, "auc_logistic");
  r.auc_trees = NumberOr(o, "auc_trees");
  r.brier = NumberOr(o, "brier");
  r.version = static_cast<int64_t>(NumberOr(o, "version"));
  if (const json::value* bins = o.if_contains("reliability"); bins && bins->is_array()) {
    for (const auto& b : bins->as_array()) {
      if (!b.is_object()) continue;
      const auto& bo = b.as_object();
      r.reliability.push_back({NumberOr(bo, "lo"), NumberOr(bo, "hi"),
                               static_cast<int64_t>(NumberOr(bo, "count")),
                               NumberOr(bo, "mean_predicted"), NumberOr(bo, "observed")});
    }
  }
  if (const json::value* f = o.if_contains("features"); f && f->is_array()) {
    for (const auto& k : f->as_array())
      if (k.is_string()) r.features.emplace_back(k.as_string());
  }
  return r;
}

Result<std::string> ModelToJson(const models::ChurnModel& model) {
  ORCHARD_TRY(std::string trees, model.trees().Save());
  auto lr = model.logistic().state();
  json::object o;
  o["l2"] = model.options().l2;
  o["tree_weight"] = model.options().tree_weight;
  o["means"] = Doubles(lr.means);
  o["scales"] = Doubles(lr.scales);
  o["coefficients"] = Doubles(lr.coefficients);
  o["intercept"] = lr.intercept;
  o["trees"] = trees;
  return json::serialize(o);
}

Result<models::ChurnModel> ModelFromJson(std::string_view text) {
  ORCHARD_TRY(json::value v, Parse(text));
  const json::object& o = v.as_object();
  models::LogisticRegression::State state;
  ORCHARD_TRY(state.means, DoublesFrom(o.if_contains("means"), "means"));
  ORCHARD_TRY(state.scales, DoublesFrom(o.if_contains("scales"), "scales"));
  ORCHARD_TRY(state.coefficients, DoublesFrom(o.if_contains("coefficients"), "coefficients"));
  state.intercept = NumberOr(o, "intercept");
  ORCHARD_TRY(auto logistic, models::LogisticRegression::FromState(std::move(state)));
  ORCHARD_TRY(auto trees, models::BoostedTrees::Load(StringOr(o, "trees"), 1));
  models::ChurnOptions options;
  options.l2 = NumberOr(o, "l2", 1);
  options.tree_weight = NumberOr(o, "tree_weight", 0.5);
  return models::ChurnModel::FromParts(options, std::move(logistic), std::move(trees));
}

Result<int64_t> SaveModel(store::Database& db, const ModelReport& report,
                          const models::ChurnModel& model) {
  ORCHARD_TRY(std::string model_json, ModelToJson(model));
  const std::string features = json::serialize(Keys(report.features));
  const std::string kind(ToString(report.kind));
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  std::vector<store::SqlValue> by_kind{kind};
  ORCHARD_TRY(auto latest,
              db.QueryInt("SELECT MAX(version) FROM predictive_models WHERE kind = ?", by_kind));
  const int64_t version = latest.value_or(0) + 1;
  ModelReport stored = report;
  stored.version = version;
  std::string trained_at = stored.trained_at;  // ISO 8601 → the database's form
  if (trained_at.size() >= 19) {
    trained_at[10] = ' ';
    trained_at.resize(19);
  }
  std::string report_json = ReportToJson(stored);
  std::vector<store::SqlValue> row{kind,     version,     trained_at,
                                   features, report_json, std::move(model_json)};
  ORCHARD_TRY(
      auto id,
      db.QueryInt(
          "INSERT INTO predictive_models (kind, version, trained_at, features, report, model) "
          "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
          row));
  // Audited as the service layer audits a write: a created row, no user as the actor (an
  // operator at the command line), its report as what was written.
  ORCHARD_TRY(Timestamp at, Timestamp::Parse(trained_at));
  AuditEntry audit;
  audit.at = at;
  audit.entity = "predictive_models";
  audit.entity_id = id.value_or(0);
  audit.action = AuditAction::kCreate;
  audit.after_json = std::move(report_json);
  store::Store store(db);
  ORCHARD_CHECK(store.Insert(audit));
  ORCHARD_CHECK(tx.Commit());
  return version;
}

Result<std::shared_ptr<const StoredModel>> LoadLatest(store::Database& db, ModelKind kind) {
  std::vector<store::SqlValue> params{std::string(ToString(kind))};
  std::string features, report, model;
  bool found = false;
  ORCHARD_CHECK(
      db.Query("SELECT features, report, model FROM predictive_models WHERE kind = ? "
               "ORDER BY version DESC LIMIT 1",
               params, [&](const store::Row& row) -> Status {
                 found = true;
                 features = row.GetText(0);
                 report = row.GetText(1);
                 model = row.GetText(2);
                 return Ok();
               }));
  if (!found) return std::shared_ptr<const StoredModel>();
  auto stored = std::make_shared<StoredModel>();
  ORCHARD_TRY(stored->report, ReportFromJson(report));
  if (OnOtherFeatures(features)) {
    stored->report.trained = false;
    stored->report.reason = "the stored " + std::string(ToString(kind)) +
                            " model was trained by another version of Orchard on other "
                            "features: retrain (`orchard model train " +
                            std::string(ToString(kind)) + "`)";
    return std::shared_ptr<const StoredModel>(std::move(stored));
  }
  ORCHARD_TRY(auto fitted, ModelFromJson(model));
  ORCHARD_TRY(std::string trees, fitted.trees().Save());
  ORCHARD_TRY(auto flat, FlatTrees::FromXgboostJson(trees, FeatureKeys().size()));
  stored->model = std::move(fitted);
  stored->flat = std::move(flat);
  return std::shared_ptr<const StoredModel>(std::move(stored));
}

Result<bool> StoredOnOtherFeatures(store::Database& db, ModelKind kind) {
  // The feature list alone: loading the model (its trees into XGBoost and flattened) only to
  // answer this would do at start-up what serving then does again.
  std::vector<store::SqlValue> params{std::string(ToString(kind))};
  bool other = false;
  ORCHARD_CHECK(db.Query(
      "SELECT features FROM predictive_models WHERE kind = ? ORDER BY version DESC LIMIT 1", params,
      [&](const store::Row& row) -> Status {
        other = OnOtherFeatures(row.GetText(0));
        return Ok();
      }));
  return other;
}

}  // namespace orchard::predict
