// Dashboards: the weekly review. The KPI strip, accounts at risk, renewals (the window is a
// filter, default from settings), the expansion funnel by stage, the NRR leaderboard by AM, NRR
// and GRR over time, the portfolio 2×2, coverage, the inspection queue and growth opportunities
// (the upsell model's expected expansion; at-risk and renewals carry the churn model's
// probability) — each from its
// /api/v1/dashboards route, under the page's filters (book, team, AM, tier, window), which the
// address keeps. Long panels show their first rows, then "See all (N)" pages to the end.
import { useMemo, useState } from "preact/hooks";
import { api, query } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import { day, html, label, money, pct } from "../lib/format";
import { AccountLink } from "../lib/names";
import { navigate } from "../lib/router";
import { bookChoices, bookFromUrl, bookLabel, dashboardScope, type Book } from "../lib/book";
import { Chart, type ChartOption } from "../components/chart";
import { Show } from "../components/states";
import { DashboardCard, type CardPage } from "../components/dashboard_card";
import { DataTable } from "../components/table";
import { HealthScore } from "../components/health";
import { probability } from "../lib/predictions";
import { GrowthCard } from "./growth";

type C = "green" | "yellow" | "red";
export type Rank = "urgency" | "arr";
export interface AtRisk {
  total: number;
  total_arr_cents: number;
  sort: Rank;
  items: { account_id: number; account_name: string | null; owner_id: number; tier: string; arr_cents: number; health: number; colour: C; renewal_date: string | null; last_meaningful_contact: string | null; why: string[]; urgency_cents: number; churn_probability: number | null }[];
  churn_reason: string | null;
}
export interface Renewals {
  total: number;
  total_arr_cents: number;
  at_risk: number;
  window_days: number;
  sort: Rank;
  items: { account_id: number; account_name: string | null; owner_id: number; tier: string; arr_cents: number; health: number; colour: C; renewal_date: string; days_left: number; at_risk: boolean; urgency_cents: number; churn_probability: number | null }[];
  churn_reason: string | null;
}
interface Kpis {
  kpis: {
    nrr: number;
    grr: number;
    expansion_cents: number;
    churn_cents: number;
    average_multithreading_depth: number;
    average_plan_completeness: number;
    book_arr_cents: number;
    book_accounts: number;
    accounts_at_risk: number;
    response_sla_met: number;
    response_sla_missed: number;
    response_sla_attainment: number | null;
  };
  response_sla_by_tier: (SlaFigures & { tier: number })[];
  response_sla_by_am: (SlaFigures & { owner_id: number | null })[];
}
// The response SLA over the trailing 12 months: first responses within the tier's SLA (met) and
// later or still unanswered past it (missed); attainment is met ÷ (met + missed), null if none.
interface SlaFigures {
  met: number;
  missed: number;
  attainment: number | null;
}
interface Pipeline {
  open_count: number;
  open_cents: number;
  items: { stage: string; count: number; amount_cents: number }[];
}
interface Leaderboard {
  total: number;
  items: { owner_id: number | null; accounts: number; nrr: number; grr: number; expansion_cents: number; churn_cents: number; start_arr_cents: number; end_arr_cents: number }[];
}
interface Portfolio {
  grid: Record<string, { accounts: number; arr_cents: number; whitespace_cents: number }>;
  total: number;
  limit: number;
  items: { account_id: number; account_name: string | null; quadrant: string; arr_cents: number; whitespace_cents: number; health: number }[];
}
interface Coverage {
  total: number;
  items: { owner_id: number; tier1_accounts: number; tier2_accounts: number; tier3_accounts: number; arr_cents: number; load: number; status: string; pooled?: boolean }[];
}
interface Inspection {
  month: string;
  flagged: number;
  sampled: number;
  total: number;
  items: { account_id: number; account_name: string | null; owner_id: number; tier: string; health: number; colour: C; plan_completeness: number; flags: string[]; sampled: boolean }[];
}
interface Retention {
  total: { nrr: number; grr: number };
}

// The rule the at-risk and renewals lists rank by (engine/dashboards.h, docs/DASHBOARDS.md), in
// one sentence for the page.
export const urgencyRule =
  "Most urgent first: ARR × ((100 − health) ÷ 100)² × a time weight that is 1 for a renewal within 30 days and falls to ¼ at the window's end (¼ past it).";

