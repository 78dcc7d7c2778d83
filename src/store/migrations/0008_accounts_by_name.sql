-- 0008: the accounts list sorted by name (the web UI's A–Z and Z–A) pages through this index in
-- order instead of sorting every account for each page.
CREATE INDEX accounts_name ON accounts (name, id);
