# Generates embedded_model.cc: models/sentiment.model as one string in the binary, so `orchard
# sentiment` and the server need no file at run time. Run as a script:
# cmake -DSRC=… -DOUT=… -P embed_model.cmake
file(READ ${SRC} body)
string(FIND "${body}" ")orchard_model\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${SRC} holds the raw string's delimiter")
endif()
file(WRITE ${OUT}.tmp "// Generated from models/sentiment.model by embed_model.cmake. Do not edit.
#include \"sentiment/embedded.h\"

namespace orchard::sentiment {

std::string_view EmbeddedModelText() {
  return R\"orchard_model(${body})orchard_model\";
}

}  // namespace orchard::sentiment
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
