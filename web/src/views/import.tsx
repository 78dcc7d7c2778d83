// Import (admins): choose a file and where it comes from — Salesforce, HubSpot, or any CSV with a
// mapping built here from its header row — send it to POST /api/v1/imports, follow the job's
// progress, then read what happened per file and the first rejected rows. Recent imports below.
// A mapped CSV may key rows by any system's id (external_id, with the system's name) and keep
// contacts and deals without an account under a holding account; owners Orchard lacks may be
// added as inactive users (issue 21). The summary lists those users and the holding account.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession } from "../lib/session";
import { label } from "../lib/format";
import { Empty, Show } from "../components/states";
import { DataTable } from "../components/table";
import type { User } from "../lib/types";

interface Progress {
  rows: number;
  bytes: number;
  total_bytes: number;
  seconds: number;
  rows_per_s: number;
  eta_s: number;
}

interface Counts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

interface Summary extends Counts {
  dry_run: boolean;
  seconds: number;
  rows_per_s: number;
  files: (Counts & { file: string; object: string })[];
  warnings: { message: string; rows: number }[];
  rejected_rows?: { file: string; line: number; column: number; column_name: string; reason: string }[];
  created_users?: string[]; // "Name <address>", added inactive
  unassigned_account?: { name: string; rows: number };
}

interface Job {
  id: number;
  status: "running" | "done" | "failed";
  source: string;
  object?: string;
  file_name: string;
  dry_run: boolean;
  started_at: string;
  progress: Progress;
  summary?: Summary;
  error?: string;
  rejected_url: string;
}

// The server's default request body limit (`orchard serve --body-limit`), and the JSON envelope's
// overhead on top of the file's text.
const bodyLimit = 1 << 20;

type Source = "salesforce" | "hubspot:companies" | "hubspot:contacts" | "hubspot:deals" | "csv";
const sources: { value: Source; title: string }[] = [
  { value: "salesforce", title: "Salesforce (Bulk API CSV or data-tree JSON)" },
  { value: "hubspot:companies", title: "HubSpot companies (CSV export)" },
  { value: "hubspot:contacts", title: "HubSpot contacts (CSV export)" },
  { value: "hubspot:deals", title: "HubSpot deals (CSV export)" },
  { value: "csv", title: "Any CSV, with a column mapping" },
];

type ImportObject = "accounts" | "contacts" | "opportunities" | "contract_lines";
const objects: ImportObject[] = ["accounts", "contacts", "opportunities", "contract_lines"];

// Each object's value fields (src/ingest/import_fields.cc FieldsOf), then its key and links.
const fieldsOf: Record<ImportObject, string[]> = {
  accounts: ["name", "industry", "region", "employees", "owner", "lifecycle_stage", "strategic"],
  contacts: ["first_name", "last_name", "email", "title", "owner", "buying_role", "stance", "influence", "status"],
  opportunities: ["name", "type", "stage", "amount", "close_date", "created_on", "owner", "lost_reason", "product"],
  contract_lines: ["product", "product_name", "arr", "start_date", "end_date"],
};
// external_id: the row's id in any other system, named by the mapping's "source" (src/ingest/mapped_csv.cc).
const keysOf = (o: ImportObject): string[] => (o === "contract_lines" ? ["salesforce_id", "external_id"] : ["salesforce_id", "hubspot_id", "external_id"]);
const linksOf: Record<ImportObject, string[]> = {
  accounts: ["parent.salesforce_id", "parent.hubspot_id", "parent.external_id", "parent.name"],
  contacts: ["account.salesforce_id", "account.hubspot_id", "account.external_id", "account.name", "reports_to.salesforce_id", "reports_to.hubspot_id", "reports_to.external_id"],
  opportunities: ["account.salesforce_id", "account.hubspot_id", "account.external_id", "account.name"],
  contract_lines: ["account.salesforce_id", "account.hubspot_id", "account.external_id", "account.name", "opportunity.salesforce_id", "opportunity.external_id"],
};
const usesExternalId = (target: string) => target === "external_id" || target.endsWith(".external_id");
// The objects a holding account may keep when a row names no account (the mapping's "unassigned_account").
const holdsUnassigned = new Set<ImportObject>(["contacts", "opportunities"]);
// Only admins add users (POST /api/v1/users), so only they are offered owners added as users.
export const mayCreateUsers = (user: User) => user.role === "admin";
const moneyFields = new Set(["amount", "arr"]);
const dateFields = new Set(["close_date", "created_on", "start_date", "end_date"]);
const moneyFormats = ["1,234.50", "1.234,50", "1 234,50", "cents"];

