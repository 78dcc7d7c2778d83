// The durable outbox of automation's e-mail and webhooks (issue 19; tables in
// store/migrations/0014_outbox.sql). A rule's firing enqueues its messages in the caller's
// transaction, so the firing and what it sends commit together or not at all; DeliverDue (run by
// OutboxWorker every second, on every server) claims due messages with a lease, so two servers
// on one PostgreSQL never send the same message at once, sends each, and records every attempt.
// A failed message is retried with BackoffDelay until max_attempts, then it is `dead` — the
// dead-letter list — until someone replays it. A webhook carries its message's delivery key in
// X-Orchard-Delivery on every try: a crash between a send and its record means one more try
// with the same key, which the receiver recognises (docs/RULES.md).
//
// The functions take a connection and own no state; the admin functions (endpoints, SMTP
// settings, replay) check Policy::CanAdminister and audit in one transaction.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "automation/outbound.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"
#include "service/actor.h"
#include "store/database.h"

namespace orchard::automation {

// --- enqueueing (in the caller's transaction) ------------------------------------------------

// One pending message per active endpoint subscribed to `event` ("*" or the event's name), or to
// the one endpoint given (active or not: an error if it does not exist). The ids, possibly none.
Result<std::vector<int64_t>> EnqueueWebhook(store::Database& db, std::string_view event,
                                            std::optional<int64_t> account_id,
                                            std::optional<int64_t> firing_id,
                                            std::string_view body_json,
                                            std::optional<int64_t> endpoint_id = {});
// The e-mail is checked (CheckEmail) before it is queued; its payload is the e-mail as JSON.
Result<int64_t> EnqueueEmail(store::Database& db, const Email& email,
                             std::optional<int64_t> account_id, std::optional<int64_t> firing_id);

// --- delivery --------------------------------------------------------------------------------

struct DeliveryOptions {
  int max_attempts = 8;
  std::chrono::milliseconds backoff_base{30000};
  int batch = 50;                   // messages claimed per DeliverDue
  std::chrono::seconds lease{300};  // how long a claim keeps others off a message
  int webhook_timeout_ms = 10000;
  int smtp_timeout_ms = 15000;
};

struct DeliveryCounts {
  int claimed = 0;
  int delivered = 0;
  int retried = 0;  // failed, another attempt scheduled
  int dead = 0;     // failed for the last time
};

// Claims the pending messages due at `now` (up to options.batch, oldest due first), sends each
// and records the outcome. The SMTP settings are read from smtp_settings (an e-mail without them
// fails its attempt with "SMTP is not configured"). Run outside a transaction: each claim and
// each outcome commits on its own, and nothing is held while a message is on the wire.
Result<DeliveryCounts> DeliverDue(store::Database& db, const DeliveryOptions& options,
                                  Timestamp now);

// --- reading ---------------------------------------------------------------------------------

struct OutboxMessage {
  int64_t id = 0;
  std::string kind;  // email | webhook
  std::optional<int64_t> endpoint_id;
  std::string event;
  std::string delivery_key;  // X-Orchard-Delivery
  std::optional<int64_t> account_id, firing_id;
  std::string payload;
  std::string status;  // pending | done | dead
  int64_t attempts = 0;
  Timestamp next_attempt_at;
  std::optional<std::string> last_error;
  std::optional<int64_t> last_status;
  std::optional<Timestamp> delivered_at;
  Timestamp created_at;
};

struct DeliveryAttempt {
  int64_t id = 0;
  Timestamp at;
  std::optional<int64_t> status_code;  // HTTP status or SMTP reply; none when no answer came
  std::string error;
  int64_t elapsed_ms = 0;
};

struct MessageFilter {
  std::optional<std::string> status;  // pending | done | dead
  std::optional<int64_t> endpoint_id;
  int limit = 50;
  std::optional<int64_t> cursor;  // newest first: the messages with ids below this one
};

// Newest first.
Result<std::vector<OutboxMessage>> ListMessages(store::Database& db, const MessageFilter& filter);
Result<OutboxMessage> GetMessage(store::Database& db, int64_t id);
// Oldest first.
Result<std::vector<DeliveryAttempt>> ListAttempts(store::Database& db, int64_t message_id);
// "pending", "done" or "dead", else an error naming `field`.
Status CheckMessageStatus(std::string_view field, std::string_view status);

// A dead or done message back to pending, due at `now`, its attempts count reset; the attempts
// made so far stay in its history. A pending message is a conflict.
Status Replay(store::Database& db, int64_t id, Timestamp now);
// The same, by an admin, audited.
Status Replay(store::Database& db, const service::Actor& actor, int64_t id, Timestamp now);

// --- webhook endpoints and SMTP settings (admins) --------------------------------------------

struct WebhookEndpoint {
  int64_t id = 0;
  std::string name, url, secret;
  std::vector<std::string> events;  // {"*"} or trigger names
  bool active = true;
  Timestamp created_at;
  std::optional<int64_t> created_by;
};

struct NewEndpoint {
  std::string name, url;
  std::vector<std::string> events;
};

// Checks (name 1–200 characters, url CheckWebhookUrl, events "*" or trigger names), makes the
// secret ("whsec_" + 32 random bytes in hex) and stores the endpoint; the answer holds the
// secret, which no later read shows.
Result<WebhookEndpoint> CreateEndpoint(store::Database& db, const service::Actor& actor,
                                       const NewEndpoint& endpoint, Timestamp now);
Result<std::vector<WebhookEndpoint>> ListEndpoints(store::Database& db);
Result<WebhookEndpoint> GetEndpoint(store::Database& db, int64_t id);
// Deactivated, not deleted: its messages and their history stay.
Status DeactivateEndpoint(store::Database& db, const service::Actor& actor, int64_t id,
                          Timestamp now);

// Nullopt until someone saved them.
Result<std::optional<SmtpSettings>> LoadSmtpSettings(store::Database& db);
// Checks (CheckSmtpSettings) and saves; the audit entry never holds the password.
Status SaveSmtpSettings(store::Database& db, const service::Actor& actor,
                        const SmtpSettings& settings, Timestamp now);
// Without an actor or audit (tests, the CLI's set-up).
Status SaveSmtpSettings(store::Database& db, const SmtpSettings& settings, Timestamp now);

// --- the worker ------------------------------------------------------------------------------

// A background thread with a connection of its own that runs DeliverDue every second (at once
// again while a whole batch was due, and at once on Wake()). Errors are logged and retried on
// the next round. Stop() (and the destructor) ends the round in progress and joins.
class OutboxWorker {
 public:
  static Result<std::unique_ptr<OutboxWorker>> Start(const std::string& url, const Clock& clock,
                                                     DeliveryOptions options = {});
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  void Wake();
  void Stop();
  int64_t rounds() const { return rounds_.load(); }

 private:
  OutboxWorker(std::unique_ptr<store::Database> db, const Clock& clock, DeliveryOptions options);
  void Run();

  std::unique_ptr<store::Database> db_;
  const Clock& clock_;
  DeliveryOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stop_ = false;
  std::atomic<int64_t> rounds_{0};
  std::thread thread_;
};

}  // namespace orchard::automation
