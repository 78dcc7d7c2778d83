// Webhooks (admins; linked from the Rules page): the endpoints rules' webhook actions post to —
// added with a name, a URL and the events they want (the answer's signing secret is shown this
// once, later only its last four characters), or deactivated — and the dead letters: deliveries
// that failed every attempt, each replayed once its receiver is fixed (docs/RULES.md).
import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession } from "../lib/session";
import { label } from "../lib/format";
import { Empty, Show } from "../components/states";
import { WriteError } from "../components/refusal";

interface Endpoint {
  id: number;
  name: string;
  url: string;
  events: string[];
  active: boolean;
  secret_hint: string;
  created_at: string;
  secret?: string; // only in the answer that created it
}

interface Delivery {
  id: number;
  kind: "email" | "webhook";
  endpoint_id: number | null;
  event: string;
  delivery_id: string;
  account_id: number | null;
  status: string;
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  created_at: string;
}

const when = (iso: string) => iso.replace("T", " ").slice(0, 16);

export function Webhooks() {
  const session = useSession();
  if (session.user.role !== "admin") {
    return (
      <section>
        <h1>Webhooks</h1>
        <Empty>Only admins manage webhook endpoints and deliveries.</Empty>
      </section>
    );
  }
  return <WebhooksForAdmin />;
}

function WebhooksForAdmin() {
  const [endpoints, reload] = useLoad(() => api.get<{ items: Endpoint[] }>("/api/v1/webhooks"), []);
  const [dead, reloadDead] = useLoad(() => api.get<{ items: Delivery[] }>("/api/v1/deliveries?status=dead&limit=100"), []);
  const [secret, setSecret] = useState<Endpoint | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const deactivate = async (e: Endpoint) => {
    setError(null);
    setNote(null);
    try {
      await api.del(`/api/v1/webhooks/${e.id}`);
      setNote(`${e.name} deactivated: nothing more is sent to it.`);
      reload();
      reloadDead();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const replay = async (d: Delivery) => {
    setError(null);
    setNote(null);
    try {
      await api.post(`/api/v1/deliveries/${d.id}/replay`);
      setNote(`Delivery ${d.delivery_id} is queued again, with its original id.`);
      reloadDead();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const names = new Map(endpoints.state === "ready" ? endpoints.value.items.map((e) => [e.id, e.name]) : []);
  // The dead letters name their endpoints: they wait for the endpoints' first answer, so a row
  // never shows a bare "endpoint 21" that becomes a name a moment later.
  const deadNamed: typeof dead = endpoints.state === "loading" ? { state: "loading" } : dead;

  return (
    <section aria-labelledby="webhooks-title">
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/rules">Rules</a> / <span aria-current="page">Webhooks</span>
      </nav>
      <h1 id="webhooks-title">Webhooks</h1>
      {note && (
        <p role="status" class="readonly-note" data-testid="webhooks-note">
          {note}
        </p>
      )}
      {error && <WriteError error={error} />}
      {secret && (
        <div class="confirm" role="status" data-testid="webhook-secret">
          <strong>{secret.name} added.</strong> Its signing secret, shown this once — copy it to the receiver now: <code>{secret.secret}</code>
        </div>
      )}
      <section class="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        <Show loaded={endpoints} what="the endpoints" retry={reload}>
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No endpoints yet: rules' webhook actions have nowhere to post.</Empty>
            ) : (
              <div class="scroll-x">
                <table class="plain" data-testid="endpoints">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">URL</th>
                      <th scope="col">Events</th>
                      <th scope="col">Secret</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span class="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((e) => (
                      <tr key={e.id} data-endpoint={e.id} class={e.active ? "" : "muted"}>
                        <td>{e.name}</td>
                        <td>
                          <code>{e.url}</code>
                        </td>
                        <td>{e.events.includes("*") ? "Every event" : e.events.map(label).join(", ")}</td>
                        <td>
                          <code>…{e.secret_hint}</code>
                        </td>
                        <td>{e.active ? "Active" : "Deactivated"}</td>
                        <td>
                          {e.active && (
                            <button type="button" class="link" onClick={() => void deactivate(e)}>
                              Deactivate<span class="sr-only"> {e.name}</span>
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
        <AddEndpoint
          onAdded={(e) => {
            setNote(null);
            setSecret(e);
            reload();
          }}
        />
      </section>
      <section class="card" aria-labelledby="dead-title">
        <h2 id="dead-title">Dead letters</h2>
        <p class="muted small">E-mails and webhooks that failed every attempt (eight, over about an hour) or whose endpoint was deactivated.</p>
        <Show loaded={deadNamed} what="the dead letters" retry={reloadDead}>
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No dead letters: every delivery went through or is still being tried.</Empty>
            ) : (
              <div class="scroll-x">
                <table class="plain" data-testid="dead-letters">
                  <thead>
                    <tr>
                      <th scope="col">Created</th>
                      <th scope="col">What</th>
                      <th scope="col">To</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last error</th>
                      <th scope="col">
                        <span class="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((d) => (
                      <tr key={d.id} data-delivery={d.id}>
                        <td>{when(d.created_at)}</td>
                        <td>
                          {d.kind === "email" ? "E-mail" : "Webhook"} · {label(d.event)}
                          {d.account_id !== null && (
                            <>
                              {" "}
                              · <a href={`/accounts/${d.account_id}`}>account</a>
                            </>
                          )}
                        </td>
                        <td>{d.endpoint_id !== null ? (names.get(d.endpoint_id) ?? `endpoint ${d.endpoint_id}`) : "—"}</td>
                        <td class="num">{d.attempts}</td>
                        <td>
                          {d.last_status !== null && <span>{d.last_status} · </span>}
                          {d.last_error ?? "—"}
                        </td>
                        <td>
                          <button type="button" class="link" onClick={() => void replay(d)}>
                            Replay<span class="sr-only"> delivery {d.delivery_id}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
      </section>
    </section>
  );
}

function AddEndpoint({ onAdded }: { onAdded: (e: Endpoint) => void }) {
  const empty = { name: "", url: "", events: "*" };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const events = form.events
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      const saved = await api.post<Endpoint>("/api/v1/webhooks", { name: form.name.trim(), url: form.url.trim(), events });
      setForm(empty);
      onAdded(saved);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="add" aria-label="Add a webhook endpoint" onSubmit={save}>
      <label>
        Endpoint name
        <input value={form.name} required onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
      </label>
      <label class="grow">
        URL (http:// or https://)
        <input value={form.url} required onInput={(e) => setForm({ ...form, url: (e.target as HTMLInputElement).value })} />
      </label>
      <label>
        Events (* for every one, or trigger names separated by commas)
        <input value={form.events} onInput={(e) => setForm({ ...form, events: (e.target as HTMLInputElement).value })} />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        Add endpoint
      </button>
      {error && <WriteError error={error} />}
    </form>
  );
}