interface ColumnChoice {
  target: string; // "" = ignore
  money_format: string;
  date_format: string;
}

const sourceName: Record<string, string> = { salesforce: "Salesforce", hubspot: "HubSpot", csv: "Any CSV" };

const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

// The column of a header most like a target, e.g. "Account Name" → "name", "Close Date" → close_date.
function guess(header: string, o: ImportObject): string {
  const f = fold(header);
  const all = [...fieldsOf[o], ...keysOf(o), ...linksOf[o]];
  const exact = all.find((t) => fold(t) === f);
  if (exact) return exact;
  if (f === "id" || f === "salesforceid") return "salesforce_id";
  if (f === "recordid" || f === "hubspotid") return o === "contract_lines" ? "" : "hubspot_id";
  return "";
}

// The header row of a CSV: quoted fields, and the delimiter the server will sniff (, ; or tab).
export function headerOf(text: string): { columns: string[]; delimiter: string } {
  const body = text.replace(/^\uFEFF/, "");
  let end = 0;
  let quoted = false;
  for (; end < body.length; end++) {
    const c = body[end];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
  }
  const line = body.slice(0, end);
  const count = (d: string) => line.split(d).length - 1;
  const delimiter = [",", ";", "\t"].reduce((best, d) => (count(d) > count(best) ? d : best), ",");
  const columns: string[] = [];
  let cur = "";
  quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      columns.push(cur);
      cur = "";
    } else cur += c;
  }
  columns.push(cur);
  return { columns: columns.map((c) => c.trim()), delimiter };
}

export function Import() {
  const session = useSession();
  const [current, setCurrent] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  if (session.user.role !== "admin") {
    return (
      <section aria-labelledby="import-title">
        <h1 id="import-title">Import</h1>
        <Empty>
          <span data-testid="import-admin-only">Only admins import data. Ask an admin to bring in your Salesforce, HubSpot or CSV file.</span>
        </Empty>
      </section>
    );
  }
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import</h1>
      <ImportForm onStarted={(id) => setCurrent(id)} />
      {current !== null && <JobView key={current} id={current} onFinished={() => setTick((t) => t + 1)} />}
      <Recent tick={tick} current={current} onOpen={setCurrent} />
    </section>
  );
}

