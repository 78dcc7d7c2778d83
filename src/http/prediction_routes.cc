#include "http/prediction_routes.h"

#include <boost/json.hpp>

#include <cmath>

#include "http/handler_kit.h"
#include "predict/predictor.h"
#include "scoring/live_scores.h"
#include "service/entity_service.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;
using predict::ModelKind;

boost::json::value Rounded(double v, double scale = 10000) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * scale) / scale;
}

boost::json::object PredictionJson(const predict::Prediction& p) {
  boost::json::array drivers;
  for (const auto& driver : p.drivers) {
    drivers.push_back({{"feature", driver.feature},
                       {"words", driver.words},
                       {"effect", Rounded(driver.effect)},
                       {"actionable", driver.actionable}});
  }
  return {{"kind", predict::ToString(p.kind)},
          {"available", p.available},
          {"reason", p.available || p.reason.empty() ? boost::json::value(nullptr)
                                                     : boost::json::value(p.reason)},
          {"probability", p.available ? Rounded(p.probability) : boost::json::value(nullptr)},
          {"drivers", std::move(drivers)}};
}

boost::json::object ReportJson(const predict::ModelReport& m) {
  boost::json::array bins;
  for (const auto& b : m.reliability) {
    bins.push_back({{"lo", Rounded(b.lo)},
                    {"hi", Rounded(b.hi)},
                    {"count", b.count},
                    {"mean_predicted", Rounded(b.mean_predicted)},
                    {"observed", Rounded(b.observed)}});
  }
  boost::json::array features;
  for (const auto& f : m.features) features.emplace_back(f);
  auto metric = [&](double v) { return m.trained ? Rounded(v) : boost::json::value(nullptr); };
  return {{"kind", predict::ToString(m.kind)},
          {"trained", m.trained},
          {"reason", m.reason.empty() ? boost::json::value(nullptr) : boost::json::value(m.reason)},
          {"trained_at",
           m.trained_at.empty() ? boost::json::value(nullptr) : boost::json::value(m.trained_at)},
          {"cutoff", m.trained ? boost::json::value(m.cutoff.ToString()) : nullptr},
          {"train_examples", m.train_examples},
          {"test_examples", m.test_examples},
          {"events", m.events},
          {"accounts", m.accounts},
          {"auc", metric(m.auc)},
          {"auc_logistic", metric(m.auc_logistic)},
          {"auc_trees", metric(m.auc_trees)},
          {"brier", metric(m.brier)},
          {"reliability", std::move(bins)},
          {"features", std::move(features)}};
}

bool MayTrain(A actor) { return actor.role == Role::kAdmin || actor.role == Role::kLeader; }

Status Ready(const ApiDeps& d) {
  if (d.predictions == nullptr || d.model == nullptr) {
    return Fail(ErrorCode::kUnavailable, "this server runs without the models");
  }
  return Ok();
}

// GET /api/v1/accounts/{id}/predictions
Result<Reply> GetPredictions(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  ORCHARD_CHECK(QueryParams(req).Only("an account's predictions", {}));
  // Whoever may read the account may read its predictions (NotFound for no such account).
  ORCHARD_CHECK(
      service::EntityService<Account>(d.pool, d.clock, d.model).Get(actor, AccountId(id)));
  ORCHARD_CHECK(Ready(d));
  const Settings settings = d.settings.Current();
  const Date today = d.clock.Today();
  const predict::Predictor& predictor = d.predictions->predictor();
  auto churn = predictor.Predict(ModelKind::kChurn, *d.model, AccountId(id), today, settings);
  auto upsell = predictor.Predict(ModelKind::kUpsell, *d.model, AccountId(id), today, settings);
  // Expected expansion: the last refresh's, by the account's slot (none before the first, or
  // without an upsell model).
  boost::json::value expected = nullptr;
  auto scores = d.predictions->Latest();
  if (scores && scores->upsell_reason.empty()) {
    std::optional<size_t> slot;
    {
      auto lock = d.model->ReadLock();
      slot = d.model->SlotOf(id);
    }
    if (slot && scores->Upsell(*slot)) expected = scores->Expected(*slot);
  }
  return JsonResponse(boost::json::object{{"account_id", id},
                                          {"as_of", today.ToString()},
                                          {"churn", PredictionJson(churn)},
                                          {"upsell", PredictionJson(upsell)},
                                          {"expected_expansion_cents", std::move(expected)}});
}

// GET /api/v1/models
Result<Reply> ListModels(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(QueryParams(req).Only("the models", {}));
  ORCHARD_CHECK(Ready(d));
  boost::json::array items;
  for (const auto& report : d.predictions->predictor().Reports()) {
    items.push_back(ReportJson(report));
  }
  auto scores = d.predictions->Latest();
  return JsonResponse(boost::json::object{
      {"items", std::move(items)},
      {"scored_on", scores ? boost::json::value(scores->day.ToString()) : nullptr},
      {"may_train", MayTrain(actor)}});
}

