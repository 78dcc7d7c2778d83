// The plan's working parts: priorities (edited in place), risks and actions (added and moved
// through their statuses). Each list reloads from the server after a write, so what is shown is
// what was stored.
import { useState } from "preact/hooks";
import { all, api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import type { Action, Plan, Priority, Risk } from "../lib/types";
import { day, label } from "../lib/format";
import { Empty, ErrorBox, Show } from "../components/states";

export function PlanParts({ plan, editable }: { plan: Plan; editable: boolean }) {
  return (
    <div class="grid3">
      <Priorities planId={plan.id} editable={editable} />
      <Risks planId={plan.id} editable={editable} />
      <Actions planId={plan.id} editable={editable} />
    </div>
  );
}

function useWrite(reload: () => void): [ApiError | null, (f: () => Promise<unknown>) => Promise<boolean>] {
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      reload();
      return true;
    } catch (e) {
      setError(e as ApiError);
      return false;
    }
  };
  return [error, run];
}

function Priorities({ planId, editable }: { planId: number; editable: boolean }) {
  const [list, reload] = useLoad(() => all<Priority>(`/api/v1/plans/${planId}/priorities`), [planId]);
  const [error, write] = useWrite(reload);
  const [adding, setAdding] = useState("");
  return (
    <section class="card" aria-labelledby="priorities-title" data-testid="priorities">
      <h2 id="priorities-title">Strategic priorities</h2>
      <Show loaded={list} what="priorities" retry={reload}>
        {(items) =>
          items.length === 0 ? (
            <Empty>No priorities yet: write them in the customer's own words.</Empty>
          ) : (
            <ol class="items">
              {items.map((p) => (
                <PriorityItem key={p.id} priority={p} editable={editable} save={(text) => write(() => api.patch(`/api/v1/plan-priorities/${p.id}`, { text }))} />
              ))}
            </ol>
          )
        }
      </Show>
      {error && <ErrorBox error={error} />}
      {editable && (
        <form
          class="add"
          onSubmit={async (e) => {
            e.preventDefault();
            if (adding.trim() && (await write(() => api.post(`/api/v1/plans/${planId}/priorities`, { text: adding.trim(), source: "" })))) setAdding("");
          }}
        >
          <label>
            New priority
            <input value={adding} onInput={(e) => setAdding((e.target as HTMLInputElement).value)} placeholder="In the customer's words" />
          </label>
          <button type="submit" disabled={!adding.trim()}>
            Add priority
          </button>
        </form>
      )}
    </section>
  );
}

function PriorityItem({ priority, editable, save }: { priority: Priority; editable: boolean; save: (text: string) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(priority.text);
  if (!editing) {
    return (
      <li>
        <span class="text">{priority.text}</span>
        {priority.said_on && <span class="muted"> · said {day(priority.said_on)}</span>}
        {editable && (
          <button
            type="button"
            class="link"
            aria-label={`Edit priority: ${priority.text}`}
            onClick={() => {
              setText(priority.text);
              setEditing(true);
            }}
          >
            Edit
          </button>
        )}
      </li>
    );
  }
  return (
    <li>
      <form
        class="inline-edit"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save(text)) setEditing(false);
        }}
      >
        <input
          aria-label="Priority text"
          value={text}
          ref={(el) => el?.focus()}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        />
        <button type="submit">Save</button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    </li>
  );
}

const levels = ["low", "medium", "high"] as const;

