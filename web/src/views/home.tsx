// Home: what needs me now — my tasks due, my at-risk accounts, my renewals and my KPIs. For
// people without a book of their own (admins, leaders), the whole book.
import { useState } from "preact/hooks";
import { api, query } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession } from "../lib/session";
import type { Task } from "../lib/types";
import { day, healthColour, label, money } from "../lib/format";
import { AccountLink } from "../lib/names";
import { Empty, Show } from "../components/states";
import { bookLabel, dashboardScope, defaultBook } from "../lib/book";
import { KpiStrip, RankBy, urgencyRule, type AtRisk, type Rank, type Renewals } from "./dashboards";

export function Home() {
  const session = useSession();
  const mine = ["am", "csm"].includes(session.user.role);
  const today = new Date().toISOString().slice(0, 10);
  const am = mine ? session.user.id : null;
  // Whose at-risk accounts, renewals and KPIs: an AM's own, a CSM's covered, a manager's team's.
  const book = defaultBook(session.user);
  const scope = dashboardScope(book, session.user);
  const key = JSON.stringify(scope);
  const [tasks, reloadTasks] = useLoad(
    () => api.get<{ items: Task[] }>(`/api/v1/tasks${query({ owner_id: am, status: "open", sort: "due_on", limit: 10 })}`),
    [am],
  );
  const [rank, setRank] = useState<Rank>("urgency");
  const [risk, reloadRisk] = useLoad(() => api.get<AtRisk>(`/api/v1/dashboards/at-risk${query({ ...scope, limit: 8, sort: rank })}`), [key, rank]);
  const [renewals, reloadRenewals] = useLoad(() => api.get<Renewals>(`/api/v1/dashboards/renewals${query({ ...scope, limit: 8, sort: rank })}`), [key, rank]);
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">
        {mine ? `Good day, ${session.user.name.split(" ")[0] ?? ""}` : "The book today"}
        <span class="muted small">{book === "all" ? " · every account" : ` · ${bookLabel(book, session.user).toLowerCase()}`}</span>
      </h1>
      <KpiStrip scope={scope} />
      <p class="muted small" data-testid="home-rank">
        <RankBy value={rank} onChange={setRank} /> {rank === "urgency" ? urgencyRule : "Largest ARR first."}
      </p>
      <div class="grid3">
        <section class="card" aria-labelledby="tasks-title">
          <h2 id="tasks-title">{mine ? "My tasks due" : "Open tasks due"}</h2>
          <Show loaded={tasks} what="tasks" retry={reloadTasks}>
            {(t) =>
              t.items.length === 0 ? (
                <Empty>Nothing due. </Empty>
              ) : (
                <ul class="items">
                  {t.items.map((x) => (
                    <li key={x.id}>
                      <span class="text">{x.title}</span>
                      <div class="muted">
                        <span class={x.due_on && x.due_on < today ? "overdue" : ""}>
                          due {day(x.due_on)}
                          {x.due_on && x.due_on < today ? " (overdue)" : ""}
                        </span>{" "}
                        {x.account_id !== null && (
                          <>
                            · <AccountLink id={x.account_id} />
                          </>
                        )}
                      </div>
                    </li>
                  ))}
                </ul>
              )
            }
          </Show>
        </section>
        <section class="card" aria-labelledby="myrisk-title">
          <h2 id="myrisk-title">{mine ? "My at-risk accounts" : "At-risk accounts"}</h2>
          <Show loaded={risk} what="at-risk accounts" retry={reloadRisk}>
            {(r) =>
              r.items.length === 0 ? (
                <Empty>No account is yellow or red.</Empty>
              ) : (
                <ul class="items" data-testid="home-at-risk">
                  {r.items.map((x) => (
                    <li key={x.account_id}>
                      <span class="dot" role="img" style={{ background: healthColour[x.colour] }} aria-label={`health ${x.colour}`} /> <AccountLink id={x.account_id} name={x.account_name} />{" "}
                      <span class="muted">
                        {x.health} · {money(x.arr_cents)}
                      </span>
                      <div class="muted small">{x.why[0] ?? ""}</div>
                    </li>
                  ))}
                </ul>
              )
            }
          </Show>
        </section>
        <section class="card" aria-labelledby="myren-title">
          <h2 id="myren-title">
            {mine ? "My renewals" : "Renewals"} ({renewals.state === "ready" ? renewals.value.window_days : 90} days)
          </h2>
          <Show loaded={renewals} what="renewals" retry={reloadRenewals}>
            {(r) =>
              r.items.length === 0 ? (
                <Empty>No renewals in the window.</Empty>
              ) : (
                <ul class="items" data-testid="home-renewals">
                  {r.items.map((x) => (
                    <li key={x.account_id}>
                      <AccountLink id={x.account_id} name={x.account_name} /> <span class="muted">{money(x.arr_cents)}</span>
                      <div class="muted small">
                        {day(x.renewal_date)} · {x.days_left} days · health {x.health} {label(x.colour)}
                        {x.at_risk ? " · at risk" : ""}
                      </div>
                    </li>
                  ))}
                </ul>
              )
            }
          </Show>
        </section>
      </div>
    </section>
  );
}
