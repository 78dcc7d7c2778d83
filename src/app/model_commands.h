// The composition root's command handlers that live outside main.cc: `orchard rules …`, and
// `orchard model train|eval|show NAME` and `orchard sentiment` (issue 20), one file per model
// family so each stays readable.
#pragma once

#include <string>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/result.h"

namespace orchard {

// Dispatches on args.name: sentiment → RunSentimentModel, churn and upsell → RunChurnModel.
Status RunModel(const cli::ModelArgs& args, const Clock& clock);
// orchard rules list | show | dry-run | backtest | run --once (rules_commands.cc).
Status RunRules(const cli::RulesArgs& args, const Clock& clock);
// One text per line on stdin, one JSON object per line on stdout.
Status RunSentiment(const cli::SentimentArgs& args);
// `orchard score`'s first step: every text of the book at `url` with no sentiment row, or one of
// another model, scored and stored, with progress (sentiment_commands.cc).
Status ScoreBookSentiment(const std::string& url, const Clock& clock);

Status RunSentimentModel(const cli::ModelArgs& args, const Clock& clock);  // sentiment_commands.cc
Status RunChurnModel(const cli::ModelArgs& args, const Clock& clock);      // churn_commands.cc
// churn and upsell on the book's own history (book_model_commands.cc).
Status RunBookModel(const cli::ModelArgs& args, const Clock& clock);

}  // namespace orchard
