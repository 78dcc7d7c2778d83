# The condition language of automation rules (issue 19).
orchard_test(condition_test SOURCES unit/condition_test.cc LIBS orchard_automation)
