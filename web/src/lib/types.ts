// The shapes the API returns (see GET /api/v1/openapi.json), as far as the UI reads them.

export type Role = "admin" | "leader" | "manager" | "am" | "csm" | "viewer";

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  manager_id: number | null;
  active: boolean;
}

export interface Account {
  id: number;
  name: string;
  owner_id: number | null;
  csm_id: number | null;
  industry: string;
  region: string;
  employees: number;
  strategic: boolean;
  lifecycle_stage: string;
  arr_cents: number;
  tier: number;
  tier_rule: number;
  tier_override: number | null;
  health: number | null; // today's score from the server's book; null: no input to score
  colour: Colour | "none";
  version: number;
  sponsor_id?: number | null;
  // GET /api/v1/accounts/{id} only: whether the signed-in user may change this account and what
  // hangs from it (the server's Policy decides; the UI only hides what would be refused).
  can_edit?: boolean;
}

export type Colour = "green" | "yellow" | "red";

export interface HealthComponent {
  name: string;
  value: number | null;
  weight: number;
  share: number;
  contribution: number;
  detail: string;
}

export interface Health {
  account_id: number;
  score: number | null;
  colour: Colour | "none";
  churned_after: string | null;
  components: HealthComponent[];
  explanation: string[];
  moved: { days: number; score_then: number; change: number; summary: string }[];
  history: { day: string; score: number | null; colour: string }[];
  metrics: {
    multithreading_depth: number;
    multithreading_target: number;
    last_meaningful_contact: string | null;
    renewal_date: string | null;
    plan_completeness: number;
    plan_freshness_days: number | null;
    plan_refresh_days: number;
    plan_stale: boolean;
    whitespace_cents: number;
    quadrant: string;
  };
}

export interface Plan {
  id: number;
  account_id: number;
  summary: string;
  last_reviewed_at: string | null;
  updated_at: string;
  updated_by: number | null;
  version: number;
}

export interface Priority {
  id: number;
  plan_id: number;
  text: string;
  source: string;
  said_on: string | null;
  position: number;
  source_contact_id: number | null;
}

export type Level = "low" | "medium" | "high";
export interface Risk {
  id: number;
  plan_id: number;
  description: string;
  severity: Level;
  likelihood: Level;
  mitigation: string;
  mitigation_owner_id: number | null;
  status: "open" | "mitigating" | "closed";
}

export interface Action {
  id: number;
  plan_id: number;
  description: string;
  owner_id: number | null;
  due_on: string | null;
  status: "open" | "in_progress" | "done" | "cancelled";
}

export type Stance = "champion" | "supporter" | "neutral" | "detractor" | "blocker";
export interface Contact {
  id: number;
  account_id: number;
  name: string;
  first_name: string;
  last_name: string;
  title: string;
  email: string;
  buying_role: string | null;
  stance: Stance;
  influence: number;
  reports_to_id: number | null;
  status: "active" | "departed";
  departed_on: string | null; // the day they left (stamped by the server), null while active
  last_engaged_on: string | null;
  version: number;
  // On the relationship map: the latest meaningful activity they took part in, and whether that
  // is within 90 days (what multithreading depth counts).
  last_meaningful_on?: string | null;
  engaged?: boolean;
}

export interface RelationshipMap {
  account_id: number;
  depth: number;
  engaged_rule: string;
  nodes: Contact[];
  edges: { from: number; to: number }[];
  roots: number[];
  alerts: { code: string; contact_id: number | null; why: string }[];
}

export interface WhitespaceCell {
  id: number;
  division_id: number;
  product_id: number;
  status: "owned" | "in_pipeline" | "competitor" | "open" | "not_a_fit";
  competitor: string | null;
  potential_cents: number;
  opportunity_id: number | null;
  owned_arr_cents: number;
  counts_as_whitespace: boolean;
  version: number;
}

export interface Whitespace {
  plan_id: number;
  account_id: number;
  divisions: { id: number; name: string; headcount: number; totals: { whitespace_cents: number } }[];
  products: { id: number; name: string; totals: { whitespace_cents: number } }[];
  cells: WhitespaceCell[];
  totals: { whitespace_cents: number; owned_arr_cents: number; open_cells: number };
  rule: string;
}

export interface Opportunity {
  id: number;
  name: string;
  type: string;
  stage: string;
  amount_cents: number;
  close_date: string | null;
  owner_id: number | null;
  version: number;
}

export interface PlanVersion {
  id: number;
  version: number;
  changed_by: number | null;
  changed_at: string;
  change_summary: string;
}

export interface Task {
  id: number;
  account_id: number | null;
  title: string;
  owner_id: number | null;
  due_on: string | null;
  status: string;
}

export type ActivityKind = "email" | "call" | "meeting" | "qbr" | "note";
export interface Activity {
  id: number;
  account_id: number;
  kind: ActivityKind;
  meaningful: boolean;
  occurred_at: string;
  user_id: number | null;
  subject: string;
  body: string;
}

export interface Review {
  id: number;
  account_id: number;
  kind: string;
  status: string;
  due_on: string;
  held_on: string | null;
}

export interface Division {
  id: number;
  account_id: number;
  name: string;
  covered_by_id: number | null;
}

// The CSM's scoreboard (GET /api/v1/csm/scoreboard; docs/CSM_KPIS.md defines each figure).
export interface CsmScoreboard {
  csm_id: number;
  as_of: string;
  accounts: number;
  accounts_with_usage: number;
  adoption_rate: number | null;
  adoption_rate_30d_ago: number | null;
  adoption_trend: number | null;
  ttfv_median_days: number | null;
  ttfv_mean_days: number | null;
  ttfv_delivered: number;
  ttfv_waiting: number;
  csat: number | null;
  csat_mean: number | null;
  csat_ratings: number;
  onboarding: { on_track: number; behind: number; stuck: number; done: number };
  rows: {
    account_id: number;
    account_name: string;
    adoption: number | null;
    adoption_30d_ago: number | null;
    ttfv_days: number | null;
    csat: number | null;
    csat_ratings: number;
    onboarding: string | null;
  }[];
}
