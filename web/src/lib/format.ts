// How numbers and dates read on screen. Money arrives in integer cents.

export function money(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "—";
  const d = cents / 100;
  const abs = Math.abs(d);
  if (abs >= 1e6) return `$${(d / 1e6).toFixed(abs >= 1e7 ? 1 : 2)}M`;
  if (abs >= 1e4) return `$${Math.round(d / 1e3)}k`;
  return `$${Math.round(d).toLocaleString("en-US")}`;
}

export function moneyExact(cents: number): string {
  return `$${Math.round(cents / 100).toLocaleString("en-US")}`;
}

export function pct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return "—";
  return `${(ratio * 100).toFixed(1)}%`;
}

export function day(iso: string | null | undefined): string {
  if (!iso) return "—";
  return iso.slice(0, 10);
}

// Every enum value reaches the page through label(): the words a person uses, never the raw
// name (`cross_sell`, `Qbr`).
const named: Record<string, string> = {
  nps: "NPS",
  am: "AM",
  csm: "CSM",
  arr: "ARR",
  qbr: "QBR",
  cross_sell: "Cross-sell",
  upsell: "Upsell",
  new_business: "New business",
  closed_won: "Closed won",
  closed_lost: "Closed lost",
  economic_buyer: "Economic buyer",
  technical_evaluator: "Technical evaluator",
  decision_maker: "Decision maker",
  email: "E-mail",
  in_pipeline: "In pipeline",
  not_a_fit: "Not a fit",
};

export function label(snake: string | null | undefined): string {
  if (!snake) return "—";
  if (named[snake]) return named[snake] as string;
  const s = snake.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const tierName: Record<number, string> = { 1: "Tier 1 · Strategic", 2: "Tier 2 · Core", 3: "Tier 3 · Volume" };

export const stanceColour: Record<string, string> = {
  champion: "#1b7f3b",
  supporter: "#6aa84f",
  neutral: "#8a8f98",
  detractor: "#e08a1e",
  blocker: "#c0392b",
};

export const healthColour: Record<string, string> = { green: "#1b7f3b", yellow: "#e0b000", red: "#c0392b" };
// For text on white and on the colour itself: contrast of at least 4.5:1 (WCAG AA).
export const healthText: Record<string, string> = { green: "#1b6b34", yellow: "#7a5c00", red: "#b0321f" };
export const healthOn: Record<string, string> = { green: "#ffffff", yellow: "#1d2b1f", red: "#ffffff" };

// ECharts writes a tooltip's formatter result as HTML, and names are people's input: every value
// that reaches HTML goes through escapeHtml, or through the html tag, which escapes each value
// put into its template and keeps only the template's own markup (`html\`${name}<br/>…\``).
export function escapeHtml(text: unknown): string {
  return String(text ?? "").replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
export function html(parts: TemplateStringsArray, ...values: unknown[]): string {
  return parts.reduce((out, part, i) => out + part + (i < values.length ? escapeHtml(values[i]) : ""), "");
}

// Opportunity types and activity kinds as people say them (never the enum's name).
export const opportunityTypes: [string, string][] = [
  ["new_business", "New business"],
  ["renewal", "Renewal"],
  ["upsell", "Upsell"],
  ["cross_sell", "Cross-sell"],
];
export function opportunityType(type: string | null | undefined): string {
  return opportunityTypes.find(([t]) => t === type)?.[1] ?? label(type);
}
export const activityKinds: [string, string][] = [
  ["call", "Call"],
  ["meeting", "Meeting"],
  ["email", "E-mail"],
  ["qbr", "QBR"],
  ["note", "Note"],
];
export function activityKind(kind: string | null | undefined): string {
  return activityKinds.find(([k]) => k === kind)?.[1] ?? label(kind);
}
