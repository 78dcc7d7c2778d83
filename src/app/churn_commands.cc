#include "app/model_commands.h"

namespace orchard {

Status RunChurnModel(const cli::ModelArgs& args, const Clock&) {
  return Fail(ErrorCode::kInvalidArgument,
              "model " + args.action + " " + args.name + ": the model is not built yet");
}

}  // namespace orchard
