-- 0014: automation's outbound e-mail and webhooks (issue 19, automation/outbox.h). A message is
-- written in the transaction of what caused it (a rule's firing), then delivered by the outbox
-- worker: claimed with a lease (claimed_until) so two servers never send one message at once,
-- retried with backoff, and `dead` after its last attempt. Every attempt is kept.
CREATE TABLE webhook_endpoints (
  id {{ID}},
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL DEFAULT '*',
  active BOOLEAN NOT NULL,
  created_at TIMESTAMP NOT NULL,
  created_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE outbox_messages (
  id {{ID}},
  kind TEXT NOT NULL,
  endpoint_id BIGINT REFERENCES webhook_endpoints (id),
  event TEXT NOT NULL DEFAULT '',
  delivery_key TEXT NOT NULL UNIQUE,
  account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
  firing_id BIGINT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP NOT NULL,
  claimed_until TIMESTAMP,
  last_error TEXT,
  last_status BIGINT,
  delivered_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL
);

CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_messages_status ON outbox_messages (status, id);
CREATE INDEX outbox_messages_endpoint ON outbox_messages (endpoint_id, id) WHERE endpoint_id IS NOT NULL;
CREATE INDEX outbox_messages_account ON outbox_messages (account_id) WHERE account_id IS NOT NULL;

CREATE TABLE delivery_attempts (
  id {{ID}},
  message_id BIGINT NOT NULL REFERENCES outbox_messages (id) ON DELETE CASCADE,
  at TIMESTAMP NOT NULL,
  status_code BIGINT,
  error TEXT NOT NULL DEFAULT '',
  elapsed_ms BIGINT NOT NULL
);

CREATE INDEX delivery_attempts_message ON delivery_attempts (message_id, id);

CREATE TABLE smtp_settings (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  host TEXT NOT NULL,
  port BIGINT NOT NULL,
  starttls BOOLEAN NOT NULL,
  verify_tls BOOLEAN NOT NULL,
  username TEXT NOT NULL DEFAULT '',
  password TEXT NOT NULL DEFAULT '',
  from_address TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
