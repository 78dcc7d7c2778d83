// The actions that leave the building — e-mail to users, webhooks, tech-touch e-mail to the
// account's contacts — put in the outbox (automation/outbox.h) in the action's own transaction,
// so a message exists exactly when its action is done, and the outbox delivers it with retries.
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>

#include "automation/actions.h"
#include "automation/outbound.h"
#include "automation/outbox.h"
#include "automation/state.h"
#include "core/text.h"
#include "service/entity_service.h"
#include "store/store.h"

namespace orchard::automation {
namespace json = boost::json;
namespace {

const service::Actor kSystem{UserId(), Role::kAdmin, {}};

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kDigits[] = "0123456789ABCDEF";
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

struct Recipient {
  int64_t contact_id = 0;
  std::string first_name, last_name, email;
};

Result<std::vector<Recipient>> ContactsFor(store::Database& db, int64_t account_id,
                                           const std::string& audience) {
  std::vector<Recipient> out;
  std::string sql =
      "SELECT c.id, c.first_name, c.last_name, c.email FROM contacts c WHERE c.account_id = ? AND "
      "c.status = 'active' AND c.email <> '' AND NOT EXISTS (SELECT 1 FROM email_opt_outs o "
      "WHERE o.email = LOWER(c.email))";
  if (audience == "champion") sql += " AND (c.buying_role = 'champion' OR c.stance = 'champion')";
  if (audience == "economic_buyer") sql += " AND c.buying_role = 'economic_buyer'";
  sql += " ORDER BY c.id";
  store::SqlValue p[] = {account_id};
  ORCHARD_CHECK(db.Query(sql, p, [&](const store::Row& row) -> Status {
    Recipient r;
    ORCHARD_TRY(r.contact_id, row.GetInt(0));
    r.first_name = std::string(row.GetText(1));
    r.last_name = std::string(row.GetText(2));
    r.email = std::string(row.GetText(3));
    out.push_back(std::move(r));
    return Ok();
  }));
  return out;
}

}  // namespace

Result<std::string> UnsubscribeSignature(store::Database& db, std::string_view email) {
  // The book's own key, made by the first server that needs it.
  ORCHARD_TRY(std::string key, WriteState(db, "unsubscribe_key", RandomHex(32), false));
  const std::string address = FoldCase(email);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(address.data()),
                                address.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, mac, 16);
  return hex;
}

Result<std::string> UnsubscribeUrl(store::Database& db, std::string_view email) {
  ORCHARD_TRY(auto stored, ReadState(db, "public_url"));
  std::string base = stored.value_or("http://localhost:8080");
  ORCHARD_TRY(std::string sig, UnsubscribeSignature(db, email));
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/unsubscribe?email=" + UrlEncode(FoldCase(email)) + "&sig=" + sig;
}

Status SetPublicUrl(store::Database& db, const std::string& url) {
  ORCHARD_CHECK(WriteState(db, "public_url", url));
  return Ok();
}

Status Unsubscribe(store::Database& db, std::string_view email, std::string_view signature,
                   Timestamp at) {
  ORCHARD_TRY(std::string expected, UnsubscribeSignature(db, email));
  if (expected.size() != signature.size() ||
      sodium_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
    return FailValue("sig", "this unsubscribe link is not valid for " + std::string(email));
  }
  store::SqlValue p[] = {FoldCase(email), at.ToString()};
  ORCHARD_CHECK(db.Exec(
      "INSERT INTO email_opt_outs (email, opted_out_at) VALUES (?, ?) ON CONFLICT (email) DO "
      "NOTHING",
      p));
  return Ok();
}

Result<std::string> RunOutbound(service::UnitOfWork& work, store::ConnectionPool& pool,
                                const Clock& clock, engine::ReadModel* model, const Action& a, int,
                                const FiringContext& f) {
  store::Database& db = work.db();
  switch (a.kind) {
    case ActionKind::kWebhook: {
      json::object body;
      body["event"] = f.trigger;
      body["rule"] = {{"id", f.rule_id}, {"name", f.rule_name}};
      auto name = f.merge.find("account.name");
      body["account"] = {{"id", f.account_id}, {"name", name == f.merge.end() ? "" : name->second}};
      body["anchor"] = f.anchor;
      body["firing_id"] = f.firing_id;
      boost::system::error_code ec;
      json::value facts = json::parse(f.facts_json, ec);
      body["facts"] = ec ? json::value(nullptr) : facts;
      body["sent_at"] = clock.Now().ToIso8601();
      ORCHARD_TRY(auto ids, EnqueueWebhook(db, f.trigger, f.account_id, f.firing_id,
                                           json::serialize(body), a.endpoint_id));
      if (ids.empty()) return "no webhook endpoint listens to " + f.trigger;
      return "queued " + std::to_string(ids.size()) + " webhook deliver" +
             (ids.size() == 1 ? "y" : "ies");
    }
    case ActionKind::kEmail: {
      ORCHARD_TRY(auto users, RecipientsOf(db, a.to, f.account_id));
      int queued = 0;
      for (int64_t user : users) {
        store::SqlValue id[] = {user};
        std::string address;
        ORCHARD_CHECK(db.Query("SELECT email FROM users WHERE id = ? AND active", id,
                               [&](const store::Row& row) -> Status {
                                 address = std::string(row.GetText(0));
                                 return Ok();
                               }));
        if (address.empty()) continue;
        Email mail;
        mail.to = {address};
        mail.subject = Render(a.subject, f.merge);
        mail.body_text = Render(a.body, f.merge);
        ORCHARD_CHECK(EnqueueEmail(db, mail, f.account_id, f.firing_id));
        ++queued;
      }
      return "queued " + std::to_string(queued) + " e-mail" + (queued == 1 ? "" : "s");
    }
    case ActionKind::kTechTouch: {
      ORCHARD_TRY(auto contacts, ContactsFor(db, f.account_id, a.audience));
      if (contacts.empty()) {
        return "no contact to write to (" + a.audience + ", with an e-mail, not unsubscribed)";
      }
      for (const Recipient& c : contacts) {
        auto merge = f.merge;
        merge["contact.first_name"] = c.first_name.empty() ? "there" : c.first_name;
        merge["contact.last_name"] = c.last_name;
        merge["contact.email"] = c.email;
        ORCHARD_TRY(merge["unsubscribe_url"], UnsubscribeUrl(db, c.email));
        Email mail;
        mail.to = {c.email};
        mail.subject = Render(a.subject, merge);
        mail.body_text = Render(a.body, merge);
        mail.headers.emplace_back("List-Unsubscribe", "<" + merge["unsubscribe_url"] + ">");
        mail.headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        ORCHARD_CHECK(EnqueueEmail(db, mail, f.account_id, f.firing_id));
        // Every send is on the account's activity log.
        Activity log;
        log.account_id = AccountId(f.account_id);
        log.kind = ActivityKind::kEmail;
        log.meaningful = false;
        log.occurred_at = clock.Now();
        log.subject = FitText(mail.subject, 200);
        log.body = "Tech-touch e-mail from rule \"" + f.rule_name + "\" to " + c.email + ":\n\n" +
                   mail.body_text;
        log.body = FitText(std::move(log.body), 20000);
        ORCHARD_CHECK(
            service::EntityService<Activity>(pool, clock, model).CreateIn(work, kSystem, log));
      }
      return "queued " + std::to_string(contacts.size()) + " e-mail" +
             (contacts.size() == 1 ? "" : "s") + " to the account's contacts, each logged";
    }
    default:
      return Fail(ErrorCode::kInternal, "not an outbound action");
  }
}

}  // namespace orchard::automation
