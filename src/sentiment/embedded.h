// The model file built into the binary (models/sentiment.model, embedded at build time by
// embed_model.cmake), so that `orchard sentiment` and the server need no file at run time.
#pragma once

#include <string_view>

namespace orchard::sentiment {

// The text of models/sentiment.model as it was when the binary was built ("" if it was empty).
std::string_view EmbeddedModelText();

}  // namespace orchard::sentiment
