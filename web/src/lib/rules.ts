// Automation's shapes (GET /api/v1/rules and friends; src/http/rule_routes.cc), as far as the UI
// reads them, and the words a rule's parts are shown in.
import { label } from "./format";

export type RuleStatus = "draft" | "active" | "archived";

export interface Trigger {
  kind: string;
  days?: number;
  days_by_tier?: Record<string, number>; // "1" | "2" | "3" → days
  catch_up_days?: number;
  points?: number;
  to?: string[];
  from?: string[];
  metric?: string;
  z?: number;
  signals?: string[]; // engagement_spike / engagement_drop: the signal kinds counted
  review?: string; // review_due: "internal" or "customer" (none: any)
  score?: number; // negative_sentiment: fires at this score or below (-1 to 0)
  sources?: string[]; // negative_sentiment: the texts watched (none: all)
}

// The texts scored for sentiment (the API's text_sentiments.source).
export const textSources = ["activity", "ticket", "nps_response", "transcript"];

// The engagement signals a rule can count (the API's engagement_signals.kind).
export const signalKinds = ["pricing_page_visit", "case_study_download", "webinar_attended", "product_page_visit", "job_change"];

// One action as the API reads it: the fields depend on its kind (docs/RULES.md).
export interface RuleAction {
  kind: string;
  title?: string;
  body?: string;
  subject?: string;
  checklist?: string[];
  owner?: string;
  due_in_days?: number;
  to?: string[];
  field?: string;
  value?: string;
  steps?: PlaybookStep[];
  endpoint_id?: number;
  audience?: string;
}

export interface PlaybookStep {
  title: string;
  due_in_days: number;
  owner: string;
  checklist?: string[];
}

export interface RuleDefinition {
  trigger: Trigger;
  condition: string;
  actions: RuleAction[];
  cooldown_days: number;
  cap_per_day: number;
}

export interface Rule {
  id: number;
  name: string;
  description: string;
  status: RuleStatus;
  enabled: boolean;
  live: boolean;
  version: number;
  definition: RuleDefinition;
  paused_reason: string | null;
  paused_on: string | null;
  builtin: boolean;
  fired_today: number;
  cap_per_day: number;
  created_at: string;
  updated_at: string;
}

export interface RuleList {
  items: Rule[];
  may_change: boolean;
}

export interface RuleVersion {
  version: number;
  name: string;
  status: RuleStatus;
  definition: RuleDefinition;
  created_at: string;
  created_by: number | null;
}

export interface Vocabulary {
  fields: { name: string; type: "number" | "text" | "bool"; description: string; choices: string[] }[];
  triggers: string[];
  actions: string[];
  writable_fields: { name: string; description: string }[];
}

export type ConditionCheck =
  | { ok: true; canonical: string; fields: string[] }
  | { ok: false; error: { message: string; offset: number; line: number; column: number; expected: string; found: string } };

export interface DryRun {
  total: number;
  accounts: { account_id: number; name: string; anchor: string; trigger: string; condition: string }[];
  note: string;
}

// A rule replayed over the last 12 months a week at a time (POST /api/v1/rules/backtest,
// GET /api/v1/rules/{id}/backtest; BacktestJson in src/http/rule_routes.cc).
export interface BacktestOutcome {
  evaluable: number; // firings (or, for the others, account-weeks) whose 90 days have passed
  contracted: number; // of those, how many saw ARR fall (churn included)
  share: number; // contracted / evaluable; 0 when nothing is evaluable
}

export interface BacktestFiring {
  account_id: number;
  name: string;
  day: string;
  anchor: string;
  days_to_renewal: number | null; // null: no renewal ahead that day
  evaluable: boolean;
  contracted: boolean;
}

export interface Backtest {
  from: string;
  to: string;
  step_days: number;
  firings: number;
  accounts: number;
  by_month: { month: string; firings: number }[];
  by_days_to_renewal: { bucket: string; firings: number }[];
  fired: BacktestOutcome;
  not_fired: BacktestOutcome;
  sample: BacktestFiring[];
  note: string;
  ms: number;
}

export interface FiringAction {
  idx: number;
  kind: string;
  status: string;
  attempts: number;
  result: string;
  error: string;
  next_attempt_at: string | null;
}

export interface Firing {
  id: number;
  rule_version: number;
  anchor: string;
  fired_at: string;
  status: string;
  actions: FiringAction[];
}

export interface Trace {
  rule_id: number;
  rule_name: string;
  account_id: number;
  account_name: string;
  live: boolean;
  state: string;
  trigger_holds: boolean;
  trigger: string;
  anchor: string;
  condition_holds: boolean;
  condition: string;
  clauses: { text: string; field: string; value: string; held: boolean }[];
  cooldown: string;
  cap: string;
  fired_on_anchor: boolean;
  verdict: string;
  firings: Firing[];
}

export interface RunReport {
  rules: number;
  accounts: number;
  candidates: number;
  fired: number;
  actions_done: number;
  actions_failed: number;
  paused: string[];
}

export interface Notification {
  id: number;
  account_id: number | null;
  title: string;
  body: string;
  link: string;
  created_at: string;
  read_at: string | null;
}

export interface Inbox {
  items: Notification[];
  unread: number;
  next_before: number | null;
}

