#include "http/auth_routes.h"

#include <boost/json.hpp>

#include <algorithm>

#include "http/handler_kit.h"
#include "http/openapi.h"
#include "http/session.h"
#include "service/entity_json.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;

// A refusal that says when to try again: the service's "too many" (kResourceExhausted from the
// sign-in throttle) is a 429 (kTooManyRequests in the error table), with Retry-After when known.
Reply TooMany(Error error, std::optional<int64_t> retry_after = std::nullopt) {
  error.code = ErrorCode::kTooManyRequests;
  Reply r = ErrorResponse(error);
  if (retry_after) r.headers.emplace_back("Retry-After", std::to_string(*retry_after));
  return r;
}

// POST /api/v1/auth/login (public): sets the session cookie, returns the CSRF token.
Result<Reply> Login(service::AuthService& auth, const HttpRequest& req) {
  ORCHARD_TRY(auto body, ParseBody(req));
  std::vector<FieldError> missing;
  for (const char* f : {"email", "password"}) {
    auto it = body.find(f);
    if (it == body.end() || !it->value().is_string())
      missing.push_back({f, "is required (a string)"});
  }
  for (const auto& [k, v] : body) {
    if (k != "email" && k != "password") missing.push_back({std::string(k), "unknown field"});
  }
  if (!missing.empty()) {
    return Fail(ErrorCode::kInvalidArgument, missing[0].field + ": " + missing[0].message, missing);
  }
  const std::string& address = req.peer;
  auto result = auth.Login(body.at("email").as_string(), body.at("password").as_string(), address);
  if (!result && result.error().code == ErrorCode::kResourceExhausted) {
    return TooMany(
        result.error(),
        std::max<int64_t>(1, auth.RetryAfterSeconds(body.at("email").as_string(), address)));
  }
  if (!result) return std::unexpected(std::move(result.error()));
  Reply r = JsonResponse(boost::json::object{{"csrf_token", result->csrf_token},
                                             {"user", service::ToJson(result->user)},
                                             {"expires_at", result->expires_at.ToIso8601()}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(req, result->session_token, "604800"));
  return r;
}

Result<Reply> Logout(service::AuthService& auth, const HttpRequest& req, A) {
  std::string token = CookieValue(req, kSessionCookie);
  if (!token.empty()) (void)auth.Logout(token, req.peer);
  Reply r = NoContent();
  r.headers.emplace_back("Set-Cookie", SessionCookie(req, "", "0"));
  return r;
}

Result<Reply> GetMe(service::AuthService& auth, const HttpRequest&, A actor) {
  ORCHARD_TRY(auto user, auth.Me(actor));
  return JsonResponse(service::ToJson(user));
}

// GET /api/v1/auth/session: who this session cookie signs in, and the CSRF token its writes
// carry. A tab whose token went stale (a sign-in in another tab replaced the session) reads the
// current one here instead of failing every write. Only the app's own origin can read the answer
// (SameSite=Strict cookie, no CORS). A caller with an API token has no session and no CSRF token.
Result<Reply> GetSession(service::AuthService& auth, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto user, auth.Me(actor));
  const bool bearer = req.headers.find("authorization") != req.headers.end();
  std::string token = bearer ? "" : CookieValue(req, kSessionCookie);
  boost::json::object out{{"user", service::ToJson(user)}};
  out["csrf_token"] = token.empty() ? boost::json::value(nullptr)
                                    : boost::json::value(service::AuthService::CsrfFor(token));
  return JsonResponse(out);
}

Result<Reply> CreateToken(service::AuthService& auth, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto body, ParseBody(req));
  for (const auto& [k, v] : body) {
    if (k != "name" && k != "expires_at") {
      return FailField(std::string(k), "unknown field; send name and optionally expires_at");
    }
  }
  auto name = body.find("name");
  if (name == body.end() || !name->value().is_string()) {
    return FailField("name", "is required (a string)");
  }
  std::optional<Timestamp> expires_at;
  if (auto e = body.find("expires_at"); e != body.end() && !e->value().is_null()) {
    auto at = e->value().is_string()
                  ? Timestamp::Parse(e->value().as_string())
                  : Result<Timestamp>(Fail(ErrorCode::kInvalidArgument, "not a string"));
    if (!at) {
      return FailField("expires_at",
                       "must be a UTC date-time such as 2027-01-31T00:00:00Z, or null");
    }
    expires_at = *at;
  }
  ORCHARD_TRY(auto created, auth.CreateApiToken(actor, std::string(name->value().as_string()),
                                                expires_at, req.peer));
  boost::json::object out = service::ToJson(created.token);
  out["token"] = created.secret;  // shown once, never again
  return JsonResponse(out, 201);
}

