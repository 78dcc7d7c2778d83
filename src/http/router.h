// Router: matches a request's method and path to a handler. Beast-free, so handlers and their
// tests see plain structs; only server.cc speaks the wire protocol.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

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

using Handler = std::function<HttpResponse(const HttpRequest&)>;

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
  bool column_filters = false;     // any column of `schema` filters the list
  bool csv_body = false;           // the body may also be a CSV file itself (text/csv)
  bool public_route = false;       // needs no sign-in
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
  // pattern: "/api/v1/accounts/{id}" — a {name} segment matches one non-empty path segment.
  void Add(std::string method, std::string pattern, Handler handler, RouteDoc doc = {});
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
  // Allow for a known path with another method.
  HttpResponse Handle(HttpRequest& request) const;

  // Handle in two steps, so the server can choose where the handler runs. Find parses the target
  // and fills request.path, query and params; it returns the route's handler, or null with
  // *answer already made (400, 404, 405, or the fallback's page).
  struct Found {
    const Handler* handler = nullptr;
    const RouteDoc* doc = nullptr;
    const std::string* name = nullptr;  // "GET /api/v1/accounts/{id}", as RouteOf says
  };
  Found Find(HttpRequest& request, HttpResponse* answer) const;

  // "GET /api/v1/accounts/{id}" — the matched pattern, for metrics and logs ("" when none).
  std::string RouteOf(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    RouteDoc doc;
    std::string name;  // method + " " + pattern
  };
  // The route for `method` that matches with the fewest {parameters} (their values in *params);
  // null if none does.
  const Route* Best(const std::string& method, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>* params) const;
  static bool Match(const Route& route, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
  std::map<std::string, std::string> schemas_;
  Fallback fallback_;
};

// Query-parameter helpers for handlers: each failure names the parameter.
class QueryParams {
 public:
  explicit QueryParams(const HttpRequest& request) : request_(request) {}
  std::optional<std::string> Get(std::string_view name) const;
  Result<std::optional<int64_t>> GetInt(std::string_view name, int64_t min, int64_t max) const;
  // Fails naming the first parameter not in `known`.
  Status OnlyKnown(std::initializer_list<std::string_view> known) const;

 private:
  const HttpRequest& request_;
};

}  // namespace orchard::http
