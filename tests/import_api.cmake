# Issue 21's import options on POST /api/v1/imports, the route the web import page uses: external_id
# with its system, a holding account, owners added as users, the summary, the errors and the
# OpenAPI document, through the real server over SQLite and PostgreSQL.
orchard_test(import_options_api_test SOURCES integration/import_options_api_test.cc
  LIBS orchard_http orchard_test_support PkgConfig::HTTPLIB)
