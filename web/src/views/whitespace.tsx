// The whitespace matrix: divisions × products as a heat map in dollars of potential. An open
// cell becomes an opportunity in one step (from the chart, or from the list for keyboards).
import { useMemo, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import type { Whitespace, WhitespaceCell } from "../lib/types";
import { html, label, money, moneyExact } from "../lib/format";
import { Chart, type ChartOption } from "../components/chart";
import { Empty, ErrorBox, Show } from "../components/states";

export function WhitespaceSection({ planId, editable }: { planId: number; editable: boolean }) {
  const [ws, reload] = useLoad(() => api.get<Whitespace>(`/api/v1/plans/${planId}/whitespace`), [planId]);
  const [picked, setPicked] = useState<WhitespaceCell | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const option = useMemo((): ChartOption | null => {
    if (ws.state !== "ready") return null;
    const w = ws.value;
    const col = new Map(w.products.map((p, i) => [p.id, i]));
    const row = new Map(w.divisions.map((d, i) => [d.id, i]));
    const data = w.cells.map((c) => ({
      value: [col.get(c.product_id), row.get(c.division_id), Math.round(c.potential_cents / 100)],
      cell: c,
      itemStyle: c.status === "owned" ? { color: "#cfe3d3" } : c.status === "not_a_fit" ? { color: "#eeeeee" } : undefined,
    }));
    const max = Math.max(1, ...w.cells.filter((c) => c.counts_as_whitespace).map((c) => c.potential_cents / 100));
    return {
      tooltip: {
        formatter: (p: { data: { cell: WhitespaceCell } }) => {
          const c = p.data.cell;
          const d = w.divisions.find((x) => x.id === c.division_id)?.name ?? "";
          const pr = w.products.find((x) => x.id === c.product_id)?.name ?? "";
          // Names and the competitor are people's input: html escapes every value (lib/format.ts).
          return html`${d} × ${pr}<br/>${label(c.status)}${c.competitor ? ` (${c.competitor})` : ""}<br/>Potential ${moneyExact(c.potential_cents)}` + (c.status === "open" ? "<br/>Click to make it an opportunity" : "");
        },
      },
      grid: { top: 10, left: 150, right: 20, bottom: 70 },
      xAxis: { type: "category", data: w.products.map((p) => p.name), axisLabel: { rotate: 30, fontSize: 11 }, splitArea: { show: true } },
      yAxis: { type: "category", data: w.divisions.map((d) => d.name), axisLabel: { fontSize: 11, width: 140, overflow: "truncate" }, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, text: [money(max * 100), "$0"], inRange: { color: ["#f3f7f1", "#7fb77e", "#1b5e20"] } },
      series: [{ type: "heatmap", data, label: { show: true, formatter: (p: { data: { cell: WhitespaceCell } }) => cellText(p.data.cell), fontSize: 10 } }],
    };
  }, [ws]);

  const convert = async (cell: WhitespaceCell) => {
    setError(null);
    try {
      const r = await api.post<{ opportunity: { id: number; name: string } }>(`/api/v1/plan-whitespace-cells/${cell.id}/opportunity`, {});
      setDone(`Opportunity “${r.opportunity.name}” created.`);
      setPicked(null);
      reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  return (
    <section class="card" aria-labelledby="ws-title" data-testid="whitespace">
      <h2 id="ws-title">Whitespace</h2>
      <Show loaded={ws} what="the whitespace matrix" retry={reload}>
        {(w) =>
          w.cells.length === 0 ? (
            <Empty>No whitespace cells yet.</Empty>
          ) : (
            <>
              <p>
                Potential <strong>{money(w.totals.whitespace_cents)}</strong> across {w.totals.open_cells} open cell{w.totals.open_cells === 1 ? "" : "s"}; owned ARR{" "}
                {money(w.totals.owned_arr_cents)}.
              </p>
              {option && (
                <Chart
                  option={option}
                  height={Math.max(240, 90 + 28 * w.divisions.length)}
                  label={`Whitespace heat map: ${w.divisions.length} divisions by ${w.products.length} products, in dollars of potential`}
                  testId="whitespace-chart"
                  onClick={(p) => {
                    const c = (p.data as { cell?: WhitespaceCell } | undefined)?.cell;
                    if (c && c.status === "open" && editable) setPicked(c);
                  }}
                />
              )}
              {picked && (
                <div class="confirm" role="dialog" aria-label="Make an opportunity">
                  Make an opportunity of {w.divisions.find((d) => d.id === picked.division_id)?.name} × {w.products.find((p) => p.id === picked.product_id)?.name} ({moneyExact(picked.potential_cents)})?{" "}
                  <button type="button" class="primary" onClick={() => convert(picked)} ref={(el) => el?.focus()}>
                    Create opportunity
                  </button>{" "}
                  <button type="button" onClick={() => setPicked(null)}>
                    Cancel
                  </button>
                </div>
              )}
              {done && <p role="status">{done}</p>}
              {error && <ErrorBox error={error} />}
              <h3>Open cells</h3>
              <ul class="items" data-testid="open-cells">
                {w.cells.filter((c) => c.status === "open").length === 0 && <li class="muted">No open cells.</li>}
                {w.cells
                  .filter((c) => c.status === "open")
                  .map((c) => {
                    const name = `${w.divisions.find((d) => d.id === c.division_id)?.name} × ${w.products.find((p) => p.id === c.product_id)?.name}`;
                    return (
                      <li key={c.id} data-cell={c.id}>
                        {name} — {moneyExact(c.potential_cents)}{" "}
                        {editable && (
                          <button type="button" class="link" aria-label={`Make an opportunity of ${name}`} onClick={() => setPicked(c)}>
                            Make an opportunity
                          </button>
                        )}
                      </li>
                    );
                  })}
              </ul>
            </>
          )
        }
      </Show>
    </section>
  );
}

function cellText(c: WhitespaceCell): string {
  switch (c.status) {
    case "owned":
      return "owned";
    case "in_pipeline":
      return `pipeline\n${money(c.potential_cents)}`;
    case "competitor":
      return c.competitor ? `${c.competitor}` : "competitor";
    case "not_a_fit":
      return "n/a";
    default:
      return money(c.potential_cents);
  }
}
