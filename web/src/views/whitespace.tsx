// The whitespace matrix: divisions × products as a heat map in dollars of potential, and the grid
// that builds it — add a division, put a cell in any empty slot, size it, mark it owned,
// competitor (with the name) or not a fit. An open cell becomes an opportunity in one step (from
// the chart, or from the list for keyboards). In-pipeline cells are hatched blue, open ones green:
// never alike. Which cells the totals count is said once, under the total (the server's rule,
// the same on the portfolio dashboard).
import { useMemo, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import type { Whitespace, WhitespaceCell } from "../lib/types";
import { html, label, money, moneyExact } from "../lib/format";
import { Chart, type ChartOption } from "../components/chart";
import { Empty, ErrorBox, Show } from "../components/states";

const statuses: WhitespaceCell["status"][] = ["open", "in_pipeline", "competitor", "owned", "not_a_fit"];
const pipelineColour = "#9cc3e6";

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
      itemStyle:
        c.status === "owned"
          ? { color: "#cfe3d3" }
          : c.status === "not_a_fit"
            ? { color: "#eeeeee" }
            : c.status === "in_pipeline"
              ? { color: pipelineColour, decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: "rgba(20,60,120,0.35)" } }
              : undefined,
    }));
    const max = Math.max(1, ...w.cells.filter(shaded).map((c) => c.potential_cents / 100));
    // Labels fit their cell or are cut short: never over a neighbour.
    const cellWidth = Math.max(40, Math.floor(640 / Math.max(1, w.products.length)) - 6);
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
      grid: { top: 10, left: 150, right: 20, bottom: 90 },
      xAxis: { type: "category", data: w.products.map((p) => p.name), axisLabel: { rotate: 30, fontSize: 11, interval: 0, width: 110, overflow: "truncate", hideOverlap: true }, splitArea: { show: true } },
      yAxis: { type: "category", data: w.divisions.map((d) => d.name), axisLabel: { fontSize: 11, width: 140, overflow: "truncate", interval: 0, hideOverlap: true }, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, text: [money(max * 100), "$0"], seriesIndex: 0, inRange: { color: ["#f3f7f1", "#7fb77e", "#1b5e20"] } },
      // The open and competitor cells shaded by potential (the visual map's series), the rest in
      // their own colours with dark labels.
      series: [heat(data.filter((d) => shaded(d.cell)), cellWidth), heat(data.filter((d) => !shaded(d.cell)), cellWidth, "#1d2b1f")],
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
        {(w) => (
          <>
            {w.cells.length === 0 ? (
              <Empty>No whitespace cells yet{editable ? ": add a division below, then put a cell in the grid." : "."}</Empty>
            ) : (
              <>
                <p>
                  Potential <strong data-testid="whitespace-total">{money(w.totals.whitespace_cents)}</strong> across {w.totals.open_cells} open cell{w.totals.open_cells === 1 ? "" : "s"}; owned ARR{" "}
                  {money(w.totals.owned_arr_cents)}.
                </p>
                <p class="muted" data-testid="whitespace-rule">
                  {w.rule}
                </p>
                <ul class="legend" aria-label="Cell colours">
                  <li><span class="swatch" style={{ background: "#7fb77e" }} /> Open (darker: more potential)</li>
                  <li><span class="swatch hatched" style={{ background: pipelineColour }} /> In pipeline</li>
                  <li><span class="swatch" style={{ background: "#cfe3d3" }} /> Owned</li>
                  <li><span class="swatch" style={{ background: "#eeeeee" }} /> Not a fit</li>
                </ul>
                {option && (
                  <Chart
                    option={option}
                    height={Math.max(260, 110 + 28 * w.divisions.length)}
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
            )}
            {editable && <MatrixEditor w={w} planId={planId} onChanged={reload} />}
          </>
        )}
      </Show>
    </section>
  );
}

