// The plan's working parts: priorities (edited in place, with their source: who said it, when),
// risks and actions (added, moved through their statuses, their owners chosen from the account's
// team). Each is one PlanPartList, which reloads from the server after a write, so what is shown
// is what was stored.
import { useState } from "preact/hooks";
import { all, api } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import type { TeamMember } from "../lib/team";
import type { Action, Contact, Plan, Priority, Risk } from "../lib/types";
import { day, label } from "../lib/format";
import { AddForm, PlanPartList, type Write } from "../components/plan_part_list";
import { FieldEdit } from "../components/field_edit";

export function PlanParts({ plan, editable, team, accountId }: { plan: Plan; editable: boolean; team: TeamMember[]; accountId: number }) {
  return (
    <div class="grid3">
      <Priorities planId={plan.id} editable={editable} accountId={accountId} />
      <Risks planId={plan.id} editable={editable} team={team} />
      <Actions planId={plan.id} editable={editable} team={team} />
    </div>
  );
}

// Who said a priority, and when: a mapped contact, or in words ("CFO at the kickoff").
interface Source {
  source_contact_id: number | null;
  source: string;
  said_on: string | null;
}
function contactName(c: Contact): string {
  return `${c.first_name} ${c.last_name}`.trim();
}
function sourceText(p: Priority, contacts: Contact[]): string {
  const who = p.source_contact_id ? contacts.find((c) => c.id === p.source_contact_id) : undefined;
  const name = who ? contactName(who) : p.source;
  if (!name && !p.said_on) return "";
  return ` — ${name ? `said by ${name}` : "said"}${p.said_on ? ` on ${day(p.said_on)}` : ""}`;
}

function SourceFields({ value, contacts, onChange }: { value: Source; contacts: Contact[]; onChange: (s: Source) => void }) {
  return (
    <>
      <label class="compact">
        Who said it
        <select
          value={value.source_contact_id === null ? "" : String(value.source_contact_id)}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            onChange({ ...value, source_contact_id: v ? Number(v) : null });
          }}
        >
          <option value="">Not a mapped contact</option>
          {contacts.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {contactName(c)}
            </option>
          ))}
        </select>
      </label>
      {value.source_contact_id === null && (
        <label class="compact">
          Source
          <input value={value.source} placeholder="e.g. CFO at the kickoff" onInput={(e) => onChange({ ...value, source: (e.target as HTMLInputElement).value })} />
        </label>
      )}
      <label class="compact">
        Said on
        <input type="date" value={value.said_on ?? ""} onInput={(e) => onChange({ ...value, said_on: (e.target as HTMLInputElement).value || null })} />
      </label>
    </>
  );
}

function Priorities({ planId, editable, accountId }: { planId: number; editable: boolean; accountId: number }) {
  const [loaded] = useLoad(() => all<Contact>(`/api/v1/accounts/${accountId}/contacts`), [accountId]);
  const contacts = loaded.state === "ready" ? loaded.value : [];
  return (
    <PlanPartList<Priority>
      planId={planId}
      part="priorities"
      title="Strategic priorities"
      what="priorities"
      empty="No priorities yet: write them in the customer's own words."
      ordered
      editable={editable}
      item={(p, write) => (
        <PriorityItem priority={p} contacts={contacts} editable={editable} save={(patch) => write(() => api.patch(`/api/v1/plan-priorities/${p.id}`, patch))} />
      )}
      add={(write) => <AddPriority planId={planId} contacts={contacts} write={write} />}
    />
  );
}

function AddPriority({ planId, contacts, write }: { planId: number; contacts: Contact[]; write: Write }) {
  const [adding, setAdding] = useState("");
  const none: Source = { source_contact_id: null, source: "", said_on: null };
  const [source, setSource] = useState<Source>(none);
  return (
    <AddForm
      button="Add priority"
      ready={!!adding.trim()}
      submit={async () => {
        if (adding.trim() && (await write(() => api.post(`/api/v1/plans/${planId}/priorities`, { text: adding.trim(), ...source, source: source.source.trim() })))) {
          setAdding("");
          setSource(none);
        }
      }}
    >
      <label>
        New priority
        <input value={adding} onInput={(e) => setAdding((e.target as HTMLInputElement).value)} placeholder="In the customer's words" />
      </label>
      {adding.trim() && <SourceFields value={source} contacts={contacts} onChange={setSource} />}
    </AddForm>
  );
}

