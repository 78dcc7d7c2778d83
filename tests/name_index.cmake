# Migration 0020: PostgreSQL keeps the accounts' (name, id) index only where the book cannot order
# names (a collation other than byte order).
orchard_test(name_index_test SOURCES integration/name_index_test.cc
  LIBS orchard_engine orchard_store orchard_test_support)
