# Sentiment on every text (issue 20, item 1): scored on write, by `orchard score`, in the health
# and in automation, through the real binary on both backends.
orchard_test(sentiment_wiring_test SOURCES integration/sentiment_wiring_test.cc
  LIBS orchard_test_support Boost::json PkgConfig::HTTPLIB)
