-- 0017: the churn and upsell models trained on the book's own history (issue 20, items 2–3;
-- docs/MODELS.md). `orchard model train churn|upsell` stores a new version of its kind; the
-- server and `orchard model show` read the latest version per kind. `features` is the JSON array
-- of the feature keys the model was trained on (a model whose list differs from the code's is
-- refused: "retrain"); `report` is the backtest's report as JSON; `model` the fitted model as
-- JSON: the logistic regression's standardisation and coefficients, the trees (XGBoost's JSON
-- model) and the blend weight. Text only: the store binds integers and text.
CREATE TABLE predictive_models (
  id {{ID}},
  kind TEXT NOT NULL,
  version BIGINT NOT NULL,
  trained_at TIMESTAMP NOT NULL,
  features TEXT NOT NULL,
  report TEXT NOT NULL,
  model TEXT NOT NULL,
  UNIQUE (kind, version)
);
