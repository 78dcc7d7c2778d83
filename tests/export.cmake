# orchard export (issue 6): the exporter over a seeded book, and the command as a user runs it.
orchard_test(export_test SOURCES ingest/export_test.cc
  LIBS orchard_ingest orchard_service orchard_test_support)
orchard_test(export_cli_test SOURCES ingest/export_cli_test.cc
  LIBS orchard_test_support Boost::json)
add_dependencies(export_cli_test orchard)
