# The models in the API, the dashboards and `orchard report` (issue 20, item 5), through the real
# binary on both backends.
orchard_test(prediction_routes_test SOURCES integration/prediction_routes_test.cc
  LIBS orchard_test_support Boost::json PkgConfig::HTTPLIB)
add_dependencies(prediction_routes_test orchard)
# In the browser (tests/web/predictions_test.mjs): a leader reads the Models page and its
# reliability chart, an account's drivers and the growth dashboard to its end; an AM sees no
# Train button; a call transcript appears on the account's timeline.
orchard_node_test(web_predictions web/predictions_test.mjs 600
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
