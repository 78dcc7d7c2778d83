#include "http/webhook_routes.h"

#include <boost/json.hpp>

#include "automation/outbox.h"
#include "http/body.h"
#include "http/handler_kit.h"

namespace orchard::http {

namespace {

namespace json = boost::json;
using A = const service::Actor&;
using automation::OutboxMessage;
using automation::WebhookEndpoint;

// Refused before anything is read: whoever may not administer learns nothing.
Status MustAdminister(A actor, std::string_view what) {
  if (!service::Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins " + std::string(what));
  }
  return Ok();
}

json::value OrNull(const std::optional<int64_t>& v) { return v ? json::value(*v) : nullptr; }

json::array EventsJson(const std::vector<std::string>& events) {
  json::array out;
  for (const auto& e : events) out.emplace_back(e);
  return out;
}

// An endpoint as every read shows it: the secret only as its last four characters.
json::object EndpointJson(const WebhookEndpoint& e) {
  return json::object{
      {"id", e.id},
      {"name", e.name},
      {"url", e.url},
      {"events", EventsJson(e.events)},
      {"active", e.active},
      {"secret_hint", e.secret.size() >= 4 ? e.secret.substr(e.secret.size() - 4) : std::string()},
      {"created_at", e.created_at.ToIso8601()},
      {"created_by", OrNull(e.created_by)}};
}

json::object MessageJson(const OutboxMessage& m) {
  boost::system::error_code ec;
  json::value payload = json::parse(m.payload, ec);
  if (ec) payload = json::string(m.payload);
  return json::object{
      {"id", m.id},
      {"kind", m.kind},
      {"endpoint_id", OrNull(m.endpoint_id)},
      {"event", m.event},
      {"delivery_id", m.delivery_key},
      {"account_id", OrNull(m.account_id)},
      {"firing_id", OrNull(m.firing_id)},
      {"status", m.status},
      {"attempts", m.attempts},
      {"next_attempt_at",
       m.status == "pending" ? json::value(m.next_attempt_at.ToIso8601()) : json::value(nullptr)},
      {"last_error", m.last_error ? json::value(*m.last_error) : json::value(nullptr)},
      {"last_status", OrNull(m.last_status)},
      {"delivered_at",
       m.delivered_at ? json::value(m.delivered_at->ToIso8601()) : json::value(nullptr)},
      {"created_at", m.created_at.ToIso8601()},
      {"payload", std::move(payload)}};
}

Result<Reply> ListWebhooks(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "read webhook endpoints"));
  ORCHARD_CHECK(QueryParams(req).Only("the webhook endpoints", {}));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto all, automation::ListEndpoints(*db));
  json::array items;
  for (const auto& e : all) items.push_back(EndpointJson(e));
  return JsonResponse(json::object{{"items", std::move(items)}});
}

Result<Reply> CreateWebhook(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "add webhook endpoints"));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_CHECK(OnlyFields(body, "a webhook endpoint", {"name", "url", "events"}));
  automation::NewEndpoint in;
  ORCHARD_TRY(auto name, TextField(body, "name"));
  ORCHARD_TRY(auto url, TextField(body, "url"));
  if (!name) return FailField("name", "is required");
  if (!url) return FailField("url", "is required: an http:// or https:// URL");
  in.name = std::move(*name);
  in.url = std::move(*url);
  const json::value* events = body.if_contains("events");
  if (events == nullptr || !events->is_array()) {
    return FailField("events", "is required: [\"*\"] for every event, or trigger names");
  }
  for (const auto& e : events->as_array()) {
    if (!e.is_string()) return FailField("events", "must be a list of strings");
    in.events.emplace_back(e.as_string());
  }
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto saved, automation::CreateEndpoint(*db, actor, in, d.clock.Now()));
  json::object out = EndpointJson(saved);
  out["secret"] = saved.secret;  // this once
  return JsonResponse(out, 201);
}

Result<Reply> DeleteWebhook(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "remove webhook endpoints"));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_CHECK(automation::DeactivateEndpoint(*db, actor, id, d.clock.Now()));
  return NoContent();
}

