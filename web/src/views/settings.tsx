// Settings (admins): tiers, coverage, cadences and health weights — every setting in force,
// changed all or nothing — the people who sign in, and API tokens.
import { useState } from "preact/hooks";
import { all, api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession } from "../lib/session";
import type { User } from "../lib/types";
import { day, label } from "../lib/format";
import { Empty, ErrorBox, Show } from "../components/states";

interface Token {
  id: number;
  name: string;
  user_id: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function Settings() {
  const session = useSession();
  if (session.user.role !== "admin") {
    return (
      <section>
        <h1>Settings</h1>
        <Empty>Only admins change settings, users and tokens.</Empty>
      </section>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <SettingsForm />
      <div class="grid2">
        <Users />
        <Tokens />
      </div>
    </section>
  );
}

function SettingsForm() {
  const [loaded, reload] = useLoad(() => api.get<{ settings: Record<string, string> }>("/api/v1/settings"), []);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      await api.patch("/api/v1/settings", edits);
      setEdits({});
      setSaved(true);
      reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <section class="card" aria-labelledby="set-title">
      <h2 id="set-title">Tiers, coverage, cadences and health weights</h2>
      <Show loaded={loaded} what="settings" retry={reload}>
        {({ settings }) => {
          const groups = new Map<string, string[]>();
          for (const k of Object.keys(settings).sort()) {
            const g = k.split(".").slice(0, k.startsWith("coverage.") ? 2 : 1).join(".");
            groups.set(g, [...(groups.get(g) ?? []), k]);
          }
          return (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <div class="grid3">
                {[...groups].map(([g, keys]) => (
                  <fieldset key={g} class="settings-group">
                    <legend>{label(g.replace(".", " "))}</legend>
                    {keys.map((k) => (
                      <label key={k} class="setting">
                        {k.slice(g.length + 1) || k}
                        <input
                          value={edits[k] ?? settings[k]}
                          onInput={(e) => setEdits({ ...edits, [k]: (e.target as HTMLInputElement).value })}
                          aria-label={k}
                        />
                      </label>
                    ))}
                  </fieldset>
                ))}
              </div>
              {error && <ErrorBox error={error} />}
              <div class="row">
                <button type="submit" class="primary" disabled={Object.keys(edits).length === 0}>
                  Save {Object.keys(edits).length || ""} change{Object.keys(edits).length === 1 ? "" : "s"}
                </button>
                {saved && <span role="status">Saved.</span>}
              </div>
            </form>
          );
        }}
      </Show>
    </section>
  );
}

function Users() {
  const [users, reload] = useLoad(() => all<User>("/api/v1/users"), []);
  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <Show loaded={users} what="users" retry={reload}>
        {(list) => (
          <table class="plain">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{label(u.role)}</td>
                  <td>{u.active ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}

function Tokens() {
  const [tokens, reload] = useLoad(() => api.get<{ items: Token[] }>("/api/v1/tokens"), []);
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const t = await api.post<{ token: string }>("/api/v1/tokens", { name });
      setSecret(t.token);
      setName("");
      reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const revoke = async (id: number) => {
    try {
      await api.del(`/api/v1/tokens/${id}`);
      reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <Show loaded={tokens} what="tokens" retry={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>No API tokens.</Empty>
          ) : (
            <ul class="items">
              {items.map((t) => (
                <li key={t.id}>
                  {t.name} <span class="muted">· created {day(t.created_at)} · {t.revoked_at ? `revoked ${day(t.revoked_at)}` : `last used ${day(t.last_used_at)}`}</span>{" "}
                  {!t.revoked_at && (
                    <button type="button" class="link" onClick={() => revoke(t.id)} aria-label={`Revoke token ${t.name}`}>
                      Revoke
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
      {secret && (
        <p class="conflict" role="status">
          The new token, shown once: <code>{secret}</code>
        </p>
      )}
      {error && <ErrorBox error={error} />}
      <form class="add" onSubmit={create}>
        <label>
          New token name
          <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create token
        </button>
      </form>
    </section>
  );
}
