-- 0012: the CSM's scoreboard (issue 18). A ticket may carry the customer's satisfaction score,
-- 1–5 (CSAT; empty when they did not rate it), and a task remembers when it was marked done, so
-- the time to first value (handoff accepted → its "first value" onboarding milestone done) can
-- be measured.
ALTER TABLE tickets ADD COLUMN satisfaction BIGINT CHECK (satisfaction BETWEEN 1 AND 5);
ALTER TABLE tasks ADD COLUMN completed_at TIMESTAMP;
