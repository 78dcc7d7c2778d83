-- 0001: the whole domain model of PRODUCT.md.
-- One dialect for SQLite and PostgreSQL 15. The only per-backend token is {{ID}}: the surrogate
-- key (SQLite: INTEGER PRIMARY KEY, the rowid; PostgreSQL: BIGINT identity). Money is integer
-- cents (*_cents), days are DATE ('YYYY-MM-DD'), instants are TIMESTAMP in UTC, enums are text.

CREATE TABLE users (
  id {{ID}},
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  manager_id BIGINT REFERENCES users (id),
  password_hash TEXT NOT NULL DEFAULT '',
  active BOOLEAN NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
  id {{ID}},
  name TEXT NOT NULL DEFAULT '',
  parent_id BIGINT REFERENCES accounts (id),
  owner_id BIGINT REFERENCES users (id),
  csm_id BIGINT REFERENCES users (id),
  sponsor_id BIGINT REFERENCES users (id),
  salesforce_id TEXT,
  hubspot_id TEXT,
  industry TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  employees BIGINT NOT NULL,
  growth_potential TEXT,
  strategic BOOLEAN NOT NULL,
  tier_override TEXT,
  tier_override_reason TEXT,
  lifecycle_stage TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE divisions (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  headcount BIGINT NOT NULL,
  covered_by_id BIGINT REFERENCES users (id)
);

CREATE TABLE products (
  id {{ID}},
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  family TEXT NOT NULL DEFAULT '',
  list_price_cents BIGINT NOT NULL,
  active BOOLEAN NOT NULL
);

CREATE TABLE contract_lines (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  product_id BIGINT REFERENCES products (id) NOT NULL,
  division_id BIGINT REFERENCES divisions (id),
  arr_cents BIGINT NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE,
  salesforce_id TEXT
);

CREATE TABLE contacts (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  division_id BIGINT REFERENCES divisions (id),
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  buying_role TEXT,
  stance TEXT NOT NULL,
  influence BIGINT NOT NULL CHECK (influence BETWEEN 1 AND 5),
  reports_to_id BIGINT REFERENCES contacts (id),
  relationship_owner_id BIGINT REFERENCES users (id),
  status TEXT NOT NULL,
  last_engaged_on DATE,
  salesforce_id TEXT,
  hubspot_id TEXT,
  version BIGINT NOT NULL
);

CREATE TABLE opportunities (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  stage TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  created_on DATE NOT NULL,
  close_date DATE NOT NULL,
  product_id BIGINT REFERENCES products (id),
  division_id BIGINT REFERENCES divisions (id),
  owner_id BIGINT REFERENCES users (id),
  lost_reason TEXT,
  salesforce_id TEXT,
  hubspot_id TEXT,
  version BIGINT NOT NULL
);

CREATE TABLE activities (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  kind TEXT NOT NULL,
  meaningful BOOLEAN NOT NULL,
  occurred_at TIMESTAMP NOT NULL,
  user_id BIGINT REFERENCES users (id),
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT ''
);

CREATE TABLE activity_contacts (
  activity_id BIGINT REFERENCES activities (id) ON DELETE CASCADE NOT NULL,
  contact_id BIGINT REFERENCES contacts (id) ON DELETE CASCADE NOT NULL,
  PRIMARY KEY (activity_id, contact_id)
);

CREATE TABLE tickets (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  contact_id BIGINT REFERENCES contacts (id),
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  escalated BOOLEAN NOT NULL,
  opened_at TIMESTAMP NOT NULL,
  closed_at TIMESTAMP,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT ''
);

CREATE TABLE nps_responses (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  contact_id BIGINT REFERENCES contacts (id),
  score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 10),
  comment TEXT NOT NULL DEFAULT '',
  responded_on DATE NOT NULL
);

CREATE TABLE usage_metrics (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  day DATE NOT NULL,
  active_users BIGINT NOT NULL,
  licensed_seats BIGINT NOT NULL
);

CREATE TABLE engagement_signals (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  contact_id BIGINT REFERENCES contacts (id),
  kind TEXT NOT NULL,
  occurred_at TIMESTAMP NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);

CREATE TABLE account_plans (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  last_reviewed_at TIMESTAMP,
  updated_at TIMESTAMP NOT NULL,
  updated_by BIGINT REFERENCES users (id),
  version BIGINT NOT NULL
);

CREATE TABLE plan_priorities (
  id {{ID}},
  plan_id BIGINT REFERENCES account_plans (id) ON DELETE CASCADE NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  source_contact_id BIGINT REFERENCES contacts (id),
  source TEXT NOT NULL DEFAULT '',
  said_on DATE,
  position BIGINT NOT NULL
);

CREATE TABLE plan_risks (
  id {{ID}},
  plan_id BIGINT REFERENCES account_plans (id) ON DELETE CASCADE NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL,
  likelihood TEXT NOT NULL,
  mitigation TEXT NOT NULL DEFAULT '',
  mitigation_owner_id BIGINT REFERENCES users (id),
  status TEXT NOT NULL
);

