#include "http/health.h"

#include <boost/json.hpp>

#include "http/errors.h"

namespace orchard::http {

namespace {

HttpResponse Answer(int status, std::string_view state, std::string_view database,
                    std::string log_detail = {}) {
  HttpResponse r;
  r.status = status;
  r.body = boost::json::serialize(boost::json::object{{"status", state}, {"database", database}});
  r.log_detail = std::move(log_detail);
  return r;
}

// The connection check both routes start with: an error answer, or the lease.
Result<store::ConnectionPool::Lease> Reach(store::ConnectionPool& pool) {
  ORCHARD_TRY(auto db, pool.Acquire());
  ORCHARD_CHECK(db->Query("SELECT 1", {}, nullptr));
  return db;
}

HttpResponse Unreachable(const Error& error) {
  return Answer(503, "unavailable", kDatabaseUnavailable, "database: " + error.message);
}

}  // namespace

HttpResponse Healthz(store::ConnectionPool& pool) {
  auto db = Reach(pool);
  if (!db) return Unreachable(db.error());
  return Answer(200, "ok", "ok");
}

HttpResponse Readyz(store::ConnectionPool& pool) {
  auto db = Reach(pool);
  if (!db) return Unreachable(db.error());
  Status probe = (*db)->Begin();
  if (probe) {
    // Touches no row, but a read-only database refuses the statement itself.
    auto updated = (*db)->Exec("UPDATE schema_migrations SET version = version WHERE 1 = 0", {});
    if (!updated) probe = std::unexpected(updated.error());
    (void)(*db)->Rollback();
  }
  if (!probe) {
    return Answer(503, "unavailable",
                  "the database refuses writes (read-only, or a standby): every write would fail",
                  "readiness write probe: " + probe.error().message);
  }
  return Answer(200, "ok", "ok");
}

void AddHealthRoutes(Router& router, store::ConnectionPool& pool) {
  router.AddSchema("Health", R"({"type":"object","required":["status","database"],
    "properties":{"status":{"type":"string"},"database":{"type":"string"}}})");
  router.Add(
      "GET", "/healthz", [&pool](const HttpRequest&) { return Healthz(pool); },
      RouteDoc("Liveness: the server answers and reaches its database", RouteDoc::Kind::kOther)
          .Response("Health")
          .Public());
  router.Add(
      "GET", "/readyz", [&pool](const HttpRequest&) { return Readyz(pool); },
      RouteDoc("Readiness: a write could succeed now (503 naming why not, e.g. a read-only "
               "database)",
               RouteDoc::Kind::kOther)
          .Response("Health")
          .Public());
}

}  // namespace orchard::http
