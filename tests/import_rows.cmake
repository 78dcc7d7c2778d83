# Imports that real exports survive (issue 21, items 1–3): open deals without a close date, deals
# without an account, owners by name, sales teams as users, any system's key.
orchard_test(import_rows_test SOURCES integration/import_rows_test.cc
  LIBS orchard_ingest orchard_engine orchard_service orchard_test_support Boost::json)
add_dependencies(import_rows_test orchard)
