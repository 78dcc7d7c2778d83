// Reviews due: the internal and customer reviews the tiers' cadences scheduled, due within the
// window, overdue first, with how many each AM has due and overdue.
import { useState } from "preact/hooks";
import { api, query } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import { day, label } from "../lib/format";
import { Empty, Show } from "../components/states";

interface Due {
  window_days: number;
  total: number;
  by_am: { owner_id: number; due: number; overdue: number }[];
  items: { id: number; account_id: number; account_name: string; kind: string; due_on: string; owner_id: number; days_overdue: number; overdue: boolean }[];
}

export function Reviews() {
  const session = useSession();
  const [window, setWindow] = useState(30);
  const [due, reload] = useLoad(() => api.get<Due>(`/api/v1/reviews/due${query({ window, limit: 200 })}`), [window]);
  return (
    <section aria-labelledby="reviews-title">
      <h1 id="reviews-title">Reviews due</h1>
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
      <Show loaded={due} what="reviews due" retry={reload}>
        {(d) =>
          d.total === 0 ? (
            <Empty>No reviews due within {d.window_days} days.</Empty>
          ) : (
            <div class="grid2">
              <section class="card" aria-labelledby="byam-title">
                <h2 id="byam-title">By account manager</h2>
                <table class="plain">
                  <thead>
                    <tr>
                      <th scope="col">AM</th>
                      <th scope="col" class="num">Due</th>
                      <th scope="col" class="num">Overdue</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.by_am.map((a) => (
                      <tr key={a.owner_id}>
                        <td>{userName(session, a.owner_id)}</td>
                        <td class="num">{a.due}</td>
                        <td class="num">{a.overdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section class="card" aria-labelledby="duelist-title" data-testid="reviews-due">
                <h2 id="duelist-title">
                  {d.total} review{d.total === 1 ? "" : "s"}, overdue first
                </h2>
                <table class="plain">
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Review</th>
                      <th scope="col">Due</th>
                      <th scope="col">AM</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((r) => (
                      <tr key={r.id}>
                        <td>
                          <a href={`/accounts/${r.account_id}`}>{r.account_name}</a>
                        </td>
                        <td>{label(r.kind)}</td>
                        <td class={r.overdue ? "overdue" : ""}>
                          {day(r.due_on)}
                          {r.overdue ? ` · ${r.days_overdue} d overdue` : ""}
                        </td>
                        <td>{userName(session, r.owner_id)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </div>
          )
        }
      </Show>
    </section>
  );
}
