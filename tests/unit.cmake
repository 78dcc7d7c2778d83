orchard_test(domain_test
  SOURCES unit/money_test.cc unit/date_test.cc unit/tiers_test.cc unit/settings_test.cc
          unit/arr_test.cc unit/enums_test.cc unit/limits_test.cc unit/rules_test.cc
  LIBS orchard_domain)
orchard_test(cli_parse_test SOURCES unit/cli_parse_test.cc LIBS orchard_cli)
orchard_test(passwords_test SOURCES unit/passwords_test.cc LIBS orchard_service)
