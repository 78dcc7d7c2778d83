# Round trips of a whole book (issue 21, item 5): Orchard's own export into an empty book, table
# by table, on SQLite and PostgreSQL; the Salesforce export with Orchard's own fields.
orchard_test(roundtrip_test SOURCES ingest/roundtrip_test.cc
  LIBS orchard_ingest orchard_engine orchard_service orchard_test_support)
add_dependencies(roundtrip_test orchard)