const triggerNames: Record<string, string> = {
  renewal_in: "Renewal in N days",
  plan_stale: "Plan stale",
  review_due: "Review due",
  onboarding_day: "Onboarding day N",
  no_contact: "No meaningful contact",
  health_colour: "Health colour changed",
  health_drop: "Health dropped",
  usage_spike: "Usage spike",
  usage_drop: "Usage drop",
  engagement_spike: "Engagement spike",
  engagement_drop: "Engagement drop",
  nps_detractor: "NPS detractor",
  negative_sentiment: "Negative sentiment",
  sla_at_risk: "SLA at risk",
  sla_breached: "SLA breached",
};

export function triggerName(kind: string): string {
  return triggerNames[kind] ?? label(kind);
}

const actionNames: Record<string, string> = {
  task: "Task",
  notify: "Notification",
  email: "E-mail",
  webhook: "Webhook",
  set_field: "Set a field",
  playbook: "Playbook",
  tech_touch: "Tech-touch e-mail",
};

export function actionName(kind: string): string {
  return actionNames[kind] ?? label(kind);
}

// A trigger in a few words: "Renewal in 90 days (tier 1: 120)", "Health colour → red".
export function triggerText(t: Trigger): string {
  switch (t.kind) {
    case "renewal_in": {
      const tiers = Object.entries(t.days_by_tier ?? {}).map(([tier, d]) => `tier ${tier}: ${d}`);
      return `Renewal in ${t.days ?? 90} days${tiers.length ? ` (${tiers.join(", ")})` : ""}`;
    }
    case "no_contact":
      return `No meaningful contact for ${t.days ?? 90} days`;
    case "onboarding_day":
      return `Onboarding day ${t.days ?? 90}`;
    case "health_drop":
      return `Health dropped ${t.points ?? 15} points in 7 days`;
    case "health_colour": {
      const from = t.from?.length ? t.from.join("/") : "any";
      const to = t.to?.length ? t.to.join("/") : "any";
      return `Health colour ${from} → ${to}`;
    }
    case "usage_spike":
    case "usage_drop":
      return `${triggerName(t.kind)}: ${label(t.metric ?? "active_users")}, z ≥ ${t.z ?? 3}`;
    case "engagement_spike":
    case "engagement_drop":
      return `${triggerName(t.kind)}: ${(t.signals ?? []).map(label).join(", ")}, z ≥ ${t.z ?? 3}`;
    case "review_due":
      return `${t.review ? label(t.review) + " review" : "Review"} due in ${t.days ?? 7} days or overdue`;
    case "negative_sentiment":
      return `Negative sentiment ≤ ${t.score ?? -0.5}${t.sources?.length ? ` in ${t.sources.map(label).join(", ")}` : ""}`;
    default:
      return triggerName(t.kind);
  }
}

// How full a rule's daily cap is: amber from 80 %, red at the cap.
export function capLevel(fired: number, cap: number): "ok" | "warn" | "full" {
  if (cap > 0 && fired >= cap) return "full";
  if (cap > 0 && fired / cap >= 0.8) return "warn";
  return "ok";
}

// Only admins and leaders change rules (the server's MayChangeRules); the list says so too.
export function mayChangeRules(role: string): boolean {
  return role === "admin" || role === "leader";
}

// Something may have put notifications in the inbox (a pass run from the Rules page): the bell
// re-reads its count at once rather than at its next poll.
const inboxListeners = new Set<() => void>();
export function onInboxChanged(listener: () => void): () => void {
  inboxListeners.add(listener);
  return () => {
    inboxListeners.delete(listener);
  };
}
export function inboxChanged(): void {
  inboxListeners.forEach((l) => l());
}

// A backtest in words: "Would have fired 40 times on 31 accounts. ARR fell within 90 days for
// 12.5 % of them (4 of 32) against 6.0 % of the accounts it did not fire on (120 of 2000).", then
// whether that predicts anything ("It predicts risk: 2.1× the others.").
export function backtestHeadline(b: Backtest): { summary: string; verdict: string } {
  const times = `${b.firings} ${b.firings === 1 ? "time" : "times"}`;
  const accounts = `${b.accounts} ${b.accounts === 1 ? "account" : "accounts"}`;
  const share = (o: BacktestOutcome) => `${(o.share * 100).toFixed(1)} %`;
  let summary = `Would have fired ${times} on ${accounts}.`;
  if (b.fired.evaluable === 0) {
    const verdict = b.firings === 0 ? "It does not predict anything here." : "None of its firings is 90 days old yet: too soon to say whether it predicts anything.";
    return { summary, verdict };
  }
  summary +=
    ` ARR fell within 90 days for ${share(b.fired)} of them (${b.fired.contracted} of ${b.fired.evaluable})` +
    ` against ${share(b.not_fired)} of the accounts it did not fire on (${b.not_fired.contracted} of ${b.not_fired.evaluable}).`;
  if (b.fired.share > b.not_fired.share) {
    const ratio = b.not_fired.share > 0 ? `${(b.fired.share / b.not_fired.share).toFixed(1)}× the others` : "where ARR fell for none of the others";
    return { summary, verdict: `It predicts risk: ${ratio}.` };
  }
  return { summary, verdict: "It does not predict anything here." };
}
