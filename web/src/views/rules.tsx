// Rules (everyone reads; admins and leaders — the list's `may_change` — change): the automation
// rules with their trigger, status, whether each is live or paused (why, and a Resume), and how
// much of its daily cap it has used today as a meter. A rule's page edits it (views/
// rule_editor.tsx) or, for the others, shows it; lists its saved versions with what changed
// from a chosen one to the current; and dry-runs it. "Run now" runs a pass and says what fired.
import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import { label } from "../lib/format";
import {
  actionName,
  capLevel,
  inboxChanged,
  mayChangeRules,
  triggerText,
  type DryRun,
  type Rule,
  type RuleList,
  type RuleVersion,
  type RunReport,
  type Vocabulary,
} from "../lib/rules";
import { Empty, Show } from "../components/states";
import { WriteError } from "../components/refusal";
import { DryRunResult, RuleEditor } from "./rule_editor";

export function CapMeter({ fired, cap }: { fired: number; cap: number }) {
  const level = capLevel(fired, cap);
  const share = cap > 0 ? Math.min(1, fired / cap) : 0;
  const words = level === "full" ? "at its cap" : level === "warn" ? "near its cap" : "";
  return (
    <div class={`cap-meter ${level}`} data-testid="cap-meter" data-level={level}>
      <span class="bar" aria-hidden="true">
        <span class="fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span class="small">
        {fired.toLocaleString("en-US")} / {cap.toLocaleString("en-US")} today
        {words && <strong> · {words}</strong>}
      </span>
    </div>
  );
}

