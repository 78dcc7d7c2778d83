orchard_test(ingest_test SOURCES unit/csv_test.cc unit/formats_test.cc LIBS orchard_ingest)
