// The CSM scoreboard: adoption (and its 30-day trend), time to first value, CSAT and onboarding
// over the accounts a CSM covers — the customer-success counterpart of the AM's NRR and
// expansion. A CSM sees their own; managers, leaders and admins pick a CSM (?csm=id keeps it).
// docs/CSM_KPIS.md defines each figure.
import { api, query } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { navigate, useLocation } from "../lib/router";
import { useSession } from "../lib/session";
import type { CsmScoreboard } from "../lib/types";
import { label, pct } from "../lib/format";
import { Empty, Show } from "../components/states";
import { DataTable } from "../components/table";

export function mayReadCsmScoreboard(role: string): boolean {
  return ["csm", "manager", "leader", "admin"].includes(role);
}

function points(delta: number | null): string {
  if (delta === null) return "—";
  const p = delta * 100;
  return `${p > 0 ? "+" : p < 0 ? "−" : "±"}${Math.abs(p).toFixed(1)} pts`;
}

function days(n: number | null): string {
  return n === null ? "—" : `${Number.isInteger(n) ? n : n.toFixed(1)} days`;
}

export function Csm() {
  const session = useSession();
  const loc = useLocation();
  const csms = [...session.users.values()].filter((u) => u.role === "csm").sort((a, b) => a.name.localeCompare(b.name));
  const asked = Number(loc.search.get("csm")) || null;
  const csm = session.user.role === "csm" && !asked ? session.user.id : asked ?? csms[0]?.id ?? null;
  const [board, reload] = useLoad(() => (csm === null ? Promise.resolve(null) : api.get<CsmScoreboard>(`/api/v1/csm/scoreboard${query({ csm })}`)), [csm]);
  const who = csm === null ? "" : session.users.get(csm)?.name ?? `User ${csm}`;
  return (
    <section aria-labelledby="csm-title">
      <h1 id="csm-title">{session.user.id === csm ? "My CSM scoreboard" : `CSM scoreboard${who ? `: ${who}` : ""}`}</h1>
      {session.user.role !== "csm" && csms.length > 0 && (
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            CSM
            <select value={csm === null ? "" : String(csm)} onChange={(e) => navigate(`/csm?csm=${(e.target as HTMLSelectElement).value}`)}>
              {csms.map((u) => (
                <option key={u.id} value={String(u.id)}>
                  {u.name || u.email}
                </option>
              ))}
            </select>
          </label>
        </form>
      )}
      <Show loaded={board} what="the scoreboard" retry={reload}>
        {(b) =>
          b === null ? (
            <Empty>No CSMs yet.</Empty>
          ) : b.accounts === 0 ? (
            <Empty>{who || "This CSM"} covers no accounts yet.</Empty>
          ) : (
            <>
              <div class="kpis" data-testid="csm-kpis">
                <dl>
                  <div>
                    <dt>Adoption rate</dt>
                    <dd data-testid="csm-adoption">{pct(b.adoption_rate)}</dd>
                    <span class="muted small">
                      {points(b.adoption_trend)} in 30 days · {b.accounts_with_usage} of {b.accounts} accounts with usage
                    </span>
                  </div>
                  <div>
                    <dt>Time to first value (median)</dt>
                    <dd data-testid="csm-ttfv">{days(b.ttfv_median_days)}</dd>
                    <span class="muted small">
                      mean {days(b.ttfv_mean_days)} · {b.ttfv_delivered} delivered, {b.ttfv_waiting} waiting
                    </span>
                  </div>
                  <div>
                    <dt>CSAT (90 days)</dt>
                    <dd data-testid="csm-csat">{pct(b.csat)}</dd>
                    <span class="muted small">
                      {b.csat_ratings} rating{b.csat_ratings === 1 ? "" : "s"}
                      {b.csat_mean !== null ? ` · mean ${b.csat_mean.toFixed(1)} of 5` : ""}
                    </span>
                  </div>
                  <div>
                    <dt>Onboarding</dt>
                    <dd data-testid="csm-onboarding">
                      {b.onboarding.on_track} on track · {b.onboarding.behind} behind · {b.onboarding.stuck} stuck
                    </dd>
                    <span class="muted small">{b.onboarding.done} done</span>
                  </div>
                </dl>
              </div>
              <section class="card" aria-labelledby="csm-accounts-title">
                <h2 id="csm-accounts-title">
                  {b.accounts} account{b.accounts === 1 ? "" : "s"} covered
                </h2>
                <DataTable
                  testId="csm-accounts"
                  rows={b.rows}
                  rowKey={(r) => r.account_id}
                  columns={[
                    { title: "Account", cell: (r) => <a href={`/accounts/${r.account_id}`}>{r.account_name}</a> },
                    { title: "Adoption", num: true, cell: (r) => pct(r.adoption) },
                    { title: "30 days ago", num: true, cell: (r) => pct(r.adoption_30d_ago) },
                    { title: "Time to first value", num: true, cell: (r) => days(r.ttfv_days) },
                    { title: "CSAT", num: true, cell: (r) => (r.csat === null ? "—" : `${pct(r.csat)} of ${r.csat_ratings}`) },
                    { title: "Onboarding", cell: (r) => label(r.onboarding) },
                  ]}
                />
                <p class="muted small">How each figure is defined: adoption = active users ÷ licensed seats (latest usage); time to first value = handoff accepted → the first-value milestone done; CSAT = ratings of 4–5 ÷ all ratings of tickets closed in 90 days.</p>
              </section>
            </>
          )
        }
      </Show>
    </section>
  );
}
