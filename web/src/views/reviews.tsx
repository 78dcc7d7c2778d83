// Reviews due: the internal and customer reviews the tiers' cadences scheduled, due within the
// window, overdue first, with how many each AM has due and overdue. An AM or CSM opens on their
// own book, a manager on their team's, others on the whole book; one click shows another, and the
// URL keeps it (?book=mine|team|all). The server narrows to the book before paging.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, query } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useLocation } from "../lib/router";
import { BookSwitch, bookOf, Pager } from "./book";
import { canEdit, useSession, userName } from "../lib/session";
import { day, label } from "../lib/format";
import { Empty, Show } from "../components/states";
import { DataTable } from "../components/table";

interface Due {
  book: string;
  window_days: number;
  total: number;
  by_am: { owner_id: number; due: number; overdue: number }[];
  items: { id: number; account_id: number; account_name: string; kind: string; due_on: string; owner_id: number; days_overdue: number; overdue: boolean }[];
}

const pageSize = 50;
const titles: Record<string, string> = { mine: "My reviews", team: "My team's reviews", all: "Reviews due" };

export function Reviews() {
  const session = useSession();
  const loc = useLocation();
  const book = bookOf(loc.search, session.user.role);
  const [window, setWindow] = useState(30);
  const [offset, setOffset] = useState(0);
  const [held, setHeld] = useState<{ text: string; accountId: number; accountName: string } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const editable = canEdit(session.user);
  useEffect(() => setOffset(0), [book, window]);
  const [due, reload] = useLoad(() => api.get<Due>(`/api/v1/reviews/due${query({ book, window, limit: pageSize, offset })}`), [book, window, offset]);
  return (
    <section aria-labelledby="reviews-title">
      <h1 id="reviews-title">{titles[book]}</h1>
      <BookSwitch path="/reviews" book={book} role={session.user.role} what="reviews" />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Due within
          <select value={String(window)} onChange={(e) => setWindow(Number((e.target as HTMLSelectElement).value))}>
            {[7, 30, 60, 90].map((d) => (
              <option key={d} value={String(d)}>
                {d} days
              </option>
            ))}
          </select>
        </label>
      </form>
      {held && (
        <p role="status" class="readonly-note" data-testid="review-held-note">
          {held.text} <a href={`/accounts/${held.accountId}`}>Open the plan of {held.accountName}</a>
        </p>
      )}
      <Show loaded={due} what="reviews due" retry={reload}>
        {(d) =>
          d.total === 0 ? (
            <Empty>No reviews due within {d.window_days} days{book === "all" ? "" : " in this book"}.</Empty>
          ) : (
            <div class="grid2">
              <section class="card" aria-labelledby="byam-title">
                <h2 id="byam-title">By account manager</h2>
                <DataTable
                  rows={d.by_am}
                  rowKey={(a) => a.owner_id}
                  columns={[
                    { title: "AM", cell: (a) => userName(session, a.owner_id) },
                    { title: "Due", num: true, cell: (a) => a.due },
                    { title: "Overdue", num: true, cell: (a) => a.overdue },
                  ]}
                />
              </section>
              <section class="card" aria-labelledby="duelist-title" data-testid="reviews-due">
                <h2 id="duelist-title" data-testid="reviews-total">
                  {d.total} review{d.total === 1 ? "" : "s"}, overdue first
                </h2>
                <table class="plain">
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Review</th>
                      <th scope="col">Due</th>
                      <th scope="col">AM</th>
                      {editable && <th scope="col"><span class="sr-only">Record</span></th>}
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((r) => [
                      <tr key={r.id} data-review={r.id}>
                        <td>
                          <a href={`/accounts/${r.account_id}`}>{r.account_name}</a>
                        </td>
                        <td>{label(r.kind)}</td>
                        <td class={r.overdue ? "overdue" : ""}>
                          {day(r.due_on)}
                          {r.overdue ? ` · ${r.days_overdue} d overdue` : ""}
                        </td>
                        <td>{userName(session, r.owner_id)}</td>
                        {editable && (
                          <td>
                            <button
                              type="button"
                              class="link"
                              aria-expanded={open === r.id}
                              onClick={() => setOpen(open === r.id ? null : r.id)}
                            >
                              Record as held
                              <span class="sr-only">
                                : the {label(r.kind).toLowerCase()} of {r.account_name}
                              </span>
                            </button>
                          </td>
                        )}
                      </tr>,
                      open === r.id && (
                        <tr key={`${r.id}-held`}>
                          <td colSpan={5}>
                            <HeldForm
                              review={r}
                              onCancel={() => setOpen(null)}
                              onDone={(next, actions) => {
                                setOpen(null);
                                setHeld({
                                  text: `Recorded the ${label(r.kind).toLowerCase()} of ${r.account_name} as held.${actions ? ` ${actions} action item${actions === 1 ? "" : "s"} added to its plan.` : ""}${next ? ` The next one is due ${day(next)}.` : ""}`,
                                  accountId: r.account_id,
                                  accountName: r.account_name,
                                });
                                reload();
                              }}
                            />
                          </td>
                        </tr>
                      ),
                    ])}
                  </tbody>
                </table>
                <Pager offset={offset} shown={d.items.length} total={d.total} pageSize={pageSize} onOffset={setOffset} what="reviews" />
              </section>
            </div>
          )
        }
      </Show>
    </section>
  );
}

