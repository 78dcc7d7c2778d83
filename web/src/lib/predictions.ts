// The churn and upsell models in the UI (issue 20; docs/MODELS.md): an account's predictions
// with their drivers (GET /api/v1/accounts/{id}/predictions) and each model's report
// (GET /api/v1/models), as the API sends them.

export type ModelKind = "churn" | "upsell";

export interface Driver {
  feature: string;
  words: string; // the reason with its value, e.g. "no meaningful contact for 74 days"
  effect: number; // log-odds it adds (+ raises the probability)
  actionable: boolean; // the account team can act on it
}

export interface Prediction {
  kind: ModelKind;
  available: boolean;
  reason: string | null; // why there is no probability
  probability: number | null;
  drivers: Driver[];
}

export interface Predictions {
  account_id: number;
  as_of: string;
  churn: Prediction;
  upsell: Prediction;
  expected_expansion_cents: number | null;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  mean_predicted: number;
  observed: number;
}

export interface ModelReport {
  kind: ModelKind;
  trained: boolean;
  reason: string | null;
  trained_at: string | null;
  cutoff: string | null;
  train_examples: number;
  test_examples: number;
  events: number;
  accounts: number;
  auc: number | null;
  auc_logistic: number | null;
  auc_trees: number | null;
  brier: number | null;
  reliability: ReliabilityBin[];
  features: string[];
}

export interface Models {
  items: ModelReport[];
  scored_on: string | null;
  may_train: boolean;
}

export const modelName: Record<ModelKind, string> = { churn: "Churn", upsell: "Upsell" };

// A probability as a whole percent ("—" when there is none).
export function probability(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  const v = p * 100;
  return v > 0 && v < 1 ? "<1%" : `${Math.round(v)}%`;
}

export function metric(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined ? "—" : v.toFixed(digits);
}
