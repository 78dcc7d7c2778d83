// People (admins): the users who sign in — added with a password, their role and manager
// changed, deactivated or reactivated, and their password reset. Every change goes to the users
// API; a refused one shows the server's message (a password must pass its rules).
import { useState } from "preact/hooks";
import { all, api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession } from "../lib/session";
import type { Role, User } from "../lib/types";
import { label } from "../lib/format";
import { Empty, Show } from "../components/states";

const roles: Role[] = ["admin", "leader", "manager", "am", "csm", "viewer"];
const roleName: Record<Role, string> = { admin: "Admin", leader: "Leader", manager: "Manager", am: "Account manager (AM)", csm: "Customer-success manager (CSM)", viewer: "Viewer" };

function Refusal({ error }: { error: ApiError }) {
  return (
    <div class="state error" role="alert" data-testid="people-error">
      <strong>Not saved.</strong> {error.message}
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={f.field}>
              {label(f.field)}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function People() {
  const session = useSession();
  const [users, reload] = useLoad(() => all<User>("/api/v1/users"), []);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [resetFor, setResetFor] = useState<number | null>(null);
  if (session.user.role !== "admin") {
    return (
      <section>
        <h1>People</h1>
        <Empty>Only admins manage people.</Empty>
      </section>
    );
  }
  const change = async (u: User, patch: Partial<User>, what: string) => {
    setError(null);
    setNote(null);
    try {
      await api.patch(`/api/v1/users/${u.id}`, patch);
      setNote(`${u.name || u.email}: ${what}.`);
      reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      {note && (
        <p role="status" class="readonly-note" data-testid="people-note">
          {note}
        </p>
      )}
      {error && <Refusal error={error} />}
      <Show loaded={users} what="people" retry={reload}>
        {(list) => {
          const byName = [...list].sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
          const managers = byName.filter((u) => ["manager", "leader", "admin"].includes(u.role) && u.active);
          return (
            <>
              <section class="card" aria-labelledby="people-list-title">
                <h2 id="people-list-title">
                  {list.length} {list.length === 1 ? "person" : "people"}, {list.filter((u) => u.active).length} active
                </h2>
                <table class="plain" data-testid="people">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">E-mail</th>
                      <th scope="col">Role</th>
                      <th scope="col">Manager</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span class="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {byName.map((u) => {
                      const who = u.name || u.email;
                      return [
                        <tr key={u.id} data-user={u.id} class={u.active ? "" : "muted"}>
                          <td>{u.name}</td>
                          <td>{u.email}</td>
                          <td>
                            <select aria-label={`Role of ${who}`} value={u.role} onChange={(e) => void change(u, { role: (e.target as HTMLSelectElement).value as Role }, `role is now ${roleName[(e.target as HTMLSelectElement).value as Role]}`)}>
                              {roles.map((r) => (
                                <option key={r} value={r}>
                                  {roleName[r]}
                                </option>
                              ))}
                            </select>
                          </td>
                          <td>
                            <select
                              aria-label={`Manager of ${who}`}
                              value={u.manager_id === null ? "" : String(u.manager_id)}
                              onChange={(e) => {
                                const v = (e.target as HTMLSelectElement).value;
                                const m = list.find((x) => String(x.id) === v);
                                void change(u, { manager_id: v ? Number(v) : null }, v ? `reports to ${m?.name || m?.email}` : "reports to no one");
                              }}
                            >
                              <option value="">No manager</option>
                              {managers
                                .filter((m) => m.id !== u.id)
                                .map((m) => (
                                  <option key={m.id} value={String(m.id)}>
                                    {m.name || m.email}
                                  </option>
                                ))}
                            </select>
                          </td>
                          <td>{u.active ? "Active" : "Deactivated"}</td>
                          <td class="row">
                            {u.id !== session.user.id && (
                              <button type="button" class="link" onClick={() => void change(u, { active: !u.active }, u.active ? "deactivated: they can no longer sign in" : "reactivated")}>
                                {u.active ? "Deactivate" : "Reactivate"}
                                <span class="sr-only"> {who}</span>
                              </button>
                            )}
                            <button type="button" class="link" aria-expanded={resetFor === u.id} onClick={() => setResetFor(resetFor === u.id ? null : u.id)}>
                              Reset password<span class="sr-only"> of {who}</span>
                            </button>
                          </td>
                        </tr>,
                        resetFor === u.id && (
                          <tr key={`${u.id}-reset`}>
                            <td colSpan={6}>
                              <ResetPassword
                                user={u}
                                onDone={() => {
                                  setResetFor(null);
                                  setError(null);
                                  setNote(`${who}: password reset; their sessions have ended.`);
                                }}
                              />
                            </td>
                          </tr>
                        ),
                      ];
                    })}
                  </tbody>
                </table>
              </section>
              <AddPerson
                managers={managers}
                onAdded={(u) => {
                  setError(null);
                  setNote(`${u.name || u.email} added as ${roleName[u.role]}.`);
                  reload();
                }}
              />
            </>
          );
        }}
      </Show>
    </section>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: () => void }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api.post(`/api/v1/users/${user.id}/password`, { password });
      onDone();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="add" aria-label={`Reset the password of ${user.name || user.email}`} onSubmit={save}>
      <label>
        New password for {user.name || user.email}
        <input type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || !password}>
        Set password
      </button>
      {error && <Refusal error={error} />}
    </form>
  );
}

function AddPerson({ managers, onAdded }: { managers: User[]; onAdded: (u: User) => void }) {
  const empty = { name: "", email: "", role: "am" as Role, manager: "", password: "" };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof empty>) => setForm((f) => ({ ...f, ...patch }));
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const u = await api.post<User>("/api/v1/users", {
        name: form.name.trim(),
        email: form.email.trim(),
        role: form.role,
        manager_id: form.manager ? Number(form.manager) : null,
        password: form.password,
      });
      setForm(empty);
      onAdded(u);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="add-person-title">
      <h2 id="add-person-title">Add a person</h2>
      <form class="add" onSubmit={save}>
        <label>
          Name
          <input value={form.name} onInput={(e) => set({ name: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          E-mail
          <input type="email" value={form.email} required onInput={(e) => set({ email: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => set({ role: (e.target as HTMLSelectElement).value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleName[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Manager
          <select value={form.manager} onChange={(e) => set({ manager: (e.target as HTMLSelectElement).value })}>
            <option value="">No manager</option>
            {managers.map((m) => (
              <option key={m.id} value={String(m.id)}>
                {m.name || m.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" value={form.password} onInput={(e) => set({ password: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Add person
        </button>
      </form>
      {error && <Refusal error={error} />}
    </section>
  );
}