interface ActionItem {
  key: number;
  description: string;
  owner_id: string; // a user id, "" for the account's AM
  due_on: string; // "" for 14 days after the review
}

// "actions[1].owner_id" → "Action item 2, owner"; other fields as the server names them.
function fieldName(field: string): string {
  const m = /^actions\[(\d+)\]\.(\w+)$/.exec(field);
  if (!m) return field.replace(/_/g, " ");
  const part = m[2] === "owner_id" ? "owner" : m[2] === "due_on" ? "due date" : m[2];
  return `Action item ${Number(m[1]) + 1}, ${part}`;
}

function HeldForm({ review, onCancel, onDone }: { review: Due["items"][number]; onCancel: () => void; onDone: (nextDue: string | null, actions: number, planId: number) => void }) {
  const session = useSession();
  const today = new Date().toISOString().slice(0, 10);
  const [heldOn, setHeldOn] = useState(today);
  const [attendees, setAttendees] = useState("");
  const [notes, setNotes] = useState("");
  const [outcomes, setOutcomes] = useState("");
  const [items, setItems] = useState<ActionItem[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const people = [...session.users.values()].filter((u) => u.role !== "viewer").sort((a, b) => a.name.localeCompare(b.name));
  const change = (key: number, patch: Partial<ActionItem>) => setItems((all) => all.map((a) => (a.key === key ? { ...a, ...patch } : a)));
  const save = async () => {
    setError(null);
    // A row left wholly empty is dropped; one with an owner or a date but no text is a mistake.
    const used = items.filter((a) => a.description.trim() || a.owner_id || a.due_on);
    const missing = used.findIndex((a) => !a.description.trim());
    if (missing >= 0) {
      setError(new ApiError(422, "invalid", `Action item ${items.indexOf(used[missing]!) + 1} needs a description.`));
      return;
    }
    setBusy(true);
    try {
      const actions = used.map((a) => ({
        description: a.description.trim(),
        ...(a.owner_id ? { owner_id: Number(a.owner_id) } : {}),
        ...(a.due_on ? { due_on: a.due_on } : {}),
      }));
      const r = await api.post<{ next: { due_on: string } | null; plan: { id: number }; actions: unknown[] }>(`/api/v1/reviews/${review.id}/held`, { held_on: heldOn, attendees, notes, outcomes, actions });
      onDone(r.next?.due_on ?? null, r.actions.length, r.plan.id);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="held-form"
      aria-label={`Record the review of ${review.account_name} as held`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div class="filters">
        <label>
          Held on
          <input type="date" value={heldOn} max={today} required onInput={(e) => setHeldOn((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Attendees
          <input value={attendees} onInput={(e) => setAttendees((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <label class="block">
        Notes
        <textarea rows={2} value={notes} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label class="block">
        Outcomes
        <textarea rows={2} value={outcomes} onInput={(e) => setOutcomes((e.target as HTMLTextAreaElement).value)} />
      </label>
      <fieldset class="action-items" data-testid="review-actions">
        <legend>Action items · added to the account's plan</legend>
        {items.length === 0 && <p class="muted">None yet.</p>}
        {items.map((a, i) => (
          <div class="filters action-item" key={a.key} role="group" aria-label={`Action item ${i + 1}`}>
            <label class="grow">
              Action
              <input value={a.description} placeholder="What will be done" onInput={(e) => change(a.key, { description: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              Owner
              <select value={a.owner_id} onChange={(e) => change(a.key, { owner_id: (e.target as HTMLSelectElement).value })}>
                <option value="">{`The account's AM (${userName(session, review.owner_id)})`}</option>
                {people.map((u) => (
                  <option key={u.id} value={String(u.id)}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Due
              <input type="date" value={a.due_on} title="Empty: 14 days after the review" onInput={(e) => change(a.key, { due_on: (e.target as HTMLInputElement).value })} />
            </label>
            <button type="button" class="link" onClick={() => setItems((all) => all.filter((x) => x.key !== a.key))}>
              Remove<span class="sr-only"> action item {i + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => {
            setItems((all) => [...all, { key: nextKey, description: "", owner_id: "", due_on: "" }]);
            setNextKey((k) => k + 1);
          }}
        >
          Add action item
        </button>
      </fieldset>
      {error && (
        <div class="state error" role="alert">
          <strong>Not saved.</strong> {error.message}
          {error.fields.length > 0 && (
            <ul>
              {error.fields.map((f) => (
                <li key={f.field}>
                  {fieldName(f.field)}: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          Save as held
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
