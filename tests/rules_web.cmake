# Automation in a real browser (tests/web/rules_test.mjs, issue 19 item 7), as tests/web.cmake
# runs web_ui: the Rules page and its cap meters, the editor (the condition read as one types, the
# server's refusals, a dry run), Run now and the inbox bell, an account's trace, versions and
# their diff, a stale edit, a paused rule resumed, webhooks and a dead letter replayed, and an AM
# who sees no edit controls.
orchard_node_test(web_rules web/rules_test.mjs 600
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
