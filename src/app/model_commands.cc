#include "app/model_commands.h"

namespace orchard {

Status RunModel(const cli::ModelArgs& args, const Clock& clock) {
  if (args.name == "sentiment") return RunSentimentModel(args, clock);
  return RunChurnModel(args, clock);
}

}  // namespace orchard
