// /healthz and /readyz: liveness (the server answers and reaches its database) and readiness
// (a write could succeed now). A load balancer sends traffic on /readyz; a supervisor restarts on
// /healthz.
#pragma once

#include "http/router.h"
#include "store/pool.h"

namespace orchard::http {

// GET /healthz: 200 {"status":"ok","database":"ok"} when a connection answers SELECT 1; 503
// otherwise, saying only that the database is unavailable (the detail goes to the log).
HttpResponse Healthz(store::ConnectionPool& pool);

// GET /readyz: /healthz, and a write probe — a transaction that takes the write lock and updates
// no row, then rolls back — so a read-only database (a read-only file or mount, PRAGMA
// query_only, a PostgreSQL standby or default_transaction_read_only) answers 503 naming why.
HttpResponse Readyz(store::ConnectionPool& pool);

// Registers both, public, with their schema.
void AddHealthRoutes(Router& router, store::ConnectionPool& pool);

}  // namespace orchard::http
