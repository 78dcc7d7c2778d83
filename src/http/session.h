// Signing a request in: the session cookie (plus X-CSRF-Token on writes) or a Bearer API token.
// The router calls Authenticate for every route not marked public (router.h); the sign-in routes
// (auth_routes.cc) set and read the cookie.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"
#include "service/auth_service.h"

namespace orchard::http {

inline constexpr std::string_view kSessionCookie = "orchard_session";

// Who is asking: a Bearer API token, or the session cookie (plus X-CSRF-Token on writes). A read
// may be served by an identity checked a little earlier while the database is away
// (service::Use::kRead); a write never is.
Result<service::Actor> Authenticate(service::AuthService& auth, const HttpRequest& request);

// The value of cookie `name`, or "".
std::string CookieValue(const HttpRequest& request, std::string_view name);
// The session cookie's Set-Cookie value; Secure when the request came over TLS (behind a proxy
// the server trusts, --trust-proxy).
std::string SessionCookie(const HttpRequest& req, std::string_view value, std::string_view age);
// Not GET, HEAD or OPTIONS: a write, which a session must confirm with its CSRF token.
bool StateChanging(const HttpRequest& request);

}  // namespace orchard::http
