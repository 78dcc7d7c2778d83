// The relationship map: an org chart (reports-to lines) coloured by stance, with buying-role
// badges; the contact list beside it edits, in place, each contact's stance, buying role,
// influence (1–5), reports-to line and status (active or departed) — each a versioned edit: a
// stale one shows the conflict. The chart is also written out as text for screen readers.
import { useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import type { Contact, RelationshipMap, Stance } from "../lib/types";
import { day, label, stanceColour } from "../lib/format";
import { Chart, type ChartOption } from "../components/chart";
import { Empty, Show } from "../components/states";
import { WriteError } from "../components/refusal";
import { ConflictNotice } from "../components/conflict";

const stances: Stance[] = ["champion", "supporter", "neutral", "detractor", "blocker"];
const roleBadge: Record<string, string> = {
  economic_buyer: "EB",
  champion: "CH",
  decision_maker: "DM",
  technical_evaluator: "TE",
  influencer: "IN",
  user: "US",
  coach: "CO",
  blocker: "BL",
};

interface TreeNode {
  name: string;
  value?: number;
  itemStyle: { color: string; borderColor?: string; borderType?: string; borderWidth?: number };
  label?: object;
  children: TreeNode[];
}

function treeOf(map: RelationshipMap, accountName: string): TreeNode {
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const kids = new Map<number, number[]>();
  for (const e of map.edges) kids.set(e.from, [...(kids.get(e.from) ?? []), e.to]);
  const seen = new Set<number>();
  const node = (id: number): TreeNode | null => {
    const c = byId.get(id);
    if (!c || seen.has(id)) return null;
    seen.add(id);
    const badge = c.buying_role ? ` [${roleBadge[c.buying_role] ?? c.buying_role}]` : "";
    return {
      name: `${c.name}${badge}`,
      value: c.id,
      itemStyle: {
        color: c.status === "departed" ? "#ffffff" : (stanceColour[c.stance] ?? "#888"),
        borderColor: stanceColour[c.stance] ?? "#888",
        borderWidth: 2,
        ...(c.status === "departed" ? { borderType: "dashed" } : {}),
      },
      children: (kids.get(id) ?? []).map(node).filter((n): n is TreeNode => n !== null),
    };
  };
  return {
    name: accountName,
    itemStyle: { color: "#2f6b3a" },
    children: map.roots.map(node).filter((n): n is TreeNode => n !== null),
  };
}

export function RelationshipSection({
  accountId,
  accountName,
  editable,
  onChanged,
}: {
  accountId: number;
  accountName: string;
  editable: boolean;
  onChanged: () => void;
}) {
  const [map, reload, setMap] = useLoad(() => api.get<RelationshipMap>(`/api/v1/accounts/${accountId}/relationship-map`), [accountId]);
  // A chart whose labels never overlap: top-down while each level fits its names side by side,
  // left-to-right (one row per contact, names to the right) once a level is too wide.
  const shape = useMemo(() => (map.state === "ready" ? shapeOf(map.value) : { levels: 1, widest: 1, leaves: 1 }), [map]);
  const sideways = shape.widest > 6;
  const option = useMemo((): ChartOption | null => {
    if (map.state !== "ready") return null;
    const across = Math.max(60, Math.floor(900 / Math.max(1, shape.widest)) - 8);
    return {
      tooltip: { trigger: "item", triggerOn: "mousemove" },
      series: [
        {
          type: "tree",
          data: [treeOf(map.value, accountName)],
          orient: sideways ? "LR" : "TB",
          top: sideways ? 20 : 30,
          bottom: sideways ? 20 : 60,
          left: sideways ? 120 : 20,
          right: sideways ? 220 : 20,
          symbol: "circle",
          symbolSize: 14,
          expandAndCollapse: false,
          initialTreeDepth: -1,
          label: sideways
            ? { position: "left", fontSize: 11, distance: 6, width: 110, overflow: "truncate" }
            : { position: "top", fontSize: 11, distance: 6, width: across, overflow: "truncate" },
          leaves: { label: sideways ? { position: "right", distance: 6, width: 200, overflow: "truncate" } : { position: "bottom", distance: 6, width: across, overflow: "truncate" } },
          labelLayout: { hideOverlap: true },
          lineStyle: { color: "#b7c2b9", width: 1.5 },
          animation: false,
        },
      ],
    };
  }, [map, accountName, shape, sideways]);

  const replace = (c: Contact) => {
    if (map.state !== "ready") return;
    setMap({ ...map.value, nodes: map.value.nodes.map((n) => (n.id === c.id ? { ...n, ...c, name: n.name } : n)) });
    onChanged();
  };

  return (
    <section class="card" aria-labelledby="map-title">
      <h2 id="map-title">Relationship map</h2>
      <Show loaded={map} what="the relationship map" retry={reload}>
        {(m) =>
          m.nodes.length === 0 ? (
            <>
              <Empty>No contacts mapped yet.</Empty>
              {editable && <AddContact accountId={accountId} contacts={m.nodes} onAdded={reload} />}
            </>
          ) : (
            <>
              {m.alerts.length > 0 && (
                <ul class="alerts" aria-label="Relationship alerts">
                  {m.alerts.map((a, i) => (
                    <li key={i}>⚠ {a.why}</li>
                  ))}
                </ul>
              )}
              <ul class="legend" aria-label="Stance colours">
                {stances.map((s) => (
                  <li key={s}>
                    <span class="dot" style={{ background: stanceColour[s] }} /> {label(s)}
                  </li>
                ))}
                <li>
                  <span class="dot departed" /> Departed
                </li>
              </ul>
              <ul class="legend" aria-label="Buying-role tags" data-testid="role-legend">
                {Object.entries(roleBadge).map(([role, tag]) => (
                  <li key={role}>
                    <span class="badge">[{tag}]</span> {label(role)}
                  </li>
                ))}
              </ul>
              {option && (
                <Chart
                  option={option}
                  height={sideways ? Math.max(320, 40 + 24 * shape.leaves) : Math.max(320, 120 + 60 * shape.levels)}
                  label={`Org chart of ${m.nodes.length} contacts, coloured by stance`}
                  testId="relationship-chart"
                  onClick={(p) => {
                    // A person in the chart: edit them in place, in the contact list below.
                    const id = (p.data as { value?: number } | undefined)?.value;
                    if (id) document.querySelector<HTMLSelectElement>(`tr[data-contact="${id}"] select`)?.focus();
                  }}
                />
              )}
              <ul class="sr-only" data-testid="map-as-text" aria-label="Relationship map as text">
                {m.nodes.map((n) => (
                  <li key={n.id} data-contact={n.id} data-stance={n.stance}>
                    {n.name}: {label(n.stance)}
                    {n.buying_role ? `, ${label(n.buying_role)}` : ""}
                    {n.reports_to_id ? `, reports to ${m.nodes.find((x) => x.id === n.reports_to_id)?.name ?? "someone unmapped"}` : ""}
                  </li>
                ))}
              </ul>
              <p class="muted" data-testid="engaged-rule">
                {m.engaged_rule} Engaged now: <strong>{m.depth}</strong>.
              </p>
              <ContactTable
                contacts={m.nodes}
                editable={editable}
                onSaved={replace}
                onLinesChanged={() => {
                  // A role, an influence or a departure also moves health (relationships).
                  reload();
                  onChanged();
                }}
              />
              {editable && <AddContact accountId={accountId} contacts={m.nodes} onAdded={reload} />}
            </>
          )
        }
      </Show>
    </section>
  );
}

// The org chart's shape: how many levels, the most contacts on one level, and how many leaves.
function shapeOf(m: RelationshipMap): { levels: number; widest: number; leaves: number } {
  const parent = new Map(m.edges.map((e) => [e.to, e.from]));
  const perLevel = new Map<number, number>();
  let levels = 1;
  for (const n of m.nodes) {
    let d = 1;
    let id: number | undefined = n.id;
    const seen = new Set<number>();
    while (id !== undefined && parent.has(id) && !seen.has(id)) {
      seen.add(id);
      id = parent.get(id);
      d++;
    }
    levels = Math.max(levels, d);
    perLevel.set(d, (perLevel.get(d) ?? 0) + 1);
  }
  const managers = new Set(m.edges.map((e) => e.from));
  return { levels, widest: Math.max(1, ...perLevel.values()), leaves: Math.max(1, m.nodes.filter((n) => !managers.has(n.id)).length) };
}

function ContactTable({
  contacts,
  editable,
  onSaved,
  onLinesChanged,
}: {
  contacts: Contact[];
  editable: boolean;
  onSaved: (c: Contact) => void;
  onLinesChanged: () => void;
}) {
  return (
    <table class="plain" data-testid="contacts">
      <caption>Contacts</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Title</th>
          <th scope="col">Role</th>
          <th scope="col">Stance</th>
          <th scope="col">Reports to</th>
          <th scope="col" class="num">
            Influence
          </th>
          <th scope="col">Last meaningful contact</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {contacts.map((c) => (
          <ContactRow key={c.id} contact={c} everyone={contacts} editable={editable} onSaved={onSaved} onLinesChanged={onLinesChanged} />
        ))}
      </tbody>
    </table>
  );
}

type ContactPatch = { stance?: Stance; reports_to_id?: number | null; buying_role?: string | null; influence?: number; status?: Contact["status"] };

function ContactRow({
  contact,
  everyone,
  editable,
  onSaved,
  onLinesChanged,
}: {
  contact: Contact;
  everyone: Contact[];
  editable: boolean;
  onSaved: (c: Contact) => void;
  onLinesChanged: () => void;
}) {
  const [choice, setChoice] = useState<Stance>(contact.stance);
  const [manager, setManager] = useState<number | null>(contact.reports_to_id);
  const [pending, setPending] = useState<ContactPatch | null>(null);
  // The version this row last stored: a second edit made before the map is re-read is not a
  // conflict with one's own first edit. Saves of one row go one after another, each with the
  // version the one before it stored, so an edit made while the last is still on its way is not
  // a conflict with oneself either (a quick second choice used to send the old version: 409).
  const stored = useRef(contact.version);
  const shown = useRef(contact.version);
  shown.current = contact.version;
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [conflict, setConflict] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const save = (patch: ContactPatch) => {
    queue.current = queue.current.then(() => send(patch));
    return queue.current;
  };
  const send = async (patch: ContactPatch) => {
    setError(null);
    setPending(patch);
    try {
      const version = Math.max(stored.current, shown.current);
      const saved = await api.patch<Contact>(`/api/v1/contacts/${contact.id}`, { ...patch, version });
      stored.current = saved.version;
      setConflict(null);
      setPending(null);
      // A line, a role or a departure changes the chart's shape and the map's alerts: re-read it.
      if ("stance" in patch) onSaved(saved);
      else onLinesChanged();
    } catch (e) {
      const err = e as ApiError;
      if (err.conflict) setConflict(err.currentVersion);
      else {
        setError(err);
        setChoice(contact.stance);
        setManager(contact.reports_to_id);
      }
    }
  };
  const takeTheirs = async () => {
    const c = await api.get<Contact>(`/api/v1/contacts/${contact.id}`);
    setChoice(c.stance);
    setManager(c.reports_to_id);
    setConflict(null);
    setPending(null);
    onLinesChanged();
  };
  return (
    <>
      <tr data-contact={contact.id}>
        <th scope="row">{contact.name}</th>
        <td>{contact.title || "—"}</td>
        <td>
          {editable ? (
            <select
              aria-label={`Buying role of ${contact.name}`}
              value={contact.buying_role ?? ""}
              onChange={(e) => {
                const v = (e.target as HTMLSelectElement).value;
                void save({ buying_role: v || null });
              }}
            >
              <option value="">—</option>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {label(r)}
                </option>
              ))}
            </select>
          ) : contact.buying_role ? (
            <span class="badge">{label(contact.buying_role)}</span>
          ) : (
            "—"
          )}
        </td>
        <td>
          <select
            aria-label={`Stance of ${contact.name}`}
            value={choice}
            disabled={!editable}
            style={{ borderLeft: `6px solid ${stanceColour[choice]}` }}
            onChange={(e) => {
              const s = (e.target as HTMLSelectElement).value as Stance;
              setChoice(s);
              void save({ stance: s });
            }}
          >
            {stances.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </td>
        <td>
          <select
            aria-label={`${contact.name} reports to`}
            value={manager === null ? "" : String(manager)}
            disabled={!editable}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              const m = v === "" ? null : Number(v);
              setManager(m);
              void save({ reports_to_id: m });
            }}
          >
            <option value="">No one mapped</option>
            {everyone
              .filter((o) => o.id !== contact.id)
              .map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.name}
                </option>
              ))}
          </select>
        </td>
        <td class="num">
          {editable ? (
            <select aria-label={`Influence of ${contact.name}`} value={String(contact.influence)} onChange={(e) => void save({ influence: Number((e.target as HTMLSelectElement).value) })}>
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          ) : (
            contact.influence
          )}
        </td>
        <td data-engaged={contact.engaged ? "yes" : "no"} title={contact.last_engaged_on ? `Last activity in the CRM: ${day(contact.last_engaged_on)}` : undefined}>
          {day(contact.last_meaningful_on)}
          {contact.engaged && <span class="badge">engaged</span>}
        </td>
        <td>
          {editable ? (
            <select
              aria-label={`Status of ${contact.name}`}
              value={contact.status}
              onChange={(e) => void save({ status: (e.target as HTMLSelectElement).value as Contact["status"] })}
            >
              <option value="active">Active</option>
              <option value="departed">Departed</option>
            </select>
          ) : (
            label(contact.status)
          )}
          {contact.status === "departed" && contact.departed_on && <small> since {day(contact.departed_on)}</small>}
        </td>
      </tr>
      {(conflict !== null || error) && (
        <tr>
          <td colSpan={8}>
            {conflict !== null && pending && (
              <ConflictNotice what={`${contact.name}'s record`} currentVersion={conflict} onKeepMine={() => { stored.current = conflict; return save(pending); }} onTakeTheirs={takeTheirs} />
            )}
            {error && <WriteError error={error} />}
          </td>
        </tr>
      )}
    </>
  );
}

