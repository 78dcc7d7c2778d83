add_library(orchard_test_support STATIC support/process.cc support/socket.cc
  support/test_database.cc)
target_link_libraries(orchard_test_support PUBLIC orchard_store GTest::gtest)
target_include_directories(orchard_test_support PUBLIC ${PROJECT_SOURCE_DIR}/tests)
orchard_test(cli_test SOURCES integration/cli_test.cc
  LIBS orchard_test_support orchard_store PkgConfig::HTTPLIB)
add_dependencies(cli_test orchard)