Result<Reply> ListDeliveriesOf(const ApiDeps& d, const HttpRequest& req,
                               std::optional<int64_t> endpoint) {
  const QueryParams q(req);
  automation::MessageFilter filter;
  if (endpoint) {
    ORCHARD_CHECK(q.Only("an endpoint's deliveries", {"status", "limit", "cursor"}));
    filter.endpoint_id = endpoint;
  } else {
    ORCHARD_CHECK(q.Only("the deliveries", {"status", "endpoint_id", "limit", "cursor"}));
    ORCHARD_TRY(filter.endpoint_id, q.Int("endpoint_id", 1, INT64_MAX));
  }
  filter.status = q.Get("status");
  if (filter.status) ORCHARD_CHECK(automation::CheckMessageStatus("status", *filter.status));
  ORCHARD_TRY(auto limit, q.Int("limit", 1, 500));
  filter.limit = static_cast<int>(limit.value_or(50));
  ORCHARD_TRY(filter.cursor, q.Int("cursor", 1, INT64_MAX));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  if (endpoint) ORCHARD_CHECK(automation::GetEndpoint(*db, *endpoint));  // NotFound
  ORCHARD_TRY(auto page, automation::ListMessages(*db, filter));
  json::array items;
  for (const auto& m : page) items.push_back(MessageJson(m));
  json::value next = nullptr;
  if (static_cast<int>(page.size()) == filter.limit) next = std::to_string(page.back().id);
  return JsonResponse(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<Reply> GetDelivery(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "read deliveries"));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto m, automation::GetMessage(*db, id));
  ORCHARD_TRY(auto attempts, automation::ListAttempts(*db, id));
  json::array rows;
  for (const auto& a : attempts) {
    rows.push_back(json::object{{"at", a.at.ToIso8601()},
                                {"status_code", OrNull(a.status_code)},
                                {"error", a.error},
                                {"elapsed_ms", a.elapsed_ms}});
  }
  json::object out = MessageJson(m);
  out["attempt_history"] = std::move(rows);
  return JsonResponse(out);
}

Result<Reply> ReplayDelivery(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "replay deliveries"));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_CHECK(automation::Replay(*db, actor, id, d.clock.Now()));
  ORCHARD_TRY(auto m, automation::GetMessage(*db, id));
  return JsonResponse(MessageJson(m));
}

json::object SmtpJson(const std::optional<automation::SmtpSettings>& s) {
  automation::SmtpSettings v = s.value_or(automation::SmtpSettings{});
  return json::object{{"configured", s.has_value()},
                      {"host", v.host},
                      {"port", v.port},
                      {"starttls", v.starttls},
                      {"verify_tls", v.verify_tls},
                      {"username", v.username},
                      {"password_set", !v.password.empty()},
                      {"from", v.from}};
}

Result<Reply> GetSmtp(const ApiDeps& d, const HttpRequest&, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "read the SMTP settings"));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto s, automation::LoadSmtpSettings(*db));
  return JsonResponse(SmtpJson(s));
}

Result<bool> BoolField(const json::object& body, std::string_view name, bool fallback) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_bool()) return FailField(std::string(name), "must be true or false");
  return v->as_bool();
}

// PUT: the whole settings; a password left out keeps the one stored ("" clears it).
Result<Reply> PutSmtp(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(MustAdminister(actor, "change the SMTP settings"));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_CHECK(
      OnlyFields(body, "the SMTP settings",
                 {"host", "port", "starttls", "verify_tls", "username", "password", "from"}));
  automation::SmtpSettings s;
  ORCHARD_TRY(auto host, TextField(body, "host"));
  ORCHARD_TRY(auto port, IntField(body, "port", 1));
  ORCHARD_TRY(auto from, TextField(body, "from"));
  ORCHARD_TRY(auto username, TextField(body, "username"));
  ORCHARD_TRY(auto password, TextField(body, "password"));
  if (!host) return FailField("host", "is required");
  if (!port) return FailField("port", "is required: from 1 to 65535");
  if (*port > 65535) return FailValue("port", "must be from 1 to 65535");
  if (!from) return FailField("from", "is required: the sender's e-mail address");
  s.host = *host;
  s.port = static_cast<int>(*port);
  s.from = *from;
  s.username = username.value_or("");
  ORCHARD_TRY(s.starttls, BoolField(body, "starttls", true));
  ORCHARD_TRY(s.verify_tls, BoolField(body, "verify_tls", true));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  if (password) {
    s.password = *password;
  } else {
    ORCHARD_TRY(auto stored, automation::LoadSmtpSettings(*db));
    if (stored) s.password = stored->password;
  }
  ORCHARD_CHECK(automation::SaveSmtpSettings(*db, actor, s, d.clock.Now()));
  return JsonResponse(SmtpJson(s));
}

