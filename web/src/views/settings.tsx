// Settings: tiers, coverage, cadences and health weights, as a person reads them — labels from
// the server, values in dollars, percent, days and hours (stored as cents, basis points and
// whole numbers: converted here both ways). Admins change them all or nothing and manage API
// tokens; leaders and managers read them. People are managed on the People page.
import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession } from "../lib/session";
import { day } from "../lib/format";
import { Empty, ErrorBox, Show } from "../components/states";

interface Token {
  id: number;
  name: string;
  user_id: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

type Unit = "cents" | "basis_points" | "percent" | "days" | "hours" | "count" | "score";
interface Field {
  key: string;
  group: string;
  label: string;
  unit: Unit;
}
interface SettingsAnswer {
  settings: Record<string, string>;
  fields: Field[];
}

// Who may read the settings, and who may change them (the server decides the same).
export function mayReadSettings(role: string): boolean {
  return role === "admin" || role === "leader" || role === "manager";
}

// The stored whole number as the person types it: cents → dollars, basis points → percent.
function shown(unit: Unit, stored: string): string {
  const n = Number(stored);
  if (!Number.isFinite(n)) return stored;
  return unit === "cents" || unit === "basis_points" ? String(n / 100) : String(n);
}

// What the person typed, back in the stored unit. Text that is not a number goes as typed, so the
// server's error names the field and quotes it.
function stored(unit: Unit, typed: string): string {
  const clean = typed.replace(/[$,%\s]/g, "");
  if (clean === "" || !/^-?\d*\.?\d+$/.test(clean)) return typed.trim();
  const n = Number(clean);
  return unit === "cents" || unit === "basis_points" ? String(Math.round(n * 100)) : clean;
}

const unitWord: Record<Unit, string> = { cents: "dollars", basis_points: "percent", percent: "percent", days: "days", hours: "hours", count: "", score: "" };
const suffix: Record<Unit, string> = { cents: "", basis_points: "%", percent: "%", days: "days", hours: "hours", count: "", score: "of 100" };

// A stored value as it reads: $100,000 · 10 % · 90 days.
export function formatSetting(unit: Unit, value: string): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  switch (unit) {
    case "cents":
      return `$${(n / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
    case "basis_points":
      return `${(n / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
    case "percent":
      return `${n} %`;
    case "days":
      return `${n.toLocaleString("en-US")} ${n === 1 ? "day" : "days"}`;
    case "hours":
      return `${n.toLocaleString("en-US")} ${n === 1 ? "hour" : "hours"}`;
    default:
      return n.toLocaleString("en-US");
  }
}

function groups(fields: Field[]): [string, Field[]][] {
  const out = new Map<string, Field[]>();
  for (const f of fields) out.set(f.group, [...(out.get(f.group) ?? []), f]);
  return [...out];
}

export function Settings() {
  const session = useSession();
  const role = session.user.role;
  if (!mayReadSettings(role)) {
    return (
      <section>
        <h1>Settings</h1>
        <Empty>Only admins, leaders and managers see the settings; only admins change them.</Empty>
      </section>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {role === "admin" ? (
        <>
          <SettingsForm />
          <Tokens />
        </>
      ) : (
        <>
          <p class="readonly-note" data-testid="settings-read-only">
            The health model, tiers and coverage in force. Only admins change them.
          </p>
          <SettingsView />
        </>
      )}
    </section>
  );
}

function SettingsView() {
  const [loaded, reload] = useLoad(() => api.get<SettingsAnswer>("/api/v1/settings"), []);
  return (
    <Show loaded={loaded} what="settings" retry={reload}>
      {({ settings, fields }) => (
        <div class="grid3" data-testid="settings-values">
          {groups(fields).map(([g, list]) => (
            <section key={g} class="card settings-group" aria-label={g}>
              <h2>{g}</h2>
              <dl class="settings-values">
                {list.map((f) => (
                  <div key={f.key} class="setting">
                    <dt>{f.label}</dt>
                    <dd>{formatSetting(f.unit, settings[f.key] ?? "")}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      )}
    </Show>
  );
}

function SettingsForm() {
  const [loaded, reload] = useLoad(() => api.get<SettingsAnswer>("/api/v1/settings"), []);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (fields: Field[]) => {
    setError(null);
    setSaved(false);
    const unitOf = new Map(fields.map((f) => [f.key, f.unit]));
    const changes: Record<string, string> = {};
    for (const [k, v] of Object.entries(edits)) changes[k] = stored(unitOf.get(k) ?? "count", v);
    try {
      await api.patch("/api/v1/settings", changes);
      setEdits({});
      setSaved(true);
      reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const count = Object.keys(edits).length;
  return (
    <section class="card" aria-labelledby="set-title">
      <h2 id="set-title">Tiers, coverage, cadences and health model</h2>
      <Show loaded={loaded} what="settings" retry={reload}>
        {({ settings, fields }) => {
          const bad = new Map((error?.fields ?? []).map((f) => [f.field, f.message]));
          return (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void save(fields);
              }}
            >
              <div class="grid3">
                {groups(fields).map(([g, list]) => (
                  <fieldset key={g} class="settings-group">
                    <legend>{g}</legend>
                    {list.map((f) => (
                      <label key={f.key} class="setting">
                        <span>{f.label}</span>
                        <span class="setting-input">
                          {f.unit === "cents" && <span aria-hidden="true">$</span>}
                          <input
                            inputMode="decimal"
                            size={9}
                            value={edits[f.key] ?? shown(f.unit, settings[f.key] ?? "")}
                            onInput={(e) => setEdits({ ...edits, [f.key]: (e.target as HTMLInputElement).value })}
                            aria-label={`${g}: ${f.label}${unitWord[f.unit] ? ` (${unitWord[f.unit]})` : ""}`}
                            aria-invalid={bad.has(f.key) ? true : undefined}
                            data-key={f.key}
                          />
                          {suffix[f.unit] && <span class="muted small">{suffix[f.unit]}</span>}
                        </span>
                        {bad.has(f.key) && (
                          <span class="field-error" role="alert">
                            {f.label}: {bad.get(f.key)}
                          </span>
                        )}
                      </label>
                    ))}
                  </fieldset>
                ))}
              </div>
              {error && (
                <div class="state error" role="alert" data-testid="settings-error">
                  <strong>Not saved.</strong> {error.message}
                </div>
              )}
              <div class="row">
                <button type="submit" class="primary" disabled={count === 0}>
                  Save {count || ""} change{count === 1 ? "" : "s"}
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
