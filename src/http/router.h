// Router: matches a request's method and path to a handler, and holds the one handler contract.
// A route not marked public is signed in: the router authenticates the request before its handler
// runs and passes the actor in. Handlers return Result<Reply>; an error becomes its status and
// body through the one error table (errors.h). Beast-free, so handlers and their tests see plain
// structs; only server.cc speaks the wire protocol.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "service/actor.h"

namespace orchard::http {

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // "/api/v1/accounts?limit=5", as sent
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names

  // Filled by the router from `target`:
  std::string path;                                        // decoded path
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> params;               // {id} and friends from the pattern
  std::string request_id;
  std::string peer;     // the client's address, for throttling sign-in failures
  bool secure = false;  // came over TLS: a trusted proxy said X-Forwarded-Proto: https
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For the log only, never sent: what an error's client-facing message leaves out (such as the
  // database's host and port behind "the database is unavailable").
  std::string log_detail;
};

// What a handler answers with when it succeeds: a status (200 unless it says otherwise), a body,
// headers. A refusal is an Error, which the router maps through the error table.
using Reply = HttpResponse;
// A signed-in route's handler: the router has authenticated the request as `actor`.
using Handler = std::function<Result<Reply>(const HttpRequest&, const service::Actor& actor)>;
// A public route's handler (RouteDoc::Public): no sign-in, so no actor.
using PublicHandler = std::function<Result<Reply>(const HttpRequest&)>;
// Who is asking, or why the request may not proceed (kUnauthenticated, kPermissionDenied for a
// missing CSRF token, kUnavailable).
using Authenticator = std::function<Result<service::Actor>(const HttpRequest&)>;

// What the OpenAPI document says about a route. `schema` names a component (an entity's table,
// or another name added with Router::AddSchema); `kind` decides the shapes around it.
struct RouteDoc {
  enum class Kind { kOther, kList, kGet, kCreate, kPatch, kDelete };
  std::string summary;
  Kind kind = Kind::kOther;
  std::string schema;              // response item / request body component
  std::string request_schema;      // kOther: request body component, if any
  std::string response_schema;     // kOther: 200 response component, if any
  std::vector<std::string> query;  // query parameters beyond limit/cursor and column filters
  std::map<std::string, std::string> query_docs;  // what some of them mean, by name
  bool column_filters = false;                    // any column of `schema` filters the list
  bool csv_body = false;      // the body may also be a CSV file itself (text/csv)
  bool public_route = false;  // needs no sign-in: the handler is a PublicHandler
  // Slow work (a password hash, a Chromium process): the server runs it on its pool of blocking
  // workers, so the event loops keep answering everyone else meanwhile.
  bool blocking = false;

  RouteDoc() = default;
  RouteDoc(std::string summary_text, Kind route_kind, std::string schema_name = "")
      : summary(std::move(summary_text)), kind(route_kind), schema(std::move(schema_name)) {}
  RouteDoc Request(std::string name) && {
    request_schema = std::move(name);
    return std::move(*this);
  }
  RouteDoc Response(std::string name) && {
    response_schema = std::move(name);
    return std::move(*this);
  }
  RouteDoc Query(std::vector<std::string> names) && {
    query = std::move(names);
    return std::move(*this);
  }
  // What each query parameter means, by name (the OpenAPI document's descriptions).
  RouteDoc QueryDocs(std::map<std::string, std::string> docs) && {
    query_docs = std::move(docs);
    return std::move(*this);
  }
  RouteDoc ColumnFilters() && {
    column_filters = true;
    return std::move(*this);
  }
  RouteDoc CsvBody() && {
    csv_body = true;
    return std::move(*this);
  }
  RouteDoc Public() && {
    public_route = true;
    return std::move(*this);
  }
  RouteDoc Blocking() && {
    blocking = true;
    return std::move(*this);
  }
};

class Router {
 public:
  Router() = default;
  explicit Router(Authenticator authenticate) : authenticate_(std::move(authenticate)) {}

  // pattern: "/api/v1/accounts/{id}" — a {name} segment matches one non-empty path segment.
  // A Handler's route must not be marked public, a PublicHandler's must be (std::logic_error
  // otherwise: a route is public because its doc says so, never by accident).
  void Add(std::string method, std::string pattern, Handler handler, RouteDoc doc = {});
  void Add(std::string method, std::string pattern, PublicHandler handler, RouteDoc doc);
  // Answers a GET or HEAD that no route matches (the web UI's files and pages); returning null
  // falls through to the usual 404.
  using Fallback = std::function<std::optional<HttpResponse>(const HttpRequest&)>;
  void SetFallback(Fallback fallback) { fallback_ = std::move(fallback); }
  // A JSON Schema (serialized) for the OpenAPI document's components.
  void AddSchema(std::string name, std::string json_schema);

  struct RouteInfo {
    std::string method;
    std::string pattern;
    RouteDoc doc;
  };
  std::vector<RouteInfo> Routes() const;
  const std::map<std::string, std::string>& schemas() const { return schemas_; }

  // Parses the target, finds the route: 400 for a malformed target, 404 for no route, 405 with
  // Allow for a known path with another method; then Run.
  HttpResponse Handle(HttpRequest& request) const;

  // Handle in two steps, so the server can choose where the handler runs. Find parses the target
  // and fills request.path, query and params; it returns the route, or none with *answer already
  // made (400, 404, 405, or the fallback's page).
  struct Route;
  struct Found {
    const Route* route = nullptr;
    const RouteDoc* doc = nullptr;
    const std::string* name = nullptr;  // "GET /api/v1/accounts/{id}", as RouteOf says
  };
  Found Find(HttpRequest& request, HttpResponse* answer) const;
  // Authenticates (unless the route is public), calls the handler, maps an error to its reply.
  // Runs where the handler should: signing in may read the database.
  HttpResponse Run(const Found& found, const HttpRequest& request) const;

  // "GET /api/v1/accounts/{id}" — the matched pattern, for metrics and logs ("" when none).
  std::string RouteOf(const HttpRequest& request) const;

  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;               // a signed-in route's
    PublicHandler public_handler;  // a public route's
    RouteDoc doc;
    std::string name;  // method + " " + pattern
  };

 private:
  void AddRoute(Route route);
  // The route for `method` that matches with the fewest {parameters} (their values in *params);
  // null if none does.
  const Route* Best(const std::string& method, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>* params) const;
  static bool Match(const Route& route, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>* params);
  Authenticator authenticate_;
  std::vector<Route> routes_;
  std::map<std::string, std::string> schemas_;
  Fallback fallback_;
};

}  // namespace orchard::http