function Risks({ planId, editable }: { planId: number; editable: boolean }) {
  const session = useSession();
  const [list, reload] = useLoad(() => all<Risk>(`/api/v1/plans/${planId}/risks`), [planId]);
  const [error, write] = useWrite(reload);
  const [draft, setDraft] = useState({ description: "", severity: "medium", likelihood: "medium", mitigation: "" });
  return (
    <section class="card" aria-labelledby="risks-title" data-testid="risks">
      <h2 id="risks-title">Risks</h2>
      <Show loaded={list} what="risks" retry={reload}>
        {(items) =>
          items.length === 0 ? (
            <Empty>No risks recorded.</Empty>
          ) : (
            <ul class="items">
              {items.map((r) => (
                <li key={r.id}>
                  <span class={`sev ${r.severity}`}>{label(r.severity)}</span> <span class="text">{r.description}</span>
                  <div class="muted">
                    Likelihood {r.likelihood} · mitigation: {r.mitigation || "none yet"} · owner {userName(session, r.mitigation_owner_id)}
                  </div>
                  <StatusSelect value={r.status} options={["open", "mitigating", "closed"]} disabled={!editable} onChange={(status) => write(() => api.patch(`/api/v1/plan-risks/${r.id}`, { status }))} />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
      {error && <ErrorBox error={error} />}
      {editable && (
        <form
          class="add"
          aria-label="Add a risk"
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = await write(() =>
              api.post(`/api/v1/plans/${planId}/risks`, { ...draft, description: draft.description.trim(), mitigation_owner_id: session.user.id, status: "open" }),
            );
            if (ok) setDraft({ description: "", severity: "medium", likelihood: "medium", mitigation: "" });
          }}
        >
          <label>
            New risk
            <input value={draft.description} onInput={(e) => setDraft({ ...draft, description: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Mitigation
            <input value={draft.mitigation} onInput={(e) => setDraft({ ...draft, mitigation: (e.target as HTMLInputElement).value })} />
          </label>
          <label class="compact">
            Severity
            <select value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: (e.target as HTMLSelectElement).value })}>
              {levels.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <label class="compact">
            Likelihood
            <select value={draft.likelihood} onChange={(e) => setDraft({ ...draft, likelihood: (e.target as HTMLSelectElement).value })}>
              {levels.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!draft.description.trim()}>
            Add risk
          </button>
        </form>
      )}
    </section>
  );
}

function Actions({ planId, editable }: { planId: number; editable: boolean }) {
  const session = useSession();
  const [list, reload] = useLoad(() => all<Action>(`/api/v1/plans/${planId}/actions`), [planId]);
  const [error, write] = useWrite(reload);
  const [text, setText] = useState("");
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
  return (
    <section class="card" aria-labelledby="actions-title" data-testid="actions">
      <h2 id="actions-title">Actions</h2>
      <Show loaded={list} what="actions" retry={reload}>
        {(items) =>
          items.length === 0 ? (
            <Empty>No actions yet.</Empty>
          ) : (
            <ul class="items">
              {items.map((a) => (
                <li key={a.id}>
                  <span class="text">{a.description}</span>
                  <div class="muted">
                    {userName(session, a.owner_id)} · due {day(a.due_on)}
                  </div>
                  <StatusSelect value={a.status} options={["open", "in_progress", "done", "cancelled"]} disabled={!editable} onChange={(status) => write(() => api.patch(`/api/v1/plan-actions/${a.id}`, { status }))} />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
      {error && <ErrorBox error={error} />}
      {editable && (
        <form
          class="add"
          aria-label="Add an action"
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = await write(() =>
              api.post(`/api/v1/plans/${planId}/actions`, { description: text.trim(), owner_id: session.user.id, due_on: due || null, status: "open" }),
            );
            if (ok) setText("");
          }}
        >
          <label>
            New action
            <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </label>
          <label class="compact">
            Due
            <input type="date" value={due} onInput={(e) => setDue((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={!text.trim()}>
            Add action
          </button>
        </form>
      )}
    </section>
  );
}

// A plan part's status, changed in place (each change one PATCH).
function StatusSelect({ value, options, disabled, onChange }: { value: string; options: string[]; disabled: boolean; onChange: (status: string) => void }) {
  return (
    <label class="compact">
      Status
      <select value={value} disabled={disabled} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map((s) => (
          <option key={s} value={s}>
            {label(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
