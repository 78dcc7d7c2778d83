# Issue 18 (a leader's weekly review): the engine's rules it adds — urgency, the accounts list's
# derived sorts and counts, team filters, pooled coverage — and the browser test of the review.
orchard_test(leader_engine_test SOURCES unit/urgency_test.cc unit/pooled_coverage_test.cc
  LIBS orchard_engine)
orchard_test(leader_list_test SOURCES integration/account_list_test.cc
  LIBS orchard_service orchard_test_support)
# The weekly review in a real browser (tests/web/leader_test.mjs), as tests/web.cmake runs web_ui.
orchard_node_test(web_leader web/leader_test.mjs 600
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
