// The outbound senders of automation (issue 19): e-mail over SMTP and signed JSON webhooks, both
// through libcurl (no hand-written SMTP or HTTP). Each call is one attempt, synchronous and
// bounded by its timeout; retries, the durable queue and the dead-letter list are the outbox's
// (automation/outbox.h). Nothing here touches the database.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace orchard::automation {

// Where mail goes. With `starttls` the session must be upgraded to TLS (CURLUSESSL_ALL: a
// server without STARTTLS is an error, never a silent plain-text send); port 465 means TLS from
// the first byte (smtps). `verify_tls` false accepts a self-signed certificate (tests, a relay
// on one's own network).
struct SmtpSettings {
  std::string host;
  int port = 587;
  bool starttls = true;
  bool verify_tls = true;
  std::string username, password, from;
};

struct Email {
  std::vector<std::string> to;
  std::string subject, body_text;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. List-Unsubscribe
};

// One line of text, as an e-mail header or address must be: no CR, LF or other control
// character (header injection). `field` names what is checked in the error.
Status CheckHeaderText(std::string_view field, std::string_view value);
// An address: one line, local@domain, no spaces or angle brackets.
Status CheckEmailAddress(std::string_view field, std::string_view address);
// Everything SendEmail refuses before connecting: the recipients, the subject, the extra
// headers (names are tokens, values one line, never one of the headers the message sets).
Status CheckEmail(const Email& email);
// A host, a port 1–65535 and a From address.
Status CheckSmtpSettings(const SmtpSettings& settings);

// The RFC 5322 message as sent: Date, From, To, Subject (RFC 2047 base64 words when not
// ASCII), Message-ID, MIME-Version, the extra headers, a text/plain; charset=utf-8 body in
// base64. `unix_seconds` dates it; `message_id` is "<…@…>".
std::string FormatEmail(const SmtpSettings& settings, const Email& email, int64_t unix_seconds,
                        std::string_view message_id);

// Sends one e-mail. Errors say what failed and where: "SMTP 550 from smtp.example:587: …" when
// the server refused, curl's message when the connection or TLS failed (kUnavailable), the
// field for a refused header (kInvalidArgument).
Status SendEmail(const SmtpSettings& settings, const Email& email, int timeout_ms = 15000);

// "t=<unix>,v1=<lowercase hex HMAC-SHA256(secret, "<unix>.<body>")>" — docs/RULES.md shows a
// receiver checking it. Any secret length.
std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body);

// An http:// or https:// URL with a host, at most 2,000 characters; `field` names it.
Status CheckWebhookUrl(std::string_view field, std::string_view url);

struct WebhookAttempt {
  int status = 0;     // the HTTP status; 0 when no answer came
  std::string error;  // empty when delivered (2xx)
  int64_t elapsed_ms = 0;
  bool delivered() const { return status >= 200 && status < 300; }
};

// POSTs `body` (JSON) to `url` with Content-Type: application/json, User-Agent:
// Orchard-Webhooks/1, X-Orchard-Event, X-Orchard-Delivery (the receiver's idempotency key: the
// same on every retry of one message) and X-Orchard-Signature (SignWebhook over the body, now).
// Redirects are not followed. 2xx is delivered; anything else is an error naming the status.
WebhookAttempt PostWebhook(const std::string& url, const std::string& secret,
                           std::string_view event, std::string_view delivery_id,
                           std::string_view body, int timeout_ms = 10000);

// The wait before retry number `attempt` + 1 after `attempt` failures: base·2^(attempt−1),
// capped at one hour (kMaxBackoff). With the default 30 s base: 30 s, 1 min, 2 min, 4 min, 8 min,
// 16 min, 32 min, then an hour each — the outbox's eight attempts span about 64 minutes.
inline constexpr std::chrono::milliseconds kMaxBackoff = std::chrono::hours(1);
std::chrono::milliseconds BackoffDelay(int attempt,
                                       std::chrono::milliseconds base = std::chrono::seconds(30));

// `bytes` random bytes (libsodium) as lowercase hex: secrets, keys, delivery ids.
std::string RandomHex(size_t bytes);

}  // namespace orchard::automation
