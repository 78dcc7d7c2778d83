// Handoffs: each closed-won deal's handoff to its AM, with how much of the checklist is done. An
// open one unfolds into its checklist (ticked off item by item, with the version read) and, once
// every item is done, the AM accepts it: the account moves to the AM with its onboarding tasks.
// An AM or CSM opens on their own handoffs, a manager on their team's (?book=mine|team|all); the
// server narrows to the book before paging, open ones first.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, query } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useLocation } from "../lib/router";
import { BookSwitch, bookOf, Pager } from "./book";
import { canEdit, useSession, userName } from "../lib/session";
import { label } from "../lib/format";
import { AccountLink } from "../lib/names";
import { Empty, ErrorBox, Show } from "../components/states";

interface Handoff {
  id: number;
  account_id: number;
  opportunity_id: number;
  seller_id: number | null;
  am_id: number | null;
  status: string;
  checklist_json: string;
  version: number;
}

interface ChecklistItem {
  key: string;
  label: string;
  done: boolean;
  notes: string;
}

interface Onboarding extends Handoff {
  checklist: ChecklistItem[];
  milestones: { id: number; title: string; day: number; milestone_status: string }[];
  onboarding_status: string | null;
}

function progress(json: string): string {
  try {
    const parsed = JSON.parse(json) as { done: boolean }[] | Record<string, boolean>;
    const items = Array.isArray(parsed) ? parsed.map((i) => i.done) : Object.values(parsed);
    return `${items.filter(Boolean).length} of ${items.length}`;
  } catch {
    return "—";
  }
}

interface Queue {
  total: number;
  open: number;
  items: Handoff[];
}

const pageSize = 50;
const titles: Record<string, string> = { mine: "My handoffs", team: "My team's handoffs", all: "Handoffs" };

export function Handoffs() {
  const session = useSession();
  const loc = useLocation();
  const book = bookOf(loc.search, session.user.role);
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [book]);
  const [list, reload] = useLoad(() => api.get<Queue>(`/api/v1/handoffs/queue${query({ book, limit: pageSize, offset })}`), [book, offset]);
  const [open, setOpen] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const editable = canEdit(session.user);
  return (
    <section aria-labelledby="handoffs-title">
      <h1 id="handoffs-title">{titles[book]}</h1>
      <BookSwitch path="/handoffs" book={book} role={session.user.role} what="handoffs" />
      {note && (
        <p role="status" class="readonly-note" data-testid="handoff-note">
          {note}
        </p>
      )}
      <Show loaded={list} what="handoffs" retry={reload}>
        {({ items, total, open: stillOpen }) =>
          total === 0 ? (
            <Empty>{book === "all" ? "No handoffs yet: one opens when a new-business opportunity is closed won." : "No handoffs in this book. The whole book may have some."}</Empty>
          ) : (
            <section class="card" aria-labelledby="handoffs-total">
              <h2 id="handoffs-total" data-testid="handoffs-total">
                {total} handoff{total === 1 ? "" : "s"}, {stillOpen} open
              </h2>
              <table class="plain" data-testid="handoffs">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Status</th>
                    <th scope="col">Checklist done</th>
                    <th scope="col">Seller</th>
                    <th scope="col">AM</th>
                    <th scope="col">
                      <span class="sr-only">Checklist</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((h) => [
                    <tr key={h.id} data-handoff={h.id}>
                      <td>
                        <AccountLink id={h.account_id} />
                      </td>
                      <td>{label(h.status)}</td>
                      <td>{progress(h.checklist_json)}</td>
                      <td>{userName(session, h.seller_id)}</td>
                      <td>{userName(session, h.am_id)}</td>
                      <td>
                        <button type="button" class="link" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                          {open === h.id ? "Close checklist" : h.status === "open" && editable ? "Checklist and accept" : "Checklist"}
                          <span class="sr-only"> of handoff {h.id}</span>
                        </button>
                      </td>
                    </tr>,
                    open === h.id && (
                      <tr key={`${h.id}-checklist`}>
                        <td colSpan={6}>
                          <HandoffPanel
                            id={h.id}
                            editable={editable}
                            onChanged={reload}
                            onAccepted={(o) => {
                              setOpen(null);
                              setNote(`Handoff ${o.id} accepted by ${userName(session, o.am_id)}: ${o.milestones.length} onboarding milestones are now their tasks.`);
                              reload();
                            }}
                          />
                        </td>
                      </tr>
                    ),
                  ])}
                </tbody>
              </table>
              <Pager offset={offset} shown={items.length} total={total} pageSize={pageSize} onOffset={setOffset} what="handoffs" />
            </section>
          )
        }
      </Show>
    </section>
  );
}

