# Generates migrations.cc: every migrations/NNNN_name.sql as a string in the binary, in order.
# Run as a script: cmake -DSRC_DIR=… -DOUT=… -P embed_migrations.cmake
file(GLOB files RELATIVE ${SRC_DIR} ${SRC_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  string(REGEX MATCH "^([0-9]+)_(.*)\\.sql$" _ ${f})
  math(EXPR version "${CMAKE_MATCH_1}")
  set(name ${CMAKE_MATCH_2})
  file(READ ${SRC_DIR}/${f} sql)
  string(APPEND body "      {${version}, \"${name}\", R\"orchard_sql(${sql})orchard_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from src/store/migrations/*.sql by embed_migrations.cmake. Do not edit.
#include \"store/migrate.h\"

namespace orchard::store {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = {
${body}  };
  return kAll;
}

}  // namespace orchard::store
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
