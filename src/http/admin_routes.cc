#include "http/admin_routes.h"

#include <boost/json.hpp>

#include "domain/settings.h"
#include "http/crud.h"
#include "http/handler_kit.h"
#include "service/entity_json.h"
#include "service/passwords.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;

// POST /api/v1/users/{id}/password: an admin sets a user's password; all their sessions end.
Result<Reply> ResetPassword(service::AuthService& auth, const HttpRequest& req, A actor) {
  // Refused before the body is read: whoever may not reset learns nothing about what it takes.
  if (!service::Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins reset passwords");
  }
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_TRY(auto fields, StringFields(body, {"password"}));
  ORCHARD_CHECK(auth.ResetPassword(actor, UserId(id), fields[0], req.peer));
  return NoContent();
}

// POST /api/v1/users: users are created with a password, which the generic resource never
// accepts.
Result<Reply> CreateUser(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto body, ParseBody(req));
  auto password = body.find("password");
  if (password == body.end() || !password->value().is_string()) {
    return FailField("password", "is required (a string of at least " +
                                     std::to_string(service::kMinPasswordLength) + " characters)");
  }
  User user;
  user.active = true;
  ORCHARD_CHECK(service::ApplyJson(body, user, {"password"}));
  if (!service::Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins add users");
  }
  ORCHARD_CHECK(service::CheckNewPassword(password->value().as_string(), user.email));
  ORCHARD_TRY(user.password_hash,
              service::HashPassword(password->value().as_string(), d.auth.hash_cost()));
  ORCHARD_TRY(auto saved, service::EntityService<User>(d.pool, d.clock).Create(actor, user));
  return JsonResponse(service::ToJson(saved), 201);
}

// The settings' values by key, and how a person reads each (settings.h: SettingInfo).
boost::json::object SettingsJson(const std::map<std::string, std::string>& all) {
  boost::json::object values;
  for (const auto& [k, v] : all) values[k] = v;
  boost::json::array fields;
  for (const auto& [k, v] : all) {
    const SettingInfo info = DescribeSetting(k);
    fields.push_back({{"key", info.key},
                      {"group", info.group},
                      {"label", info.label},
                      {"unit", ToString(info.unit)}});
  }
  return boost::json::object{{"settings", std::move(values)}, {"fields", std::move(fields)}};
}

Result<Reply> GetSettings(service::SettingsService& settings, const HttpRequest&, A) {
  return JsonResponse(SettingsJson(settings.All()));
}

Result<Reply> PatchSettings(service::SettingsService& settings, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto body, ParseBody(req));
  std::map<std::string, std::string> changes;
  for (const auto& [k, v] : body) {
    if (v.is_int64()) {
      changes[std::string(k)] = std::to_string(v.as_int64());
    } else if (v.is_string()) {
      changes[std::string(k)] = std::string(v.as_string());
    } else {
      return FailField(std::string(k), "must be a whole number");
    }
  }
  ORCHARD_TRY(auto all, settings.Change(actor, changes));
  return JsonResponse(SettingsJson(all));
}

}  // namespace

void AddAdminRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("PasswordReset", R"({"type":"object","required":["password"],
    "additionalProperties":false,"properties":{"password":{"type":"string"}}})");
  r.AddSchema("NewUser", R"({"type":"object","required":["email","role","password"],
    "properties":{"email":{"type":"string"},"name":{"type":"string"},"password":{"type":"string"},
      "role":{"type":"string","enum":["admin","leader","manager","am","csm","viewer"]},
      "manager_id":{"type":["integer","null"]},"active":{"type":"boolean"}}})");
  r.Add(
      "POST", "/api/v1/users", [d](const HttpRequest& q, A who) { return CreateUser(d, q, who); },
      RouteDoc("Add a user with a password (admins)", K::kOther)
          .Request("NewUser")
          .Response("users")
          .Blocking());
  std::make_shared<CrudRoutes<User>>(d.pool, d.clock, d.model)
      ->Register(r, "/api/v1/users", CrudRoutes<User>::Verbs::kAllButCreate);
  service::AuthService& auth = d.auth;
  r.Add(
      "POST", "/api/v1/users/{id}/password",
      [&auth](const HttpRequest& q, A who) { return ResetPassword(auth, q, who); },
      RouteDoc("Set a user's password (admins); all of that user's sessions end", K::kOther)
          .Request("PasswordReset")
          .Blocking());  // Argon2id

  service::SettingsService& settings = d.settings;
  r.AddSchema("Settings", R"({"type":"object","required":["settings","fields"],
    "properties":{"settings":{"type":"object","additionalProperties":{"type":"string"}},
      "fields":{"type":"array","description":"How a person reads each setting: its label, group and the unit of its stored whole number: cents are shown as dollars, basis points as percent",
        "items":{"type":"object","required":["key","group","label","unit"],
          "properties":{"key":{"type":"string"},"group":{"type":"string"},"label":{"type":"string"},
            "unit":{"enum":["cents","basis_points","percent","days","hours","count","score"]}}}}}})");
  r.AddSchema("SettingsChange", R"({"type":"object",
    "description":"The settings to change, by name (as GET /api/v1/settings names them), each with its new value",
    "additionalProperties":{"oneOf":[{"type":"string"},{"type":"integer"}]}})");
  r.Add(
      "GET", "/api/v1/settings",
      [&settings](const HttpRequest& q, A who) { return GetSettings(settings, q, who); },
      RouteDoc("Every setting in force (tiers, coverage, cadences, health weights), with each "
               "one's label and unit; everyone signed in reads them",
               K::kOther)
          .Response("Settings"));
  r.Add(
      "PATCH", "/api/v1/settings",
      [&settings](const HttpRequest& q, A who) { return PatchSettings(settings, q, who); },
      RouteDoc("Change settings, all or nothing (admins)", K::kOther)
          .Request("SettingsChange")
          .Response("Settings"));
}

}  // namespace orchard::http
