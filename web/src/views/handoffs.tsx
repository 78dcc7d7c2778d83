// Handoffs: each closed-won deal's handoff to its AM, with how much of the checklist is done.
import { all } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import { label } from "../lib/format";
import { AccountLink } from "../lib/names";
import { Empty, Show } from "../components/states";

interface Handoff {
  id: number;
  account_id: number;
  opportunity_id: number;
  seller_id: number | null;
  am_id: number | null;
  status: string;
  checklist_json: string;
}

function progress(json: string): string {
  try {
    const items = JSON.parse(json) as { done: boolean }[];
    return `${items.filter((i) => i.done).length} of ${items.length}`;
  } catch {
    return "—";
  }
}

export function Handoffs() {
  const session = useSession();
  const [list, reload] = useLoad(() => all<Handoff>("/api/v1/handoffs?sort=-id", 200), []);
  return (
    <section aria-labelledby="handoffs-title">
      <h1 id="handoffs-title">Handoffs</h1>
      <Show loaded={list} what="handoffs" retry={reload}>
        {(items) =>
          items.length === 0 ? (
            <Empty>No handoffs yet: one opens when a new-business opportunity is closed won.</Empty>
          ) : (
            <section class="card">
              <table class="plain" data-testid="handoffs">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Status</th>
                    <th scope="col">Checklist done</th>
                    <th scope="col">Seller</th>
                    <th scope="col">AM</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((h) => (
                    <tr key={h.id}>
                      <td>
                        <AccountLink id={h.account_id} />
                      </td>
                      <td>{label(h.status)}</td>
                      <td>{progress(h.checklist_json)}</td>
                      <td>{userName(session, h.seller_id)}</td>
                      <td>{userName(session, h.am_id)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )
        }
      </Show>
    </section>
  );
}
