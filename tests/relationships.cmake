# Multithreading depth through every contact edit the UI makes, a restart and a departure, on both
# backends, against the real binary over a seeded book.
orchard_test(depth_test SOURCES integration/depth_test.cc
  LIBS orchard_test_support Boost::json PkgConfig::HTTPLIB)
add_dependencies(depth_test orchard)
# Building the whitespace matrix in the browser; the plan and the portfolio agree on its total.
orchard_node_test(web_whitespace web/whitespace_test.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
# Numbers that are right and read right in the browser: depth through stance edits, a churned
# account, labels in words, the org chart's legend and labels that never overlap.
orchard_node_test(web_numbers web/numbers_test.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
