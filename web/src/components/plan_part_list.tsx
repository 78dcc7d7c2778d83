// One list of a plan's parts (its priorities, risks or actions): a titled card that loads every
// item of `/api/v1/plans/{plan}/{part}`, shows the loading, empty and error states, lists the
// items, and for editors the form that adds one. Every write (adding, editing an item in place,
// moving it through its statuses) goes through `write`, which shows a refused write's error under
// the list and reloads the list after a stored one, so what is shown is what was stored.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { all, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { Empty, Show } from "./states";
import { WriteError } from "./refusal";

// Runs one write; true once it is stored (and the list reloaded), false when it was refused.
export type Write = (f: () => Promise<unknown>) => Promise<boolean>;

export function PlanPartList<T extends { id: number }>({
  planId,
  part,
  title,
  what,
  empty,
  ordered = false,
  editable,
  item,
  add,
}: {
  planId: number;
  part: "priorities" | "risks" | "actions"; // the route under the plan, the card's id and test id
  title: string;
  what: string; // for "Loading {what}…"
  empty: ComponentChildren;
  ordered?: boolean; // a numbered list (priorities are in order of importance)
  editable: boolean; // shows the add form
  item: (row: T, write: Write) => ComponentChildren; // the content of the row's <li>
  add: (write: Write) => ComponentChildren; // the add form (an AddForm), for editors
}) {
  const [list, reload] = useLoad(() => all<T>(`/api/v1/plans/${planId}/${part}`), [planId, part]);
  const [error, setError] = useState<ApiError | null>(null);
  const write: Write = async (f) => {
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
  const rows = (items: T[]) => items.map((r) => <li key={r.id}>{item(r, write)}</li>);
  return (
    <section class="card" aria-labelledby={`${part}-title`} data-testid={part}>
      <h2 id={`${part}-title`}>{title}</h2>
      <Show loaded={list} what={what} retry={reload}>
        {(items) =>
          items.length === 0 ? <Empty>{empty}</Empty> : ordered ? <ol class="items">{rows(items)}</ol> : <ul class="items">{rows(items)}</ul>
        }
      </Show>
      {error && <WriteError error={error} />}
      {editable && add(write)}
    </section>
  );
}

// The form under a list that adds an item: its fields, then the submit button, enabled once
// `ready` says the fields hold enough to add.
export function AddForm({
  label,
  button,
  ready,
  submit,
  children,
}: {
  label?: string; // the form's accessible name
  button: string;
  ready: boolean;
  submit: () => Promise<unknown>;
  children: ComponentChildren;
}) {
  return (
    <form
      class="add"
      aria-label={label}
      onSubmit={async (e) => {
        e.preventDefault();
        await submit();
      }}
    >
      {children}
      <button type="submit" disabled={!ready}>
        {button}
      </button>
    </form>
  );
}
