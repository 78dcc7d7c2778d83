# Imports that check before they write and say what they guessed (issue 21, items 4, 6, 7, 8):
# money in cents, picklist targets checked with the mapping, `import csv --help`, warnings that
# count their rows, create dates from the file, and the product catalogue.
orchard_test(import_check_test SOURCES integration/import_check_test.cc
  LIBS orchard_ingest orchard_test_support Boost::json)
add_dependencies(import_check_test orchard)