export function RankBy({ value, onChange }: { value: Rank; onChange: (r: Rank) => void }) {
  return (
    <label>
      Rank by{" "}
      <select name="rank" value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value as Rank)}>
        <option value="urgency">Urgency</option>
        <option value="arr">ARR</option>
      </select>
    </label>
  );
}

// What every panel is asked under: the page's filters, as the API names them.
export type Scope = Record<string, string | number | null>;

const dash = <T,>(name: string, params: Scope = {}) => api.get<T>(`/api/v1/dashboards/${name}${query(params)}`);
const paged = (p: CardPage) => ({ offset: p.offset || null, limit: p.limit });

export function KpiStrip({ am = null, scope = {} }: { am?: number | null; scope?: Scope }) {
  const params = { ...scope, am: am ?? scope.am ?? null };
  const [k, reload] = useLoad(() => dash<Kpis>("kpis", params), [JSON.stringify(params)]);
  return (
    <section aria-label="Key figures" class="kpis" data-testid="kpi-strip">
      <Show loaded={k} what="KPIs" retry={reload}>
        {({ kpis }) => (
          <dl>
            <Kpi name="NRR" value={pct(kpis.nrr)} />
            <Kpi name="GRR" value={pct(kpis.grr)} />
            <Kpi name="Expansion ARR" value={money(kpis.expansion_cents)} />
            <Kpi name="Churned ARR" value={money(kpis.churn_cents)} />
            <Kpi name="Avg. multithreading" value={kpis.average_multithreading_depth.toFixed(1)} />
            <Kpi name="Plan completeness" value={kpis.average_plan_completeness === null ? "—" : `${Math.round(kpis.average_plan_completeness)}%`} />
            <Kpi name="Book ARR" value={`${money(kpis.book_arr_cents)} · ${kpis.book_accounts} accts`} />
            <Kpi name="Response SLA" value={slaText({ met: kpis.response_sla_met, missed: kpis.response_sla_missed, attainment: kpis.response_sla_attainment })} />
          </dl>
        )}
      </Show>
      {k.state === "ready" && <SlaBreakdown kpis={k.value} />}
    </section>
  );
}

function slaText(f: SlaFigures): string {
  if (f.attainment === null) return "—";
  return `${Math.round(f.attainment)}% · ${f.met}/${f.met + f.missed}`;
}

