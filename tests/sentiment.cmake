# Sentiment (issue 20, item 1): the rules, the phrases, the model file (refused when damaged,
# reproduced byte for byte from the data and the seed), the held-out quality of the shipped
# model, and `orchard sentiment` through the real binary.
orchard_test(sentiment_test SOURCES sentiment/rules_test.cc sentiment/model_test.cc
  LIBS orchard_sentiment)
orchard_test(sentiment_cli_test SOURCES sentiment/cli_test.cc
  LIBS orchard_test_support Boost::json)
add_dependencies(sentiment_cli_test orchard)
