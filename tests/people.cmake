# Issue 18 (people, settings, work lists by book, the CSM's scoreboard): the server through the
# real HTTP client over SQLite and PostgreSQL, the settings' labels, and the browser test.
orchard_test(settings_labels_test SOURCES unit/settings_labels_test.cc LIBS orchard_domain)
orchard_test(csm_kpis_test SOURCES unit/csm_kpis_test.cc LIBS orchard_engine)
orchard_test(people_test SOURCES integration/people_test.cc
  LIBS orchard_http orchard_test_support PkgConfig::HTTPLIB)
orchard_node_test(web_people web/people_test.mjs 600
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