// The OpenAPI components of the routes below.
void AddWebhookSchemas(Router& r) {
  r.AddSchema("WebhookEndpoint", R"({"type":"object",
    "required":["id","name","url","events","active","secret_hint","created_at","created_by"],
    "properties":{"id":{"type":"integer"},"name":{"type":"string"},
      "url":{"type":"string","format":"uri"},
      "events":{"type":"array","items":{"type":"string"},"description":"[\"*\"] for every event, or trigger names"},
      "active":{"type":"boolean"},
      "secret_hint":{"type":"string","description":"the signing secret's last four characters"},
      "secret":{"type":"string","description":"the signing secret, whsec_ and 64 hex digits: only in the answer that created the endpoint"},
      "created_at":{"type":"string","format":"date-time"},"created_by":{"type":["integer","null"]}}})");
  r.AddSchema("WebhookEndpointList", R"({"type":"object","required":["items"],
    "properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/WebhookEndpoint"}}}})");
  r.AddSchema("NewWebhookEndpoint", R"({"type":"object","required":["name","url","events"],
    "additionalProperties":false,
    "properties":{"name":{"type":"string","minLength":1,"maxLength":200},
      "url":{"type":"string","maxLength":2000,"description":"http:// or https://"},
      "events":{"type":"array","minItems":1,"items":{"type":"string"},
        "description":"[\"*\"] for every event, or trigger names such as renewal_in or opportunity_won"}}})");
  r.AddSchema("Delivery", R"({"type":"object",
    "required":["id","kind","endpoint_id","event","delivery_id","status","attempts","created_at"],
    "properties":{"id":{"type":"integer"},"kind":{"enum":["email","webhook"]},
      "endpoint_id":{"type":["integer","null"]},"event":{"type":"string"},
      "delivery_id":{"type":"string","description":"sent as X-Orchard-Delivery: the receiver's idempotency key"},
      "account_id":{"type":["integer","null"]},"firing_id":{"type":["integer","null"]},
      "status":{"enum":["pending","done","dead"]},"attempts":{"type":"integer"},
      "next_attempt_at":{"type":["string","null"],"format":"date-time"},
      "last_error":{"type":["string","null"]},"last_status":{"type":["integer","null"]},
      "delivered_at":{"type":["string","null"],"format":"date-time"},
      "created_at":{"type":"string","format":"date-time"},
      "payload":{"description":"the webhook's JSON body, or the e-mail as JSON"},
      "attempt_history":{"type":"array","items":{"type":"object",
        "required":["at","status_code","error","elapsed_ms"],
        "properties":{"at":{"type":"string","format":"date-time"},
          "status_code":{"type":["integer","null"]},"error":{"type":"string"},
          "elapsed_ms":{"type":"integer"}}}}}})");
  r.AddSchema("DeliveryList", R"({"type":"object","required":["items","next_cursor"],
    "properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/Delivery"}},
      "next_cursor":{"type":["string","null"]}}})");
  r.AddSchema("SmtpSettings", R"({"type":"object",
    "required":["configured","host","port","starttls","verify_tls","username","password_set","from"],
    "properties":{"configured":{"type":"boolean"},"host":{"type":"string"},
      "port":{"type":"integer"},"starttls":{"type":"boolean"},"verify_tls":{"type":"boolean"},
      "username":{"type":"string"},"password_set":{"type":"boolean"},"from":{"type":"string"}}})");
  r.AddSchema("SmtpSettingsChange", R"({"type":"object","required":["host","port","from"],
    "additionalProperties":false,
    "properties":{"host":{"type":"string"},"port":{"type":"integer","minimum":1,"maximum":65535},
      "starttls":{"type":"boolean","description":"require STARTTLS; true when left out"},
      "verify_tls":{"type":"boolean","description":"check the server's certificate; true when left out"},
      "username":{"type":"string"},
      "password":{"type":"string","description":"left out: the stored password is kept"},
      "from":{"type":"string","description":"the sender's e-mail address"}}})");
}

}  // namespace

void AddWebhookRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  AddWebhookSchemas(r);
  const std::map<std::string, std::string> list_docs = {
      {"status", "pending, done or dead (the dead-letter list)"},
      {"limit", "at most this many, 1–500 (50)"},
      {"cursor", "the next_cursor of the page before"},
      {"endpoint_id", "only this endpoint's deliveries"}};
  r.Add(
      "GET", "/api/v1/webhooks",
      [d](const HttpRequest& q, A who) { return ListWebhooks(d, q, who); },
      RouteDoc("The webhook endpoints, their secrets hinted (admins)", K::kOther)
          .Response("WebhookEndpointList"));
  r.Add(
      "POST", "/api/v1/webhooks",
      [d](const HttpRequest& q, A who) { return CreateWebhook(d, q, who); },
      RouteDoc("Add a webhook endpoint (admins); the answer holds its signing secret, shown "
               "this once",
               K::kOther)
          .Request("NewWebhookEndpoint")
          .Response("WebhookEndpoint"));
  r.Add(
      "DELETE", "/api/v1/webhooks/{id}",
      [d](const HttpRequest& q, A who) { return DeleteWebhook(d, q, who); },
      RouteDoc("Deactivate a webhook endpoint (admins); its deliveries stay", K::kOther));
  r.Add(
      "GET", "/api/v1/webhooks/{id}/deliveries",
      [d](const HttpRequest& q, A who) -> Result<Reply> {
        ORCHARD_CHECK(MustAdminister(who, "read deliveries"));
        ORCHARD_TRY(int64_t id, ParseId(q));
        return ListDeliveriesOf(d, q, id);
      },
      RouteDoc("An endpoint's deliveries, newest first (admins)", K::kOther)
          .Query({"status", "limit", "cursor"})
          .QueryDocs(list_docs)
          .Response("DeliveryList"));
  r.Add(
      "GET", "/api/v1/deliveries",
      [d](const HttpRequest& q, A who) -> Result<Reply> {
        ORCHARD_CHECK(MustAdminister(who, "read deliveries"));
        return ListDeliveriesOf(d, q, std::nullopt);
      },
      RouteDoc("Outbound e-mails and webhooks, newest first; status=dead is the dead-letter "
               "list (admins)",
               K::kOther)
          .Query({"status", "endpoint_id", "limit", "cursor"})
          .QueryDocs(list_docs)
          .Response("DeliveryList"));
  r.Add(
      "GET", "/api/v1/deliveries/{id}",
      [d](const HttpRequest& q, A who) { return GetDelivery(d, q, who); },
      RouteDoc("One delivery with every attempt made (admins)", K::kOther).Response("Delivery"));
  r.Add(
      "POST", "/api/v1/deliveries/{id}/replay",
      [d](const HttpRequest& q, A who) { return ReplayDelivery(d, q, who); },
      RouteDoc("Send a dead or done delivery again: pending, attempts reset, its history kept "
               "(admins)",
               K::kOther)
          .Response("Delivery"));
  r.Add(
      "GET", "/api/v1/settings/smtp",
      [d](const HttpRequest& q, A who) { return GetSmtp(d, q, who); },
      RouteDoc("The SMTP server automation's e-mail goes through; the password is never shown "
               "(admins)",
               K::kOther)
          .Response("SmtpSettings"));
  r.Add(
      "PUT", "/api/v1/settings/smtp",
      [d](const HttpRequest& q, A who) { return PutSmtp(d, q, who); },
      RouteDoc("Set the SMTP server (admins)", K::kOther)
          .Request("SmtpSettingsChange")
          .Response("SmtpSettings"));
}

}  // namespace orchard::http
