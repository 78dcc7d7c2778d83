// The plan's working parts: priorities (edited in place), risks and actions (added and moved
// through their statuses). Each is one PlanPartList, which reloads from the server after a write,
// so what is shown is what was stored.
import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { useSession, userName } from "../lib/session";
import type { Action, Plan, Priority, Risk } from "../lib/types";
import { day, label } from "../lib/format";
import { AddForm, PlanPartList, type Write } from "../components/plan_part_list";

export function PlanParts({ plan, editable }: { plan: Plan; editable: boolean }) {
  return (
    <div class="grid3">
      <Priorities planId={plan.id} editable={editable} />
      <Risks planId={plan.id} editable={editable} />
      <Actions planId={plan.id} editable={editable} />
    </div>
  );
}

function Priorities({ planId, editable }: { planId: number; editable: boolean }) {
  return (
    <PlanPartList<Priority>
      planId={planId}
      part="priorities"
      title="Strategic priorities"
      what="priorities"
      empty="No priorities yet: write them in the customer's own words."
      ordered
      editable={editable}
      item={(p, write) => <PriorityItem priority={p} editable={editable} save={(text) => write(() => api.patch(`/api/v1/plan-priorities/${p.id}`, { text }))} />}
      add={(write) => <AddPriority planId={planId} write={write} />}
    />
  );
}

function AddPriority({ planId, write }: { planId: number; write: Write }) {
  const [adding, setAdding] = useState("");
  return (
    <AddForm
      button="Add priority"
      ready={!!adding.trim()}
      submit={async () => {
        if (adding.trim() && (await write(() => api.post(`/api/v1/plans/${planId}/priorities`, { text: adding.trim(), source: "" })))) setAdding("");
      }}
    >
      <label>
        New priority
        <input value={adding} onInput={(e) => setAdding((e.target as HTMLInputElement).value)} placeholder="In the customer's words" />
      </label>
    </AddForm>
  );
}

// A priority's text, or, while it is edited in place, the form that saves it.
function PriorityItem({ priority, editable, save }: { priority: Priority; editable: boolean; save: (text: string) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(priority.text);
  if (!editing) {
    return (
      <>
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
      </>
    );
  }
  return (
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
  );
}

const levels = ["low", "medium", "high"] as const;

function Risks({ planId, editable }: { planId: number; editable: boolean }) {
  const session = useSession();
  return (
    <PlanPartList<Risk>
      planId={planId}
      part="risks"
      title="Risks"
      what="risks"
      empty="No risks recorded."
      editable={editable}
      item={(r, write) => (
        <>
          <span class={`sev ${r.severity}`}>{label(r.severity)}</span> <span class="text">{r.description}</span>
          <div class="muted">
            Likelihood {r.likelihood} · mitigation: {r.mitigation || "none yet"} · owner {userName(session, r.mitigation_owner_id)}
          </div>
          <StatusSelect value={r.status} options={["open", "mitigating", "closed"]} disabled={!editable} onChange={(status) => write(() => api.patch(`/api/v1/plan-risks/${r.id}`, { status }))} />
        </>
      )}
      add={(write) => <AddRisk planId={planId} write={write} />}
    />
  );
}

function AddRisk({ planId, write }: { planId: number; write: Write }) {
  const session = useSession();
  const [draft, setDraft] = useState({ description: "", severity: "medium", likelihood: "medium", mitigation: "" });
  return (
    <AddForm
      label="Add a risk"
      button="Add risk"
      ready={!!draft.description.trim()}
      submit={async () => {
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
    </AddForm>
  );
}

function Actions({ planId, editable }: { planId: number; editable: boolean }) {
  const session = useSession();
  return (
    <PlanPartList<Action>
      planId={planId}
      part="actions"
      title="Actions"
      what="actions"
      empty="No actions yet."
      editable={editable}
      item={(a, write) => (
        <>
          <span class="text">{a.description}</span>
          <div class="muted">
            {userName(session, a.owner_id)} · due {day(a.due_on)}
          </div>
          <StatusSelect value={a.status} options={["open", "in_progress", "done", "cancelled"]} disabled={!editable} onChange={(status) => write(() => api.patch(`/api/v1/plan-actions/${a.id}`, { status }))} />
        </>
      )}
      add={(write) => <AddAction planId={planId} write={write} />}
    />
  );
}

function AddAction({ planId, write }: { planId: number; write: Write }) {
  const session = useSession();
  const [text, setText] = useState("");
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
  return (
    <AddForm
      label="Add an action"
      button="Add action"
      ready={!!text.trim()}
      submit={async () => {
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
    </AddForm>
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
