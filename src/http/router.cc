#include "http/router.h"

#include <boost/url/parse.hpp>

#include <charconv>

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
  std::string name = method + " " + pattern;
  Route r{std::move(method),  pattern,        Split(pattern),
          std::move(handler), std::move(doc), std::move(name)};
  routes_.push_back(std::move(r));
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
  if (found.handler == nullptr) return answer;
  return (*found.handler)(request);
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
    return {&best->handler, &best->doc, &best->name};
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

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  for (const auto& [k, v] : request_.query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Result<std::optional<int64_t>> QueryParams::GetInt(std::string_view name, int64_t min,
                                                   int64_t max) const {
  auto text = Get(name);
  if (!text) return std::optional<int64_t>();
  int64_t value = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || p != text->data() + text->size()) {
    return FailField(std::string(name), "must be a whole number; got \"" + *text + "\"");
  }
  if (value < min || value > max) {
    return FailField(std::string(name), "must be from " + std::to_string(min) + " to " +
                                            std::to_string(max) + "; got " + *text);
  }
  return std::optional<int64_t>(value);
}

Status QueryParams::OnlyKnown(std::initializer_list<std::string_view> known) const {
  for (const auto& [k, v] : request_.query) {
    bool ok = false;
    for (auto name : known) ok = ok || name == k;
    if (!ok) {
      std::string list;
      for (auto name : known) {
        if (!list.empty()) list += ", ";
        list += name;
      }
      return FailField(k, "unknown query parameter; known: " + list);
    }
  }
  return Ok();
}

}  // namespace orchard::http
