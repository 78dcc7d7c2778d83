# The table of dashboards as users meet it: the binary's report command and the API.
orchard_test(dashboards_test SOURCES integration/dashboards_test.cc
  LIBS orchard_test_support orchard_dashboard_json PkgConfig::HTTPLIB)
add_dependencies(dashboards_test orchard)
