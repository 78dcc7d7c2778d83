#include "automation/outbox.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "automation/vocabulary.h"
#include "service/entity_hooks.h"
#include "store/store.h"

namespace orchard::automation {

namespace {

using store::SqlValue;

// A parameter list built by emplace_back (g++ 12 warns falsely on braced lists of variants).
template <class... A>
std::vector<SqlValue> Params(A&&... values) {
  std::vector<SqlValue> out;
  out.reserve(sizeof...(values));
  (out.emplace_back(std::forward<A>(values)), ...);
  return out;
}

SqlValue OptionalInt(std::optional<int64_t> v) { return v ? SqlValue(*v) : SqlValue(); }

std::optional<int64_t> IntOrNull(const store::Row& r, int i) {
  if (r.IsNull(i)) return std::nullopt;
  auto v = r.GetInt(i);
  return v ? std::optional<int64_t>(*v) : std::nullopt;
}

Timestamp TimeOf(const store::Row& r, int i) {
  auto t = Timestamp::Parse(r.GetText(i));
  return t ? *t : Timestamp();
}

constexpr std::string_view kMessageColumns =
    "id, kind, endpoint_id, event, delivery_key, account_id, firing_id, payload, status, "
    "attempts, next_attempt_at, last_error, last_status, delivered_at, created_at";

Result<OutboxMessage> ReadMessage(const store::Row& r) {
  OutboxMessage m;
  ORCHARD_TRY(m.id, r.GetInt(0));
  m.kind = r.GetText(1);
  m.endpoint_id = IntOrNull(r, 2);
  m.event = r.GetText(3);
  m.delivery_key = r.GetText(4);
  m.account_id = IntOrNull(r, 5);
  m.firing_id = IntOrNull(r, 6);
  m.payload = r.GetText(7);
  m.status = r.GetText(8);
  ORCHARD_TRY(m.attempts, r.GetInt(9));
  m.next_attempt_at = TimeOf(r, 10);
  if (!r.IsNull(11)) m.last_error = std::string(r.GetText(11));
  m.last_status = IntOrNull(r, 12);
  if (!r.IsNull(13)) m.delivered_at = TimeOf(r, 13);
  m.created_at = TimeOf(r, 14);
  return m;
}

Result<std::vector<OutboxMessage>> QueryMessages(store::Database& db, const std::string& where,
                                                 std::span<const SqlValue> params) {
  std::vector<OutboxMessage> out;
  ORCHARD_CHECK(
      db.Query("SELECT " + std::string(kMessageColumns) + " FROM outbox_messages " + where, params,
               [&](const store::Row& r) -> Status {
                 ORCHARD_TRY(auto m, ReadMessage(r));
                 out.push_back(std::move(m));
                 return Ok();
               }));
  return out;
}

std::string JoinEvents(const std::vector<std::string>& events) {
  std::string out;
  for (const auto& e : events) out += (out.empty() ? "" : ",") + e;
  return out;
}

std::vector<std::string> SplitEvents(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view one = text.substr(0, comma);
    if (!one.empty()) out.emplace_back(one);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

constexpr std::string_view kEndpointColumns =
    "id, name, url, secret, events, active, created_at, created_by";

Result<WebhookEndpoint> ReadEndpoint(const store::Row& r) {
  WebhookEndpoint e;
  ORCHARD_TRY(e.id, r.GetInt(0));
  e.name = r.GetText(1);
  e.url = r.GetText(2);
  e.secret = r.GetText(3);
  e.events = SplitEvents(r.GetText(4));
  ORCHARD_TRY(e.active, r.GetBool(5));
  e.created_at = TimeOf(r, 6);
  e.created_by = IntOrNull(r, 7);
  return e;
}

Result<std::vector<WebhookEndpoint>> QueryEndpoints(store::Database& db, const std::string& where,
                                                    std::span<const SqlValue> params) {
  std::vector<WebhookEndpoint> out;
  ORCHARD_CHECK(
      db.Query("SELECT " + std::string(kEndpointColumns) + " FROM webhook_endpoints " + where,
               params, [&](const store::Row& r) -> Status {
                 ORCHARD_TRY(auto e, ReadEndpoint(r));
                 out.push_back(std::move(e));
                 return Ok();
               }));
  return out;
}

bool Subscribed(const WebhookEndpoint& e, std::string_view event) {
  return std::any_of(e.events.begin(), e.events.end(),
                     [&](const std::string& s) { return s == "*" || s == event; });
}

Result<int64_t> InsertMessage(store::Database& db, std::string_view kind,
                              std::optional<int64_t> endpoint_id, std::string_view event,
                              std::optional<int64_t> account_id, std::optional<int64_t> firing_id,
                              std::string_view payload, Timestamp now) {
  auto params = Params(std::string(kind), OptionalInt(endpoint_id), std::string(event),
                       "dlv_" + RandomHex(16), OptionalInt(account_id), OptionalInt(firing_id),
                       std::string(payload), now.ToString(), now.ToString());
  std::optional<int64_t> id;
  ORCHARD_CHECK(
      db.Query("INSERT INTO outbox_messages (kind, endpoint_id, event, delivery_key, account_id, "
               "firing_id, payload, status, attempts, next_attempt_at, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
               params, [&](const store::Row& r) -> Status {
                 ORCHARD_TRY(id, r.GetInt(0));
                 return Ok();
               }));
  if (!id) return Fail(ErrorCode::kInternal, "an outbox message was inserted without an id");
  return *id;
}

// The instant messages are written at: enqueueing has no clock of its own (the caller's
// transaction decides when it commits; the worker delivers what is due by its own clock).
Timestamp Now() { return SystemClock().Now(); }

std::string EmailJson(const Email& email) {
  boost::json::array to, headers;
  for (const auto& a : email.to) to.emplace_back(a);
  for (const auto& [n, v] : email.headers)
    headers.push_back(boost::json::array{n.c_str(), v.c_str()});
  return boost::json::serialize(boost::json::object{{"to", std::move(to)},
                                                    {"subject", email.subject},
                                                    {"body_text", email.body_text},
                                                    {"headers", std::move(headers)}});
}

Result<Email> EmailFromJson(std::string_view payload) {
  boost::system::error_code ec;
  auto v = boost::json::parse(payload, ec);
  if (ec || !v.is_object()) return Fail(ErrorCode::kInternal, "an e-mail's payload is not JSON");
  Email e;
  try {
    const auto& o = v.as_object();
    for (const auto& a : o.at("to").as_array()) e.to.emplace_back(a.as_string());
    e.subject = o.at("subject").as_string();
    e.body_text = o.at("body_text").as_string();
    for (const auto& h : o.at("headers").as_array()) {
      e.headers.emplace_back(h.as_array().at(0).as_string(), h.as_array().at(1).as_string());
    }
  } catch (const std::exception& ex) {
    return Fail(ErrorCode::kInternal,
                std::string("an e-mail's payload is malformed: ") + ex.what());
  }
  return e;
}

// What one attempt came to.
struct Outcome {
  bool delivered = false;
  bool give_up = false;  // no use trying again (the endpoint is gone or deactivated)
  std::optional<int64_t> status_code;
  std::string error;
  int64_t elapsed_ms = 0;
};

std::optional<int64_t> SmtpCode(std::string_view message) {
  // "SMTP 550 from host:port: …"
  if (!message.starts_with("SMTP ") || message.size() < 8) return std::nullopt;
  int code = 0;
  auto [end, ec] = std::from_chars(message.data() + 5, message.data() + 8, code);
  if (ec != std::errc() || end != message.data() + 8) return std::nullopt;
  return code;
}

Outcome Send(store::Database& db, const OutboxMessage& m, const std::optional<SmtpSettings>& smtp,
             const DeliveryOptions& options) {
  Outcome out;
  const auto start = std::chrono::steady_clock::now();
  if (m.kind == "email") {
    auto email = EmailFromJson(m.payload);
    if (!email) {
      out.error = email.error().message;
      out.give_up = true;
    } else if (!smtp) {
      out.error = "SMTP is not configured: an admin sets it with PUT /api/v1/settings/smtp";
    } else if (auto sent = SendEmail(*smtp, *email, options.smtp_timeout_ms); sent) {
      out.delivered = true;
      out.status_code = 250;
    } else {
      out.error = sent.error().message;
      out.status_code = SmtpCode(out.error);
      out.give_up = sent.error().code == ErrorCode::kInvalidArgument;
    }
    out.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    return out;
  }
  std::optional<WebhookEndpoint> endpoint;
  if (m.endpoint_id) {
    auto e = GetEndpoint(db, *m.endpoint_id);
    if (e) endpoint = std::move(*e);
  }
  if (!endpoint || !endpoint->active) {
    out.error = "the webhook endpoint was deactivated or removed";
    out.give_up = true;
    return out;
  }
  WebhookAttempt a = PostWebhook(endpoint->url, endpoint->secret, m.event, m.delivery_key,
                                 m.payload, options.webhook_timeout_ms);
  out.delivered = a.delivered();
  if (a.status != 0) out.status_code = a.status;
  out.error = a.error;
  out.elapsed_ms = a.elapsed_ms;
  return out;
}

// Writes the attempt and the message's new state, if the caller's claim still holds.
Result<std::string> Record(store::Database& db, const OutboxMessage& m, const Outcome& o,
                           const DeliveryOptions& options, Timestamp now, Timestamp lease) {
  const int64_t attempts = m.attempts + 1;
  std::string status = o.delivered                                       ? "done"
                       : (o.give_up || attempts >= options.max_attempts) ? "dead"
                                                                         : "pending";
  auto delay = std::chrono::ceil<std::chrono::seconds>(
      BackoffDelay(static_cast<int>(attempts), options.backoff_base));
  const Timestamp next = now.AddSeconds(std::max<int64_t>(1, delay.count()));
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_CHECK(
      db.Exec("INSERT INTO delivery_attempts (message_id, at, status_code, error, elapsed_ms) "
              "VALUES (?, ?, ?, ?, ?)",
              Params(m.id, now.ToString(), OptionalInt(o.status_code), o.error, o.elapsed_ms)));
  ORCHARD_TRY(
      int64_t changed,
      db.Exec("UPDATE outbox_messages SET status = ?, attempts = ?, next_attempt_at = ?, "
              "claimed_until = NULL, last_error = ?, last_status = ?, delivered_at = ? "
              "WHERE id = ? AND claimed_until = ?",
              Params(status, attempts, (status == "pending" ? next : now).ToString(),
                     o.delivered ? SqlValue() : SqlValue(o.error), OptionalInt(o.status_code),
                     o.delivered ? SqlValue(now.ToString()) : SqlValue(), m.id, lease.ToString())));
  if (changed != 1) {
    // The lease ran out while the message was on the wire and another server took it: its
    // outcome counts, not this one (the attempt row stays, so the history shows both).
    spdlog::warn("outbox message {}: the claim expired before its outcome was recorded", m.id);
  }
  ORCHARD_CHECK(tx.Commit());
  return status;
}

Status Audit(store::Database& db, const service::Actor& actor, Timestamp at,
             std::string_view entity, int64_t id, AuditAction action,
             std::optional<std::string> before, std::optional<std::string> after) {
  store::Store store(db);
  return service::WriteAudit(store, actor, at, entity, id, action, std::move(before),
                             std::move(after));
}

Status MustAdminister(const service::Actor& actor, std::string_view what) {
  if (!service::Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins " + std::string(what));
  }
  return Ok();
}

std::string EndpointAuditJson(const WebhookEndpoint& e) {
  return boost::json::serialize(boost::json::object{
      {"name", e.name}, {"url", e.url}, {"events", JoinEvents(e.events)}, {"active", e.active}});
}

}  // namespace

// --- enqueueing --------------------------------------------------------------------------------

Result<std::vector<int64_t>> EnqueueWebhook(store::Database& db, std::string_view event,
                                            std::optional<int64_t> account_id,
                                            std::optional<int64_t> firing_id,
                                            std::string_view body_json,
                                            std::optional<int64_t> endpoint_id) {
  std::vector<WebhookEndpoint> targets;
  if (endpoint_id) {
    ORCHARD_TRY(auto one, GetEndpoint(db, *endpoint_id));
    targets.push_back(std::move(one));
  } else {
    ORCHARD_TRY(auto all, QueryEndpoints(db, "WHERE active = TRUE ORDER BY id", {}));
    for (auto& e : all) {
      if (Subscribed(e, event)) targets.push_back(std::move(e));
    }
  }
  std::vector<int64_t> ids;
  const Timestamp now = Now();
  for (const auto& e : targets) {
    ORCHARD_TRY(int64_t id,
                InsertMessage(db, "webhook", e.id, event, account_id, firing_id, body_json, now));
    ids.push_back(id);
  }
  return ids;
}

Result<int64_t> EnqueueEmail(store::Database& db, const Email& email,
                             std::optional<int64_t> account_id, std::optional<int64_t> firing_id) {
  ORCHARD_CHECK(CheckEmail(email));
  return InsertMessage(db, "email", std::nullopt, "email", account_id, firing_id, EmailJson(email),
                       Now());
}

// --- delivery ----------------------------------------------------------------------------------

Result<DeliveryCounts> DeliverDue(store::Database& db, const DeliveryOptions& options,
                                  Timestamp now) {
  DeliveryCounts counts;
  std::vector<int64_t> due;
  ORCHARD_CHECK(db.Query(
      "SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= ? AND "
      "(claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, id LIMIT ?",
      Params(now.ToString(), now.ToString(), static_cast<int64_t>(options.batch)),
      [&](const store::Row& r) -> Status {
        ORCHARD_TRY(int64_t id, r.GetInt(0));
        due.push_back(id);
        return Ok();
      }));
  if (due.empty()) return counts;
  ORCHARD_TRY(auto smtp, LoadSmtpSettings(db));
  const Timestamp lease = now.AddSeconds(options.lease.count());
  for (int64_t id : due) {
    // The claim: one statement, so of two servers racing for a message exactly one changes its
    // row (PostgreSQL re-checks the condition after the other's update commits).
    ORCHARD_TRY(int64_t claimed,
                db.Exec("UPDATE outbox_messages SET claimed_until = ? WHERE id = ? AND "
                        "status = 'pending' AND next_attempt_at <= ? AND "
                        "(claimed_until IS NULL OR claimed_until < ?)",
                        Params(lease.ToString(), id, now.ToString(), now.ToString())));
    if (claimed != 1) continue;
    ++counts.claimed;
    ORCHARD_TRY(auto m, GetMessage(db, id));
    const Outcome outcome = Send(db, m, smtp, options);
    ORCHARD_TRY(std::string status, Record(db, m, outcome, options, now, lease));
    if (status == "done") {
      ++counts.delivered;
    } else if (status == "dead") {
      ++counts.dead;
      spdlog::warn("outbox message {} ({} {}) is dead after {} attempts: {}", m.id, m.kind, m.event,
                   m.attempts + 1, outcome.error);
    } else {
      ++counts.retried;
    }
  }
  return counts;
}

// --- reading -----------------------------------------------------------------------------------

Status CheckMessageStatus(std::string_view field, std::string_view status) {
  if (status == "pending" || status == "done" || status == "dead") return Ok();
  return FailField(std::string(field), "\"" + std::string(status) +
                                           "\" is not a delivery status; give pending, done or "
                                           "dead");
}

Result<std::vector<OutboxMessage>> ListMessages(store::Database& db, const MessageFilter& filter) {
  std::string where = "WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (filter.status) {
    ORCHARD_CHECK(CheckMessageStatus("status", *filter.status));
    where += " AND status = ?";
    params.emplace_back(*filter.status);
  }
  if (filter.endpoint_id) {
    where += " AND endpoint_id = ?";
    params.emplace_back(*filter.endpoint_id);
  }
  if (filter.cursor) {
    where += " AND id < ?";
    params.emplace_back(*filter.cursor);
  }
  where += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(static_cast<int64_t>(std::clamp(filter.limit, 1, 500)));
  return QueryMessages(db, where, params);
}

Result<OutboxMessage> GetMessage(store::Database& db, int64_t id) {
  ORCHARD_TRY(auto found, QueryMessages(db, "WHERE id = ?", Params(id)));
  if (found.empty()) {
    return Fail(ErrorCode::kNotFound, "delivery " + std::to_string(id) + " does not exist");
  }
  return std::move(found.front());
}

Result<std::vector<DeliveryAttempt>> ListAttempts(store::Database& db, int64_t message_id) {
  std::vector<DeliveryAttempt> out;
  ORCHARD_CHECK(db.Query(
      "SELECT id, at, status_code, error, elapsed_ms FROM delivery_attempts WHERE message_id = ? "
      "ORDER BY id",
      Params(message_id), [&](const store::Row& r) -> Status {
        DeliveryAttempt a;
        ORCHARD_TRY(a.id, r.GetInt(0));
        a.at = TimeOf(r, 1);
        a.status_code = IntOrNull(r, 2);
        a.error = r.GetText(3);
        ORCHARD_TRY(a.elapsed_ms, r.GetInt(4));
        out.push_back(std::move(a));
        return Ok();
      }));
  return out;
}

Status Replay(store::Database& db, int64_t id, Timestamp now) {
  ORCHARD_TRY(int64_t changed,
              db.Exec("UPDATE outbox_messages SET status = 'pending', attempts = 0, "
                      "next_attempt_at = ?, claimed_until = NULL, delivered_at = NULL "
                      "WHERE id = ? AND status IN ('dead', 'done')",
                      Params(now.ToString(), id)));
  if (changed == 1) return Ok();
  ORCHARD_TRY(auto m, GetMessage(db, id));  // NotFound
  return Fail(ErrorCode::kConflict, "delivery " + std::to_string(id) + " is " + m.status +
                                        " already; only a dead or done delivery is replayed");
}

Status Replay(store::Database& db, const service::Actor& actor, int64_t id, Timestamp now) {
  ORCHARD_CHECK(MustAdminister(actor, "replay deliveries"));
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_TRY(auto before, GetMessage(db, id));
  ORCHARD_CHECK(Replay(db, id, now));
  ORCHARD_CHECK(Audit(db, actor, now, "outbox_messages", id, AuditAction::kUpdate,
                      boost::json::serialize(boost::json::object{{"status", before.status}}),
                      boost::json::serialize(boost::json::object{{"status", "pending"}})));
  return tx.Commit();
}

// --- endpoints and SMTP settings ---------------------------------------------------------------

Result<WebhookEndpoint> CreateEndpoint(store::Database& db, const service::Actor& actor,
                                       const NewEndpoint& in, Timestamp now) {
  ORCHARD_CHECK(MustAdminister(actor, "add webhook endpoints"));
  ORCHARD_CHECK(CheckHeaderText("name", in.name));
  if (in.name.empty() || in.name.size() > 200) {
    return FailValue("name", "must be 1 to 200 characters");
  }
  ORCHARD_CHECK(CheckWebhookUrl("url", in.url));
  if (in.events.empty()) {
    return FailValue("events", "needs \"*\" (every event) or at least one trigger name");
  }
  for (const auto& e : in.events) {
    if (e == "*") continue;
    if (!ParseEnum<TriggerKind>(e)) {
      std::string names;
      for (auto n : EnumTraits<TriggerKind>::kNames)
        names += (names.empty() ? "" : ", ") + std::string(n);
      return FailValue("events", "\"" + e + "\" is not an event; give \"*\" or of " + names);
    }
  }
  WebhookEndpoint e;
  e.name = in.name;
  e.url = in.url;
  e.events = in.events;
  e.secret = "whsec_" + RandomHex(32);
  e.active = true;
  e.created_at = now;
  e.created_by = actor.user.value;
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_CHECK(db.Query(
      "INSERT INTO webhook_endpoints (name, url, secret, events, active, created_at, created_by) "
      "VALUES (?, ?, ?, ?, TRUE, ?, ?) RETURNING id",
      Params(e.name, e.url, e.secret, JoinEvents(e.events), now.ToString(), actor.user.value),
      [&](const store::Row& r) -> Status {
        ORCHARD_TRY(e.id, r.GetInt(0));
        return Ok();
      }));
  ORCHARD_CHECK(Audit(db, actor, now, "webhook_endpoints", e.id, AuditAction::kCreate, std::nullopt,
                      EndpointAuditJson(e)));
  ORCHARD_CHECK(tx.Commit());
  return e;
}

Result<std::vector<WebhookEndpoint>> ListEndpoints(store::Database& db) {
  return QueryEndpoints(db, "ORDER BY id", {});
}

Result<WebhookEndpoint> GetEndpoint(store::Database& db, int64_t id) {
  ORCHARD_TRY(auto found, QueryEndpoints(db, "WHERE id = ?", Params(id)));
  if (found.empty()) {
    return Fail(ErrorCode::kNotFound, "webhook endpoint " + std::to_string(id) + " does not exist");
  }
  return std::move(found.front());
}

Status DeactivateEndpoint(store::Database& db, const service::Actor& actor, int64_t id,
                          Timestamp now) {
  ORCHARD_CHECK(MustAdminister(actor, "remove webhook endpoints"));
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_TRY(auto before, GetEndpoint(db, id));
  ORCHARD_CHECK(db.Exec("UPDATE webhook_endpoints SET active = FALSE WHERE id = ?", Params(id)));
  WebhookEndpoint after = before;
  after.active = false;
  ORCHARD_CHECK(Audit(db, actor, now, "webhook_endpoints", id, AuditAction::kDelete,
                      EndpointAuditJson(before), EndpointAuditJson(after)));
  return tx.Commit();
}

Result<std::optional<SmtpSettings>> LoadSmtpSettings(store::Database& db) {
  std::optional<SmtpSettings> out;
  ORCHARD_CHECK(
      db.Query("SELECT host, port, starttls, verify_tls, username, password, from_address "
               "FROM smtp_settings WHERE id = 1",
               {}, [&](const store::Row& r) -> Status {
                 SmtpSettings s;
                 s.host = r.GetText(0);
                 ORCHARD_TRY(int64_t port, r.GetInt(1));
                 s.port = static_cast<int>(port);
                 ORCHARD_TRY(s.starttls, r.GetBool(2));
                 ORCHARD_TRY(s.verify_tls, r.GetBool(3));
                 s.username = r.GetText(4);
                 s.password = r.GetText(5);
                 s.from = r.GetText(6);
                 out = std::move(s);
                 return Ok();
               }));
  return out;
}

Status SaveSmtpSettings(store::Database& db, const SmtpSettings& s, Timestamp now) {
  ORCHARD_CHECK(CheckSmtpSettings(s));
  ORCHARD_CHECK(db.Exec(
      "INSERT INTO smtp_settings (id, host, port, starttls, verify_tls, username, password, "
      "from_address, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
      "SET host = excluded.host, port = excluded.port, starttls = excluded.starttls, "
      "verify_tls = excluded.verify_tls, username = excluded.username, "
      "password = excluded.password, from_address = excluded.from_address, "
      "updated_at = excluded.updated_at",
      Params(s.host, static_cast<int64_t>(s.port), int64_t{s.starttls ? 1 : 0},
             int64_t{s.verify_tls ? 1 : 0}, s.username, s.password, s.from, now.ToString())));
  return Ok();
}

Status SaveSmtpSettings(store::Database& db, const service::Actor& actor, const SmtpSettings& s,
                        Timestamp now) {
  ORCHARD_CHECK(MustAdminister(actor, "change the SMTP settings"));
  ORCHARD_CHECK(CheckSmtpSettings(s));
  auto json = [](const SmtpSettings& v) {
    return boost::json::serialize(boost::json::object{{"host", v.host},
                                                      {"port", v.port},
                                                      {"starttls", v.starttls},
                                                      {"verify_tls", v.verify_tls},
                                                      {"username", v.username},
                                                      {"password_set", !v.password.empty()},
                                                      {"from", v.from}});
  };
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_TRY(auto before, LoadSmtpSettings(db));
  ORCHARD_CHECK(SaveSmtpSettings(db, s, now));
  ORCHARD_CHECK(Audit(db, actor, now, "smtp_settings", 1, AuditAction::kUpdate,
                      before ? std::optional<std::string>(json(*before)) : std::nullopt, json(s)));
  return tx.Commit();
}

// --- the worker --------------------------------------------------------------------------------

Result<std::unique_ptr<OutboxWorker>> OutboxWorker::Start(const std::string& url,
                                                          const Clock& clock,
                                                          DeliveryOptions options) {
  ORCHARD_TRY(auto db, store::OpenDatabase(url));
  std::unique_ptr<OutboxWorker> w(new OutboxWorker(std::move(db), clock, options));
  w->thread_ = std::thread([raw = w.get()] { raw->Run(); });
  return w;
}

OutboxWorker::OutboxWorker(std::unique_ptr<store::Database> db, const Clock& clock,
                           DeliveryOptions options)
    : db_(std::move(db)), clock_(clock), options_(options) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::Run() {
  while (true) {
    auto counts = DeliverDue(*db_, options_, clock_.Now());
    ++rounds_;
    if (!counts) spdlog::error("outbox: {}", counts.error().ToString());
    const bool more = counts && counts->claimed >= options_.batch;
    std::unique_lock lock(mu_);
    if (!more) {
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || woken_; });
    }
    woken_ = false;
    if (stop_) return;
  }
}

}  // namespace orchard::automation