function LiveState({ rule, mayChange, onResumed }: { rule: Rule; mayChange: boolean; onResumed: (r: Rule) => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  if (rule.paused_reason) {
    const resume = async () => {
      setError(null);
      try {
        onResumed(await api.post<Rule>(`/api/v1/rules/${rule.id}/resume`));
      } catch (e) {
        setError(e as ApiError);
      }
    };
    return (
      <div data-testid="paused">
        <strong class="paused">Paused</strong>
        {rule.paused_on && <span class="muted"> since {rule.paused_on}</span>}: {rule.paused_reason}
        {mayChange && (
          <button type="button" class="link" onClick={() => void resume()}>
            Resume<span class="sr-only"> {rule.name}</span>
          </button>
        )}
        {error && <WriteError error={error} />}
      </div>
    );
  }
  if (rule.live) return <span class="live">Live</span>;
  if (rule.status !== "active") return <span class="muted">Not acting ({label(rule.status).toLowerCase()})</span>;
  return <span class="muted">Switched off</span>;
}

export function Rules() {
  const session = useSession();
  const [rules, reload, setRules] = useLoad(() => api.get<RuleList>("/api/v1/rules"), []);
  const [ran, setRan] = useState<RunReport | null>(null);
  const [runError, setRunError] = useState<ApiError | null>(null);
  const [running, setRunning] = useState(false);

  const runNow = async () => {
    setRan(null);
    setRunError(null);
    setRunning(true);
    try {
      setRan(await api.post<RunReport>("/api/v1/rules/run"));
      reload();
      inboxChanged();
    } catch (e) {
      setRunError(e as ApiError);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section aria-labelledby="rules-title">
      <h1 id="rules-title">Rules</h1>
      <p class="muted">
        Each rule watches for something happening to an account (its trigger), checks a condition over the account, and then acts: a task, a notification, an e-mail, a webhook.
        Drafts do not act.
      </p>
      <Show loaded={rules} what="the rules" retry={reload}>
        {(list) => (
          <>
            {list.may_change && (
              <div class="row toolbar">
                <a class="button primary" href="/rules/new">
                  New rule
                </a>
                <button type="button" onClick={() => void runNow()} disabled={running}>
                  {running ? "Running…" : "Run now"}
                </button>
                {session.user.role === "admin" && <a href="/webhooks">Webhooks and dead letters</a>}
              </div>
            )}
            {ran && (
              <p role="status" class="readonly-note" data-testid="run-report">
                Ran {ran.rules} live {ran.rules === 1 ? "rule" : "rules"} over {ran.accounts.toLocaleString("en-US")} accounts: {ran.fired} fired, {ran.actions_done} actions done
                {ran.actions_failed > 0 ? `, ${ran.actions_failed} failed` : ""}.{ran.paused.length > 0 && ` Paused: ${ran.paused.join("; ")}.`}
              </p>
            )}
            {runError && <WriteError error={runError} />}
            {list.items.length === 0 ? (
              <Empty>No rules yet.</Empty>
            ) : (
              <div class="scroll-x">
                <table class="plain" data-testid="rules">
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Trigger</th>
                      <th scope="col">Does</th>
                      <th scope="col">Status</th>
                      <th scope="col">Live</th>
                      <th scope="col">Fired today</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.items.map((r) => (
                      <tr key={r.id} data-rule={r.id}>
                        <td>
                          <a href={`/rules/${r.id}`}>{r.name}</a>
                          {r.builtin && <span class="badge"> shipped</span>}
                        </td>
                        <td>{triggerText(r.definition.trigger)}</td>
                        <td>{r.definition.actions.map((a) => actionName(a.kind)).join(", ")}</td>
                        <td>
                          <span class={`rule-status ${r.status}`}>{label(r.status)}</span>
                        </td>
                        <td>
                          <LiveState
                            rule={r}
                            mayChange={list.may_change}
                            onResumed={(next) => setRules({ ...list, items: list.items.map((x) => (x.id === next.id ? next : x)) })}
                          />
                        </td>
                        <td>
                          <CapMeter fired={r.fired_today} cap={r.cap_per_day} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Show>
    </section>
  );
}

function useVocabulary() {
  const [vocabulary] = useLoad(() => api.get<Vocabulary>("/api/v1/rules/vocabulary"), []);
  return vocabulary.state === "ready" ? vocabulary.value : null;
}

export function NewRule() {
  const session = useSession();
  const vocabulary = useVocabulary();
  return (
    <section aria-labelledby="new-rule-title">
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/rules">Rules</a> / <span aria-current="page">New rule</span>
      </nav>
      <h1 id="new-rule-title">New rule</h1>
      {mayChangeRules(session.user.role) ? <RuleEditor rule={null} vocabulary={vocabulary} /> : <Empty>Only admins and leaders write rules.</Empty>}
    </section>
  );
}

export function RulePage({ id }: { id: number }) {
  const session = useSession();
  const vocabulary = useVocabulary();
  const [rule, reload, setRule] = useLoad(() => api.get<Rule>(`/api/v1/rules/${id}`), [id]);
  const [versions, reloadVersions] = useLoad(() => api.get<{ items: RuleVersion[] }>(`/api/v1/rules/${id}/versions`), [id]);
  const mayChange = mayChangeRules(session.user.role);
  return (
    <section aria-labelledby="rule-title">
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/rules">Rules</a> / <span aria-current="page">{rule.state === "ready" ? rule.value.name : `Rule ${id}`}</span>
      </nav>
      <Show loaded={rule} what="the rule" retry={reload}>
        {(r) => (
          <>
            <h1 id="rule-title">{r.name}</h1>
            <p class="row">
              <span class={`rule-status ${r.status}`}>{label(r.status)}</span>
              <LiveState rule={r} mayChange={mayChange} onResumed={setRule} />
              <span class="muted">version {r.version}</span>
              <CapMeter fired={r.fired_today} cap={r.cap_per_day} />
            </p>
            {mayChange ? (
              <RuleEditor
                key={r.id}
                rule={r}
                vocabulary={vocabulary}
                onSaved={(saved) => {
                  setRule(saved);
                  reloadVersions();
                }}
              />
            ) : (
              <RuleSummary rule={r} />
            )}
            <Show loaded={versions} what="the versions" retry={reloadVersions}>
              {(v) => <Versions rule={r} versions={v.items} />}
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}

// A rule as its readers see it (those who may not change rules).
function RuleSummary({ rule }: { rule: Rule }) {
  const d = rule.definition;
  const [dry, setDry] = useState<DryRun | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section class="card" aria-labelledby="rule-summary" data-testid="rule-summary">
      <h2 id="rule-summary">What it does</h2>
      {rule.description && <p>{rule.description}</p>}
      <dl class="facts stacked">
        <div>
          <dt>When</dt>
          <dd>{triggerText(d.trigger)}</dd>
        </div>
        <div>
          <dt>If</dt>
          <dd>
            <code>{d.condition || "always"}</code>
          </dd>
        </div>
        <div>
          <dt>Then</dt>
          <dd>
            <ol>
              {d.actions.map((a, i) => (
                <li key={i}>
                  {actionName(a.kind)}
                  {a.title || a.subject ? `: ${a.title ?? a.subject}` : ""}
                  {a.to ? ` → ${a.to.join(", ")}` : a.owner ? ` → ${a.owner}` : ""}
                </li>
              ))}
            </ol>
          </dd>
        </div>
        <div>
          <dt>Cooldown · cap</dt>
          <dd>
            {d.cooldown_days} days · {d.cap_per_day} a day
          </dd>
        </div>
      </dl>
      <button
        type="button"
        onClick={() => {
          setError(null);
          api.get<DryRun>(`/api/v1/rules/${rule.id}/dry-run?limit=20`).then(setDry, (e: ApiError) => setError(e));
        }}
      >
        Dry run
      </button>
      {error && <WriteError error={error} />}
      {dry && <DryRunResult run={dry} />}
    </section>
  );
}

function Versions({ rule, versions }: { rule: Rule; versions: RuleVersion[] }) {
  const session = useSession();
  const older = versions.filter((v) => v.version !== rule.version);
  const [from, setFrom] = useState<number | null>(null);
  const chosen = from ?? older[0]?.version ?? null;
  const [diff] = useLoad(
    () => (chosen === null ? Promise.resolve({ changes: [] as string[] }) : api.get<{ changes: string[] }>(`/api/v1/rules/${rule.id}/diff?from=${chosen}&to=${rule.version}`)),
    [rule.id, rule.version, chosen],
  );
  return (
    <section class="card" aria-labelledby="versions-title" data-testid="versions">
      <h2 id="versions-title">Versions</h2>
      <table class="plain">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Saved</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>
                {v.version}
                {v.version === rule.version && <span class="muted"> (current)</span>}
              </td>
              <td>{label(v.status)}</td>
              <td>{v.created_at.replace("T", " ").slice(0, 16)}</td>
              <td>{v.created_by === null ? "Orchard" : userName(session, v.created_by)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {older.length === 0 ? (
        <p class="muted">Only one version so far.</p>
      ) : (
        <>
          <label>
            Compare the current version with
            <select value={String(chosen)} onChange={(e) => setFrom(Number((e.target as HTMLSelectElement).value))}>
              {older.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  version {v.version}
                </option>
              ))}
            </select>
          </label>
          <Show loaded={diff} what="the changes">
            {(d) =>
              d.changes.length === 0 ? (
                <p class="muted">No change to what the rule does (its name or status may differ).</p>
              ) : (
                <ul class="diff" data-testid="diff">
                  {d.changes.map((c, i) => (
                    <li key={i}>
                      <code>{c}</code>
                    </li>
                  ))}
                </ul>
              )
            }
          </Show>
        </>
      )}
    </section>
  );
}
