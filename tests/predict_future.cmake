# The book models' scoring and features (issue 20, item 6 and "no feature from the future"): the
# complete trees Refresh walks give XGBoost's margins with a missing value at every split, in
# blocks as one by one; a plan changed after a past day changes nothing in that day's features.
orchard_test(predict_future_test SOURCES predict/future_test.cc
  LIBS orchard_predict orchard_ingest orchard_test_support)