const roles = ["economic_buyer", "champion", "decision_maker", "technical_evaluator", "influencer", "user", "coach", "blocker"];

function AddContact({ accountId, contacts, onAdded }: { accountId: number; contacts: Contact[]; onAdded: () => void }) {
  const empty = { first_name: "", last_name: "", title: "", buying_role: "", stance: "neutral", reports_to_id: "" };
  const [draft, setDraft] = useState(empty);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (k: keyof typeof empty) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(`/api/v1/accounts/${accountId}/contacts`, {
        first_name: draft.first_name.trim(),
        last_name: draft.last_name.trim(),
        title: draft.title.trim(),
        buying_role: draft.buying_role || null,
        stance: draft.stance,
        reports_to_id: draft.reports_to_id ? Number(draft.reports_to_id) : null,
      });
      setDraft(empty);
      onAdded();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form class="add" aria-label="Add a contact" onSubmit={submit}>
      <label>
        First name
        <input value={draft.first_name} onInput={set("first_name")} />
      </label>
      <label>
        Last name
        <input value={draft.last_name} onInput={set("last_name")} />
      </label>
      <label>
        Title
        <input value={draft.title} onInput={set("title")} />
      </label>
      <label class="compact">
        Role
        <select value={draft.buying_role} onChange={set("buying_role")} name="new-contact-role">
          <option value="">—</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {label(r)}
            </option>
          ))}
        </select>
      </label>
      <label class="compact">
        Stance
        <select value={draft.stance} onChange={set("stance")} name="new-contact-stance">
          {stances.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
      </label>
      <label class="compact">
        Reports to
        <select value={draft.reports_to_id} onChange={set("reports_to_id")} name="new-contact-manager">
          <option value="">No one mapped</option>
          {contacts.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!draft.first_name.trim()}>
        Add contact
      </button>
      {error && <WriteError error={error} />}
    </form>
  );
}
