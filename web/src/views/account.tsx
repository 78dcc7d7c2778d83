// Account: the header, the health card that explains itself, the plan (its five parts), the
// reviews due, the predictions (churn and upsell with their drivers), the relationship map, the whitespace heat map, opportunities, the timeline (where
// an activity is logged) and the plan's history. Edit controls show only where the server says
// the signed-in user may change the account (its `can_edit`).
import { useMemo, useState } from "preact/hooks";
import { Chart, type ChartOption } from "../components/chart";
import { all, api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { canEditAccount, useSession, userName } from "../lib/session";
import type { Account, Health, Plan, PlanVersion } from "../lib/types";
import { day, healthColour, healthText, label, money, tierName } from "../lib/format";
import { Empty, ErrorBox, Show } from "../components/states";
import { ConflictNotice } from "../components/conflict";
import { HealthPill } from "../components/health";
import { WriteError } from "../components/refusal";
import { Opportunities } from "../components/opportunities";
import { ActivitySection } from "../components/activity_log";
import { ReviewsDue } from "../components/reviews_due";
import { AutomationSection } from "../components/automation_trace";
import { PredictionsCard } from "../components/predictions";
import { useAccountTeam } from "../lib/team";
import { PlanParts } from "./plan";
import { RelationshipSection } from "./relationships";
import { WhitespaceSection } from "./whitespace";

export function AccountPage({ id }: { id: number }) {
  const session = useSession();
  const [account] = useLoad(() => api.get<Account>(`/api/v1/accounts/${id}`), [id]);
  const [health, reloadHealth] = useLoad(() => api.get<Health>(`/api/v1/accounts/${id}/health`), [id]);
  const [plans, reloadPlans] = useLoad(() => all<Plan>(`/api/v1/accounts/${id}/plans`), [id]);
  const team = useAccountTeam(session, id, account.state === "ready" ? account.value : null);

  if (account.state === "loading") return <Show loaded={account} what="the account">{() => null}</Show>;
  if (account.state === "error") {
    return (
      <section>
        <h1>Account</h1>
        <ErrorBox error={account.error} />
        <p>
          <a href="/accounts">Back to accounts</a>
        </p>
      </section>
    );
  }
  const a = account.value;
  const plan = plans.state === "ready" ? (plans.value[0] ?? null) : null;
  const editable = canEditAccount(session, a);

  return (
    <article class="account" aria-labelledby="account-title">
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/accounts">Accounts</a> / <span aria-current="page">{a.name}</span>
      </nav>
      <header class="account-head">
        <h1 id="account-title">{a.name}</h1>
        <dl class="facts">
          <div>
            <dt>Tier</dt>
            <dd>
              <span class={`tier t${a.tier}`}>{tierName[a.tier]}</span>
              {a.tier_override !== null && a.tier_override !== a.tier_rule && <span class="muted"> (rule says tier {a.tier_rule})</span>}
            </dd>
          </div>
          <div>
            <dt>Health</dt>
            <dd data-testid="header-health">
              {health.state === "ready" ? (
                <HealthPill score={health.value.score} colour={health.value.colour} churnedAfter={health.value.churned_after} />
              ) : (
                "…"
              )}
            </dd>
          </div>
          <div>
            <dt>ARR</dt>
            <dd>{money(a.arr_cents)}</dd>
          </div>
          <div>
            <dt>Renewal</dt>
            <dd>{health.state === "ready" ? day(health.value.metrics.renewal_date) : "…"}</dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>{userName(session, a.owner_id)}</dd>
          </div>
          <div>
            <dt>Quadrant</dt>
            <dd>{health.state === "ready" ? label(health.value.metrics.quadrant) : "…"}</dd>
          </div>
          <div>
            <dt>Multithreading</dt>
            <dd data-testid="header-depth">
              {health.state === "ready" ? `${health.value.metrics.multithreading_depth} of ${health.value.metrics.multithreading_target || "—"}` : "…"}
            </dd>
          </div>
          <div>
            <dt>Last meaningful contact</dt>
            <dd data-testid="header-last-contact">{health.state === "ready" ? day(health.value.metrics.last_meaningful_contact) : "…"}</dd>
          </div>
          <div>
            <dt>Industry · region</dt>
            <dd>
              {a.industry || "—"} · {a.region || "—"}
            </dd>
          </div>
        </dl>
        {!editable && (
          <p class="readonly-note" data-testid="read-only">
            {session.user.role === "viewer"
              ? "You have read-only access: viewers see plans but cannot change them."
              : `You can read this account but not change it: it's in ${userName(session, a.owner_id)}'s book.`}
          </p>
        )}
      </header>

      <div class="grid2">
        <HealthCard loaded={health} retry={reloadHealth} />
        <section class="card" aria-labelledby="plan-title">
          <h2 id="plan-title">Account plan</h2>
          <Show loaded={plans} what="the plan" retry={reloadPlans}>
            {(list) =>
              list[0] ? (
                <>
                  {health.state === "ready" && <PlanHealth metrics={health.value.metrics} />}
                  <PlanSummary plan={list[0]} editable={editable} onSaved={reloadPlans} onReviewed={() => {
                    reloadPlans();
                    reloadHealth();
                  }} />
                </>
              ) : (
                <NoPlan accountId={id} editable={editable} onCreated={reloadPlans} />
              )
            }
          </Show>
        </section>
      </div>

      <PredictionsCard accountId={id} />
      <ReviewsDue accountId={id} tier={a.tier} />
      {plan && <PlanParts plan={plan} editable={editable} team={team} accountId={id} />}
      <RelationshipSection accountId={id} accountName={a.name} editable={editable} onChanged={reloadHealth} />
      {plan && <WhitespaceSection planId={plan.id} editable={editable} />}
      <div class="grid2">
        <Opportunities accountId={id} editable={editable} />
        <ActivitySection accountId={id} editable={editable} onLogged={reloadHealth} />
      </div>
      <AutomationSection accountId={id} />
      {plan && <PlanHistory planId={plan.id} />}
    </article>
  );
}

function HealthCard({ loaded, retry }: { loaded: ReturnType<typeof useLoad<Health>>[0]; retry: () => void }) {
  return (
    <section class="card" aria-labelledby="health-title" data-testid="health-card">
      <h2 id="health-title">Health</h2>
      <Show loaded={loaded} what="health" retry={retry}>
        {(h) => (
          <>
            {h.score === null ? (
              <p class="score">
                <HealthPill score={null} colour="none" churnedAfter={h.churned_after} />
              </p>
            ) : (
              <p class="score">
                <span class="big" style={{ color: healthText[h.colour] }}>
                  {h.score}
                </span>{" "}
                / 100 · {label(h.colour)}
              </p>
            )}
            <HealthTrend history={h.history} />
            <ul class="bars" aria-label="Health components">
              {h.components.map((c) => (
                <li key={c.name} title={c.detail}>
                  <span class="bar-name">{label(c.name)}</span>
                  <span class="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={c.value ?? 0} aria-label={`${c.name} ${c.value ?? "no data"}`}>
                    <span class="fill" style={{ width: `${c.value ?? 0}%`, background: c.value === null ? "#ccc" : barColour(c.value) }} />
                  </span>
                  <span class="bar-value">{c.value === null ? "no data" : `${c.value} × ${Math.round(c.share * 100)}%`}</span>
                  <span class="bar-detail">{c.detail}</span>
                </li>
              ))}
            </ul>
            <h3>Why it moved</h3>
            <ul class="explain" data-testid="health-explanation">
              {h.explanation.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          </>
        )}
      </Show>
    </section>
  );
}

function HealthTrend({ history }: { history: Health["history"] }) {
  const option = useMemo(
    (): ChartOption => ({
      grid: { top: 8, left: 30, right: 8, bottom: 20 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: history.map((p) => p.day), axisLabel: { fontSize: 10 } },
      yAxis: { type: "value", min: 0, max: 100, splitNumber: 2, axisLabel: { fontSize: 10 } },
      visualMap: {
        show: false,
        pieces: [
          { lt: 40, color: healthColour.red },
          { gte: 40, lt: 70, color: healthColour.yellow },
          { gte: 70, color: healthColour.green },
        ],
      },
      series: [{ type: "line", name: "Health", data: history.map((p) => p.score), showSymbol: false, lineStyle: { width: 2 } }],
    }),
    [history],
  );
  if (history.length < 2) return null;
  const first = history[0];
  const last = history[history.length - 1];
  return (
    <Chart
      option={option}
      height={110}
      label={`Health over ${history.length} days: ${first?.score ?? "no score"} on ${first?.day ?? ""}, ${last?.score ?? "no score"} on ${last?.day ?? ""}`}
      testId="health-trend"
    />
  );
}

function PlanHealth({ metrics }: { metrics: Health["metrics"] }) {
  return (
    <div class="plan-health">
      <span class="bar-name">Completeness</span>
      <span class="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={metrics.plan_completeness} aria-label={`Plan completeness ${metrics.plan_completeness} of 100`}>
        <span class="fill" style={{ width: `${metrics.plan_completeness}%`, background: barColour(metrics.plan_completeness) }} />
      </span>
      <span>{metrics.plan_completeness}/100</span>
      <span class={metrics.plan_stale ? "overdue" : "muted"} data-testid="plan-freshness">
        {metrics.plan_freshness_days === null
          ? "Never reviewed"
          : `Reviewed or changed ${metrics.plan_freshness_days} days ago${metrics.plan_stale ? ` — stale (refresh every ${metrics.plan_refresh_days} days)` : ""}`}
      </span>
    </div>
  );
}

function barColour(v: number): string {
  return v >= 70 ? healthColour.green! : v >= 40 ? healthColour.yellow! : healthColour.red!;
}

function NoPlan({ accountId, editable, onCreated }: { accountId: number; editable: boolean; onCreated: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const create = async () => {
    try {
      await api.post(`/api/v1/accounts/${accountId}/plans`, { summary: "" });
      onCreated();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <Empty>
      This account has no plan yet.{" "}
      {editable && (
        <button type="button" class="primary" onClick={create}>
          Start a plan
        </button>
      )}
      {error && <WriteError error={error} />}
    </Empty>
  );
}

// The plan's summary: a versioned edit. A stale version shows the conflict and keeps the text.
// "Mark plan reviewed" sets its last_reviewed_at (the freshness above starts again); "Export plan
// (PDF)" opens the one-page export, print-ready, for the browser's Print → Save as PDF.
function PlanSummary({ plan, editable, onSaved, onReviewed }: { plan: Plan; editable: boolean; onSaved: () => void; onReviewed: () => void }) {
  const [text, setText] = useState(plan.summary);
  const [base, setBase] = useState(plan);
  const [conflict, setConflict] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const markReviewed = async () => {
    setError(null);
    setSaved(null);
    try {
      const p = await api.post<Plan>(`/api/v1/plans/${plan.id}/reviewed`);
      setBase(p);
      setSaved(`Marked reviewed on ${day(p.last_reviewed_at)}.`);
      onReviewed();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const save = async (version: number) => {
    setError(null);
    setSaved(null);
    try {
      const p = await api.patch<Plan>(`/api/v1/plans/${plan.id}`, { summary: text, version });
      setBase(p);
      setConflict(null);
      setSaved("Saved.");
      onSaved();
    } catch (e) {
      const err = e as ApiError;
      if (err.conflict) setConflict(err.currentVersion);
      else setError(err);
    }
  };
  const takeTheirs = async () => {
    const p = await api.get<Plan>(`/api/v1/plans/${plan.id}`);
    setBase(p);
    setText(p.summary);
    setConflict(null);
  };
  return (
    <form
      class="summary"
      onSubmit={(e) => {
        e.preventDefault();
        void save(base.version);
      }}
    >
      {editable ? (
        <>
          <label for="plan-summary">Summary</label>
          <textarea id="plan-summary" rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        </>
      ) : (
        <>
          <h3 class="label">Summary</h3>
          <p data-testid="plan-summary-text">{text || "No summary yet."}</p>
        </>
      )}
      <p class="muted">
        Version {base.version} · last reviewed {day(base.last_reviewed_at)} · updated {day(base.updated_at)}
      </p>
      {conflict !== null && <ConflictNotice what="the plan summary" currentVersion={conflict} onKeepMine={() => save(conflict)} onTakeTheirs={takeTheirs} />}
      {error && <WriteError error={error} />}
      <div class="row">
        {editable && (
          <button type="submit" disabled={text === base.summary && conflict === null}>
            Save summary
          </button>
        )}
        {editable && (
          <button type="button" onClick={() => void markReviewed()}>
            Mark plan reviewed
          </button>
        )}
        <button
          type="button"
          title="Opens the plan as one print-ready page: use your browser's Print (Ctrl+P) and choose Save as PDF"
          onClick={() => window.open(`/api/v1/plans/${plan.id}/export`, "_blank")}
        >
          Export plan (PDF)
        </button>
        {saved && <span role="status">{saved}</span>}
      </div>
    </form>
  );
}

function PlanHistory({ planId }: { planId: number }) {
  const session = useSession();
  const [versions, reload] = useLoad(() => all<PlanVersion>(`/api/v1/plan-versions?plan_id=${planId}`), [planId]);
  const rows = useMemo(() => (versions.state === "ready" ? [...versions.value].reverse() : []), [versions]);
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">Plan history</h2>
      <Show loaded={versions} what="the plan's history" retry={reload}>
        {() =>
          rows.length === 0 ? (
            <Empty>No versions recorded.</Empty>
          ) : (
            <ol class="timeline" tabIndex={0} aria-label="Plan versions, newest first">
              {rows.map((v) => (
                <li key={v.id}>
                  <time dateTime={v.changed_at}>{day(v.changed_at)}</time> <span class="kind">v{v.version}</span> {v.change_summary} — {userName(session, v.changed_by)}
                </li>
              ))}
            </ol>
          )
        }
      </Show>
    </section>
  );
}

