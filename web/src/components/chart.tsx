// One ECharts instance per element, sized with its box. Only the charts and components the
// views use are registered, so the bundle carries nothing else (tree-shaken 'echarts/core').
import { useEffect, useRef } from "preact/hooks";
import * as echarts from "echarts/core";
import { BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart, TreeChart } from "echarts/charts";
import {
  GridComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  LegendComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  FunnelChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  TreeChart,
  GridComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  LegendComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 280,
  label,
  onClick,
  testId,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  onClick?: (params: { data?: unknown; dataIndex: number; seriesIndex?: number }) => void;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!el.current) return undefined;
    const c = echarts.init(el.current, undefined, { renderer: "canvas" });
    chart.current = c;
    // The instance on its element, for the browser tests that measure what was drawn (labels
    // must not overlap); nothing in the app reads it.
    (el.current as HTMLDivElement & { chart?: echarts.ECharts }).chart = c;
    c.on("click", (p) => click.current?.(p as unknown as { data?: unknown; dataIndex: number }));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={el} class="chart" style={{ height: `${height}px` }} role="img" aria-label={label} data-testid={testId} />;
}
