// LiveScores: the trained models as a running Orchard serves them (issue 20, item 5). It holds
// the predict::Predictor loaded from the database and the latest scores of every account, turned
// into the view the dashboards read (engine/model_scores.h: churn and upsell by slot, the growth
// ranking built once per refresh). `orchard serve` keeps the scores fresh on a thread of its own
// (StartRefreshing: a refresh as soon as it starts, then every `every`; Train refreshes before it
// returns); `orchard report` makes one refresh and reads it. Thread-safe: the routes read
// Latest() while the thread replaces it, and the predictor's writes (Refresh, Reload) take turns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "domain/settings.h"
#include "engine/model_scores.h"
#include "engine/read_model.h"
#include "predict/predictor.h"
#include "store/database.h"

namespace orchard::scoring {

struct RefreshOptions {
  std::chrono::milliseconds every{60'000};
  std::function<void(const Error&)> on_error;  // a failed refresh (tried again); may be empty
};

class LiveScores {
 public:
  explicit LiveScores(std::shared_ptr<predict::Predictor> predictor);
  // The latest stored model of each kind (none stored: their reports say why).
  static Result<std::unique_ptr<LiveScores>> Load(store::Database& db);
  ~LiveScores();  // stops the refreshing thread and joins it
  LiveScores(const LiveScores&) = delete;
  LiveScores& operator=(const LiveScores&) = delete;

  const predict::Predictor& predictor() const { return *predictor_; }
  // Scores every live account as of `today` and publishes the view.
  Status Refresh(const engine::ReadModel& model, Date today, const Settings& settings);
  // The view of the last refresh; nullptr before the first.
  std::shared_ptr<const engine::ModelScores> Latest() const;
  // Trains `kind` on the book's history and stores it (predict::Train), then loads it and
  // refreshes the scores before returning. One training at a time: another asked meanwhile is a
  // Conflict.
  Result<predict::ModelReport> Train(predict::ModelKind kind, store::Database& db,
                                     const engine::ReadModel& model, const Settings& settings,
                                     Date today);

  // The thread of `orchard serve`: refreshes at once, then every `options.every` and after each
  // Train, with the settings and day in force at the time. Stopped by Stop or the destructor.
  void StartRefreshing(const engine::ReadModel& model, const Clock& clock,
                       std::function<Settings()> settings, RefreshOptions options);
  void Stop();

 private:
  void Run(const engine::ReadModel& model, const Clock& clock,
           const std::function<Settings()>& settings, const RefreshOptions& options);

  std::shared_ptr<predict::Predictor> predictor_;
  mutable std::mutex mu_;  // latest_, and the thread's flags
  std::shared_ptr<const engine::ModelScores> latest_;
  std::mutex training_;  // one training at a time
  std::mutex writing_;   // the predictor's one writer: Refresh and Reload
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace orchard::scoring
