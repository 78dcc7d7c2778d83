# The CSV reader's libFuzzer target (issue 6), built with clang-19 — the first Debian clang whose
# C++23 reads libstdc++ 12's <expected> — and run for 15 s in the suite over a seed corpus
# (new inputs go to the build folder, never the source tree). scripts/bootstrap installs clang-19.
# A build without it fails, rather than quietly dropping the test; -DORCHARD_FUZZ=OFF opts out.
option(ORCHARD_FUZZ "Build and run the CSV fuzz test (needs clang++-19)" ON)
find_program(ORCHARD_FUZZ_CXX NAMES clang++-19)
if(ORCHARD_FUZZ AND NOT ORCHARD_FUZZ_CXX)
  message(FATAL_ERROR "clang++-19 not found: the CSV fuzz test needs it (scripts/bootstrap "
                      "installs clang-19 and libclang-rt-19-dev), or configure with "
                      "-DORCHARD_FUZZ=OFF to build without the fuzz test")
endif()
if(ORCHARD_FUZZ)
  set(csv_fuzz ${CMAKE_CURRENT_BINARY_DIR}/csv_fuzz)
  add_custom_command(
    OUTPUT ${csv_fuzz}
    COMMAND ${ORCHARD_FUZZ_CXX} -std=c++23 -O1 -g -fsanitize=fuzzer,address,undefined
            -I${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/csv_fuzz.cc
            ${PROJECT_SOURCE_DIR}/src/ingest/csv.cc -o ${csv_fuzz}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/csv_fuzz.cc ${PROJECT_SOURCE_DIR}/src/ingest/csv.cc
            ${PROJECT_SOURCE_DIR}/src/ingest/csv.h ${PROJECT_SOURCE_DIR}/src/core/result.h
    COMMENT "Building the libFuzzer target csv_fuzz with clang-19")
  add_custom_target(csv_fuzz_target ALL DEPENDS ${csv_fuzz})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/csv_fuzz_work)
  add_test(NAME CsvFuzz.FifteenSecondsFindNothing
           COMMAND sh -c "mkdir -p '${work}/corpus' && exec '${csv_fuzz}' -max_total_time=15 \
-rss_limit_mb=1024 -timeout=10 -artifact_prefix='${work}/' '${work}/corpus' \
'${CMAKE_CURRENT_SOURCE_DIR}/fuzz/csv_corpus'")
  set_tests_properties(CsvFuzz.FifteenSecondsFindNothing PROPERTIES COST 15)
endif()

# The condition language's libFuzzer target (issue 19), built the same way from condition.cc,
# condition_parse.cc and condition_text.cc alone (they use only the standard library) and run
# for 15 s over its seed corpus.
if(ORCHARD_FUZZ)
  set(condition_fuzz ${CMAKE_CURRENT_BINARY_DIR}/condition_fuzz)
  add_custom_command(
    OUTPUT ${condition_fuzz}
    COMMAND ${ORCHARD_FUZZ_CXX} -std=c++23 -O1 -g -fsanitize=fuzzer,address,undefined
            -I${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/condition_fuzz.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition_parse.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition_text.cc -o ${condition_fuzz}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/condition_fuzz.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition_parse.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition_text.cc
            ${PROJECT_SOURCE_DIR}/src/automation/condition_text.h
            ${PROJECT_SOURCE_DIR}/src/automation/condition.h ${PROJECT_SOURCE_DIR}/src/core/result.h
    COMMENT "Building the libFuzzer target condition_fuzz with clang-19")
  add_custom_target(condition_fuzz_target ALL DEPENDS ${condition_fuzz})
  set(condition_work ${CMAKE_CURRENT_BINARY_DIR}/condition_fuzz_work)
  add_test(NAME ConditionFuzz.FifteenSecondsFindNothing
           COMMAND sh -c "mkdir -p '${condition_work}/corpus' && exec '${condition_fuzz}' \
-max_total_time=15 -rss_limit_mb=1024 -timeout=10 -artifact_prefix='${condition_work}/' \
'${condition_work}/corpus' '${CMAKE_CURRENT_SOURCE_DIR}/fuzz/condition_corpus'")
  set_tests_properties(ConditionFuzz.FifteenSecondsFindNothing PROPERTIES COST 15)
endif()
