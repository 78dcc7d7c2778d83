# The Salesforce-format round trip of what health and depth read (issue 21, item 5): Task, Case
# and Orchard's custom objects out and back into an empty book, on SQLite and PostgreSQL, with
# the same depth, at-risk count and NRR.
orchard_test(sf_roundtrip_test SOURCES ingest/sf_roundtrip_test.cc
  LIBS orchard_ingest orchard_engine orchard_service orchard_test_support)
add_dependencies(sf_roundtrip_test orchard)
