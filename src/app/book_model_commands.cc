// `orchard model train|eval|show churn|upsell --db URL` (issue 20, items 2–3): the models trained
// on the book's own history (predict/predictor.h). train: the time-based backtest, then the refit
// on every known outcome, stored as a new version; eval: the backtest alone, nothing stored;
// show: the stored model's report and its weightiest features. Progress on stderr.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/book.h"
#include "app/model_commands.h"
#include "cli/progress.h"
#include "predict/model_store.h"
#include "predict/predictor.h"

namespace orchard {

namespace {

void Step(const std::string& what) {
  fmt::print(stderr, "{}\n", what);
  std::fflush(stderr);
}

void PrintReport(const predict::ModelReport& r, bool stored) {
  const std::string kind(predict::ToString(r.kind));
  fmt::print("{} model on the book's history: {} examples from {} accounts, {} {}.\n", kind,
             cli::Grouped(r.examples), cli::Grouped(r.accounts), cli::Grouped(r.events),
             r.kind == predict::ModelKind::kChurn ? "churn or contraction events"
                                                  : "expansions within 180 days");
  if (!r.trained) {
    fmt::print("Not trained: {}\n", r.reason);
    return;
  }
  if (stored) fmt::print("Stored as version {}, trained at {}.\n", r.version, r.trained_at);
  fmt::print(
      "Time-based backtest: cutoff {}; trained on {} examples whose outcome was known before it, "
      "tested on {} snapshotted on or after it.\n\n",
      r.cutoff.ToString(), cli::Grouped(r.train_examples), cli::Grouped(r.test_examples));
  fmt::print("{:<22} {:>7}\n", "test part", "AUC");
  fmt::print("{:<22} {:>7.4f}\n", "logistic regression", r.auc_logistic);
  fmt::print("{:<22} {:>7.4f}\n", "boosted trees", r.auc_trees);
  fmt::print("{:<22} {:>7.4f}   Brier {:.4f}\n\n", "blend (Orchard's)", r.auc, r.brier);
  fmt::print("Reliability of the blend on the test part (10 equal-width bins):\n");
  fmt::print("{:<11} {:>6} {:>10} {:>9}\n", "predicted", "count", "mean pred", "observed");
  for (const auto& b : r.reliability)
    fmt::print("{:<11} {:>6} {:>10.3f} {:>9.3f}\n", fmt::format("{:.1f}–{:.1f}", b.lo, b.hi),
               b.count, b.mean_predicted, b.observed);
}

void PrintTopFeatures(const predict::StoredModel& stored) {
  if (!stored.model) return;
  auto state = stored.model->logistic().state();
  std::vector<size_t> order(state.coefficients.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::abs(state.coefficients[a]) > std::abs(state.coefficients[b]);
  });
  fmt::print(
      "\nWeightiest features (logistic regression, log-odds per standard deviation; the blend "
      "gives the trees {:.0f} %):\n",
      100 * stored.model->options().tree_weight);
  for (size_t i = 0; i < std::min<size_t>(8, order.size()); ++i) {
    const size_t j = order[i];
    fmt::print("  {:<32} {:+.3f}\n", stored.report.features[j], state.coefficients[j]);
  }
}

Status Finish(const predict::ModelReport& report, const cli::ModelArgs& args, bool stored) {
  if (args.format == "json") {
    fmt::print("{}\n", predict::ReportToJson(report));
  } else {
    PrintReport(report, stored);
  }
  std::fflush(stdout);
  if (!report.trained)
    return Fail(ErrorCode::kInvalidValue,
                "model " + args.action + " " + args.name + ": " + report.reason);
  return Ok();
}

}  // namespace

Status RunBookModel(const cli::ModelArgs& args, const Clock& clock) {
  if (args.format != "table" && args.format != "json")
    return FailValue("format", "must be table or json, not '" + args.format + "'");
  ORCHARD_TRY(auto kind, predict::ParseModelKind(args.name));
  ORCHARD_CHECK(RequireExistingDatabase(args.db));
  if (args.action == "show") {
    ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
    ORCHARD_TRY(auto stored, predict::LoadLatest(*db, kind));
    if (!stored) {
      return Fail(ErrorCode::kNotFound, "model show " + args.name +
                                            ": not trained yet: run `orchard model train " +
                                            args.name + " --db " + args.db + "`");
    }
    ORCHARD_CHECK(Finish(stored->report, args, true));
    if (args.format != "json") PrintTopFeatures(*stored);
    return Ok();
  }
  Step("Loading the book from " + args.db + " …");
  ORCHARD_TRY(auto book, LoadBook(args.db));
  Step(
      fmt::format("Building the {} examples from the history (snapshots on past days) and "
                  "running the time-based backtest …",
                  args.name));
  auto started = std::chrono::steady_clock::now();
  predict::ModelReport report;
  if (args.action == "eval") {
    ORCHARD_TRY(report,
                predict::Backtest(kind, *book.model, book.settings, clock.Today(), args.seed));
  } else {
    ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
    ORCHARD_TRY(report,
                predict::Train(kind, *db, *book.model, book.settings, clock.Today(), args.seed));
  }
  Step(fmt::format(
      "Done in {:.1f} s.",
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()));
  return Finish(report, args, args.action == "train");
}

}  // namespace orchard
