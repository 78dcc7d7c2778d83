# The web UI in a real browser (tests/web/ui_test.mjs): node drives Debian's chromium through
# playwright-core (from web/node_modules) against the built orchard binary.
# ORCHARD_SANITIZED: the test sizes its long-running import for a slower (sanitized) binary.
if(ORCHARD_SANITIZE)
  set(ORCHARD_WEB_SANITIZED 1)
else()
  set(ORCHARD_WEB_SANITIZED 0)
endif()
orchard_node_test(web_ui web/ui_test.mjs 600
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots;ORCHARD_SANITIZED=${ORCHARD_WEB_SANITIZED}")

# Markup in names stays text in every chart's tooltip (tests/web/markup_test.mjs), the same way.
orchard_node_test(web_markup web/markup_test.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")

# The OpenAPI document passes Redocly CLI's lint (tests/web/openapi_lint.mjs; @redocly/cli from
# web/node_modules), the same way.
orchard_node_test(openapi_lint web/openapi_lint.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
