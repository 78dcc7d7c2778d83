// The rule editor (admins and leaders): name, description, status, switched on or off, the
// trigger and its parameters, the condition (read by the server as one types: components/
// condition_box.tsx), the actions (each kind with its own fields), the cooldown and the daily cap.
// "Dry run" lists the accounts the rule as edited would act on now, saving nothing; "Backtest (12
// months)" replays it over the last year (components/backtest.tsx). Save creates
// (POST) or saves a new version (PATCH with the version read); a refusal is shown beside the form
// in the server's words, naming the field ("actions[0].title: must not be empty"), and a stale
// version says someone else changed the rule, keeping the edit on screen.
import { useRef, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { navigate } from "../lib/router";
import { actionName, signalKinds, textSources, triggerName, type Backtest, type DryRun, type PlaybookStep, type Rule, type RuleAction, type RuleDefinition, type RuleStatus, type Trigger, type Vocabulary } from "../lib/rules";
import { label } from "../lib/format";
import { ConditionBox } from "../components/condition_box";
import { ConflictNotice } from "../components/conflict";
import { WriteError } from "../components/refusal";
import { BacktestError, BacktestResult } from "../components/backtest";

interface Form {
  name: string;
  description: string;
  status: RuleStatus;
  enabled: boolean;
  definition: RuleDefinition;
}

export const blankDefinition: RuleDefinition = {
  trigger: { kind: "renewal_in", days: 90, catch_up_days: 30 },
  condition: "",
  actions: [{ kind: "task", title: "", owner: "am", due_in_days: 7 }],
  cooldown_days: 0,
  cap_per_day: 500,
};

function triggerDefaults(kind: string): Trigger {
  switch (kind) {
    case "renewal_in":
      return { kind, days: 90, catch_up_days: 30 };
    case "no_contact":
    case "onboarding_day":
      return { kind, days: 30, catch_up_days: 30 };
    case "health_drop":
      return { kind, points: 15 };
    case "health_colour":
      return { kind, to: ["red"], from: [] };
    case "usage_spike":
    case "usage_drop":
      return { kind, metric: "active_users", z: 3 };
    case "engagement_spike":
    case "engagement_drop":
      return { kind, signals: ["pricing_page_visit", "case_study_download"], z: 3 };
    case "review_due":
      return { kind, days: 7, catch_up_days: 30 };
    case "negative_sentiment":
      return { kind, score: -0.5 };
    default:
      return { kind };
  }
}

function actionDefaults(kind: string): RuleAction {
  switch (kind) {
    case "task":
      return { kind, title: "", owner: "am", due_in_days: 7 };
    case "notify":
      return { kind, title: "", body: "", to: ["am"] };
    case "email":
      return { kind, subject: "", body: "", to: ["am"] };
    case "set_field":
      return { kind, field: "strategic", value: "true" };
    case "playbook":
      return { kind, title: "", steps: [{ title: "", due_in_days: 0, owner: "am" }] };
    case "tech_touch":
      return { kind, subject: "", body: "", audience: "all" };
    default:
      return { kind };
  }
}

// A number typed in a box: blank is "not given" (the server's default), else the number.
function num(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}
const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
const people = (text: string): string[] =>
  text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);

