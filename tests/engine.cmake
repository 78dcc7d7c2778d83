orchard_test(engine_test SOURCES unit/retention_test.cc unit/dashboards_test.cc unit/health_test.cc
  unit/column_order_test.cc
  unit/relationships_test.cc unit/kpi_period_test.cc unit/plan_parts_test.cc
  LIBS orchard_engine)
orchard_test(engine_store_test SOURCES integration/read_model_test.cc
  LIBS orchard_service orchard_ingest orchard_test_support)
