#include "predict/predictor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "engine/parallel.h"
#include "predict/features.h"
#include "predict/model_store.h"

namespace orchard::predict {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr size_t kMostDrivers = 5;

ModelReport NotTrained(ModelKind kind) {
  ModelReport report;
  report.kind = kind;
  report.features = FeatureKeys();
  report.reason = "not trained yet: run `orchard model train " + std::string(ToString(kind)) + "`";
  return report;
}

// Actionable first, then by |effect|; those pushing towards the outcome before those against.
std::vector<Driver> PickDrivers(const models::Contributions& c, size_t row,
                                std::span<const float> values) {
  auto features = Features();
  std::vector<Driver> all;
  for (size_t j = 0; j < features.size(); ++j) {
    const double effect = c.At(row, j);
    if (std::abs(effect) < 0.01) continue;  // too small to be a reason
    all.push_back({std::string(features[j].key), DescribeFeature(features[j].key, values[j]),
                   effect, features[j].actionable});
  }
  std::sort(all.begin(), all.end(), [](const Driver& a, const Driver& b) {
    if ((a.effect > 0) != (b.effect > 0)) return a.effect > 0;
    if (a.actionable != b.actionable) return a.actionable;
    return std::abs(a.effect) > std::abs(b.effect);
  });
  if (all.size() > kMostDrivers) all.resize(kMostDrivers);
  return all;
}

}  // namespace

std::string_view ToString(ModelKind kind) { return kind == ModelKind::kChurn ? "churn" : "upsell"; }

Result<ModelKind> ParseModelKind(std::string_view name) {
  if (name == "churn") return ModelKind::kChurn;
  if (name == "upsell") return ModelKind::kUpsell;
  return FailValue("model", "unknown model '" + std::string(name) + "': churn or upsell");
}

Predictor::Predictor() {
  reports_[0] = NotTrained(ModelKind::kChurn);
  reports_[1] = NotTrained(ModelKind::kUpsell);
}
Predictor::~Predictor() = default;

Result<std::shared_ptr<Predictor>> Predictor::Load(store::Database& db) {
  auto predictor = std::make_shared<Predictor>();
  ORCHARD_CHECK(predictor->Reload(db));
  return predictor;
}

Result<void> Predictor::Reload(store::Database& db) {
  std::shared_ptr<const StoredModel> loaded[2];
  for (ModelKind kind : {ModelKind::kChurn, ModelKind::kUpsell}) {
    ORCHARD_TRY(auto stored, LoadLatest(db, kind));
    loaded[static_cast<int>(kind)] = std::move(stored);
  }
  std::lock_guard lock(mu_);
  for (int k = 0; k < 2; ++k) {
    if (!loaded[k]) {
      models_[k] = nullptr;
      reports_[k] = NotTrained(static_cast<ModelKind>(k));
      continue;
    }
    reports_[k] = loaded[k]->report;
    models_[k] = loaded[k]->model ? loaded[k] : nullptr;
  }
  return {};
}

std::vector<ModelReport> Predictor::Reports() const {
  std::lock_guard lock(mu_);
  return {reports_[0], reports_[1]};
}

Prediction Predictor::Predict(ModelKind kind, const engine::ReadModel& model, AccountId account,
                              Date today, const Settings& settings) const {
  Prediction p;
  p.kind = kind;
  std::shared_ptr<const StoredModel> stored;
  {
    std::lock_guard lock(mu_);
    stored = models_[static_cast<int>(kind)];
    if (!stored) p.reason = reports_[static_cast<int>(kind)].reason;
  }
  if (!stored) return p;
  models::Dataset row;
  row.feature_names = FeatureKeys();
  row.values.resize(row.cols());
  {
    auto lock = model.ReadLock();
    auto slot = model.SlotOf(account.value);
    if (!slot || !model.live(*slot)) {
      p.reason = "no such account";
      return p;
    }
    const engine::DayColumns& columns = model.On(today.days(), settings);
    if (columns.arr_cents[*slot] <= 0) {
      p.reason = "no ARR today: only a current customer is scored";
      return p;
    }
    FeatureRow(model, columns, *slot, settings, row.values);
  }
  auto contributions = stored->model->PredictContributions(row);
  if (!contributions) {
    p.reason = "the model could not score this account: " + contributions.error().message;
    return p;
  }
  double margin = 0;
  for (size_t j = 0; j < contributions->cols; ++j) margin += contributions->At(0, j);
  p.available = true;
  p.probability = 1.0 / (1.0 + std::exp(-margin));
  p.drivers = PickDrivers(*contributions, 0, row.values);
  return p;
}

Result<void> Predictor::Refresh(const engine::ReadModel& model, Date today,
                                const Settings& settings) {
  std::shared_ptr<const StoredModel> stored[2];
  {
    std::lock_guard lock(mu_);
    stored[0] = models_[0];
    stored[1] = models_[1];
  }
  auto scores = std::make_shared<Scores>();
  scores->day = today;
  models::Dataset rows;
  rows.feature_names = FeatureKeys();
  const size_t cols = rows.cols();
  std::vector<size_t> slots;  // by row
  std::vector<int64_t> whitespace;
  {
    auto lock = model.ReadLock();
    const size_t n = model.slots();
    scores->churn.assign(n, kNaN);
    scores->upsell.assign(n, kNaN);
    scores->expected_expansion_cents.assign(n, 0);
    if (!stored[0] && !stored[1]) {
      std::lock_guard guard(mu_);
      latest_ = std::move(scores);
      return {};
    }
    const engine::DayColumns& columns = model.On(today.days(), settings);
    for (size_t s = 0; s < n; ++s) {
      if (model.live(s) && columns.arr_cents[s] > 0) slots.push_back(s);
    }
    rows.values.resize(slots.size() * cols);
    engine::ForEachRange(slots.size(), [&](size_t, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        FeatureRow(model, columns, slots[i], settings,
                   std::span<float>(rows.values.data() + i * cols, cols));
      }
    });
    whitespace.reserve(slots.size());
    for (size_t s : slots) whitespace.push_back(columns.summary[s].whitespace_cents);
  }
  for (int k = 0; k < 2; ++k) {
    if (!stored[k] || slots.empty()) continue;
    // The blend as ChurnModel computes it, the trees walked by FlatTrees, rows split over cores.
    const StoredModel& m = *stored[k];
    ORCHARD_TRY(auto logistic, m.model->logistic().PredictMargin(rows));
    const double w = m.model->options().tree_weight;
    auto& out = k == 0 ? scores->churn : scores->upsell;
    engine::ForEachRange(slots.size(), [&](size_t, size_t begin, size_t end) {
      std::vector<double> trees(end - begin);
      m.flat->Margins(rows.values.data() + begin * cols, end - begin, cols, trees.data());
      for (size_t i = begin; i < end; ++i) {
        const double p = 1.0 / (1.0 + std::exp(-((1 - w) * logistic[i] + w * trees[i - begin])));
        out[slots[i]] = static_cast<float>(p);
        if (k == 1) {
          scores->expected_expansion_cents[slots[i]] =
              std::llround(p * static_cast<double>(whitespace[i]));
        }
      }
    });
  }
  std::lock_guard lock(mu_);
  latest_ = std::move(scores);
  return {};
}

std::shared_ptr<const Scores> Predictor::Latest() const {
  std::lock_guard lock(mu_);
  return latest_;
}

}  // namespace orchard::predict
