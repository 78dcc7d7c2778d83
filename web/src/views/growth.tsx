// The growth dashboard's panel (issue 20): where the biggest growth opportunities are — accounts
// ranked by expected expansion (the upsell model's probability × the account's open whitespace),
// under the page's filters, paged to its end; or why there are no scores.
import { api, query } from "../lib/api";
import { useSession, userName } from "../lib/session";
import { money } from "../lib/format";
import { AccountLink } from "../lib/names";
import { probability } from "../lib/predictions";
import { DashboardCard, type CardPage } from "../components/dashboard_card";
import { DataTable } from "../components/table";
import { HealthScore } from "../components/health";

interface Growth {
  available: boolean;
  reason: string | null;
  scored_on: string | null;
  total: number;
  total_expected_cents: number;
  items: {
    account_id: number;
    account_name: string | null;
    owner_id: number;
    tier: string;
    arr_cents: number;
    health: number | null;
    colour: string;
    upsell_probability: number | null;
    whitespace_cents: number;
    expected_expansion_cents: number;
  }[];
}

export function GrowthCard({ scope }: { scope: Record<string, string | number | null> }) {
  const session = useSession();
  return (
    <DashboardCard
      id="growth"
      title="Growth opportunities"
      wide
      load={(p: CardPage) => api.get<Growth>(`/api/v1/dashboards/growth${query({ ...scope, offset: p.offset || null, limit: p.limit })}`)}
      deps={[scope]}
      paging={{ preview: 10, pageSize: 25, total: (g) => g.total }}
      what="growth opportunities"
      isEmpty={(g) => g.available && g.items.length === 0}
      empty="No account has an expected expansion: no upsell score above zero with open whitespace."
    >
      {(g) =>
        !g.available ? (
          <p class="muted" data-testid="growth-reason">
            No growth ranking: {g.reason}
          </p>
        ) : (
          <>
            <p class="muted">
              {g.total} accounts, {money(g.total_expected_cents)} expected expansion · largest first (upsell probability × open whitespace)
              {g.scored_on && `, scored as of ${g.scored_on}`}
            </p>
            <DataTable
              rows={g.items}
              rowKey={(x) => x.account_id}
              columns={[
                { title: "Account", cell: (x) => <AccountLink id={x.account_id} name={x.account_name} /> },
                { title: "Expected expansion", num: true, cell: (x) => money(x.expected_expansion_cents) },
                { title: "Upsell", num: true, cell: (x) => probability(x.upsell_probability) },
                { title: "Whitespace", num: true, cell: (x) => money(x.whitespace_cents) },
                { title: "ARR", num: true, cell: (x) => money(x.arr_cents) },
                { title: "Health", cell: (x) => <HealthScore score={x.health} colour={x.colour} /> },
                { title: "Tier", cell: (x) => x.tier },
                { title: "AM", cell: (x) => userName(session, x.owner_id) },
              ]}
            />
          </>
        )
      }
    </DashboardCard>
  );
}
