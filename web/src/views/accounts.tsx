// Accounts: the book as a virtualised table, paged by the server's cursors (100 rows a request,
// the next page as the end comes into view), with filters and a name search.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError, query, type Page } from "../lib/api";
import { navigate } from "../lib/router";
import { useSession, userName } from "../lib/session";
import type { Account } from "../lib/types";
import { money, label } from "../lib/format";
import { VirtualTable, type Column } from "../components/virtual_table";
import { HealthScore } from "../components/health";
import { Empty, ErrorBox, Loading } from "../components/states";

interface Filters {
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

const keys: (keyof Filters)[] = ["q", "owner_id", "industry", "region", "tier", "health", "quadrant", "renewal_within", "sort"];
// Answered from the server's in-memory book, in id order (a sort does not combine with them).
const bookFilters: (keyof Filters)[] = ["tier", "health", "quadrant", "renewal_within"];
const usesBook = (f: Filters) => bookFilters.some((k) => f[k] !== "");
const params = (f: Filters) => Object.fromEntries(keys.map((k) => [k, k === "sort" && usesBook(f) ? "" : f[k]]));

const pageSize = 100;
const industries = ["Education", "Energy", "Financial Services", "Healthcare", "Insurance", "Logistics", "Manufacturing", "Media", "Public Sector", "Retail", "Software", "Telecommunications"];
const regions = ["North America", "EMEA", "APAC", "LATAM"];

function fromUrl(): Filters {
  const s = new URLSearchParams(location.search);
  return Object.fromEntries(keys.map((k) => [k, s.get(k) ?? ""])) as unknown as Filters;
}

export function Accounts() {
  const session = useSession();
  const [filters, setFilters] = useState<Filters>(fromUrl);
  const [typed, setTyped] = useState(filters.q);
  const [rows, setRows] = useState<Account[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "more" | "error">("loading");
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  const ams = useMemo(
    () => [...session.users.values()].filter((u) => ["am", "csm", "manager"].includes(u.role)).sort((a, b) => a.name.localeCompare(b.name)),
    [session.users],
  );

  const fetchPage = async (after: string | null, gen: number) => {
    try {
      const page = await api.get<Page<Account>>(
        `/api/v1/accounts${query({ limit: pageSize, cursor: after, ...params(filters) })}`,
      );
      if (gen !== generation.current) return;
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
    const url = `/accounts${query(params(filters))}`;
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

  const columns: Column<Account>[] = [
    { key: "name", title: "Account", width: "minmax(12rem, 2.2fr)", render: (a) => <a href={`/accounts/${a.id}`} tabIndex={-1}>{a.name}</a> },
    { key: "tier", title: "Tier", width: "4.5rem", render: (a) => <span class={`tier t${a.tier}`}>T{a.tier}</span> },
    { key: "health", title: "Health", width: "4.5rem", render: (a) => <HealthScore score={a.health} colour={a.colour} /> },
    { key: "arr", title: "ARR", width: "7rem", align: "right", render: (a) => money(a.arr_cents) },
    { key: "owner", title: "Owner", width: "minmax(8rem, 1.2fr)", render: (a) => userName(session, a.owner_id) },
    { key: "industry", title: "Industry", width: "minmax(6rem, 1fr)", render: (a) => a.industry || "—" },
    { key: "region", title: "Region", width: "5rem", render: (a) => a.region || "—" },
    { key: "stage", title: "Lifecycle", width: "7rem", render: (a) => label(a.lifecycle_stage) },
  ];

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <form class="filters" role="search" aria-label="Filter accounts" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" name="q" placeholder="Account name" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Account manager
          <select name="owner_id" value={filters.owner_id} onChange={set("owner_id")}>
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
          <select name="sort" value={usesBook(filters) ? "" : filters.sort} onChange={set("sort")} disabled={usesBook(filters)} title={usesBook(filters) ? "Tier, health, quadrant and renewal filters list in the book's order" : undefined}>
            <option value="">Oldest first</option>
            <option value="name">Name A–Z</option>
            <option value="-name">Name Z–A</option>
          </select>
        </label>
      </form>
      <p class="muted" aria-live="polite" data-testid="accounts-count">
        {state === "loading" ? "Loading…" : `${rows.length}${cursor ? "+" : ""} account${rows.length === 1 ? "" : "s"}`}
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
        />
      )}
    </section>
  );
}
