# The churn learners and their honest evaluation (issue 20): metrics, folds, logistic regression,
# XGBoost, the Telco loader (models_test); the evaluation through the real binary (model_cli_test).
orchard_test(models_test SOURCES models/metrics_test.cc models/folds_test.cc
  models/learners_test.cc models/telco_test.cc LIBS orchard_models)
orchard_test(model_cli_test SOURCES models/model_cli_test.cc
  LIBS orchard_test_support Boost::json)
add_dependencies(model_cli_test orchard)
