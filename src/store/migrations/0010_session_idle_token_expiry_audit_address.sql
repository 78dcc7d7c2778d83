-- 0010: identity hardening (issue "Trust"). Sessions end after an idle time as well as at their
-- absolute expiry, so each remembers when it was last used; API tokens may carry an expiry; audit
-- entries of sign-ins, sign-outs and token changes name the address they came from.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMP;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE audit_log ADD COLUMN address TEXT;
CREATE INDEX sessions_expires ON sessions (expires_at);
