orchard_test(ingest_test SOURCES unit/csv_test.cc unit/formats_test.cc LIBS orchard_ingest)
orchard_test(import_test SOURCES integration/import_test.cc
  LIBS orchard_ingest orchard_test_support Boost::json PkgConfig::HTTPLIB)
add_dependencies(import_test orchard)
