orchard_test(http_test SOURCES integration/http_test.cc
  LIBS orchard_http orchard_test_support PkgConfig::HTTPLIB)
# The handler contract: the router alone, no database.
orchard_test(router_test SOURCES unit/router_test.cc LIBS orchard_http)
