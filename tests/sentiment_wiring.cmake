# Sentiment on every text (issue 20, item 1): scored on write, by `orchard score`, in the health
# and in automation, through the real binary on both backends.
orchard_test(sentiment_wiring_test SOURCES integration/sentiment_wiring_test.cc
  LIBS orchard_test_support Boost::json PkgConfig::HTTPLIB)
# In the browser (tests/web/sentiment_test.mjs): an AM logs an angry e-mail and sees a negative
# badge beside it and the phrase that drove it highlighted.
orchard_node_test(web_sentiment web/sentiment_test.mjs 300
  "ORCHARD_BINARY=$<TARGET_FILE:orchard>;ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ORCHARD_SCREENSHOTS=${CMAKE_BINARY_DIR}/web-screenshots")
