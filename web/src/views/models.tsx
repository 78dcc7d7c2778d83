// Models (issue 20): the churn and upsell models trained on the book's history — their quality
// on the backtest after the cutoff (AUC of the blend, the logistic regression and the trees;
// Brier score), when and on how much data they were trained, and the reliability curve
// (predicted against observed, with the diagonal a calibrated model follows) — or why a model is
// not trained. Admins and leaders (the answer's `may_train`) get a Train button.
import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { day } from "../lib/format";
import { metric, modelName, type ModelReport, type Models as ModelsAnswer, type ReliabilityBin } from "../lib/predictions";
import { Show } from "../components/states";
import { WriteError } from "../components/refusal";

export function Models() {
  const [loaded, reload] = useLoad(() => api.get<ModelsAnswer>("/api/v1/models"), []);
  return (
    <section aria-labelledby="models-title" class="models">
      <h1 id="models-title">Models</h1>
      <p class="muted">
        Trained on this book's own history and tested on what happened after a cutoff day (a time-based backtest), then refitted on everything known. Scores are refreshed every minute.
      </p>
      <Show loaded={loaded} what="the models" retry={reload}>
        {(m) => (
          <>
            {m.scored_on && <p class="muted small">Accounts last scored as of {m.scored_on}.</p>}
            <div class="grid2">
              {m.items.map((r) => (
                <ModelCard key={r.kind} r={r} mayTrain={m.may_train} onTrained={reload} />
              ))}
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function ModelCard({ r, mayTrain, onTrained }: { r: ModelReport; mayTrain: boolean; onTrained: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const train = async () => {
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      const report = await api.post<ModelReport>(`/api/v1/models/${r.kind}/train`);
      setSaid(report.trained ? `Trained: AUC ${metric(report.auc)} on ${report.test_examples} test examples.` : `Not trained: ${report.reason ?? "no reason given"}`);
      onTrained();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card model" aria-labelledby={`model-${r.kind}`} data-testid={`model-${r.kind}`}>
      <h2 id={`model-${r.kind}`}>{modelName[r.kind]} model</h2>
      {!r.trained ? (
        <p data-testid={`model-${r.kind}-reason`}>Not trained: {r.reason ?? "no model stored yet"}</p>
      ) : (
        <>
          <dl class="facts">
            <Fact name="AUC (blend)" value={metric(r.auc)} testId={`model-${r.kind}-auc`} />
            <Fact name="AUC (logistic)" value={metric(r.auc_logistic)} />
            <Fact name="AUC (trees)" value={metric(r.auc_trees)} />
            <Fact name="Brier score" value={metric(r.brier)} />
            <Fact name="Trained" value={day(r.trained_at)} />
            <Fact name="Cutoff" value={day(r.cutoff)} />
            <Fact name="Examples" value={`${r.train_examples.toLocaleString("en-US")} train · ${r.test_examples.toLocaleString("en-US")} test`} />
            <Fact name="Events · accounts" value={`${r.events.toLocaleString("en-US")} · ${r.accounts.toLocaleString("en-US")}`} />
          </dl>
          <ReliabilityChart kind={r.kind} bins={r.reliability} />
        </>
      )}
      {mayTrain && (
        <p class="row">
          <button type="button" class="primary" disabled={busy} onClick={() => void train()} data-testid={`train-${r.kind}`}>
            {busy ? "Training…" : r.trained ? "Train again" : "Train"}
          </button>
          {said && <span role="status">{said}</span>}
        </p>
      )}
      {error && <WriteError error={error} />}
    </section>
  );
}

function Fact({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

// Predicted (x) against observed (y) per bin of the test part, the diagonal a calibrated model
// follows; each point's size grows with its count. Its data is written out for screen readers.
function ReliabilityChart({ kind, bins }: { kind: string; bins: ReliabilityBin[] }) {
  const used = bins.filter((b) => b.count > 0);
  const size = 260;
  const left = 48; // room for the y axis' labels and title
  const pad = 16;
  const bottom = 40; // room for the x axis' labels and title
  const inner = size - left - pad;
  const x = (v: number) => left + v * inner;
  const y = (v: number) => pad + (1 - v) * inner;
  const most = Math.max(1, ...used.map((b) => b.count));
  const points = used.map((b) => `${x(b.mean_predicted).toFixed(1)},${y(b.observed).toFixed(1)}`).join(" ");
  const text = used.map((b) => `predicted ${Math.round(b.mean_predicted * 100)}%, observed ${Math.round(b.observed * 100)}% (${b.count})`).join("; ");
  return (
    <figure class="reliability" data-testid={`reliability-${kind}`}>
      <svg viewBox={`0 0 ${size} ${pad + inner + bottom}`} role="img" aria-label={`Reliability curve: ${text || "no test examples"}`}>
        <line class="axis" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(0)} />
        <line class="axis" x1={x(0)} y1={y(0)} x2={x(0)} y2={y(1)} />
        <line class="diagonal" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <text x={x(t)} y={y(0) + 14} text-anchor="middle">
              {Math.round(t * 100)}%
            </text>
            <text x={left - 6} y={y(t) + 3} text-anchor="end">
              {Math.round(t * 100)}%
            </text>
          </g>
        ))}
        <text x={x(0.5)} y={y(0) + 30} text-anchor="middle">
          predicted
        </text>
        <text x={10} y={y(0.5)} text-anchor="middle" transform={`rotate(-90 10 ${y(0.5)})`}>
          observed
        </text>
        {used.length > 1 && <polyline class="curve" points={points} />}
        {used.map((b, i) => (
          <circle key={i} cx={x(b.mean_predicted)} cy={y(b.observed)} r={2.5 + 4 * Math.sqrt(b.count / most)} fill="#1b7f3b" fill-opacity="0.7" data-testid="reliability-point">
            <title>{`${Math.round(b.lo * 100)}–${Math.round(b.hi * 100)}%: predicted ${Math.round(b.mean_predicted * 100)}%, observed ${Math.round(b.observed * 100)}% of ${b.count}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption class="muted small">Reliability on the test part: each point a bin of predicted probability; on the dashed diagonal the predictions match what happened.</figcaption>
    </figure>
  );
}
