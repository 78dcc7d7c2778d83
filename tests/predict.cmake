# The churn and upsell models on the book's own history (issue 20, items 2–3): training on a
# seeded book, the backtest's split, too few events, the stored models, the drivers.
orchard_test(predict_test SOURCES predict/predict_test.cc
  LIBS orchard_predict orchard_ingest orchard_test_support)
