# Automation (issue 19): rules end to end through the real binary, both backends.
orchard_test(rules_test SOURCES integration/rules_test.cc
  LIBS orchard_test_support Boost::json PkgConfig::HTTPLIB)
orchard_test(triggers_test SOURCES automation/triggers_test.cc LIBS orchard_automation)
