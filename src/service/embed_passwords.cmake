# Generates common_passwords.cc: common_passwords.txt (comment lines dropped) as one string in the
# binary. Run as a script: cmake -DSRC=… -DOUT=… -P embed_passwords.cmake
file(STRINGS ${SRC} lines)
set(body "")
foreach(line ${lines})
  if(NOT line MATCHES "^#" AND NOT line STREQUAL "")
    string(APPEND body "${line}\n")
  endif()
endforeach()
file(WRITE ${OUT}.tmp "// Generated from src/service/common_passwords.txt by embed_passwords.cmake. Do not edit.
#include <string_view>

namespace orchard::service {

std::string_view CommonPasswordsText() {
  return R\"orchard_pw(${body})orchard_pw\";
}

}  // namespace orchard::service
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
