// The account's predictions (issue 20): the churn and upsell probability, each with its top
// drivers in words — what the account team can act on marked and listed first, as the server
// orders them — or, when a model gives no score, why; and the expected expansion (upsell ×
// open whitespace).
import { api } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { money } from "../lib/format";
import { modelName, probability, type Prediction, type Predictions } from "../lib/predictions";
import { Show } from "./states";

export function PredictionsCard({ accountId }: { accountId: number }) {
  const [loaded, reload] = useLoad(() => api.get<Predictions>(`/api/v1/accounts/${accountId}/predictions`), [accountId]);
  return (
    <section class="card" aria-labelledby="predictions-title" data-testid="predictions">
      <h2 id="predictions-title">Predictions</h2>
      <Show loaded={loaded} what="the predictions" retry={reload}>
        {(p) => (
          <>
            <div class="grid2 predictions">
              <PredictionBlock p={p.churn} />
              <PredictionBlock p={p.upsell} />
            </div>
            <p data-testid="expected-expansion">
              Expected expansion:{" "}
              <strong>{p.expected_expansion_cents === null ? "—" : money(p.expected_expansion_cents)}</strong>{" "}
              <span class="muted small">(upsell probability × open whitespace)</span>
            </p>
          </>
        )}
      </Show>
    </section>
  );
}

function PredictionBlock({ p }: { p: Prediction }) {
  const title = `${modelName[p.kind]} probability`;
  if (!p.available) {
    return (
      <div data-testid={`prediction-${p.kind}`}>
        <h3>{title}</h3>
        <p class="muted" data-testid={`prediction-${p.kind}-reason`}>
          No score: {p.reason ?? "the model gives none for this account"}
        </p>
      </div>
    );
  }
  return (
    <div data-testid={`prediction-${p.kind}`}>
      <h3>{title}</h3>
      <p class="score">
        <span class="big" data-testid={`prediction-${p.kind}-probability`}>
          {probability(p.probability)}
        </span>
      </p>
      {p.drivers.length > 0 && (
        <>
          <h4 class="label">Top drivers</h4>
          <ul class="drivers" data-testid={`drivers-${p.kind}`}>
            {p.drivers.map((d) => (
              <li key={d.feature} class={d.actionable ? "actionable" : undefined} data-testid="driver">
                <span aria-hidden="true">{d.effect >= 0 ? "▲" : "▼"}</span> {d.words}
                {d.actionable && <span class="tag" title="The account team can act on this">actionable</span>}
                <span class="sr-only">{d.effect >= 0 ? " (raises the probability)" : " (lowers the probability)"}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
