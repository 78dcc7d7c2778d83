// A rule's backtest (issue 19, item 7): the rule as drafted replayed over the last 12 months a week
// at a time (POST /api/v1/rules/backtest). A bar chart of its firings by month, a table of how
// long before the renewal they came, the headline in words — does the rule predict that ARR falls
// within 90 days? — the replay's note, and the first firings with their accounts.
import { useMemo } from "preact/hooks";
import type { ApiError } from "../lib/api";
import { backtestHeadline, type Backtest } from "../lib/rules";
import { Chart, type ChartOption } from "./chart";

const sampleShown = 10;

export function BacktestResult({ run, stale }: { run: Backtest; stale: boolean }) {
  const option = useMemo(
    (): ChartOption => ({
      tooltip: { trigger: "axis" },
      grid: { top: 20, left: 45, right: 15, bottom: 30 },
      xAxis: { type: "category", data: run.by_month.map((m) => m.month) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: "Firings", type: "bar", data: run.by_month.map((m) => m.firings), itemStyle: { color: "#2f6b3a" } }],
    }),
    [run],
  );
  const head = backtestHeadline(run);
  return (
    <section class="card" aria-labelledby="backtest-title" data-testid="backtest">
      <h2 id="backtest-title">
        Backtest: {run.from} to {run.to}, a step every {run.step_days} days
      </h2>
      {stale && (
        <p class="muted" role="status">
          The rule has changed since this backtest: run it again to see the edit's effect.
        </p>
      )}
      <p data-testid="backtest-headline">
        <strong>{head.summary}</strong> {head.verdict}
      </p>
      <p class="muted small">
        Counted per firing whose 90 days have passed, and per weekly step of each account it never fired on. Replayed in {Math.round(run.ms)} ms.
      </p>
      {run.note && (
        <p class="muted" data-testid="backtest-note">
          {run.note}
        </p>
      )}
      {run.firings > 0 && (
        <>
          <h3>Firings by month</h3>
          <Chart option={option} height={220} label={`Firings by month: ${run.by_month.map((m) => `${m.month} ${m.firings}`).join(", ")}`} testId="backtest-months" />
          <h3 id="backtest-renewal">Firings by days before the renewal</h3>
          <table class="plain" aria-labelledby="backtest-renewal" data-testid="backtest-renewal">
            <thead>
              <tr>
                <th scope="col">Days before the renewal</th>
                <th scope="col" class="num">
                  Firings
                </th>
              </tr>
            </thead>
            <tbody>
              {run.by_days_to_renewal.map((b) => (
                <tr key={b.bucket}>
                  <td>{b.bucket}</td>
                  <td class="num">{b.firings}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 id="backtest-sample">The first firings</h3>
          <table class="plain" aria-labelledby="backtest-sample" data-testid="backtest-sample">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Day</th>
                <th scope="col" class="num">
                  Days to renewal
                </th>
                <th scope="col">ARR fell within 90 days</th>
              </tr>
            </thead>
            <tbody>
              {run.sample.slice(0, sampleShown).map((f) => (
                <tr key={`${f.account_id}/${f.anchor}/${f.day}`}>
                  <td>
                    <a href={`/accounts/${f.account_id}`}>{f.name}</a>
                  </td>
                  <td>{f.day}</td>
                  <td class="num">{f.days_to_renewal ?? "none ahead"}</td>
                  <td>{!f.evaluable ? "Not known yet" : f.contracted ? "Yes" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {run.firings > Math.min(sampleShown, run.sample.length) && (
            <p class="muted small">
              The first {Math.min(sampleShown, run.sample.length)} of {run.firings} firings are shown. Nothing was saved or sent.
            </p>
          )}
        </>
      )}
    </section>
  );
}

// The server's refusal of the draft, beside the Backtest button: its words and the field it names.
export function BacktestError({ error }: { error: ApiError }) {
  const fields = error.fields.filter((f) => f.message && f.field !== "x-csrf-token");
  return (
    <div class="state error" role="alert" data-testid="backtest-error">
      <strong>No backtest:</strong> {error.message}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
