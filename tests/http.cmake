orchard_test(http_test SOURCES integration/http_test.cc
  LIBS orchard_http orchard_test_support PkgConfig::HTTPLIB)
