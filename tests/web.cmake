# The web UI in a real browser (tests/web/ui_test.mjs): node drives Debian's chromium through
# playwright-core (from web/node_modules) against the built orchard binary. Without node the test
# is still registered, and fails saying why, so a machine that cannot run it is never green.
find_program(NODE_PROGRAM node)
if(NODE_PROGRAM)
  add_test(NAME web_ui COMMAND ${NODE_PROGRAM} ${CMAKE_CURRENT_SOURCE_DIR}/web/ui_test.mjs)
else()
  add_test(NAME web_ui COMMAND sh -c "echo 'node is not installed: the browser tests need Node 20 and npm (see docs/ARCHITECTURE.md)' >&2; exit 1")
endif()
# ORCHARD_SANITIZED: the test sizes its long-running import for a slower (sanitized) binary.
if(ORCHARD_SANITIZE)
  set(ORCHARD_WEB_SANITIZED 1)
else()
  set(ORCHARD_WEB_SANITIZED 0)
endif()
set_tests_properties(web_ui PROPERTIES
  TIMEOUT 600
  ENVIRONMENT "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots;ORCHARD_SANITIZED=${ORCHARD_WEB_SANITIZED}")

# Markup in names stays text in every chart's tooltip (tests/web/markup_test.mjs), the same way.
if(NODE_PROGRAM)
  add_test(NAME web_markup COMMAND ${NODE_PROGRAM} ${CMAKE_CURRENT_SOURCE_DIR}/web/markup_test.mjs)
else()
  add_test(NAME web_markup COMMAND sh -c "echo 'node is not installed: the browser tests need Node 20 and npm (see docs/ARCHITECTURE.md)' >&2; exit 1")
endif()
set_tests_properties(web_markup PROPERTIES
  TIMEOUT 300
  ENVIRONMENT "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")

# The OpenAPI document passes Redocly CLI's lint (tests/web/openapi_lint.mjs; @redocly/cli from
# web/node_modules), the same way.
if(NODE_PROGRAM)
  add_test(NAME openapi_lint COMMAND ${NODE_PROGRAM} ${CMAKE_CURRENT_SOURCE_DIR}/web/openapi_lint.mjs)
else()
  add_test(NAME openapi_lint COMMAND sh -c "echo 'node is not installed: the OpenAPI lint needs Node 20 and npm (see docs/ARCHITECTURE.md)' >&2; exit 1")
endif()
set_tests_properties(openapi_lint PROPERTIES
  TIMEOUT 300
  ENVIRONMENT "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
