# Multithreading depth through every contact edit the UI makes, a restart and a departure, on both
# backends, against the real binary over a seeded book.
orchard_test(depth_test SOURCES integration/depth_test.cc
  LIBS orchard_test_support Boost::json PkgConfig::HTTPLIB)
add_dependencies(depth_test orchard)
# Building the whitespace matrix in the browser; the plan and the portfolio agree on its total.
orchard_node_test(web_whitespace web/whitespace_test.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
