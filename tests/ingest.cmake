orchard_test(ingest_test SOURCES unit/csv_test.cc unit/formats_test.cc unit/key_index_test.cc
  LIBS orchard_ingest)
orchard_test(import_test SOURCES integration/import_test.cc
  LIBS orchard_ingest orchard_test_support Boost::json PkgConfig::HTTPLIB)
add_dependencies(import_test orchard)
# The background import jobs behind /api/v1/imports (ingest/import_jobs.h).
orchard_test(import_jobs_test SOURCES ingest/import_jobs_test.cc
  LIBS orchard_ingest orchard_test_support)
