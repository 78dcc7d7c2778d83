# An account manager's day in the browser (tests/web/am_day_test.mjs): an AM signs in, finds no
# edit controls on another AM's account, and on their own logs a meaningful meeting (depth, last
# meaningful contact and health move), creates and moves an opportunity, edits every part of the
# plan, marks it reviewed, opens its print-ready export and reaches an overdue review.
orchard_node_test(web_am_day web/am_day_test.mjs 600
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