// The response SLA's attainment by tier and by AM, folded under the strip.
function SlaBreakdown({ kpis }: { kpis: Kpis }) {
  const session = useSession();
  const rows = [
    ...kpis.response_sla_by_tier.map((r) => ({ key: `t${r.tier}`, name: `Tier ${r.tier}`, f: r })),
    ...kpis.response_sla_by_am.map((r) => ({ key: `am${r.owner_id}`, name: r.owner_id === null ? "No AM" : userName(session, r.owner_id), f: r })),
  ];
  return (
    <details class="sla-breakdown" data-testid="sla-breakdown">
      <summary>Response SLA by tier and AM</summary>
      <table>
        <caption>First responses within the tier's SLA over the last 12 months (tier 3: help desk, not measured)</caption>
        <thead>
          <tr>
            <th scope="col">Tier or AM</th>
            <th scope="col">Met</th>
            <th scope="col">Missed</th>
            <th scope="col">Attainment</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td>{r.f.met}</td>
              <td>{r.f.missed}</td>
              <td>{r.f.attainment === null ? "—" : `${Math.round(r.f.attainment)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Kpi({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

interface DashFilters {
  book: Book;
  team: string;
  am: string;
  tier: string;
  window: string;
}
const filterKeys: (keyof DashFilters)[] = ["book", "team", "am", "tier", "window"];

export function Dashboards() {
  const session = useSession();
  const [f, setF] = useState<DashFilters>(() => {
    const s = new URLSearchParams(location.search);
    return { book: bookFromUrl(session.user), team: s.get("team") ?? "", am: s.get("am") ?? "", tier: s.get("tier") ?? "", window: s.get("window") ?? "" };
  });
  const update = (k: keyof DashFilters, v: string) => {
    const next = { ...f, [k]: v };
    setF(next);
    const q = Object.fromEntries(filterKeys.map((key) => [key, next[key] || null]));
    history.replaceState(null, "", `/dashboards${query(q)}${location.hash}`);
  };
  // Mine and my team narrow to the signed-in user's book; "all" takes the team and AM filters.
  const scope: Scope = { ...dashboardScope(f.book, session.user), tier: f.tier || null };
  if (f.book === "all") {
    scope.team = f.team || null;
    scope.am = f.am || null;
  }
  const people = [...session.users.values()].sort((a, b) => a.name.localeCompare(b.name));
  const managers = people.filter((u) => u.role === "manager");
  const ams = people.filter((u) => ["am", "csm", "manager"].includes(u.role));
  const pick = (k: keyof DashFilters) => (e: Event) => update(k, (e.target as HTMLSelectElement).value);
  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboards</h1>
      <nav class="toc" aria-label="Dashboards on this page">
        {[
          ["at-risk", "At risk"],
          ["renewals", "Renewals"],
          ["pipeline", "Expansion pipeline"],
          ["leaderboard", "NRR by AM"],
          ["trend", "NRR over time"],
          ["portfolio", "Portfolio"],
          ["coverage", "Coverage"],
          ["inspection", "Inspection queue"],
          ["growth", "Growth"],
        ].map(([id, t]) => (
          <a key={id} href={`#${id}`} onClick={(e) => { e.preventDefault(); document.getElementById(id as string)?.scrollIntoView(); }}>
            {t}
          </a>
        ))}
      </nav>
      <form class="filters" aria-label="Dashboard filters" data-testid="dash-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Book
          <select name="book" value={f.book} onChange={pick("book")}>
            {bookChoices(session.user).map((b) => (
              <option key={b} value={b}>
                {bookLabel(b, session.user)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Team
          <select name="team" value={f.team} onChange={pick("team")} disabled={f.book !== "all"}>
            <option value="">Every team</option>
            {managers.map((u) => (
              <option key={u.id} value={String(u.id)}>
                {u.name}'s team
              </option>
            ))}
          </select>
        </label>
        <label>
          AM
          <select name="am" value={f.am} onChange={pick("am")} disabled={f.book !== "all"}>
            <option value="">Anyone</option>
            {ams.map((u) => (
              <option key={u.id} value={String(u.id)}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tier
          <select name="tier" value={f.tier} onChange={pick("tier")}>
            <option value="">Any</option>
            <option value="1">Tier 1</option>
            <option value="2">Tier 2</option>
            <option value="3">Tier 3</option>
          </select>
        </label>
        <label>
          Renewal window
          <select name="window" value={f.window} onChange={pick("window")}>
            <option value="">Default (settings)</option>
            {[30, 60, 90, 120, 180, 365].map((d) => (
              <option key={d} value={String(d)}>
                {d} days
              </option>
            ))}
          </select>
        </label>
      </form>
      <KpiStrip scope={scope} />
      <div class="grid2">
        <AtRiskCard scope={scope} />
        <RenewalsCard scope={scope} window={f.window} />
        <PipelineCard scope={scope} />
        <LeaderboardCard scope={scope} />
        <TrendCard />
        <PortfolioCard scope={scope} />
        <CoverageCard scope={scope} />
        <InspectionCard scope={scope} />
        <GrowthCard scope={scope} />
      </div>
    </section>
  );
}

function AtRiskCard({ scope }: { scope: Scope }) {
  const session = useSession();
  const [rank, setRank] = useState<Rank>("urgency");
  return (
    <DashboardCard
      id="at-risk"
      title="Accounts at risk"
      wide
      load={(p) => dash<AtRisk>("at-risk", { ...scope, sort: rank, ...paged(p) })}
      deps={[scope, rank]}
      paging={{ preview: 12, pageSize: 25, total: (r) => r.total }}
      what="accounts at risk"
      isEmpty={(r) => r.items.length === 0}
      empty="No account is yellow or red."
    >
      {(r) => (
        <>
          <p class="muted">
            {r.total} accounts, {money(r.total_arr_cents)} ARR · <RankBy value={rank} onChange={setRank} />{" "}
            <span class="small">{rank === "urgency" ? urgencyRule : "Largest ARR first."}</span>
          </p>
          <ChurnNote reason={r.churn_reason} />
          <DataTable
            rows={r.items}
            rowKey={(x) => x.account_id}
            columns={[
              { title: "Account", cell: (x) => <AccountLink id={x.account_id} name={x.account_name} /> },
              { title: "Health", cell: (x) => <HealthScore score={x.health} colour={x.colour} /> },
              { title: "AM", cell: (x) => userName(session, x.owner_id) },
              { title: "ARR", num: true, cell: (x) => money(x.arr_cents) },
              { title: "Urgency", num: true, cell: (x) => money(x.urgency_cents) },
              { title: "Churn", num: true, cell: (x) => probability(x.churn_probability) },
              { title: "Renewal", cell: (x) => day(x.renewal_date) },
              { title: "Last contact", cell: (x) => day(x.last_meaningful_contact) },
              {
                title: "Why",
                class: "small",
                cell: (x) => (
                  <ul class="why">
                    {x.why.map((w, i) => (
                      <li key={i}>{w}</li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </>
      )}
    </DashboardCard>
  );
}

function RenewalsCard({ scope, window }: { scope: Scope; window: string }) {
  const session = useSession();
  const [rank, setRank] = useState<Rank>("urgency");
  const [days, setDays] = useState<number | null>(null);
  return (
    <DashboardCard
      id="renewals"
      title={`Upcoming renewals (${days ?? (window || "…")} days)`}
      load={async (p) => {
        const r = await dash<Renewals>("renewals", { ...scope, window: window || null, sort: rank, ...paged(p) });
        setDays(r.window_days);
        return r;
      }}
      deps={[scope, window, rank]}
      paging={{ preview: 12, pageSize: 25, total: (r) => r.total }}
      what="renewals"
      isEmpty={(r) => r.items.length === 0}
      empty="No renewals in the window."
    >
      {(r) => (
        <>
          <p class="muted">
            {r.total} renewals, {money(r.total_arr_cents)} ARR, {r.at_risk} at risk · <RankBy value={rank} onChange={setRank} />
          </p>
          <ChurnNote reason={r.churn_reason} />
          <DataTable
            rows={r.items}
            rowKey={(x) => x.account_id}
            columns={[
              { title: "Account", cell: (x) => <AccountLink id={x.account_id} name={x.account_name} /> },
              {
                title: "Renews",
                cell: (x) => (
                  <>
                    {day(x.renewal_date)} <span class="muted">({x.days_left} d)</span>
                  </>
                ),
              },
              { title: "ARR", num: true, cell: (x) => money(x.arr_cents) },
              { title: "Health", cell: (x) => <HealthScore score={x.health} colour={x.colour} /> },
              { title: "AM", cell: (x) => userName(session, x.owner_id) },
              { title: "Risk", cell: (x) => (x.at_risk ? "At risk" : "—") },
              { title: "Churn", num: true, cell: (x) => probability(x.churn_probability) },
            ]}
          />
        </>
      )}
    </DashboardCard>
  );
}

// Why the churn column is empty, when the churn model gives no scores.
function ChurnNote({ reason }: { reason: string | null }) {
  if (!reason) return null;
  return (
    <p class="muted small" data-testid="churn-reason">
      Churn probability: none shown — {reason}
    </p>
  );
}

function PipelineCard({ scope }: { scope: Scope }) {
  return (
    <DashboardCard
      id="pipeline"
      title="Expansion pipeline by stage"
      load={() => dash<Pipeline>("expansion-pipeline", scope)}
      deps={[scope]}
      what="the pipeline"
      isEmpty={(p) => p.items.length === 0}
      empty="No open upsell or cross-sell opportunities."
    >
      {(p) => <PipelineFigure p={p} />}
    </DashboardCard>
  );
}

function PipelineFigure({ p }: { p: Pipeline }) {
  const option = useMemo(
    (): ChartOption => ({
      tooltip: { trigger: "item", formatter: (x: { name: string; data: { count: number; value: number } }) => html`${x.name}: ${x.data.count} opportunities, ${money(x.data.value * 100)}` },
      series: [
        {
          type: "funnel",
          sort: "none",
          left: "4%",
          width: "52%",
          minSize: "20%",
          label: {
            position: "right", formatter: (x: { name: string; data: { count: number; value: number } }) => `${x.name} · ${x.data.count} · ${money(x.data.value * 100)}` },
          data: p.items.map((s) => ({ name: label(s.stage), value: Math.round(s.amount_cents / 100), count: s.count })),
        },
      ],
    }),
    [p],
  );
  return (
    <>
      <p class="muted">
        {p.open_count} open, {money(p.open_cents)}
      </p>
      <Chart option={option} label={`Funnel of ${p.open_count} open expansion opportunities by stage`} testId="pipeline-chart" />
      <ul class="sr-only">
        {p.items.map((s) => (
          <li key={s.stage}>
            {label(s.stage)}: {s.count}, {money(s.amount_cents)}
          </li>
        ))}
      </ul>
    </>
  );
}

// Every AM, best NRR first: the preview holds a whole sales org (100 AMs), so the pooled team at
// the bottom — where the churn is — is on the page, and "See all" pages past that.
function LeaderboardCard({ scope }: { scope: Scope }) {
  return (
    <DashboardCard
      id="leaderboard"
      title="NRR leaderboard by AM"
      load={(p) => dash<Leaderboard>("nrr-leaderboard", { ...scope, ...paged(p) })}
      deps={[scope]}
      paging={{ preview: 100, pageSize: 50, total: (l) => l.total }}
      what="the leaderboard"
      isEmpty={(l) => l.items.length === 0}
      empty="No AM has a cohort in this period."
    >
      {(l) => <LeaderboardFigure l={l} />}
    </DashboardCard>
  );
}

// The leaderboard's last row holds the accounts no AM owns: their retention is the book's too.
function amName(session: ReturnType<typeof useSession>, id: number | null): string {
  return id === null ? "(no owner)" : userName(session, id);
}

function LeaderboardFigure({ l }: { l: Leaderboard }) {
  const session = useSession();
  const option = useMemo((): ChartOption => {
    const rows = l.items;
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { top: 30, left: 110, right: 20, bottom: 30 },
      xAxis: { type: "value", axisLabel: { formatter: (v: number) => `${v}%` } },
      yAxis: { type: "category", inverse: true, data: rows.map((r) => amName(session, r.owner_id)) },
      series: [
        { name: "NRR", type: "bar", data: rows.map((r) => +(r.nrr * 100).toFixed(1)), itemStyle: { color: "#2f6b3a" } },
        { name: "GRR", type: "bar", data: rows.map((r) => +(r.grr * 100).toFixed(1)), itemStyle: { color: "#9cc59a" } },
      ],
    };
  }, [l]);
  return (
    <>
      <Chart option={option} height={Math.max(200, 60 + 34 * l.items.length)} label="NRR and GRR by account manager" testId="leaderboard-chart" />
      <DataTable
        rows={l.items}
        rowKey={(r) => r.owner_id ?? 0}
        columns={[
          {
            title: "AM",
            cell: (r) =>
              r.owner_id === null ? amName(session, null) : <a href={`/accounts${query({ owner_id: r.owner_id })}`}>{amName(session, r.owner_id)}</a>,
          },
          { title: "Accounts", num: true, cell: (r) => r.accounts },
          { title: "NRR", num: true, cell: (r) => pct(r.nrr) },
          { title: "GRR", num: true, cell: (r) => pct(r.grr) },
          { title: "Expansion", num: true, cell: (r) => money(r.expansion_cents) },
          { title: "Churn", num: true, cell: (r) => money(r.churn_cents) },
        ]}
      />
    </>
  );
}

interface TrendPoint {
  to: string;
  nrr: number;
  grr: number;
}

// NRR and GRR over time: the trailing twelve months ending at each of the last eight quarter ends.
async function loadTrend(): Promise<TrendPoint[]> {
  const today = new Date();
  const ends: Date[] = [];
  for (let i = 7; i >= 0; i--) {
    const e = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 3 * i, today.getUTCDate()));
    ends.push(e);
  }
  const iso = (x: Date) => x.toISOString().slice(0, 10);
  return Promise.all(
    ends.map(async (e) => {
      const from = new Date(Date.UTC(e.getUTCFullYear() - 1, e.getUTCMonth(), e.getUTCDate()));
      const r = await api.get<Retention>(`/api/v1/metrics/retention${query({ from: iso(from), to: iso(e) })}`);
      return { to: iso(e), nrr: r.total.nrr, grr: r.total.grr };
    }),
  );
}

function TrendCard() {
  return (
    <DashboardCard id="trend" title="NRR and GRR over time (trailing 12 months)" load={loadTrend} what="retention over time">
      {(pts) => <TrendFigure pts={pts} />}
    </DashboardCard>
  );
}

function TrendFigure({ pts }: { pts: TrendPoint[] }) {
  const option = useMemo(
    (): ChartOption => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { top: 30, left: 50, right: 20, bottom: 30 },
      xAxis: { type: "category", data: pts.map((p) => p.to) },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: (v: number) => `${v}%` } },
      series: [
        { name: "NRR", type: "line", data: pts.map((p) => +(p.nrr * 100).toFixed(1)), itemStyle: { color: "#2f6b3a" } },
        { name: "GRR", type: "line", data: pts.map((p) => +(p.grr * 100).toFixed(1)), itemStyle: { color: "#c99a06" } },
      ],
    }),
    [pts],
  );
  return (
    <>
      <Chart option={option} label="NRR and GRR, trailing twelve months, at each quarter end" testId="trend-chart" />
      <ul class="sr-only">
        {pts.map((p) => (
          <li key={p.to}>
            {p.to}: NRR {pct(p.nrr)}, GRR {pct(p.grr)}
          </li>
        ))}
      </ul>
    </>
  );
}

const quadrantColour: Record<string, string> = { invest: "#1b7f3b", protect: "#2f5fa7", develop: "#c99a06", automate: "#8a8f98" };

function PortfolioCard({ scope }: { scope: Scope }) {
  return (
    <DashboardCard
      id="portfolio"
      title="Portfolio: value × potential"
      load={(page) => dash<Portfolio>("portfolio", { ...scope, ...paged(page) })}
      deps={[scope]}
      paging={{ preview: chartPoints, pageSize: 25, total: (p) => p.total, always: true }}
      what="the portfolio"
      isEmpty={(p) => p.total === 0}
      empty="No accounts."
    >
      {(p) => (p.limit === chartPoints ? <PortfolioFigure p={p} /> : <PortfolioTable p={p} />)}
    </DashboardCard>
  );
}

// The chart draws up to this many accounts (largest ARR first); "See all" lists every account.
const chartPoints = 2000;

function PortfolioTable({ p }: { p: Portfolio }) {
  return (
    <DataTable
      rows={p.items}
      rowKey={(x) => x.account_id}
      columns={[
        { title: "Account", cell: (x) => <AccountLink id={x.account_id} name={x.account_name} /> },
        { title: "Quadrant", cell: (x) => label(x.quadrant) },
        { title: "ARR", num: true, cell: (x) => money(x.arr_cents) },
        { title: "Whitespace", num: true, cell: (x) => money(x.whitespace_cents) },
        { title: "Health", num: true, cell: (x) => x.health ?? "—" },
      ]}
    />
  );
}

function PortfolioFigure({ p }: { p: Portfolio }) {
  const option = useMemo((): ChartOption => {
    const quads = Object.keys(quadrantColour);
    return {
      tooltip: { formatter: (x: { data: { value: number[]; quadrant: string; name: string } }) => html`${x.data.name}<br/>${label(x.data.quadrant)} · click to open<br/>ARR ${money(x.data.value[0]! * 100)}<br/>Whitespace ${money(x.data.value[1]! * 100)}` },
      legend: { top: 0 },
      grid: { top: 30, left: 70, right: 20, bottom: 40 },
      xAxis: { type: "log", name: "ARR ($)", nameLocation: "middle", nameGap: 26, axisLabel: { formatter: (v: number) => money(v * 100) } },
      yAxis: { type: "log", name: "Whitespace ($)", axisLabel: { formatter: (v: number) => money(v * 100) } },
      series: quads.map((q) => ({
        name: label(q),
        type: "scatter",
        symbolSize: 7,
        itemStyle: { color: quadrantColour[q] },
        data: p.items.filter((i) => i.quadrant === q && i.arr_cents > 0).map((i) => ({ value: [i.arr_cents / 100, Math.max(1, i.whitespace_cents / 100)], quadrant: q, id: i.account_id, name: i.account_name ?? `Account ${i.account_id}` })),
      })),
    };
  }, [p]);
  return (
    <>
      <dl class="quads">
        {Object.entries(p.grid).map(([q, g]) => (
          <div key={q} style={{ borderColor: quadrantColour[q] }}>
            <dt>{label(q)}</dt>
            <dd>
              {g.accounts} accts · {money(g.arr_cents)} ARR · {money(g.whitespace_cents)} whitespace
            </dd>
          </div>
        ))}
      </dl>
      <Chart
        option={option}
        height={320}
        label="Scatter of accounts by ARR and whitespace potential, coloured by quadrant"
        testId="portfolio-chart"
        onClick={(e) => {
          const id = (e.data as { id?: number } | undefined)?.id;
          if (id) navigate(`/accounts/${id}`);
        }}
      />
    </>
  );
}

function CoverageCard({ scope }: { scope: Scope }) {
  const session = useSession();
  return (
    <DashboardCard
      id="coverage"
      title="Coverage: each AM's book against the tier ratios"
      load={(p) => dash<Coverage>("coverage", { ...scope, ...paged(p) })}
      deps={[scope]}
      paging={{ preview: 50, pageSize: 50, total: (c) => c.total }}
      what="coverage"
      isEmpty={(c) => c.items.length === 0}
      empty="No AM owns accounts."
    >
      {(c) => (
        <DataTable
          rows={c.items}
          rowKey={(r) => r.owner_id}
          columns={[
            { title: "AM", cell: (r) => (r.owner_id ? <a href={`/accounts${query({ owner_id: r.owner_id })}`}>{userName(session, r.owner_id)}</a> : "No AM") },
            { title: "T1", num: true, cell: (r) => r.tier1_accounts },
            { title: "T2", num: true, cell: (r) => r.tier2_accounts },
            { title: "T3", num: true, cell: (r) => r.tier3_accounts },
            { title: "ARR", num: true, cell: (r) => money(r.arr_cents) },
            { title: "Load", num: true, cell: (r) => pct(r.load) },
            { title: "Status", cell: (r) => <span class={`status ${r.status}`}>{label(r.status)}{r.pooled ? " (pooled)" : ""}</span> },
          ]}
        />
      )}
    </DashboardCard>
  );
}

function InspectionCard({ scope }: { scope: Scope }) {
  const session = useSession();
  return (
    <DashboardCard
      id="inspection"
      title="Inspection queue"
      wide
      load={(p) => dash<Inspection>("inspection", { ...scope, ...paged(p) })}
      deps={[scope]}
      paging={{ preview: 30, pageSize: 30, total: (q) => q.total }}
      what="the inspection queue"
      isEmpty={(q) => q.items.length === 0}
      empty="Nothing to inspect this month."
    >
      {(q) => (
        <>
          <p class="muted">
            {q.month}: {q.flagged} flagged, {q.sampled} sampled
          </p>
          <DataTable
            rows={q.items}
            rowKey={(r) => r.account_id}
            columns={[
              { title: "Account", cell: (r) => <AccountLink id={r.account_id} name={r.account_name} /> },
              { title: "AM", cell: (r) => userName(session, r.owner_id) },
              { title: "Health", cell: (r) => <HealthScore score={r.health} colour={r.colour} /> },
              { title: "Plan", num: true, cell: (r) => `${r.plan_completeness}%` },
              { title: "Selected by", cell: (r) => <span data-testid="selected-by">{r.sampled ? "Random sample" : "Rule"}</span> },
              { title: "Rules", class: "small", cell: (r) => (r.sampled ? "—" : r.flags.map(label).join(", ")) },
            ]}
          />
        </>
      )}
    </DashboardCard>
  );
}
