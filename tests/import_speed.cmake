# A first load: an import into an empty table in one transaction, its indexes built at the end
# (ingest/import_first_load.h).
orchard_test(import_first_load_test SOURCES integration/import_first_load_test.cc
  LIBS orchard_ingest orchard_test_support)
