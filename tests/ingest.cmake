orchard_test(ingest_test SOURCES unit/csv_test.cc LIBS orchard_ingest)