CREATE TABLE whitespace_cells (
  id {{ID}},
  plan_id BIGINT REFERENCES account_plans (id) ON DELETE CASCADE NOT NULL,
  division_id BIGINT REFERENCES divisions (id) NOT NULL,
  product_id BIGINT REFERENCES products (id) NOT NULL,
  status TEXT NOT NULL,
  competitor TEXT,
  potential_cents BIGINT NOT NULL,
  potential_source TEXT NOT NULL,
  adoption_bp BIGINT NOT NULL,
  opportunity_id BIGINT REFERENCES opportunities (id)
);

CREATE TABLE plan_actions (
  id {{ID}},
  plan_id BIGINT REFERENCES account_plans (id) ON DELETE CASCADE NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  owner_id BIGINT REFERENCES users (id),
  due_on DATE,
  status TEXT NOT NULL,
  priority_id BIGINT REFERENCES plan_priorities (id),
  risk_id BIGINT REFERENCES plan_risks (id),
  whitespace_cell_id BIGINT REFERENCES whitespace_cells (id)
);

CREATE TABLE plan_versions (
  id {{ID}},
  plan_id BIGINT REFERENCES account_plans (id) ON DELETE CASCADE NOT NULL,
  version BIGINT NOT NULL,
  changed_by BIGINT REFERENCES users (id),
  changed_at TIMESTAMP NOT NULL,
  change_summary TEXT NOT NULL DEFAULT '',
  snapshot_json TEXT NOT NULL DEFAULT ''
);

CREATE TABLE reviews (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  due_on DATE NOT NULL,
  held_on DATE,
  attendees TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  outcomes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tasks (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  owner_id BIGINT REFERENCES users (id),
  due_on DATE,
  status TEXT NOT NULL,
  source_key TEXT,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE handoffs (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  opportunity_id BIGINT REFERENCES opportunities (id) NOT NULL,
  seller_id BIGINT REFERENCES users (id),
  am_id BIGINT REFERENCES users (id),
  status TEXT NOT NULL,
  checklist_json TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL,
  accepted_at TIMESTAMP
);

CREATE TABLE health_overrides (
  id {{ID}},
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE NOT NULL,
  score BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  expires_on DATE NOT NULL,
  set_by BIGINT REFERENCES users (id),
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
  id {{ID}},
  actor_id BIGINT,
  at TIMESTAMP NOT NULL,
  entity TEXT NOT NULL DEFAULT '',
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX accounts_salesforce_id ON accounts (salesforce_id);
CREATE UNIQUE INDEX accounts_hubspot_id ON accounts (hubspot_id);
CREATE INDEX accounts_owner ON accounts (owner_id);
CREATE INDEX accounts_parent ON accounts (parent_id);
CREATE INDEX divisions_account ON divisions (account_id);
CREATE INDEX contract_lines_account ON contract_lines (account_id);
CREATE UNIQUE INDEX contract_lines_salesforce_id ON contract_lines (salesforce_id);
CREATE INDEX contacts_account ON contacts (account_id);
CREATE INDEX contacts_email ON contacts (email);
CREATE UNIQUE INDEX contacts_salesforce_id ON contacts (salesforce_id);
CREATE UNIQUE INDEX contacts_hubspot_id ON contacts (hubspot_id);
CREATE INDEX opportunities_account ON opportunities (account_id);
CREATE UNIQUE INDEX opportunities_salesforce_id ON opportunities (salesforce_id);
CREATE UNIQUE INDEX opportunities_hubspot_id ON opportunities (hubspot_id);
CREATE INDEX activities_account ON activities (account_id, occurred_at);
CREATE INDEX activity_contacts_contact ON activity_contacts (contact_id);
CREATE INDEX tickets_account ON tickets (account_id);
CREATE INDEX nps_responses_account ON nps_responses (account_id);
CREATE UNIQUE INDEX usage_metrics_account_day ON usage_metrics (account_id, day);
CREATE INDEX engagement_signals_account ON engagement_signals (account_id);
CREATE UNIQUE INDEX account_plans_account ON account_plans (account_id);
CREATE INDEX plan_priorities_plan ON plan_priorities (plan_id);
CREATE INDEX plan_risks_plan ON plan_risks (plan_id);
CREATE UNIQUE INDEX whitespace_cells_cell ON whitespace_cells (plan_id, division_id, product_id);
CREATE INDEX plan_actions_plan ON plan_actions (plan_id);
CREATE UNIQUE INDEX plan_versions_plan_version ON plan_versions (plan_id, version);
CREATE INDEX reviews_account ON reviews (account_id, due_on);
CREATE INDEX tasks_owner ON tasks (owner_id, status);
CREATE INDEX tasks_account ON tasks (account_id);
CREATE UNIQUE INDEX tasks_source_key ON tasks (source_key);
CREATE INDEX handoffs_account ON handoffs (account_id);
CREATE INDEX health_overrides_account ON health_overrides (account_id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at ON audit_log (at);
