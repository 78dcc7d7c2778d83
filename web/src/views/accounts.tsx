// Accounts: the book as a virtualised table, paged by the server's cursors (100 rows a request,
// the next page as the end comes into view), with filters, a name search, and the total count of
// matching accounts. It sorts by name or — with every filter — by what the server's book derives
// (ARR, health, renewal, last meaningful contact, plan completeness, multithreading depth), and
// opens on the user's own book (an AM's, a CSM's, a manager's team), one choice from the whole.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError, query, type Page } from "../lib/api";
import { navigate } from "../lib/router";
import { useSession, userName } from "../lib/session";
import type { Account } from "../lib/types";
import { day, money, label } from "../lib/format";
import { bookChoices, bookFromUrl, bookLabel, listScope, type Book } from "../lib/book";
import { VirtualTable, type Column } from "../components/virtual_table";
import { HealthScore } from "../components/health";
import { Empty, ErrorBox, Loading } from "../components/states";

// A row as the list answers it: the account and what the book derives for it today.
type Listed = Account & {
  renewal_date: string | null;
  last_meaningful_contact: string | null;
  plan_completeness: number | null;
  multithreading_depth: number | null;
};

interface Filters {
  book: Book;
  q: string;
  owner_id: string;
  industry: string;
  region: string;
  tier: string;
  health: string;
  quadrant: string;
  renewal_within: string;
  sort: string;
}

const keys: (keyof Filters)[] = ["book", "q", "owner_id", "industry", "region", "tier", "health", "quadrant", "renewal_within", "sort"];
// Answered from the server's in-memory book, in id order or by a derived sort (not by name).
const bookFilters: (keyof Filters)[] = ["tier", "health", "quadrant", "renewal_within"];
const usesBook = (f: Filters) => bookFilters.some((k) => f[k] !== "");
// The sorts the server's book derives: they combine with every filter.
const derived = ["arr_cents", "health", "renewal_date", "last_meaningful_contact", "plan_completeness", "multithreading_depth"];
const isDerived = (sort: string) => derived.includes(sort.replace(/^-/, ""));
const sortOf = (f: Filters) => (usesBook(f) && !isDerived(f.sort) ? "" : f.sort);
// The address keeps every filter and the book; the server gets the book as owner_id, csm_id or team.
const urlParams = (f: Filters) => Object.fromEntries(keys.map((k) => [k, k === "sort" ? sortOf(f) : f[k]]));
function apiParams(f: Filters, user: Parameters<typeof listScope>[1]) {
  const { book, ...rest } = urlParams(f);
  const scope = listScope(book as Book, user);
  return { ...rest, ...scope, owner_id: scope.owner_id ?? (book === "all" ? rest.owner_id : "") };
}
const sortOptions: [string, string][] = [
  ["", "Oldest first"],
  ["name", "Name A–Z"],
  ["-name", "Name Z–A"],
  ["-arr_cents", "ARR, largest first"],
  ["arr_cents", "ARR, smallest first"],
  ["health", "Health, lowest first"],
  ["-health", "Health, highest first"],
  ["renewal_date", "Renewal, soonest first"],
  ["-renewal_date", "Renewal, latest first"],
  ["last_meaningful_contact", "Last contact, longest ago first"],
  ["-last_meaningful_contact", "Last contact, most recent first"],
  ["plan_completeness", "Plan completeness, lowest first"],
  ["-plan_completeness", "Plan completeness, highest first"],
  ["multithreading_depth", "Multithreading, thinnest first"],
  ["-multithreading_depth", "Multithreading, deepest first"],
];

const pageSize = 100;
const industries = ["Education", "Energy", "Financial Services", "Healthcare", "Insurance", "Logistics", "Manufacturing", "Media", "Public Sector", "Retail", "Software", "Telecommunications"];
const regions = ["North America", "EMEA", "APAC", "LATAM"];

