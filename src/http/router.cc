#include "http/router.h"

#include <boost/url/parse.hpp>

#include <stdexcept>

#include "http/errors.h"

namespace orchard::http {

namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t next = path.find('/', i);
    if (next == std::string_view::npos) next = path.size();
    out.emplace_back(path.substr(i, next - i));
    i = next;
  }
  return out;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, RouteDoc doc) {
  if (doc.public_route) {
    throw std::logic_error(method + " " + pattern + ": a public route takes a PublicHandler");
  }
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.doc = std::move(doc);
  AddRoute(std::move(r));
}

void Router::Add(std::string method, std::string pattern, PublicHandler handler, RouteDoc doc) {
  if (!doc.public_route) {
    throw std::logic_error(method + " " + pattern +
                           ": a PublicHandler's route is marked RouteDoc::Public()");
  }
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.public_handler = std::move(handler);
  r.doc = std::move(doc);
  AddRoute(std::move(r));
}

void Router::AddRoute(Route route) {
  route.segments = Split(route.pattern);
  route.name = route.method + " " + route.pattern;
  routes_.push_back(std::move(route));
}

void Router::AddSchema(std::string name, std::string json_schema) {
  schemas_[std::move(name)] = std::move(json_schema);
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.doc});
  return out;
}

bool Router::Match(const Route& route, const std::vector<std::string>& segments,
                   std::map<std::string, std::string>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (params != nullptr) (*params)[want.substr(1, want.size() - 2)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  return true;
}

HttpResponse Router::Handle(HttpRequest& request) const {
  HttpResponse answer;
  Found found = Find(request, &answer);
  if (found.route == nullptr) return answer;
  return Run(found, request);
}

HttpResponse Router::Run(const Found& found, const HttpRequest& request) const {
  const Route& route = *found.route;
  Result<Reply> reply;
  if (route.doc.public_route) {
    reply = route.public_handler(request);
  } else if (!authenticate_) {
    reply = Fail(ErrorCode::kInternal, "this server cannot sign requests in");
  } else if (auto actor = authenticate_(request); !actor) {
    reply = std::unexpected(std::move(actor.error()));
  } else {
    reply = route.handler(request, *actor);
  }
  if (!reply) return ErrorResponse(reply.error());
  return std::move(*reply);
}

Router::Found Router::Find(HttpRequest& request, HttpResponse* answer) const {
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) {
    *answer =
        ErrorResponse(Error{ErrorCode::kInvalidArgument,
                            "the request target \"" + request.target + "\" is not a valid URL path",
                            {}});
    return {};
  }
  request.path = parsed->path();
  request.query.clear();
  for (auto param : parsed->params()) {
    request.query.emplace_back(std::string(param.key), std::string(param.value));
  }
  auto segments = Split(request.path);
  std::map<std::string, std::string> params;
  const Route* best = Best(request.method, segments, &params);
  if (best == nullptr && request.method == "HEAD") best = Best("GET", segments, &params);
  if (best != nullptr) {
    request.params = std::move(params);
    return {best, &best->doc, &best->name};
  }
  std::string allow;
  for (const auto& route : routes_) {
    if (!Match(route, segments, nullptr)) continue;
    if (!allow.empty()) allow += ", ";
    allow += route.method;
  }
  if (allow.empty() && fallback_ && (request.method == "GET" || request.method == "HEAD")) {
    if (auto served = fallback_(request)) {
      *answer = std::move(*served);
      return {};
    }
  }
  if (!allow.empty()) {
    HttpResponse r;
    r.status = 405;
    r.body = ErrorBody(
        Error{ErrorCode::kInvalidArgument,
              request.method + " is not allowed on " + request.path + "; allowed: " + allow,
              {}},
        "method_not_allowed");
    r.headers.emplace_back("Allow", allow);
    *answer = std::move(r);
    return {};
  }
  *answer = ErrorResponse(
      Error{ErrorCode::kNotFound, "no such endpoint: " + request.method + " " + request.path, {}});
  return {};
}

// Of the routes that match, the one with the fewest {parameters} wins, whatever the order they
// were added in: GET /api/v1/reviews/due is not GET /api/v1/reviews/{id} with id "due".
const Router::Route* Router::Best(const std::string& method,
                                  const std::vector<std::string>& segments,
                                  std::map<std::string, std::string>* params) const {
  const Route* best = nullptr;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> found;
    if (route.method != method || !Match(route, segments, &found)) continue;
    if (best == nullptr || found.size() < params->size()) {
      best = &route;
      *params = std::move(found);
    }
  }
  return best;
}

std::string Router::RouteOf(const HttpRequest& request) const {
  std::map<std::string, std::string> params;
  const Route* route = Best(request.method, Split(request.path), &params);
  return route == nullptr ? "" : route->name;
}

}  // namespace orchard::http