// The grid that builds the matrix: every division × product slot, a cell's status and potential
// in it; choosing a slot opens its form. Divisions are added under it.
function MatrixEditor({ w, planId, onChanged }: { w: Whitespace; planId: number; onChanged: () => void }) {
  const [slot, setSlot] = useState<{ division: number; product: number } | null>(null);
  const cellAt = (division: number, product: number) => w.cells.find((c) => c.division_id === division && c.product_id === product) ?? null;
  return (
    <details class="matrix-editor" data-testid="whitespace-editor" open={w.cells.length === 0}>
      <summary>Edit the matrix</summary>
      {w.divisions.length > 0 && w.products.length > 0 && (
        <div class="scroll-x">
          <table class="matrix">
            <caption class="sr-only">Whitespace cells by division and product</caption>
            <thead>
              <tr>
                <th scope="col">Division</th>
                {w.products.map((p) => (
                  <th scope="col" key={p.id}>
                    {p.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {w.divisions.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    {d.name}
                    {d.headcount > 0 && <span class="muted"> · {d.headcount.toLocaleString("en-US")} people</span>}
                  </th>
                  {w.products.map((p) => {
                    const c = cellAt(d.id, p.id);
                    return (
                      <td key={p.id} class={c ? `ws-${c.status}` : "ws-empty"}>
                        <button type="button" class="link" data-slot={`${d.id}-${p.id}`} aria-label={`${d.name} × ${p.name}: ${c ? `${label(c.status)}, ${moneyExact(c.potential_cents)}` : "no cell"}`} onClick={() => setSlot({ division: d.id, product: p.id })}>
                          {c ? `${label(c.status)} · ${money(c.potential_cents)}` : "+ add"}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {slot && (
        <CellForm
          key={`${slot.division}-${slot.product}`}
          planId={planId}
          cell={cellAt(slot.division, slot.product)}
          divisionId={slot.division}
          productId={slot.product}
          title={`${w.divisions.find((d) => d.id === slot.division)?.name} × ${w.products.find((p) => p.id === slot.product)?.name}`}
          onDone={() => {
            setSlot(null);
            onChanged();
          }}
          onCancel={() => setSlot(null)}
        />
      )}
      <AddDivision accountId={w.account_id} onAdded={onChanged} />
    </details>
  );
}

function CellForm(props: { planId: number; cell: WhitespaceCell | null; divisionId: number; productId: number; title: string; onDone: () => void; onCancel: () => void }) {
  const { cell } = props;
  const [status, setStatus] = useState<WhitespaceCell["status"]>(cell?.status === "in_pipeline" ? "in_pipeline" : (cell?.status ?? "open"));
  const [dollars, setDollars] = useState(cell ? String(Math.round(cell.potential_cents / 100)) : "");
  const [competitor, setCompetitor] = useState(cell?.competitor ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    const amount = Number(dollars.replace(/[$,\s]/g, "") || "0");
    if (!Number.isFinite(amount) || amount < 0) {
      setError(new ApiError(422, "invalid_value", "The potential is a dollar amount of 0 or more.", [{ field: "potential", message: "a dollar amount of 0 or more" }]));
      return;
    }
    const body: Record<string, unknown> = { status, potential_cents: Math.round(amount * 100), competitor: status === "competitor" ? competitor.trim() || null : null };
    setBusy(true);
    setError(null);
    try {
      if (cell) await api.patch(`/api/v1/plan-whitespace-cells/${cell.id}`, { ...body, version: cell.version });
      else await api.post(`/api/v1/plans/${props.planId}/whitespace-cells`, { ...body, division_id: props.divisionId, product_id: props.productId });
      props.onDone();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!cell) return;
    setBusy(true);
    try {
      await api.del(`/api/v1/plan-whitespace-cells/${cell.id}`);
      props.onDone();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const pipeline = cell?.status === "in_pipeline";
  return (
    <form class="cell-form" onSubmit={save} aria-label={`Cell ${props.title}`} data-testid="cell-form">
      <h4>{props.title}</h4>
      {pipeline ? (
        <p class="muted">In pipeline: its opportunity sets this cell; change it there.</p>
      ) : (
        <>
          <label>
            Status{" "}
            <select name="cell-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as WhitespaceCell["status"])}>
              {statuses
                .filter((s) => s !== "in_pipeline")
                .map((s) => (
                  <option key={s} value={s}>
                    {label(s)}
                  </option>
                ))}
            </select>
          </label>{" "}
          <label>
            Potential ($){" "}
            <input name="cell-potential" inputMode="numeric" value={dollars} onInput={(e) => setDollars((e.target as HTMLInputElement).value)} size={10} />
          </label>{" "}
          {status === "competitor" && (
            <label>
              Competitor{" "}
              <input name="cell-competitor" value={competitor} maxLength={200} onInput={(e) => setCompetitor((e.target as HTMLInputElement).value)} />
            </label>
          )}{" "}
          <button type="submit" class="primary" disabled={busy}>
            {cell ? "Save cell" : "Add cell"}
          </button>
        </>
      )}{" "}
      {cell && !pipeline && (
        <button type="button" onClick={remove} disabled={busy}>
          Remove cell
        </button>
      )}{" "}
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

function AddDivision({ accountId, onAdded }: { accountId: number; onAdded: () => void }) {
  const [name, setName] = useState("");
  const [headcount, setHeadcount] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(`/api/v1/accounts/${accountId}/divisions`, { name: name.trim(), headcount: Number(headcount || "0") });
      setName("");
      setHeadcount("");
      onAdded();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form class="inline-form" onSubmit={add} aria-label="Add a division" data-testid="add-division">
      <label>
        Division{" "}
        <input name="division-name" value={name} required maxLength={200} placeholder="e.g. EMEA operations" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>{" "}
      <label>
        People{" "}
        <input name="division-headcount" inputMode="numeric" value={headcount} size={6} onInput={(e) => setHeadcount((e.target as HTMLInputElement).value)} />
      </label>{" "}
      <button type="submit">Add division</button>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

const shaded = (c: WhitespaceCell) => c.status === "open" || c.status === "competitor";

function heat(data: { cell: WhitespaceCell }[], width: number, color?: string) {
  return {
    type: "heatmap",
    data,
    label: { show: true, formatter: (p: { data: { cell: WhitespaceCell } }) => cellText(p.data.cell), fontSize: 10, width, overflow: "truncate", ...(color ? { color } : {}) },
    labelLayout: { hideOverlap: true },
  };
}

function cellText(c: WhitespaceCell): string {
  switch (c.status) {
    case "owned":
      return "owned";
    case "in_pipeline":
      return `pipeline ${money(c.potential_cents)}`;
    case "competitor":
      return c.competitor ? `${c.competitor}` : "competitor";
    case "not_a_fit":
      return "n/a";
    default:
      return money(c.potential_cents);
  }
}
