-- 0015: the response SLA (issue 19). A ticket — or a customer request to the account team, e.g.
-- an e-mail asking for something (channel 'request') — records when it was first answered, so
-- its first-response time can be measured against its tier's SLA (settings' response_sla_hours).
-- Empty while unanswered. Existing rows are tickets.
ALTER TABLE tickets ADD COLUMN first_response_at TIMESTAMP;
ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'ticket';
