# A first load: an import into an empty table in one transaction, its indexes built at the end
# (ingest/import_first_load.h).
orchard_test(import_first_load_test SOURCES integration/import_first_load_test.cc
  LIBS orchard_ingest orchard_test_support)
# Bulk writes read back unchanged on both backends (PostgreSQL: binary COPY).
orchard_test(bulk_copy_types_test SOURCES integration/bulk_copy_types_test.cc
  LIBS orchard_store orchard_test_support)
# Ids reserved in one step while a first load holds its table, and keys in byte order
# (PostgreSQL; migration 0021).
orchard_test(held_ids_test SOURCES integration/held_ids_test.cc
  LIBS orchard_store orchard_test_support)
# A re-import reads the stored rows a batch matches in one statement per 500 (Store::GetMany).
orchard_test(import_rematch_test SOURCES integration/import_rematch_test.cc
  LIBS orchard_ingest orchard_test_support)
