// src/predict/predictor.h — the contract between the model core (branch bookml) and its users
// (branch predapi: HTTP, dashboards, web). Members may be ADDED; none of these may change.
//
// The churn and upsell models trained on the book's own history (issue 20, items 2–3;
// docs/MODELS.md): features as they stood on past days (predict/features.h), labelled by what
// the contract lines did after, a time-based backtest, the models stored in the database
// (migration 0017) and every live account scored from them.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>
#include "core/date.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "store/database.h"

namespace orchard::predict {

enum class ModelKind { kChurn, kUpsell };
std::string_view ToString(ModelKind kind);                // "churn", "upsell"
Result<ModelKind> ParseModelKind(std::string_view name);  // InvalidArgument naming the name

struct Driver {
  std::string feature;  // stable key, e.g. "days_since_meaningful_contact"
  std::string words;    // the reason in words with the value: "no meaningful contact for 74 days"
  double effect = 0;    // log-odds this feature adds for this account (+ raises the probability)
  bool actionable = false;  // the account team can act on it (contact, plan, tickets, depth…)
};

struct Prediction {
  ModelKind kind = ModelKind::kChurn;
  bool available = false;
  std::string reason;           // when not available, why, in words a user understands
  double probability = 0;       // 0..1
  std::vector<Driver> drivers;  // at most 5: actionable ones first, then by |effect|
};

struct ReliabilityBin {
  double lo = 0, hi = 0;  // predicted-probability range of the bin
  int64_t count = 0;
  double mean_predicted = 0, observed = 0;
};

struct ModelReport {
  ModelKind kind = ModelKind::kChurn;
  bool trained = false;
  std::string
      reason;  // why not trained, e.g. "the book's history holds 31 churn events; 50 are needed"
  std::string trained_at;  // ISO 8601 UTC timestamp of training, "" if never
  Date cutoff;             // time-based backtest: trained on outcomes known before, tested after
  int64_t train_examples = 0, test_examples = 0;
  int64_t events = 0;    // positive outcomes in the whole history (churn events / expansions)
  int64_t accounts = 0;  // distinct accounts in the history
  double auc = 0, auc_logistic = 0, auc_trees = 0, brier = 0;  // on the test part (after cutoff)
  std::vector<ReliabilityBin> reliability;                     // 10 equal-width bins, test part
  std::vector<std::string> features;                           // feature keys, in order
  // Added: the stored version (0: not stored) and the examples in the whole history.
  int64_t version = 0;
  int64_t examples = 0;
};

// Every live account's scores, by read-model slot, as of one day.
struct Scores {
  Date day;
  std::vector<float> churn;                       // NaN where no churn model / account not scored
  std::vector<float> upsell;                      // NaN likewise
  std::vector<int64_t> expected_expansion_cents;  // upsell × open whitespace potential; 0 if none
};

class StoredModel;  // predict/model_store.h

// Holds the trained models (loaded from the database) and the latest Scores. Thread-safe: many
// readers, one writer (Refresh / Reload).
class Predictor {
 public:
  // Loads the latest stored model of each kind from `db` (none stored: reports say not trained).
  static Result<std::shared_ptr<Predictor>> Load(store::Database& db);
  std::vector<ModelReport> Reports() const;  // churn first, then upsell
  // One account now, with drivers. Caller need not hold the model's lock (it takes a read lock).
  Prediction Predict(ModelKind kind, const engine::ReadModel& model, AccountId account, Date today,
                     const Settings& settings) const;
  // Scores every live account as of `today` (1M accounts in well under 2 s on 2 cores) and keeps
  // the result for Latest().
  Result<void> Refresh(const engine::ReadModel& model, Date today, const Settings& settings);
  std::shared_ptr<const Scores> Latest() const;  // nullptr before the first Refresh
  Result<void> Reload(store::Database& db);      // after `orchard model train` stored new models

  Predictor();
  ~Predictor();

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const StoredModel> models_[2];  // by ModelKind; null: not trained
  ModelReport reports_[2];
  std::shared_ptr<const Scores> latest_;
};

// Trains `kind` on the book's history (time-based backtest, then refit on everything known) and
// stores it in `db`; returns its report. Fewer than 50 positive events: not trained, reason given,
// nothing stored changes.
Result<ModelReport> Train(ModelKind kind, store::Database& db, const engine::ReadModel& model,
                          const Settings& settings, Date today, uint64_t seed = 1);

// Whether the latest stored model of `kind` was trained by another version of Orchard on another
// feature list, so predicts nothing until trained again (none stored: false).
Result<bool> StoredOnOtherFeatures(store::Database& db, ModelKind kind);

// Added: the time-based backtest alone (`orchard model eval`): the report Train would give, with
// nothing stored (trained_at "", version 0). `trained` says the backtest could be run.
Result<ModelReport> Backtest(ModelKind kind, const engine::ReadModel& model,
                             const Settings& settings, Date today, uint64_t seed = 1);

}  // namespace orchard::predict