// A list typed as text (a checklist a line per item, recipients separated by commas): the text
// stays as typed while the list it reads as goes to the definition.
function ListField({ text, value, set, split, join, required, multiline, hint }: { text: string; value: string[] | undefined; set: (v: string[]) => void; split: (t: string) => string[]; join: string; required?: boolean; multiline?: boolean; hint?: string }) {
  const [raw, setRaw] = useState((value ?? []).join(join));
  const onInput = (t: string) => {
    setRaw(t);
    set(split(t));
  };
  return multiline ? (
    <label class="block">
      {text}
      <textarea rows={3} value={raw} placeholder={hint} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
    </label>
  ) : (
    <label class="grow">
      {text}
      <input value={raw} required={required} placeholder={hint} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

export function RuleEditor({ rule, vocabulary, onSaved }: { rule: Rule | null; vocabulary: Vocabulary | null; onSaved?: (r: Rule) => void }) {
  const [form, setForm] = useState<Form>(() =>
    rule
      ? { name: rule.name, description: rule.description, status: rule.status, enabled: rule.enabled, definition: rule.definition }
      : { name: "", description: "", status: "draft", enabled: true, definition: blankDefinition },
  );
  const [version, setVersion] = useState(rule?.version ?? 0);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Rule | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [dryError, setDryError] = useState<ApiError | null>(null);
  // The backtest, the definition it replayed (to say when the edit has moved on) and whether one
  // is running; only the latest request's answer is shown.
  const [backtest, setBacktest] = useState<{ run: Backtest; of: string } | null>(null);
  const [backtestError, setBacktestError] = useState<ApiError | null>(null);
  const [backtesting, setBacktesting] = useState(false);
  const backtestSeq = useRef(0);

  const def = form.definition;
  // Each action's row keeps its key while others are added or removed (its typed text with it).
  const [keys, setKeys] = useState<number[]>(() => form.definition.actions.map((_, i) => i));
  const nextKey = () => Math.max(-1, ...keys) + 1;
  const setDef = (patch: Partial<RuleDefinition>) => setForm((f) => ({ ...f, definition: { ...f.definition, ...patch } }));
  const setTrigger = (patch: Partial<Trigger>) => setDef({ trigger: { ...def.trigger, ...patch } });
  const setAction = (i: number, a: RuleAction) => setDef({ actions: def.actions.map((x, j) => (j === i ? a : x)) });
  const triggers = vocabulary?.triggers ?? [def.trigger.kind];
  const actionKinds = vocabulary?.actions ?? ["task", "notify", "email", "webhook", "set_field", "playbook", "tech_touch"];

  const save = async (overVersion?: number) => {
    setError(null);
    setNote(null);
    setConflict(null);
    setBusy(true);
    try {
      const body = { name: form.name.trim(), description: form.description, status: form.status, enabled: form.enabled, definition: def };
      const saved = rule ? await api.patch<Rule>(`/api/v1/rules/${rule.id}`, { ...body, version: overVersion ?? version }) : await api.post<Rule>("/api/v1/rules", body);
      setVersion(saved.version);
      setNote(rule ? `Saved as version ${saved.version}.` : "Saved.");
      onSaved?.(saved);
      if (!rule) navigate(`/rules/${saved.id}`);
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 409 && rule) {
        // The rule moved on: say so, with its newer version, and keep this edit on screen.
        try {
          setConflict(await api.get<Rule>(`/api/v1/rules/${rule.id}`));
        } catch {
          setError(err);
        }
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const dryRun = async () => {
    setDryError(null);
    setDry(null);
    try {
      setDry(await api.post<DryRun>("/api/v1/rules/dry-run", { definition: def, limit: 20 }));
      // The definition as it stands reads: an earlier refusal of it no longer applies.
      if (error?.status === 422) setError(null);
    } catch (e) {
      setDryError(e as ApiError);
    }
  };

  const runBacktest = async () => {
    const seq = ++backtestSeq.current;
    const of = JSON.stringify(def);
    setBacktestError(null);
    setBacktesting(true);
    try {
      const run = await api.post<Backtest>("/api/v1/rules/backtest", { definition: def });
      if (seq === backtestSeq.current) setBacktest({ run, of });
    } catch (e) {
      if (seq === backtestSeq.current) {
        setBacktest(null);
        setBacktestError(e as ApiError);
      }
    } finally {
      if (seq === backtestSeq.current) setBacktesting(false);
    }
  };

  return (
    <form
      class="rule-form"
      aria-label={rule ? `Edit rule ${rule.name}` : "New rule"}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <section class="card" aria-labelledby="rule-about">
        <h2 id="rule-about">The rule</h2>
        <div class="add">
          <label>
            Name
            <input value={form.name} required maxLength={200} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Status
            <select value={form.status} onChange={(e) => setForm({ ...form, status: (e.target as HTMLSelectElement).value as RuleStatus })}>
              <option value="draft">Draft (does not act)</option>
              <option value="active">Active</option>
              <option value="archived">Archived</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: (e.target as HTMLInputElement).checked })} />
            Switched on
          </label>
        </div>
        <label class="block">
          Description
          <textarea rows={2} maxLength={2000} value={form.description} onInput={(e) => setForm({ ...form, description: (e.target as HTMLTextAreaElement).value })} />
        </label>
      </section>

      <section class="card" aria-labelledby="rule-when">
        <h2 id="rule-when">When</h2>
        <div class="add">
          <label>
            Trigger
            <select value={def.trigger.kind} onChange={(e) => setDef({ trigger: triggerDefaults((e.target as HTMLSelectElement).value) })}>
              {triggers.map((t) => (
                <option key={t} value={t}>
                  {triggerName(t)}
                </option>
              ))}
            </select>
          </label>
          <TriggerFields trigger={def.trigger} set={setTrigger} />
        </div>
        <ConditionBox value={def.condition} onChange={(condition) => setDef({ condition })} vocabulary={vocabulary} />
      </section>

      <section class="card" aria-labelledby="rule-do">
        <h2 id="rule-do">Then</h2>
        <ol class="rule-actions">
          {def.actions.map((a, i) => (
            <li key={`${keys[i] ?? i}-${a.kind}`} data-testid="rule-action">
              <fieldset class="action-items">
                <legend>
                  Action {i + 1}: {actionName(a.kind)}
                </legend>
                <div class="add">
                  <label>
                    Kind
                    <select value={a.kind} onChange={(e) => setAction(i, actionDefaults((e.target as HTMLSelectElement).value))}>
                      {actionKinds.map((k) => (
                        <option key={k} value={k}>
                          {actionName(k)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <ActionFields action={a} set={(x) => setAction(i, x)} vocabulary={vocabulary} />
                </div>
                {def.actions.length > 1 && (
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      setDef({ actions: def.actions.filter((_, j) => j !== i) });
                      setKeys(keys.filter((_, j) => j !== i));
                    }}
                  >
                    Remove action {i + 1}
                  </button>
                )}
              </fieldset>
            </li>
          ))}
        </ol>
        <AddAction kinds={actionKinds} onAdd={(k) => {
            setDef({ actions: [...def.actions, actionDefaults(k)] });
            setKeys([...keys, nextKey()]);
          }} disabled={def.actions.length >= 20} />
        <div class="add">
          {/* A box left blank is left out of the definition: the server's default (0, 500) applies. */}
          <NumberField text="Cooldown (days)" value={def.cooldown_days} set={(v) => setDef({ cooldown_days: v as number })} min={0} max={3650} />
          <NumberField text="Cap (firings a day)" value={def.cap_per_day} set={(v) => setDef({ cap_per_day: v as number })} min={1} max={1000000} />
        </div>
        <p class="muted small">
          Texts may hold merge fields such as <code>{"{{account.name}}"}</code>, <code>{"{{renewal_date}}"}</code>, <code>{"{{owner.name}}"}</code>. At its cap the rule
          pauses until someone resumes it.
        </p>
      </section>

      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {rule ? "Save new version" : "Save rule"}
        </button>
        <button type="button" onClick={() => void dryRun()}>
          Dry run
        </button>
        <button type="button" disabled={backtesting} aria-busy={backtesting} onClick={() => void runBacktest()}>
          Backtest (12 months)
        </button>
        {backtesting && (
          <span role="status" class="muted" data-testid="backtest-loading">
            <span class="spinner" aria-hidden="true" /> Replaying the last 12 months…
          </span>
        )}
        {note && (
          <span role="status" class="muted" data-testid="rule-saved">
            {note}
          </span>
        )}
      </div>
      {error && <WriteError error={error} />}
      {conflict && (
        <ConflictNotice
          what="this rule"
          currentVersion={conflict.version}
          onKeepMine={() => void save(conflict.version)}
          onTakeTheirs={() => {
            setForm({ name: conflict.name, description: conflict.description, status: conflict.status, enabled: conflict.enabled, definition: conflict.definition });
            setKeys(conflict.definition.actions.map((_, i) => nextKey() + i));
            setVersion(conflict.version);
            setConflict(null);
          }}
        />
      )}
      {backtestError && <BacktestError error={backtestError} />}
      {dryError && <WriteError error={dryError} />}
      {dry && <DryRunResult run={dry} />}
      {backtest && <BacktestResult run={backtest.run} stale={backtest.of !== JSON.stringify(def)} />}
    </form>
  );
}

function AddAction({ kinds, onAdd, disabled }: { kinds: string[]; onAdd: (kind: string) => void; disabled: boolean }) {
  const [kind, setKind] = useState("notify");
  return (
    <div class="add">
      <label class="compact">
        New action's kind
        <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {actionName(k)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={disabled} onClick={() => onAdd(kind)}>
        Add action
      </button>
    </div>
  );
}

export function DryRunResult({ run }: { run: DryRun }) {
  return (
    <section class="card" aria-labelledby="dry-run-title" data-testid="dry-run">
      <h2 id="dry-run-title">
        Dry run: it would act on {run.total} {run.total === 1 ? "account" : "accounts"} now
      </h2>
      {run.note && <p class="muted">{run.note}</p>}
      {run.accounts.length > 0 && (
        <table class="plain">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Why the trigger holds</th>
              <th scope="col">Condition</th>
            </tr>
          </thead>
          <tbody>
            {run.accounts.map((a) => (
              <tr key={a.account_id}>
                <td>
                  <a href={`/accounts/${a.account_id}`}>{a.name}</a>
                </td>
                <td>{a.trigger}</td>
                <td>{a.condition}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run.total > run.accounts.length && <p class="muted small">The first {run.accounts.length} are shown. Nothing was saved or sent.</p>}
    </section>
  );
}

function NumberField({ text, value, set, min, max, step }: { text: string; value: number | undefined; set: (v: number | undefined) => void; min?: number; max?: number; step?: number }) {
  return (
    <label>
      {text}
      <input type="number" min={min} max={max} step={step} value={value ?? ""} onInput={(e) => set(num((e.target as HTMLInputElement).value))} />
    </label>
  );
}

function TriggerFields({ trigger: t, set }: { trigger: Trigger; set: (patch: Partial<Trigger>) => void }) {
  const colours = ["green", "yellow", "red"];
  const toggle = (list: string[] | undefined, c: string, on: boolean) => (on ? [...(list ?? []).filter((x) => x !== c), c] : (list ?? []).filter((x) => x !== c));
  switch (t.kind) {
    case "renewal_in": {
      const byTier = t.days_by_tier ?? {};
      const setTier = (tier: string, v: number | undefined) => {
        const next = { ...byTier };
        if (v === undefined) delete next[tier];
        else next[tier] = v;
        set({ days_by_tier: next });
      };
      return (
        <>
          <NumberField text="Days before the renewal" value={t.days} set={(v) => set({ days: v })} min={1} max={730} />
          {["1", "2", "3"].map((tier) => (
            <NumberField key={tier} text={`Tier ${tier} (days; blank: as above)`} value={byTier[tier]} set={(v) => setTier(tier, v)} min={1} max={730} />
          ))}
          <NumberField text="Catch-up days" value={t.catch_up_days} set={(v) => set({ catch_up_days: v })} min={0} max={365} />
        </>
      );
    }
    case "no_contact":
    case "onboarding_day":
      return (
        <>
          <NumberField text={t.kind === "no_contact" ? "Days without a meaningful contact" : "Day after the handoff"} value={t.days} set={(v) => set({ days: v })} min={0} max={3650} />
          <NumberField text="Catch-up days" value={t.catch_up_days} set={(v) => set({ catch_up_days: v })} min={0} max={365} />
        </>
      );
    case "health_drop":
      return <NumberField text="Points dropped in 7 days" value={t.points} set={(v) => set({ points: v })} min={1} max={100} />;
    case "health_colour":
      return (
        <>
          {(["from", "to"] as const).map((side) => (
            <fieldset key={side} class="colours">
              <legend>{side === "to" ? "Turns" : "From (none: any)"}</legend>
              {colours.map((c) => (
                <label key={c} class="check">
                  <input type="checkbox" checked={(t[side] ?? []).includes(c)} onChange={(e) => set({ [side]: toggle(t[side], c, (e.target as HTMLInputElement).checked) })} />
                  {label(c)}
                </label>
              ))}
            </fieldset>
          ))}
        </>
      );
    case "usage_spike":
    case "usage_drop":
      return (
        <>
          <label>
            Metric
            <select value={t.metric ?? "active_users"} onChange={(e) => set({ metric: (e.target as HTMLSelectElement).value })}>
              <option value="active_users">Active users</option>
              <option value="seat_utilisation">Seat utilisation</option>
            </select>
          </label>
          <NumberField text="Robust z-score at least" value={t.z} set={(v) => set({ z: v })} min={1} max={20} step={0.1} />
        </>
      );
    case "engagement_spike":
    case "engagement_drop":
      return (
        <>
          <fieldset class="colours">
            <legend>Signals counted</legend>
            {signalKinds.map((k) => (
              <label key={k} class="check">
                <input type="checkbox" checked={(t.signals ?? []).includes(k)} onChange={(e) => set({ signals: toggle(t.signals, k, (e.target as HTMLInputElement).checked) })} />
                {label(k)}
              </label>
            ))}
          </fieldset>
          <NumberField text="Robust z-score at least" value={t.z} set={(v) => set({ z: v })} min={1} max={20} step={0.1} />
        </>
      );
    case "negative_sentiment":
      return (
        <>
          <NumberField text="Score at most" value={t.score} set={(v) => set({ score: v })} min={-1} max={0} step={0.05} />
          <fieldset class="colours">
            <legend>Texts watched (none: all)</legend>
            {textSources.map((k) => (
              <label key={k} class="check">
                <input type="checkbox" checked={(t.sources ?? []).includes(k)} onChange={(e) => set({ sources: toggle(t.sources, k, (e.target as HTMLInputElement).checked) })} />
                {label(k)}
              </label>
            ))}
          </fieldset>
        </>
      );
    case "review_due":
      return (
        <>
          <label>
            Review
            <select value={t.review ?? ""} onChange={(e) => { const v = (e.target as HTMLSelectElement).value; set({ review: v === "" ? undefined : v }); }}>
              <option value="">Any</option>
              <option value="internal">Internal</option>
              <option value="customer">Customer (QBR)</option>
            </select>
          </label>
          <NumberField text="Days before it is due" value={t.days} set={(v) => set({ days: v })} min={0} max={365} />
          <NumberField text="Catch-up days (overdue)" value={t.catch_up_days} set={(v) => set({ catch_up_days: v })} min={0} max={365} />
        </>
      );
    default:
      return null;
  }
}

function TextField({ text, value, set, required, wide }: { text: string; value: string | undefined; set: (v: string) => void; required?: boolean; wide?: boolean }) {
  return (
    <label class={wide ? "grow" : undefined}>
      {text}
      <input value={value ?? ""} required={required} onInput={(e) => set((e.target as HTMLInputElement).value)} />
    </label>
  );
}

function LongText({ text, value, set, hint }: { text: string; value: string | undefined; set: (v: string) => void; hint?: string }) {
  return (
    <label class="block">
      {text}
      <textarea rows={3} value={value ?? ""} placeholder={hint} onInput={(e) => set((e.target as HTMLTextAreaElement).value)} />
    </label>
  );
}

const ownerHelp = "am, csm, sponsor, user:EMAIL, round_robin:MANAGER_EMAIL or fewest_accounts:MANAGER_EMAIL";
const toHelp = "am, csm, sponsor, admins or user:EMAIL, separated by commas";

function ActionFields({ action: a, set, vocabulary }: { action: RuleAction; set: (a: RuleAction) => void; vocabulary: Vocabulary | null }) {
  const patch = (p: Partial<RuleAction>) => set({ ...a, ...p });
  switch (a.kind) {
    case "task":
      return (
        <>
          <TextField text="Task title" value={a.title} set={(title) => patch({ title })} required wide />
          <TextField text={`Owner (${ownerHelp})`} value={a.owner} set={(owner) => patch({ owner })} />
          <NumberField text="Due in (days)" value={a.due_in_days} set={(v) => patch({ due_in_days: v })} min={0} max={365} />
          <LongText text="Description" value={a.body} set={(body) => patch({ body })} />
          <ListField text="Checklist (one item a line)" value={a.checklist} set={(checklist) => patch({ checklist })} split={lines} join={"\n"} multiline />
        </>
      );
    case "notify":
      return (
        <>
          <ListField text={`To (${toHelp})`} value={a.to} set={(to) => patch({ to })} split={people} join=", " required />
          <TextField text="Notification title" value={a.title} set={(title) => patch({ title })} required wide />
          <LongText text="Notification body" value={a.body} set={(body) => patch({ body })} />
        </>
      );
    case "email":
      return (
        <>
          <ListField text={`To (${toHelp})`} value={a.to} set={(to) => patch({ to })} split={people} join=", " required />
          <TextField text="Subject" value={a.subject} set={(subject) => patch({ subject })} required wide />
          <LongText text="Body" value={a.body} set={(body) => patch({ body })} />
        </>
      );
    case "webhook":
      return <WebhookField action={a} set={set} />;
    case "set_field":
      return (
        <>
          <label>
            Field
            <select value={a.field} onChange={(e) => patch({ field: (e.target as HTMLSelectElement).value })}>
              {(vocabulary?.writable_fields ?? [{ name: a.field ?? "strategic", description: "" }]).map((w) => (
                <option key={w.name} value={w.name}>
                  {label(w.name)}
                  {w.description ? ` — ${w.description}` : ""}
                </option>
              ))}
            </select>
          </label>
          <TextField text="Value" value={a.value} set={(value) => patch({ value })} required />
        </>
      );
    case "playbook":
      return <PlaybookFields action={a} set={set} />;
    case "tech_touch":
      return (
        <>
          <label>
            Audience
            <select value={a.audience ?? "all"} onChange={(e) => patch({ audience: (e.target as HTMLSelectElement).value })}>
              <option value="all">Every active contact</option>
              <option value="champion">Champions</option>
              <option value="economic_buyer">Economic buyers</option>
            </select>
          </label>
          <TextField text="Subject" value={a.subject} set={(subject) => patch({ subject })} required wide />
          <LongText text="Body" value={a.body} set={(body) => patch({ body })} hint="Hello {{contact.first_name}}, …" />
        </>
      );
    default:
      return null;
  }
}

// The endpoint a webhook action posts to, chosen by name from the admin's list of endpoints
// (GET /api/v1/webhooks); whoever may not list them (a leader) types its id.
function WebhookField({ action: a, set }: { action: RuleAction; set: (a: RuleAction) => void }) {
  const [endpoints] = useLoad(() => api.get<{ items: { id: number; name: string; url: string; active: boolean }[] }>("/api/v1/webhooks"), []);
  const choose = (v: number | undefined) => set(v === undefined ? { kind: a.kind } : { ...a, endpoint_id: v });
  if (endpoints.state !== "ready") {
    return <NumberField text="Endpoint id (blank: every endpoint subscribed to the trigger)" value={a.endpoint_id} set={choose} min={1} />;
  }
  return (
    <label class="grow">
      Endpoint
      <select value={a.endpoint_id === undefined ? "" : String(a.endpoint_id)} onChange={(e) => choose(num((e.target as HTMLSelectElement).value))}>
        <option value="">Every endpoint subscribed to the trigger</option>
        {endpoints.value.items.map((w) => (
          <option key={w.id} value={String(w.id)}>
            {w.name} — {w.url}
            {w.active ? "" : " (inactive)"}
          </option>
        ))}
      </select>
    </label>
  );
}

function PlaybookFields({ action: a, set }: { action: RuleAction; set: (a: RuleAction) => void }) {
  const steps = a.steps ?? [];
  const setStep = (i: number, s: PlaybookStep) => set({ ...a, steps: steps.map((x, j) => (j === i ? s : x)) });
  return (
    <>
      <TextField text="Playbook name" value={a.title} set={(title) => set({ ...a, title })} required wide />
      <ol class="steps">
        {steps.map((s, i) => (
          <li key={`${i}/${steps.length}`}>
            <div class="add">
              <TextField text={`Step ${i + 1} title`} value={s.title} set={(title) => setStep(i, { ...s, title })} required wide />
              <TextField text="Owner" value={s.owner} set={(owner) => setStep(i, { ...s, owner })} />
              <NumberField text="Due (days after firing)" value={s.due_in_days} set={(v) => setStep(i, { ...s, due_in_days: v ?? 0 })} min={0} max={365} />
              {steps.length > 1 && (
                <button type="button" class="link" onClick={() => set({ ...a, steps: steps.filter((_, j) => j !== i) })}>
                  Remove step {i + 1}
                </button>
              )}
            </div>
            <ListField text={`Step ${i + 1} checklist (one item a line)`} value={s.checklist} set={(checklist) => setStep(i, { ...s, checklist })} split={lines} join={"\n"} multiline />
          </li>
        ))}
      </ol>
      <button type="button" disabled={steps.length >= 30} onClick={() => set({ ...a, steps: [...steps, { title: "", due_in_days: 0, owner: "am" }] })}>
        Add step
      </button>
    </>
  );
}
