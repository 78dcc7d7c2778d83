# tests/security/: the security suite through the real server (issue "Trust"). One binary per
# *_test.cc, each built on the shared world of security/harness.h.
add_library(orchard_security_harness STATIC security/harness.cc)
target_link_libraries(orchard_security_harness PUBLIC orchard_http orchard_test_support
  PkgConfig::HTTPLIB GTest::gtest)
target_include_directories(orchard_security_harness PUBLIC ${PROJECT_SOURCE_DIR}/src
  ${PROJECT_SOURCE_DIR}/tests)

file(GLOB security_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/security/*_test.cc)
foreach(source ${security_tests})
  get_filename_component(stem ${source} NAME_WE)
  orchard_test(security_${stem} SOURCES ${source} LIBS orchard_security_harness)
endforeach()
