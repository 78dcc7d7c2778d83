-- 0013: automation (issue 19). A rule is trigger → condition → actions, kept as its definition
-- (JSON, automation/rule.h) with every saved version beside it; a firing is keyed by (rule,
-- account, anchor) — the thing it fired on: that renewal date, that colour change, that
-- opportunity — and the unique key makes a second firing impossible across restarts and across
-- several servers on one database. Each action of a firing has a row of its own, so a failed one
-- is kept with its error and retried while the others stand. The inbox holds in-app
-- notifications; the observations are what the runner last saw of each account's health (a
-- colour change is a difference from them); the state holds the runner's cursors.
CREATE TABLE rules (
  id {{ID}},
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  version BIGINT NOT NULL,
  definition TEXT NOT NULL,
  paused_reason TEXT,
  paused_on DATE,
  builtin_key TEXT,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  updated_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX rules_builtin_key ON rules (builtin_key);

CREATE TABLE rule_versions (
  rule_id BIGINT NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  created_by BIGINT REFERENCES users (id),
  PRIMARY KEY (rule_id, version)
);

CREATE TABLE rule_firings (
  id {{ID}},
  rule_id BIGINT NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  rule_version BIGINT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  anchor TEXT NOT NULL,
  day DATE NOT NULL,
  fired_at TIMESTAMP NOT NULL,
  facts TEXT NOT NULL,
  status TEXT NOT NULL
);
CREATE UNIQUE INDEX rule_firings_key ON rule_firings (rule_id, account_id, anchor);
CREATE INDEX rule_firings_rule_day ON rule_firings (rule_id, day);
CREATE INDEX rule_firings_account ON rule_firings (account_id, fired_at);
CREATE INDEX rule_firings_open ON rule_firings (status);

CREATE TABLE rule_actions (
  firing_id BIGINT NOT NULL REFERENCES rule_firings (id) ON DELETE CASCADE,
  idx BIGINT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  next_attempt_at TIMESTAMP,
  last_error TEXT,
  result TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (firing_id, idx)
);

CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
  firing_id BIGINT REFERENCES rule_firings (id) ON DELETE SET NULL,
  dedupe_key TEXT,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL,
  read_at TIMESTAMP
);
CREATE INDEX notifications_inbox ON notifications (user_id, id);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (user_id, dedupe_key);

CREATE TABLE rule_observations (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  colour BIGINT NOT NULL,
  health BIGINT NOT NULL,
  peak_health BIGINT NOT NULL,
  peak_on DATE NOT NULL
);

CREATE TABLE automation_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- A task an automation opens carries its checklist (a JSON array of {"text", "done"}).
ALTER TABLE tasks ADD COLUMN checklist TEXT NOT NULL DEFAULT '';

-- The addresses that asked for no more tech-touch e-mail (the unsubscribe link of every such
-- message): honoured by every later send.
CREATE TABLE email_opt_outs (
  email TEXT PRIMARY KEY,
  opted_out_at TIMESTAMP NOT NULL
);
