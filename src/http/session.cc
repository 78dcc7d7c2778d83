#include "http/session.h"

namespace orchard::http {

std::string CookieValue(const HttpRequest& request, std::string_view name) {
  auto it = request.headers.find("cookie");
  if (it == request.headers.end()) return "";
  std::string_view cookies = it->second;
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return "";
}

std::string SessionCookie(const HttpRequest& req, std::string_view value, std::string_view age) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::string(age) +
         (req.secure ? "; Secure" : "");
}

bool StateChanging(const HttpRequest& request) {
  return request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
}

Result<service::Actor> Authenticate(service::AuthService& auth, const HttpRequest& request) {
  // A read may be served by an identity checked a little earlier while the database is away.
  const service::Use use = StateChanging(request) ? service::Use::kWrite : service::Use::kRead;
  auto bearer = request.headers.find("authorization");
  if (bearer != request.headers.end()) {
    std::string_view value = bearer->second;
    if (!value.starts_with("Bearer ")) {
      return Fail(ErrorCode::kUnauthenticated, "Authorization must be \"Bearer <API token>\"");
    }
    return auth.FromApiToken(value.substr(7), use);
  }
  std::string token = CookieValue(request, kSessionCookie);
  if (token.empty()) {
    return Fail(
        ErrorCode::kUnauthenticated,
        "sign in first (POST /api/v1/auth/login) or send an API token as Authorization: Bearer");
  }
  ORCHARD_TRY(service::Actor actor, auth.FromSession(token, use));
  if (StateChanging(request)) {
    auto csrf = request.headers.find("x-csrf-token");
    if (csrf == request.headers.end() || csrf->second != service::AuthService::CsrfFor(token)) {
      // Named as a field, so a client can tell a stale token (re-read it from
      // GET /api/v1/auth/session) from a write its user may not make.
      return std::unexpected(
          Error{ErrorCode::kPermissionDenied,
                "missing or wrong X-CSRF-Token header: send the csrf_token that sign-in returned",
                {{"x-csrf-token", "does not match this session's token"}}});
    }
  }
  return actor;
}

}  // namespace orchard::http
