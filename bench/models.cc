// bench/models: the book-trained churn and upsell models (issue 20, items 2–3) at scale. Seeds
// (or reuses) an SQLite book of --accounts accounts (default 1M; bench/book.h: seed 7, day
// 2026-11-25) in --work, loads the in-memory book, then times: training each model on the
// book's history (examples from 24 past days, the backtest, the refit, the store), and
// Predictor::Refresh — every live account scored by both models — best of --runs. Ends with
//   RESULT models_refresh_ms=N accounts_scored=A churn_train_s=C upsell_train_s=U
//          churn_auc=X upsell_auc=Y
// Targets (issue 20): Refresh of 1M accounts well under 2 s on 2 cores; training < 2 min.
#include <fmt/core.h>

#include <cmath>
#include <string>

#include "bench/book.h"
#include "engine/read_model.h"
#include "predict/predictor.h"

namespace orchard::bench {
namespace {

struct Options {
  int64_t accounts = 1'000'000;
  std::string work = "/tmp/orchard-bench-models";
  int runs = 3;
  bool score_only = false;  // --score-only: the models a run before stored, no training
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--accounts") {
      o.accounts = std::stoll(next());
    } else if (a == "--work") {
      o.work = next();
    } else if (a == "--score-only") {
      o.score_only = true;
    } else if (a == "--runs") {
      o.runs = std::max(1, std::stoi(next()));
    } else {
      Die("unknown option " + a +
          "; usage: orchard-bench-models [--accounts N] [--work DIR] [--runs R] [--score-only]");
    }
  }
  if (o.accounts < 100) Die("--accounts must be at least 100");
  return o;
}

int Run(const Options& o) {
  std::filesystem::create_directories(o.work);
  const Date today = BenchToday();
  auto db = SqliteBook({o.accounts, ""}, o.work + "/book.db", today);
  Settings settings;
  auto t0 = Clock::now();
  auto model = Must(engine::ReadModel::Load(*db), "loading the book");
  fmt::print("book of {} accounts loaded in {:.1f} s\n", o.accounts, Ms(Clock::now() - t0) / 1e3);
  double train_s[2] = {0, 0}, auc[2] = {0, 0};
  for (auto kind : {predict::ModelKind::kChurn, predict::ModelKind::kUpsell}) {
    if (o.score_only) break;
    t0 = Clock::now();
    auto report = Must(predict::Train(kind, *db, *model, settings, today), "training");
    const int k = static_cast<int>(kind);
    train_s[k] = Ms(Clock::now() - t0) / 1e3;
    auc[k] = report.auc;
    fmt::print("{}: {} examples, {} events, trained in {:.1f} s, test AUC {:.4f}{}\n",
               predict::ToString(kind), report.examples, report.events, train_s[k], report.auc,
               report.trained ? "" : " (not trained: " + report.reason + ")");
  }
  auto predictor = Must(predict::Predictor::Load(*db), "loading the models");
  std::vector<double> ms;
  size_t scored = 0;
  for (int r = 0; r < o.runs; ++r) {
    t0 = Clock::now();
    Must(predictor->Refresh(*model, today, settings), "scoring");
    ms.push_back(Ms(Clock::now() - t0));
    scored = 0;
    for (float p : predictor->Latest()->churn) scored += !std::isnan(p);
  }
  std::sort(ms.begin(), ms.end());
  fmt::print("Refresh: {} accounts scored by both models in {:.0f} ms (best of {})\n", scored,
             ms.front(), o.runs);
  fmt::print(
      "RESULT models_refresh_ms={:.0f} accounts_scored={} churn_train_s={:.1f} "
      "upsell_train_s={:.1f} churn_auc={:.4f} upsell_auc={:.4f}\n",
      ms.front(), scored, train_s[0], train_s[1], auc[0], auc[1]);
  return 0;
}

}  // namespace
}  // namespace orchard::bench

int main(int argc, char** argv) { return orchard::bench::Run(orchard::bench::Parse(argc, argv)); }
