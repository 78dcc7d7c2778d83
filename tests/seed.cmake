orchard_test(seed_test SOURCES integration/seed_test.cc LIBS orchard_ingest orchard_test_support)