// One group of a column's field choices: each value is its own label.
function Choices({ label, values }: { label: string; values: readonly string[] }) {
  return (
    <optgroup label={label}>
      {values.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </optgroup>
  );
}

function kib(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

function ImportForm({ onStarted }: { onStarted: (id: number) => void }) {
  const session = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [source, setSource] = useState<Source>("csv");
  const [object, setObject] = useState<ImportObject>("accounts");
  const [columns, setColumns] = useState<string[]>([]);
  const [delimiter, setDelimiter] = useState(",");
  const [choices, setChoices] = useState<ColumnChoice[]>([]);
  const [dryRun, setDryRun] = useState(false);
  const [dateFormat, setDateFormat] = useState("");
  const [sourceSystem, setSourceSystem] = useState(""); // the mapping's "source" for external_id
  const [unassigned, setUnassigned] = useState(""); // "" = reject rows without an account
  const [createUsers, setCreateUsers] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const pick = async (f: File | null) => {
    setFile(f);
    setError(null);
    setText(null);
    setColumns([]);
    if (!f) return;
    const t = await f.text();
    setText(t);
    if (/\.json$/i.test(f.name)) setSource("salesforce");
    const h = headerOf(t);
    setColumns(h.columns);
    setDelimiter(h.delimiter);
  };

  // A new file or object guesses the mapping afresh.
  useEffect(() => {
    setChoices(columns.map((c) => ({ target: guess(c, object), money_format: fold(c).includes("cents") ? "cents" : "", date_format: "" })));
  }, [columns, object]);

  const mapping = () => {
    const cols: Record<string, string | { field: string; money_format?: string; date_format?: string }> = {};
    columns.forEach((c, i) => {
      const ch = choices[i];
      if (!ch || !ch.target) return;
      if (moneyFields.has(ch.target) && ch.money_format) cols[c] = { field: ch.target, money_format: ch.money_format };
      else if (dateFields.has(ch.target) && ch.date_format.trim()) cols[c] = { field: ch.target, date_format: ch.date_format.trim() };
      else cols[c] = ch.target;
    });
    return {
      columns: cols,
      ...(delimiter !== "," ? { delimiter } : {}),
      ...(external && sourceSystem.trim() ? { source: sourceSystem.trim() } : {}),
      ...(holdsUnassigned.has(object) && unassigned.trim() ? { unassigned_account: unassigned.trim() } : {}),
    };
  };
  const mapped = choices.filter((c) => c.target).length;
  const external = choices.some((c) => usesExternalId(c.target));
  const offerCreateUsers = mayCreateUsers(session.user);

  const submit = async () => {
    if (!file || text === null) return;
    setBusy(true);
    setError(null);
    const [src, hubspotObject] = source.split(":") as [string, string | undefined];
    const body = {
      source: src,
      ...(src === "hubspot" ? { object: hubspotObject } : {}),
      ...(src === "csv" ? { object, map: mapping() } : {}),
      ...(src !== "csv" && dateFormat.trim() ? { date_format: dateFormat.trim() } : {}),
      ...(offerCreateUsers && createUsers ? { create_users: true } : {}),
      dry_run: dryRun,
      file_name: file.name,
      content: text,
    };
    try {
      const job = await api.post<Job>("/api/v1/imports", body);
      onStarted(job.id);
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 413) {
        setError(
          new ApiError(
            413,
            err.code,
            `The file is larger than the server accepts in one request (${err.message}). Split it, or run \`orchard import\` on the server, or start the server with a larger --body-limit.`,
          ),
        );
      } else if (err.status === 0 && file.size > bodyLimit) {
        setError(new ApiError(0, err.code, `The upload was cut off: at ${kib(file.size)} the file is likely over the server's body limit (1 MiB by default).`));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const tooBig = file !== null && file.size > bodyLimit;
  const targets = [...fieldsOf[object], ...keysOf(object), ...linksOf[object]];
  return (
    <form
      class="card"
      aria-labelledby="import-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="import-form-title">Bring in a file</h2>
      <div class="filters">
        <label>
          File
          <input type="file" name="import-file" accept=".csv,.json,.txt,text/csv,application/json" onChange={(e) => void pick((e.target as HTMLInputElement).files?.[0] ?? null)} />
        </label>
        <label>
          Source
          <select name="import-source" value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value as Source)}>
            {sources.map((s) => (
              <option key={s.value} value={s.value}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        {source === "csv" && (
          <label>
            Object
            <select name="import-object" value={object} onChange={(e) => setObject((e.target as HTMLSelectElement).value as ImportObject)}>
              {objects.map((o) => (
                <option key={o} value={o}>
                  {label(o)}
                </option>
              ))}
            </select>
          </label>
        )}
        {source !== "csv" && (
          <label>
            Dates, if not ISO
            <input name="import-date-format" placeholder="e.g. DD.MM.YYYY" size={14} value={dateFormat} onInput={(e) => setDateFormat((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <label class="check">
          <input type="checkbox" name="import-dry-run" checked={dryRun} onChange={(e) => setDryRun((e.target as HTMLInputElement).checked)} /> Dry run (check and report, write nothing)
        </label>
        {offerCreateUsers && (
          <label class="check">
            <input type="checkbox" name="import-create-users" checked={createUsers} onChange={(e) => setCreateUsers((e.target as HTMLInputElement).checked)} /> Create missing owners as inactive users
          </label>
        )}
      </div>
      <p class="muted small" id="import-limit">
        The file is sent in one request: the server takes up to 1 MiB by default (<code>orchard serve --body-limit</code>). For larger files run <code>orchard import</code> on the server.
        {file && (
          <>
            {" "}
            This file: <strong class={tooBig ? "overdue" : ""}>{kib(file.size)}</strong>
            {tooBig ? " — over the default limit." : "."}
          </>
        )}
      </p>
      {source === "csv" && file && columns.length > 0 && (
        <fieldset class="mapping" data-testid="import-mapping">
          <legend>
            Map the columns to {label(object).toLowerCase()} fields ({mapped} of {columns.length} mapped)
          </legend>
          <div class="scroll-x">
            <table class="plain">
              <thead>
                <tr>
                  <th scope="col">Column in the file</th>
                  <th scope="col">Orchard field</th>
                  <th scope="col">Format</th>
                </tr>
              </thead>
              <tbody>
                {columns.map((c, i) => {
                  const ch = choices[i] ?? { target: "", money_format: "", date_format: "" };
                  const set = (patch: Partial<ColumnChoice>) => setChoices(choices.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                  return (
                    <tr key={`${i}:${c}`}>
                      <th scope="row">{c || <span class="muted">(unnamed column {i + 1})</span>}</th>
                      <td>
                        <select aria-label={`Field for column ${c || i + 1}`} value={ch.target} onChange={(e) => set({ target: (e.target as HTMLSelectElement).value })}>
                          <option value="">Ignore</option>
                          <Choices label="Fields" values={fieldsOf[object]} />
                          <Choices label="Key" values={keysOf(object)} />
                          <Choices label="Links" values={linksOf[object]} />
                        </select>
                      </td>
                      <td>
                        {moneyFields.has(ch.target) && (
                          <select aria-label={`Money format of ${c}`} value={ch.money_format} onChange={(e) => set({ money_format: (e.target as HTMLSelectElement).value })}>
                            <option value="">1234.50 (plain)</option>
                            {moneyFormats.map((m) => (
                              <option key={m} value={m}>
                                {m}
                              </option>
                            ))}
                          </select>
                        )}
                        {dateFields.has(ch.target) && (
                          <input aria-label={`Date format of ${c}`} placeholder="YYYY-MM-DD" size={12} value={ch.date_format} onInput={(e) => set({ date_format: (e.target as HTMLInputElement).value })} />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {!targets.some((t) => choices.some((c) => c.target === t)) && <p class="muted">Map at least one column.</p>}
          <div class="filters">
            {external && (
              <label>
                System the external_id keys come from
                <input name="import-source-name" placeholder="e.g. ravenstack" size={16} value={sourceSystem} onInput={(e) => setSourceSystem((e.target as HTMLInputElement).value)} />
              </label>
            )}
            {holdsUnassigned.has(object) && (
              <label>
                Keep rows without an account under …
                <input name="import-unassigned" placeholder="e.g. Unassigned (empty: reject them)" size={28} value={unassigned} onInput={(e) => setUnassigned((e.target as HTMLInputElement).value)} />
              </label>
            )}
          </div>
        </fieldset>
      )}
      {error && (
        <div class="state error" role="alert" data-testid="import-error">
          <strong>{error.status === 413 ? "Too large." : "Not imported."}</strong> {error.message}
          {error.fields.length > 0 && (
            <ul>
              {error.fields.map((f) => (
                <li key={f.field}>
                  <code>{f.field}</code>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={!file || text === null || busy || (source === "csv" && mapped === 0)}>
          {busy ? "Sending…" : dryRun ? "Check the file" : "Import"}
        </button>
        {!file && <span class="muted">Choose a file first.</span>}
      </div>
    </form>
  );
}

function seconds(s: number): string {
  if (!Number.isFinite(s) || s <= 0) return "—";
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function JobView({ id, onFinished }: { id: number; onFinished: () => void }) {
  const [loaded, reload, set] = useLoad(() => api.get<Job>(`/api/v1/imports/${id}`), [id]);
  const job = loaded.state === "ready" ? loaded.value : null;
  useEffect(() => {
    if (!job) return;
    if (job.status !== "running") {
      onFinished();
      return;
    }
    const t = setTimeout(() => {
      api.get<Job>(`/api/v1/imports/${id}`).then(set, () => reload());
    }, 400);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job]);
  return (
    <section class="card" aria-labelledby="job-title" data-testid="import-job" aria-busy={job?.status === "running"}>
      <h2 id="job-title">
        Import {id}
        {job ? ` · ${job.file_name}${job.dry_run ? " (dry run)" : ""}` : ""}
      </h2>
      <Show loaded={loaded} what="the import" retry={reload}>
        {(j) => (
          <>
            <JobProgress job={j} />
            {j.status === "failed" && (
              <div class="state error" role="alert">
                <strong>The import failed.</strong> {j.error}
              </div>
            )}
            {j.summary && <JobSummary job={j} summary={j.summary} />}
          </>
        )}
      </Show>
    </section>
  );
}

function JobProgress({ job }: { job: Job }) {
  const p = job.progress;
  const share = job.status === "running" ? (p.total_bytes > 0 ? Math.min(1, p.bytes / p.total_bytes) : 0) : 1;
  return (
    <div class="import-progress">
      <div
        class="bar"
        role="progressbar"
        aria-label={`Import ${job.id} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
      >
        <span class="fill" style={{ width: `${share * 100}%`, background: job.status === "failed" ? "#c0392b" : "#2f6b3a" }} />
      </div>
      <p role="status" aria-live="polite" data-testid="import-status">
        {job.status === "running" ? "Running" : job.status === "done" ? "Done" : "Failed"}: {p.rows.toLocaleString("en-US")} rows
        {p.rows_per_s > 0 ? ` · ${Math.round(p.rows_per_s).toLocaleString("en-US")} rows/s` : ""}
        {job.status === "running" ? ` · ETA ${seconds(p.eta_s)}` : ` · ${p.seconds.toFixed(1)} s`}
      </p>
    </div>
  );
}

function JobSummary({ job, summary }: { job: Job; summary: Summary }) {
  const rejected = summary.rejected_rows ?? [];
  const shown = rejected.slice(0, 50);
  return (
    <>
      {summary.dry_run && <p class="readonly-note">A dry run: nothing was written.</p>}
      <div class="scroll-x">
        <DataTable
          testId="import-summary"
          caption="What happened per file"
          rows={summary.files}
          rowKey={(f) => `${f.file}:${f.object}`}
          columns={[
            { title: "File", cell: (f) => f.file },
            { title: "Object", cell: (f) => label(f.object) },
            ...(["rows", "inserted", "updated", "unchanged", "rejected", "skipped"] as const).map((k) => ({ title: label(k), num: true, cell: (f: Summary["files"][number]) => f[k] })),
          ]}
        />
      </div>
      {summary.unassigned_account && (
        <p data-testid="import-unassigned">
          {summary.unassigned_account.rows.toLocaleString("en-US")} row{summary.unassigned_account.rows === 1 ? "" : "s"} without an account {summary.dry_run ? "would go" : "went"} under{" "}
          <strong>{summary.unassigned_account.name}</strong>.
        </p>
      )}
      {(summary.created_users ?? []).length > 0 && (
        <section aria-labelledby={`users-${job.id}`}>
          <h3 id={`users-${job.id}`}>
            Owners {summary.dry_run ? "that would be added" : "added"} as inactive users ({summary.created_users!.length})
          </h3>
          <p class="muted small">They cannot sign in until an admin activates them under People.</p>
          <ul data-testid="import-created-users">
            {summary.created_users!.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </section>
      )}
      {summary.warnings.length > 0 && (
        <section aria-labelledby={`warn-${job.id}`}>
          <h3 id={`warn-${job.id}`}>Warnings</h3>
          <ul data-testid="import-warnings">
            {summary.warnings.map((w) => (
              <li key={w.message}>
                {w.message}
                {w.rows > 0 ? ` (${w.rows} row${w.rows === 1 ? "" : "s"})` : ""}
              </li>
            ))}
          </ul>
        </section>
      )}
      {summary.rejected > 0 && (
        <section aria-labelledby={`rej-${job.id}`}>
          <h3 id={`rej-${job.id}`}>
            Rejected rows ({summary.rejected}
            {summary.rejected > shown.length ? `, the first ${shown.length} shown` : ""})
          </h3>
          <DataTable
            testId="import-rejected"
            rows={shown}
            rowKey={(r) => `${r.file}:${r.line}:${r.column}`}
            columns={[
              { title: "File", cell: (r) => r.file },
              { title: "Line", num: true, cell: (r) => r.line },
              { title: "Column", cell: (r) => r.column_name || (r.column > 0 ? `column ${r.column}` : "—") },
              { title: "Reason", cell: (r) => r.reason },
            ]}
          />
          <p>
            <a href={job.rejected_url} download={`import-${job.id}-rejected.csv`}>
              Download all rejected rows (CSV)
            </a>
          </p>
        </section>
      )}
    </>
  );
}

function Recent({ tick, current, onOpen }: { tick: number; current: number | null; onOpen: (id: number) => void }) {
  const [list, reload] = useLoad(() => api.get<{ items: Job[] }>("/api/v1/imports"), [tick]);
  return (
    <section class="card" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent imports on this server</h2>
      <Show loaded={list} what="recent imports" retry={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>No imports since the server started.</Empty>
          ) : (
            <div class="scroll-x">
              <table class="plain" data-testid="import-recent">
                <thead>
                  <tr>
                    <th scope="col">Import</th>
                    <th scope="col">File</th>
                    <th scope="col">Source</th>
                    <th scope="col">Started</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Rows
                    </th>
                    <th scope="col" class="num">
                      Inserted
                    </th>
                    <th scope="col" class="num">
                      Updated
                    </th>
                    <th scope="col" class="num">
                      Rejected
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((j) => (
                    <tr key={j.id} aria-current={j.id === current ? "true" : undefined}>
                      <td>
                        <button type="button" class="link" onClick={() => onOpen(j.id)}>
                          <span class="sr-only">Show import </span>#{j.id}
                        </button>
                      </td>
                      <td>{j.file_name}</td>
                      <td>
                        {sourceName[j.source] ?? j.source}
                        {j.object ? ` · ${label(j.object)}` : ""}
                        {j.dry_run ? " (dry run)" : ""}
                      </td>
                      <td>{j.started_at.slice(0, 19).replace("T", " ")}</td>
                      <td>{label(j.status)}</td>
                      <td class="num">{j.summary?.rows ?? j.progress.rows}</td>
                      <td class="num">{j.summary?.inserted ?? "—"}</td>
                      <td class="num">{j.summary?.updated ?? "—"}</td>
                      <td class="num">{j.summary?.rejected ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
    </section>
  );
}
