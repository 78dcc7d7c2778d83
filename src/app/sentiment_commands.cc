#include "app/model_commands.h"

namespace orchard {

Status RunSentimentModel(const cli::ModelArgs& args, const Clock&) {
  return Fail(ErrorCode::kInvalidArgument,
              "model " + args.action + " sentiment: the sentiment model is not built yet");
}

Status RunSentiment(const cli::SentimentArgs&) {
  return Fail(ErrorCode::kInvalidArgument, "sentiment: the sentiment model is not built yet");
}

}  // namespace orchard
