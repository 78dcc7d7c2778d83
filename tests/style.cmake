# Sizes a reader can hold in their head (tests/style/sizes.mjs): no source file over 800 lines and
# no function over 120 lines outside tests, unless a "// Long: …" comment says why. Without node
# the test is still registered, and fails saying why.
find_program(NODE_PROGRAM node)
if(NODE_PROGRAM)
  add_test(NAME source_sizes COMMAND ${NODE_PROGRAM} ${CMAKE_CURRENT_SOURCE_DIR}/style/sizes.mjs)
else()
  add_test(NAME source_sizes COMMAND sh -c "echo 'node is not installed: the size check needs Node 20 (see docs/ARCHITECTURE.md)' >&2; exit 1")
endif()
set_tests_properties(source_sizes PROPERTIES
  TIMEOUT 120
  ENVIRONMENT "ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