// A priority's text and source, or, while it is edited in place, the form that saves them.
function PriorityItem({
  priority,
  contacts,
  editable,
  save,
}: {
  priority: Priority;
  contacts: Contact[];
  editable: boolean;
  save: (patch: Source & { text: string }) => Promise<boolean>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(priority.text);
  const [source, setSource] = useState<Source>(priority);
  if (!editing) {
    return (
      <>
        <span class="text">{priority.text}</span>
        <span class="muted" data-testid="priority-source">
          {sourceText(priority, contacts)}
        </span>
        {editable && (
          <button
            type="button"
            class="link"
            aria-label={`Edit priority: ${priority.text}`}
            onClick={() => {
              setText(priority.text);
              setSource({ source_contact_id: priority.source_contact_id, source: priority.source, said_on: priority.said_on });
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
        if (await save({ text, ...source, source: source.source.trim() })) setEditing(false);
      }}
    >
      <input
        aria-label="Priority text"
        value={text}
        ref={(el) => el?.focus()}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
      />
      <SourceFields value={source} contacts={contacts} onChange={setSource} />
      <button type="submit">Save</button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}

const levels = ["low", "medium", "high"] as const;

// A select of the account's team (owner AM, CSM, sponsor, who covers a buying centre), by name;
// someone named before who is no longer on the team stays shown as they are.
// `name` is its accessible name where the visible label is short ("Owner" on a row of many).
function TeamSelect({
  label: text,
  name,
  value,
  team,
  disabled,
  onChange,
}: {
  label: string;
  name?: string;
  value: number | null;
  team: TeamMember[];
  disabled?: boolean;
  onChange: (id: number | null) => void;
}) {
  const session = useSession();
  const known = value === null || team.some((m) => m.id === value);
  return (
    <label class="compact">
      {text}
      <select aria-label={name ?? text} value={value === null ? "" : String(value)} disabled={disabled} onChange={(e) => {
        const v = (e.target as HTMLSelectElement).value;
        onChange(v ? Number(v) : null);
      }}>
        {value === null && <option value="">No one yet</option>}
        {!known && <option value={String(value)}>{userName(session, value)} (not on the team)</option>}
        {team.map((m) => (
          <option key={m.id} value={String(m.id)}>
            {m.name} · {m.role}
          </option>
        ))}
      </select>
    </label>
  );
}

// Who a new risk's mitigation or action goes to first: the signed-in user if on the team, else
// the account's owner AM.
function firstOwner(team: TeamMember[], me: number): number | null {
  return team.find((m) => m.id === me)?.id ?? team[0]?.id ?? null;
}

function Risks({ planId, editable, team }: { planId: number; editable: boolean; team: TeamMember[] }) {
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
            Likelihood {r.likelihood} · mitigation: {r.mitigation || "none yet"}
            {editable && (
              <>
                {" "}
                <FieldEdit name={`the plan against “${r.description}”`} value={r.mitigation} save={(mitigation) => write(() => api.patch(`/api/v1/plan-risks/${r.id}`, { mitigation: mitigation.trim() }))} />
              </>
            )}{" "}
            · owner {userName(session, r.mitigation_owner_id)}
          </div>
          {editable && (
            <TeamSelect
              label="Who mitigates"
              name={`Who mitigates “${r.description}”`}
              value={r.mitigation_owner_id}
              team={team}
              onChange={(id) => write(() => api.patch(`/api/v1/plan-risks/${r.id}`, { mitigation_owner_id: id }))}
            />
          )}
          {editable ? (
            <StatusSelect value={r.status} options={["open", "mitigating", "closed"]} disabled={false} onChange={(status) => write(() => api.patch(`/api/v1/plan-risks/${r.id}`, { status }))} />
          ) : (
            <span class="muted"> · {label(r.status)}</span>
          )}
        </>
      )}
      add={(write) => <AddRisk planId={planId} team={team} write={write} />}
    />
  );
}

function AddRisk({ planId, team, write }: { planId: number; team: TeamMember[]; write: Write }) {
  const session = useSession();
  const [draft, setDraft] = useState({ description: "", severity: "medium", likelihood: "medium", mitigation: "" });
  const [owner, setOwner] = useState<number | null>(null);
  const chosen = owner ?? firstOwner(team, session.user.id);
  return (
    <AddForm
      label="Add a risk"
      button="Add risk"
      ready={!!draft.description.trim()}
      submit={async () => {
        const ok = await write(() =>
          api.post(`/api/v1/plans/${planId}/risks`, { ...draft, description: draft.description.trim(), mitigation_owner_id: chosen, status: "open" }),
        );
        if (ok) setDraft({ description: "", severity: "medium", likelihood: "medium", mitigation: "" });
      }}
    >
      <TeamSelect label="Owner" value={chosen} team={team} onChange={setOwner} />
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

function Actions({ planId, editable, team }: { planId: number; editable: boolean; team: TeamMember[] }) {
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
            {editable && (
              <>
                {" "}
                <FieldEdit name={`the due date of “${a.description}”`} type="date" value={a.due_on ?? ""} save={(due) => write(() => api.patch(`/api/v1/plan-actions/${a.id}`, { due_on: due || null }))} />
              </>
            )}
          </div>
          {editable && (
            <TeamSelect label="Owner" name={`Owner of “${a.description}”`} value={a.owner_id} team={team} onChange={(id) => write(() => api.patch(`/api/v1/plan-actions/${a.id}`, { owner_id: id }))} />
          )}
          {editable ? (
            <StatusSelect value={a.status} options={["open", "in_progress", "done", "cancelled"]} disabled={false} onChange={(status) => write(() => api.patch(`/api/v1/plan-actions/${a.id}`, { status }))} />
          ) : (
            <span class="muted"> · {label(a.status)}</span>
          )}
        </>
      )}
      add={(write) => <AddAction planId={planId} team={team} write={write} />}
    />
  );
}

function AddAction({ planId, team, write }: { planId: number; team: TeamMember[]; write: Write }) {
  const session = useSession();
  const [text, setText] = useState("");
  const [owner, setOwner] = useState<number | null>(null);
  const chosen = owner ?? firstOwner(team, session.user.id);
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
  return (
    <AddForm
      label="Add an action"
      button="Add action"
      ready={!!text.trim()}
      submit={async () => {
        const ok = await write(() =>
          api.post(`/api/v1/plans/${planId}/actions`, { description: text.trim(), owner_id: chosen, due_on: due || null, status: "open" }),
        );
        if (ok) setText("");
      }}
    >
      <label>
        New action
        <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
      </label>
      <TeamSelect label="Owner" value={chosen} team={team} onChange={setOwner} />
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
