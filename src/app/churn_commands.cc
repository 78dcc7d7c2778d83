// `orchard model eval churn --telco DIR` (issue 20): the churn learners cross-validated on IBM's
// Telco sample, printed as a table or JSON. Without --telco, churn and upsell are the models on
// the book's own history (book_model_commands.cc).
#include <fmt/core.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "app/model_commands.h"
#include "cli/progress.h"
#include "models/churn_eval.h"
#include "models/telco.h"

namespace orchard {

namespace {

void PrintTable(const models::ChurnEvaluation& eval) {
  fmt::print("Telco churn: {} customers, {} churned ({:.1f} %); {} stratified folds, seed {}.\n\n",
             cli::Grouped(static_cast<int64_t>(eval.rows)),
             cli::Grouped(static_cast<int64_t>(eval.positives)),
             100.0 * static_cast<double>(eval.positives) / static_cast<double>(eval.rows), eval.k,
             eval.seed);
  size_t width = 3;
  for (const auto& l : eval.learners) width = std::max(width, l.name.size() + 2);
  fmt::print("{:<{}}", "AUC", width);
  for (int f = 1; f <= eval.k; ++f) fmt::print(" {:>7}", fmt::format("fold {}", f));
  fmt::print("   {:<15} {:>6} {:>8} {:>6} {:>7}\n", "mean ± sd", "Brier", "log loss", "ECE",
             "time");
  for (size_t i = 0; i < eval.learners.size(); ++i) {
    const auto& l = eval.learners[i];
    fmt::print("{:<{}}", l.name + (i == eval.chosen ? " *" : ""), width);
    for (double auc : l.fold_auc) fmt::print(" {:>7.4f}", auc);
    fmt::print("   {:.4f} ± {:.4f} {:>6.4f} {:>8.4f} {:>6.4f} {:>6.1f}s\n", l.mean_auc, l.sd_auc,
               l.brier, l.log_loss, l.ece, l.seconds);
  }
  fmt::print("\n");
  for (size_t i = 0; i < eval.learners.size(); ++i)
    fmt::print("{}{}: {}\n", eval.learners[i].name, i == eval.chosen ? " *" : "",
               eval.learners[i].description);
  fmt::print(
      "* Orchard's churn learner. Brier, log loss and ECE over the pooled out-of-fold "
      "predictions.\n");
  fmt::print("Chosen on each fold's training rows (λ, trees' weight, inner AUC):");
  for (const auto& t : eval.tuned)
    fmt::print("  {:g}, {:.1f}, {:.4f}", t.l2, t.tree_weight, t.inner_auc);
  fmt::print("\n\n");
  fmt::print("Reliability of {} (out-of-fold, 10 equal-width bins):\n",
             eval.learners[eval.chosen].name);
  fmt::print("{:<11} {:>6} {:>10} {:>9}\n", "predicted", "count", "mean pred", "observed");
  for (const auto& bin : eval.reliability)
    fmt::print("{:<11} {:>6} {:>10.3f} {:>9.3f}\n",
               fmt::format("{:.1f}–{:.1f}", bin.lower, bin.upper), bin.count, bin.mean_predicted,
               bin.observed_rate);
  fmt::print(
      "\nFold 1's highest risks, scored by {} trained on the other folds, and their top "
      "drivers (log-odds):\n",
      eval.learners[eval.chosen].name);
  for (const auto& c : eval.examples) {
    fmt::print("{} {:.2f} ({})", c.id, c.probability, c.churned ? "churned" : "stayed");
    for (const auto& d : c.drivers) fmt::print("  {} {:+.2f}", d.feature, d.contribution);
    fmt::print("\n");
  }
}

boost::json::object ToJson(const models::ChurnEvaluation& eval) {
  boost::json::array learners;
  for (size_t i = 0; i < eval.learners.size(); ++i) {
    const auto& l = eval.learners[i];
    boost::json::array folds;
    for (double auc : l.fold_auc) folds.emplace_back(auc);
    learners.emplace_back(boost::json::object{{"name", l.name},
                                              {"description", l.description},
                                              {"chosen", i == eval.chosen},
                                              {"fold_auc", std::move(folds)},
                                              {"mean_auc", l.mean_auc},
                                              {"sd_auc", l.sd_auc},
                                              {"brier", l.brier},
                                              {"log_loss", l.log_loss},
                                              {"ece", l.ece},
                                              {"seconds", l.seconds}});
  }
  boost::json::array tuned;
  for (const auto& t : eval.tuned)
    tuned.emplace_back(boost::json::object{
        {"l2", t.l2}, {"tree_weight", t.tree_weight}, {"inner_auc", t.inner_auc}});
  boost::json::array curve;
  for (const auto& bin : eval.reliability)
    curve.emplace_back(boost::json::object{{"lower", bin.lower},
                                           {"upper", bin.upper},
                                           {"count", bin.count},
                                           {"mean_predicted", bin.mean_predicted},
                                           {"observed_rate", bin.observed_rate}});
  boost::json::array examples;
  for (const auto& c : eval.examples) {
    boost::json::array drivers;
    for (const auto& d : c.drivers)
      drivers.emplace_back(
          boost::json::object{{"feature", d.feature}, {"contribution", d.contribution}});
    examples.emplace_back(boost::json::object{{"id", c.id},
                                              {"probability", c.probability},
                                              {"churned", c.churned},
                                              {"drivers", std::move(drivers)}});
  }
  return {{"data", "telco"},
          {"rows", eval.rows},
          {"positives", eval.positives},
          {"folds", eval.k},
          {"seed", eval.seed},
          {"learners", std::move(learners)},
          {"chosen", eval.learners[eval.chosen].name},
          {"tuned", std::move(tuned)},
          {"reliability", std::move(curve)},
          {"examples", std::move(examples)}};
}

}  // namespace

Status RunChurnModel(const cli::ModelArgs& args, const Clock& clock) {
  if (!args.telco) return RunBookModel(args, clock);
  if (args.name != "churn" || args.action != "eval")
    return FailValue("telco",
                     "--telco evaluates the churn learners only: `orchard model eval "
                     "churn --telco DIR`");
  ORCHARD_TRY(auto data, models::LoadTelco(*args.telco));
  ORCHARD_TRY(auto eval, models::EvaluateChurn(data, args.seed));
  if (args.format == "json") {
    fmt::print("{}\n", boost::json::serialize(ToJson(eval)));
  } else {
    PrintTable(eval);
  }
  std::fflush(stdout);
  return Ok();
}

}  // namespace orchard
