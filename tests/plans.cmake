orchard_test(plans_test SOURCES unit/plan_history_test.cc unit/handoff_test.cc LIBS orchard_service)