function fromUrl(user: Parameters<typeof bookFromUrl>[0]): Filters {
  const s = new URLSearchParams(location.search);
  const f = Object.fromEntries(keys.map((k) => [k, s.get(k) ?? ""])) as unknown as Filters;
  return { ...f, book: bookFromUrl(user) };
}

export function Accounts() {
  const session = useSession();
  const [filters, setFilters] = useState<Filters>(() => fromUrl(session.user));
  const [typed, setTyped] = useState(filters.q);
  const [rows, setRows] = useState<Listed[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "more" | "error">("loading");
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  const ams = useMemo(
    () => [...session.users.values()].filter((u) => ["am", "csm", "manager"].includes(u.role)).sort((a, b) => a.name.localeCompare(b.name)),
    [session.users],
  );

  const fetchPage = async (after: string | null, gen: number) => {
    try {
      const page = await api.get<Page<Listed> & { total: number | null }>(
        `/api/v1/accounts${query({ limit: pageSize, cursor: after, ...apiParams(filters, session.user) })}`,
      );
      if (gen !== generation.current) return;
      if (!after || page.total !== null) setTotal(page.total);
      setRows((r) => (after ? [...r, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setState("ready");
    } catch (e) {
      if (gen !== generation.current) return;
      setError(e as ApiError);
      setState("error");
    }
  };

  useEffect(() => {
    const gen = ++generation.current;
    setState("loading");
    setRows([]);
    setCursor(null);
    setTotal(null);
    const url = `/accounts${query(urlParams(filters))}`;
    history.replaceState(null, "", url);
    void fetchPage(null, gen);
  }, [filters]);

  // The search waits for a pause in typing, so each keystroke is not a request.
  useEffect(() => {
    if (typed === filters.q) return undefined;
    const t = setTimeout(() => setFilters((f) => ({ ...f, q: typed })), 250);
    return () => clearTimeout(t);
  }, [typed]);

  const loadMore = () => {
    if (state !== "ready" || !cursor) return;
    setState("more");
    void fetchPage(cursor, generation.current);
  };

  const set = (k: keyof Filters) => (e: Event) => setFilters((f) => ({ ...f, [k]: (e.target as HTMLSelectElement).value }));

  const columns: Column<Listed>[] = [
    { key: "name", title: "Account", width: "minmax(12rem, 2.2fr)", render: (a) => <a href={`/accounts/${a.id}`} tabIndex={-1}>{a.name}</a> },
    { key: "tier", title: "Tier", width: "4.5rem", render: (a) => <span class={`tier t${a.tier}`}>T{a.tier}</span> },
    { key: "health", title: "Health", width: "4.5rem", sortKey: "health", render: (a) => <HealthScore score={a.health} colour={a.colour} /> },
    { key: "arr", title: "ARR", width: "5.5rem", align: "right", sortKey: "arr_cents", render: (a) => money(a.arr_cents) },
    { key: "renewal", title: "Renewal", width: "6.5rem", sortKey: "renewal_date", render: (a) => day(a.renewal_date) },
    { key: "contact", title: "Last contact", width: "6.5rem", sortKey: "last_meaningful_contact", render: (a) => day(a.last_meaningful_contact) },
    { key: "plan", title: "Plan", width: "3.5rem", align: "right", sortKey: "plan_completeness", render: (a) => (a.plan_completeness === null ? "—" : `${a.plan_completeness}%`) },
    { key: "depth", title: "Depth", width: "3.5rem", align: "right", sortKey: "multithreading_depth", render: (a) => a.multithreading_depth ?? "—" },
    { key: "owner", title: "Owner", width: "minmax(6rem, 1fr)", render: (a) => userName(session, a.owner_id) },
    { key: "industry", title: "Industry", width: "minmax(5rem, 0.8fr)", render: (a) => a.industry || "—" },
    { key: "region", title: "Region", width: "4.5rem", render: (a) => a.region || "—" },
    { key: "stage", title: "Lifecycle", width: "5.5rem", render: (a) => label(a.lifecycle_stage) },
  ];
  const mineOnly = filters.book !== "all";

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <form class="filters" role="search" aria-label="Filter accounts" onSubmit={(e) => e.preventDefault()}>
        <label>
          Book
          <select name="book" value={filters.book} onChange={set("book")}>
            {bookChoices(session.user).map((b) => (
              <option key={b} value={b}>
                {bookLabel(b, session.user)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" name="q" placeholder="Account name" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Account manager
          <select name="owner_id" value={mineOnly ? "" : filters.owner_id} onChange={set("owner_id")} disabled={mineOnly} title={mineOnly ? "Choose the whole book to pick an account manager" : undefined}>
            <option value="">Anyone</option>
            {ams.map((u) => (
              <option value={String(u.id)} key={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Industry
          <select name="industry" value={filters.industry} onChange={set("industry")}>
            <option value="">Any</option>
            {industries.map((i) => (
              <option key={i}>{i}</option>
            ))}
          </select>
        </label>
        <label>
          Region
          <select name="region" value={filters.region} onChange={set("region")}>
            <option value="">Any</option>
            {regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Tier
          <select name="tier" value={filters.tier} onChange={set("tier")}>
            <option value="">Any</option>
            <option value="1">Tier 1 · Strategic</option>
            <option value="2">Tier 2 · Core</option>
            <option value="3">Tier 3 · Volume</option>
          </select>
        </label>
        <label>
          Health
          <select name="health" value={filters.health} onChange={set("health")}>
            <option value="">Any</option>
            <option value="green">Green</option>
            <option value="yellow">Yellow</option>
            <option value="red">Red</option>
            <option value="none">No score</option>
          </select>
        </label>
        <label>
          Quadrant
          <select name="quadrant" value={filters.quadrant} onChange={set("quadrant")}>
            <option value="">Any</option>
            <option value="invest">Invest</option>
            <option value="protect">Protect</option>
            <option value="develop">Develop</option>
            <option value="automate">Automate</option>
          </select>
        </label>
        <label>
          Renews within
          <select name="renewal_within" value={filters.renewal_within} onChange={set("renewal_within")}>
            <option value="">Any time</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="180">180 days</option>
            <option value="365">a year</option>
          </select>
        </label>
        <label>
          Order
          <select name="sort" value={sortOf(filters)} onChange={set("sort")}>
            {sortOptions.map(([value, text]) => (
              <option key={value} value={value} disabled={usesBook(filters) && value !== "" && !isDerived(value)} title={usesBook(filters) && value !== "" && !isDerived(value) ? "Tier, health, quadrant and renewal filters sort by what the book derives, not by name" : undefined}>
                {text}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p class="muted" aria-live="polite" data-testid="accounts-count">
        {state === "loading" ? "Loading…" : countText(total ?? rows.length, rows.length, cursor !== null)}
        {state === "more" ? " · loading more…" : ""}
      </p>
      {state === "loading" && <Loading what="accounts" />}
      {state === "error" && error && <ErrorBox error={error} retry={() => setFilters({ ...filters })} />}
      {state !== "loading" && state !== "error" && rows.length === 0 && <Empty>No accounts match these filters.</Empty>}
      {rows.length > 0 && (
        <VirtualTable
          rows={rows}
          columns={columns}
          label="Accounts (arrow keys move, Enter opens)"
          hasMore={cursor !== null}
          loadMore={loadMore}
          onOpen={(a) => navigate(`/accounts/${a.id}`)}
          rowKey={(a) => a.id}
          sorting={{ sort: sortOf(filters), onSort: (sort) => setFilters((f) => ({ ...f, sort })), firstDescending: (k) => k === "arr_cents" || k === "plan_completeness" || k === "multithreading_depth" }}
        />
      )}
    </section>
  );
}

// "1,234 accounts", and while not all are loaded, how many are.
function countText(total: number, loaded: number, more: boolean): string {
  const n = `${total.toLocaleString("en-US")} account${total === 1 ? "" : "s"}`;
  return more ? `${n} · ${loaded} loaded` : n;
}