Result<Reply> ListTokens(service::AuthService& auth, const HttpRequest&, A actor) {
  ORCHARD_TRY(auto tokens, auth.ListApiTokens(actor));
  boost::json::array items;
  for (const auto& t : tokens) items.push_back(service::ToJson(t));
  return JsonResponse(boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Result<Reply> RevokeToken(service::AuthService& auth, const HttpRequest& req, A actor) {
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_CHECK(auth.RevokeApiToken(actor, ApiTokenId(id), req.peer));
  return NoContent();
}

// POST /api/v1/auth/password: the signed-in user's own password, given the current one. Their
// other sessions end; the one asking stays signed in.
Result<Reply> ChangePassword(service::AuthService& auth, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_TRY(auto fields, StringFields(body, {"current_password", "new_password"}));
  const bool bearer = req.headers.find("authorization") != req.headers.end();
  std::string session = bearer ? "" : CookieValue(req, kSessionCookie);
  auto s = auth.ChangePassword(actor, session, fields[0], fields[1], req.peer);
  if (!s && s.error().code == ErrorCode::kResourceExhausted) return TooMany(s.error());
  if (!s) return std::unexpected(std::move(s.error()));
  return NoContent();
}

void AddSchemas(Router& r) {
  r.AddSchema("Login", R"({"type":"object","required":["email","password"],
    "additionalProperties":false,
    "properties":{"email":{"type":"string"},"password":{"type":"string"}}})");
  r.AddSchema("TokenRequest", R"({"type":"object","required":["name"],
    "additionalProperties":false,"properties":{"name":{"type":"string"},
      "expires_at":{"type":["string","null"],"format":"date-time"}}})");
  r.AddSchema("PasswordChange", R"({"type":"object",
    "required":["current_password","new_password"],"additionalProperties":false,
    "properties":{"current_password":{"type":"string"},"new_password":{"type":"string"}}})");
  r.AddSchema("api_tokens", boost::json::serialize(EntityJsonSchema<ApiToken>()));
  auto created = EntityJsonSchema<ApiToken>();
  created["properties"].as_object()["token"] = {{"type", "string"}};
  created["required"].as_array().emplace_back("token");
  r.AddSchema("CreatedToken", boost::json::serialize(created));
  boost::json::object session{{"type", "object"},
                              {"required", {"csrf_token", "user", "expires_at"}},
                              {"properties",
                               {{"csrf_token", {{"type", "string"}}},
                                {"user", {{"$ref", "#/components/schemas/users"}}},
                                {"expires_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  r.AddSchema("SessionStarted", boost::json::serialize(session));
  r.AddSchema("Session", R"({"type":"object","required":["user","csrf_token"],
    "properties":{"user":{"$ref":"#/components/schemas/users"},
      "csrf_token":{"type":["string","null"]}}})");
}

}  // namespace

void AddAuthRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  service::AuthService& auth = d.auth;
  AddSchemas(r);
  r.Add(
      "POST", "/api/v1/auth/login", [&auth](const HttpRequest& q) { return Login(auth, q); },
      RouteDoc("Sign in: sets the session cookie, returns the CSRF token", K::kOther)
          .Request("Login")
          .Response("SessionStarted")
          .Public()
          .Blocking());
  r.Add(
      "POST", "/api/v1/auth/logout",
      [&auth](const HttpRequest& q, A who) { return Logout(auth, q, who); },
      RouteDoc("Sign out", K::kOther));
  r.Add(
      "GET", "/api/v1/me", [&auth](const HttpRequest& q, A who) { return GetMe(auth, q, who); },
      RouteDoc("The signed-in user", K::kOther).Response("users"));
  r.Add(
      "GET", "/api/v1/auth/session",
      [&auth](const HttpRequest& q, A who) { return GetSession(auth, q, who); },
      RouteDoc("The signed-in user and the CSRF token of this session (null for an API token): "
               "a page whose token went stale reads the current one here",
               K::kOther)
          .Response("Session"));
  r.Add(
      "POST", "/api/v1/auth/password",
      [&auth](const HttpRequest& q, A who) { return ChangePassword(auth, q, who); },
      RouteDoc("Change your own password (give the current one); your other sessions end",
               K::kOther)
          .Request("PasswordChange")
          .Blocking());  // Argon2id, twice
  r.Add(
      "GET", "/api/v1/tokens",
      [&auth](const HttpRequest& q, A who) { return ListTokens(auth, q, who); },
      RouteDoc("API tokens (yours; all for admins)", K::kList, "api_tokens"));
  r.Add(
      "POST", "/api/v1/tokens",
      [&auth](const HttpRequest& q, A who) { return CreateToken(auth, q, who); },
      RouteDoc("Create an API token; the secret is shown once", K::kOther)
          .Request("TokenRequest")
          .Response("CreatedToken"));
  r.Add(
      "DELETE", "/api/v1/tokens/{id}",
      [&auth](const HttpRequest& q, A who) { return RevokeToken(auth, q, who); },
      RouteDoc("Revoke an API token", K::kDelete, "api_tokens"));
}

}  // namespace orchard::http