// POST /api/v1/models/{kind}/train: in the request (a blocking worker's), then the new model's
// scores; audited when a model is stored.
Result<Reply> TrainModel(const ApiDeps& d, const HttpRequest& req, A actor) {
  auto kind = predict::ParseModelKind(req.params.at("kind"));
  if (!kind) {  // a path that cannot be read: 400, naming the path's parameter
    const Error& e = kind.error();
    return FailField("kind", e.fields.empty() ? e.message : e.fields.front().message);
  }
  ORCHARD_CHECK(QueryParams(req).Only("training a model", {}));
  if (!MayTrain(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins and leaders train the models");
  }
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto report,
              d.predictions->Train(*kind, *db, *d.model, d.settings.Current(), d.clock.Today()));
  boost::json::object body = ReportJson(report);
  if (report.trained) {
    store::Store store(*db);
    ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
    boost::json::object after = body;
    after.erase("reliability");
    ORCHARD_CHECK(service::WriteAudit(store, actor, d.clock.Now(), "predictive_models", 0,
                                      AuditAction::kCreate, std::nullopt,
                                      boost::json::serialize(after)));
    ORCHARD_CHECK(tx.Commit());
  }
  return JsonResponse(body);
}

constexpr std::string_view kPredictionSchema = R"({"type":"object",
  "required":["kind","available","reason","probability","drivers"],
  "properties":{"kind":{"type":"string","enum":["churn","upsell"]},
    "available":{"type":"boolean"},
    "reason":{"type":["string","null"]},
    "probability":{"type":["number","null"],"minimum":0,"maximum":1},
    "drivers":{"type":"array","maxItems":5,"items":{"type":"object",
      "required":["feature","words","effect","actionable"],
      "properties":{"feature":{"type":"string"},"words":{"type":"string"},
        "effect":{"type":"number"},"actionable":{"type":"boolean"}}}}}})";

constexpr std::string_view kModelReportSchema = R"({"type":"object",
  "required":["kind","trained","reason","trained_at","cutoff","train_examples","test_examples",
    "events","accounts","auc","auc_logistic","auc_trees","brier","reliability","features"],
  "properties":{"kind":{"type":"string","enum":["churn","upsell"]},
    "trained":{"type":"boolean"},
    "reason":{"type":["string","null"]},
    "trained_at":{"type":["string","null"],"format":"date-time"},
    "cutoff":{"type":["string","null"],"format":"date"},
    "train_examples":{"type":"integer"},"test_examples":{"type":"integer"},
    "events":{"type":"integer"},"accounts":{"type":"integer"},
    "auc":{"type":["number","null"]},"auc_logistic":{"type":["number","null"]},
    "auc_trees":{"type":["number","null"]},"brier":{"type":["number","null"]},
    "reliability":{"type":"array","items":{"type":"object",
      "required":["lo","hi","count","mean_predicted","observed"],
      "properties":{"lo":{"type":"number"},"hi":{"type":"number"},"count":{"type":"integer"},
        "mean_predicted":{"type":"number"},"observed":{"type":"number"}}}},
    "features":{"type":"array","items":{"type":"string"}}}})";

}  // namespace

void AddPredictionRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("Prediction", std::string(kPredictionSchema));
  r.AddSchema("ModelReport", std::string(kModelReportSchema));
  r.AddSchema("Predictions", R"({"type":"object",
    "required":["account_id","as_of","churn","upsell","expected_expansion_cents"],
    "properties":{"account_id":{"type":"integer"},"as_of":{"type":"string","format":"date"},
      "churn":{"$ref":"#/components/schemas/Prediction"},
      "upsell":{"$ref":"#/components/schemas/Prediction"},
      "expected_expansion_cents":{"type":["integer","null"]}}})");
  r.AddSchema("Models", R"({"type":"object","required":["items","scored_on","may_train"],
    "properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/ModelReport"}},
      "scored_on":{"type":["string","null"],"format":"date"},
      "may_train":{"type":"boolean"}}})");
  r.Add(
      "GET", "/api/v1/accounts/{id}/predictions",
      [d](const HttpRequest& q, A who) { return GetPredictions(d, q, who); },
      RouteDoc("The account's churn and upsell probability today, each with its top drivers in "
               "words (what the account team can act on first), or why there is none; and its "
               "expected expansion (upsell probability x open whitespace, from the last scoring)",
               K::kOther)
          .Response("Predictions"));
  r.Add(
      "GET", "/api/v1/models", [d](const HttpRequest& q, A who) { return ListModels(d, q, who); },
      RouteDoc("The churn and upsell models: when trained, on how much data, their quality on "
               "the backtest after the cutoff (AUC of the blend, the logistic regression and the "
               "trees; Brier score; the reliability curve), or why they are not trained",
               K::kOther)
          .Response("Models"));
  r.Add(
      "POST", "/api/v1/models/{kind}/train",
      [d](const HttpRequest& q, A who) { return TrainModel(d, q, who); },
      RouteDoc("Train a model (churn or upsell) on the book's history and score every account "
               "with it (admins and leaders); fewer than 50 events in the history: not trained, "
               "the reason given, nothing stored changes",
               K::kOther)
          .Response("ModelReport")
          .Blocking());
}

}  // namespace orchard::http
