# Issue 21's import options on the web import page (tests/web/import_options_test.mjs): external_id
# with its system's name, a holding account for rows without one, owners added as inactive users,
# and what the summary says of them, in Debian's chromium against the built binary.
orchard_node_test(web_import_options web/import_options_test.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