function HandoffPanel({ id, editable, onChanged, onAccepted }: { id: number; editable: boolean; onChanged: () => void; onAccepted: (o: Onboarding) => void }) {
  const session = useSession();
  const [loaded, reload, set] = useLoad(() => api.get<Onboarding>(`/api/v1/handoffs/${id}/onboarding`), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const mayAssign = ["admin", "leader", "manager"].includes(session.user.role);
  const ams = [...session.users.values()].filter((u) => u.role === "am" && u.active);
  const [am, setAm] = useState<string>(session.user.role === "am" ? String(session.user.id) : "");

  const toggle = async (o: Onboarding, key: string, done: boolean) => {
    setError(null);
    setBusy(true);
    const checklist = o.checklist.map((i) => ({ key: i.key, done: i.key === key ? done : i.done, notes: i.notes }));
    try {
      await api.patch(`/api/v1/handoffs/${id}`, { checklist_json: JSON.stringify(checklist), version: o.version });
      const fresh = await api.get<Onboarding>(`/api/v1/handoffs/${id}/onboarding`);
      set(fresh);
      onChanged();
    } catch (e) {
      const err = e as ApiError;
      setError(err.conflict ? new ApiError(409, err.code, "Someone else changed this checklist meanwhile; it now shows theirs. Tick the item again if it still needs it.") : err);
      reload();
    } finally {
      setBusy(false);
    }
  };

  const accept = async (chosen: string) => {
    setError(null);
    setBusy(true);
    try {
      const o = await api.post<Onboarding>(`/api/v1/handoffs/${id}/accept`, chosen ? { am_id: Number(chosen) } : {});
      onAccepted(o);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="handoff-panel" data-testid={`handoff-${id}`}>
      <Show loaded={loaded} what="the checklist" retry={reload}>
        {(o) => {
          const open = o.status === "open";
          const done = o.checklist.every((i) => i.done);
          // The AM already named on the handoff, unless another is chosen.
          const chosen = am || (o.am_id !== null && ams.some((u) => u.id === o.am_id) ? String(o.am_id) : "");
          return (
            <>
              <fieldset class="checklist">
                <legend>Checklist</legend>
                <ul class="items">
                  {o.checklist.map((i) => (
                    <li key={i.key}>
                      <label class="check">
                        <input type="checkbox" checked={i.done} disabled={!editable || !open || busy} onChange={(e) => void toggle(o, i.key, (e.target as HTMLInputElement).checked)} /> {i.label}
                      </label>
                      {i.notes && <span class="muted small"> · {i.notes}</span>}
                    </li>
                  ))}
                </ul>
              </fieldset>
              {error && <ErrorBox error={error} />}
              {open && editable && (
                <form
                  class="row"
                  aria-label={`Accept handoff ${id}`}
                  onSubmit={(e) => {
                    e.preventDefault();
                    void accept(chosen);
                  }}
                >
                  {mayAssign && (
                    <label>
                      Account manager
                      <select name="handoff-am" value={chosen} onChange={(e) => setAm((e.target as HTMLSelectElement).value)}>
                        <option value="">Choose an AM…</option>
                        {ams.map((u) => (
                          <option key={u.id} value={String(u.id)}>
                            {u.name || u.email}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                  <button type="submit" class="primary" disabled={!done || busy || (mayAssign && !chosen)}>
                    Accept handoff
                  </button>
                  {!done && <span class="muted">Every checklist item is done before the AM accepts.</span>}
                </form>
              )}
              {!open && o.milestones.length > 0 && (
                <p>
                  Onboarding: {o.milestones.filter((m) => m.milestone_status === "done").length} of {o.milestones.length} milestones done
                  {o.onboarding_status ? ` (${label(o.onboarding_status)})` : ""}.
                </p>
              )}
            </>
          );
        }}
      </Show>
    </div>
  );
}
