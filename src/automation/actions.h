// What a rule's firing does (issue 19): each action of the definition, run in its own unit of
// work together with the flip of its rule_actions row to done — so an action is done exactly
// once even if two passes reach it (the second finds the row already done and rolls back), and a
// failing action is recorded with its error and retried while the firing and its other actions
// stand. Tasks, notifications and field changes are rows of this database; e-mail and webhooks
// are put in the outbox (automation/outbox.h) in the same transaction and delivered from there.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "automation/rule.h"
#include "core/clock.h"
#include "core/result.h"
#include "engine/read_model.h"
#include "service/unit_of_work.h"
#include "store/pool.h"

namespace orchard::automation {

// One firing as its actions see it.
struct FiringContext {
  int64_t firing_id = 0;
  int64_t rule_id = 0;
  std::string rule_name;
  std::string trigger;  // the trigger's name ("renewal_in"): the webhook's event
  int64_t account_id = 0;
  std::string anchor;
  std::string facts_json;                    // the firing's facts, as stored
  std::map<std::string, std::string> merge;  // the merge fields: "account.name" → "Acme"
};

// Replaces each {{name}} of `text` with merge[name] (an unknown one stays as written).
std::string Render(std::string_view text, const std::map<std::string, std::string>& merge);

// `text` cut to `max` bytes at a character boundary: a long account name never makes an action
// fail on a column's limit.
std::string FitText(std::string text, size_t max);

// Runs action `idx` of the firing inside `work` (not committed here); returns what it made, in
// words, for the trace ("task 812 for ana@x.example").
Result<std::string> RunAction(service::UnitOfWork& work, store::ConnectionPool& pool,
                              const Clock& clock, engine::ReadModel* model, const Action& action,
                              int idx, const FiringContext& firing);

// Everyone a notification or an e-mail goes to (those the account lacks are skipped; none at
// all is an error naming whom it looked for).
Result<std::vector<int64_t>> RecipientsOf(store::Database& db, const std::vector<Assignee>& to,
                                          int64_t account_id);

// The signature an unsubscribe link carries for an address (HMAC-SHA256 under the book's own
// key, kept in automation_state), so nobody can unsubscribe someone else; and the link itself.
Result<std::string> UnsubscribeSignature(store::Database& db, std::string_view email);
Result<std::string> UnsubscribeUrl(store::Database& db, std::string_view email);
// The address people reach this book at (`orchard serve --public-url`, else the address it
// listens on): the base of the links e-mails carry.
Status SetPublicUrl(store::Database& db, const std::string& url);
// Records that `email` wants no more tech-touch e-mail, if `signature` is its signature.
Status Unsubscribe(store::Database& db, std::string_view email, std::string_view signature,
                   Timestamp at);

// E-mail to users, webhooks and tech-touch e-mail to the account's contacts: put in the outbox
// in `work`'s transaction (automation/actions_outbound.cc).
Result<std::string> RunOutbound(service::UnitOfWork& work, store::ConnectionPool& pool,
                                const Clock& clock, engine::ReadModel* model, const Action& action,
                                int idx, const FiringContext& firing);

}  // namespace orchard::automation
