// The export half of salesforce_signals.h: each table read through its entity, its links written
// as the Account, Contact and user Ids the other files carry.
#include <map>
#include <unordered_map>

#include "core/text.h"
#include "domain/enums.h"
#include "ingest/salesforce_signals.h"
#include "ingest/text.h"
#include "store/store.h"

namespace orchard::ingest {
namespace {

using IdMap = std::unordered_map<int64_t, std::string>;

// The Salesforce Id of every row of `table` (accounts, contacts), as the core export writes it.
Result<IdMap> SalesforceIds(store::Database& db, const std::string& table) {
  IdMap ids;
  ORCHARD_CHECK(
      db.Query("SELECT id, COALESCE(salesforce_id, 'orchard-' || CAST(id AS TEXT)) FROM " + table,
               {}, [&](const store::Row& r) -> Status {
                 ORCHARD_TRY(int64_t id, r.GetInt(0));
                 ids.emplace(id, std::string(r.GetText(1)));
                 return Ok();
               }));
  return ids;
}

Result<IdMap> UserEmails(store::Database& db) {
  IdMap emails;
  ORCHARD_CHECK(db.Query("SELECT id, email FROM users", {}, [&](const store::Row& r) -> Status {
    ORCHARD_TRY(int64_t id, r.GetInt(0));
    emails.emplace(id, std::string(r.GetText(1)));
    return Ok();
  }));
  return emails;
}

std::string Lookup(const IdMap& ids, std::optional<int64_t> id) {
  if (!id) return "";
  auto it = ids.find(*id);
  return it == ids.end() ? "" : it->second;
}

// A date-time as Salesforce writes one: 2026-11-30T08:00:00.000Z.
std::string SfDateTime(Timestamp t) {
  std::string s = t.ToString();
  if (s.size() > 10) s[10] = 'T';
  return s + ".000Z";
}

std::string SfDateTime(const std::optional<Timestamp>& t) { return t ? SfDateTime(*t) : ""; }

// Every row of T in id order, handed to `each`.
template <class T, class F>
Status EachRow(store::Database& db, F&& each) {
  const std::string sql = "SELECT " + store::SelectList<T>() + " FROM " +
                          std::string(EntitySchema<T>::kTable) + " ORDER BY id";
  return db.Query(sql, {}, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(T item, store::FromRow<T>(row));
    return each(item);
  });
}

struct Writer {
  std::ostream& out;
  int64_t rows = 0;
  Status Line(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << CsvField(fields[i]);
    out << '\n';
    if (!out) return Fail(ErrorCode::kUnavailable, "the export could not be written");
    ++rows;
    return Ok();
  }
  void Header(std::initializer_list<std::string_view> names) {
    bool first = true;
    for (auto n : names) {
      out << (first ? "" : ",") << n;
      first = false;
    }
    out << '\n';
  }
};

std::string Bool(bool yes) { return yes ? "true" : "false"; }

std::string Capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// Task: TaskSubtype is Salesforce's (Email, Call, or Task for the rest); Orchard_Kind__c the kind.
Status WriteTasks(store::Database& db, Writer& w) {
  ORCHARD_TRY(IdMap accounts, SalesforceIds(db, "accounts"));
  ORCHARD_TRY(IdMap contacts, SalesforceIds(db, "contacts"));
  ORCHARD_TRY(IdMap users, UserEmails(db));
  std::map<int64_t, std::string> people;  // activity → its participants' Contact Ids, ';'-joined
  ORCHARD_CHECK(db.Query(
      "SELECT activity_id, contact_id FROM activity_contacts ORDER BY activity_id, contact_id", {},
      [&](const store::Row& r) -> Status {
        ORCHARD_TRY(int64_t activity, r.GetInt(0));
        ORCHARD_TRY(int64_t contact, r.GetInt(1));
        std::string& list = people[activity];
        list += (list.empty() ? "" : ";") + Lookup(contacts, contact);
        return Ok();
      }));
  w.Header({"Id", "WhatId", "WhoId", "ActivityDate", "Subject", "Description", "TaskSubtype",
            "Owner.Email", "Orchard_Kind__c", "Orchard_Meaningful__c", "Orchard_Occurred_At__c",
            "Orchard_Participants__c"});
  return EachRow<Activity>(db, [&](const Activity& a) -> Status {
    std::string who = people[a.id.value];
    std::string first = who.substr(0, who.find(';'));
    std::string subtype = a.kind == ActivityKind::kEmail  ? "Email"
                          : a.kind == ActivityKind::kCall ? "Call"
                                                          : "Task";
    return w.Line(
        {"orchard-" + std::to_string(a.id.value), Lookup(accounts, a.account_id.value), first,
         a.occurred_at.date().ToString(), a.subject, a.body, subtype,
         Lookup(users, a.user_id ? std::optional<int64_t>(a.user_id->value) : std::nullopt),
         std::string(ToString(a.kind)), Bool(a.meaningful), SfDateTime(a.occurred_at), who});
  });
}

// Case: Priority, Status and Origin in Salesforce's words; Orchard's own values beside them.
Status WriteCases(store::Database& db, Writer& w) {
  ORCHARD_TRY(IdMap accounts, SalesforceIds(db, "accounts"));
  ORCHARD_TRY(IdMap contacts, SalesforceIds(db, "contacts"));
  w.Header({"Id", "AccountId", "ContactId", "Subject", "Description", "Priority", "Status",
            "IsEscalated", "Origin", "CreatedDate", "ClosedDate", "Orchard_Severity__c",
            "Orchard_Status__c", "Orchard_Channel__c", "Orchard_First_Response__c",
            "Orchard_Satisfaction__c"});
  return EachRow<Ticket>(db, [&](const Ticket& t) -> Status {
    std::string status = t.status == TicketStatus::kOpen      ? "New"
                         : t.status == TicketStatus::kPending ? "Working"
                                                              : "Closed";
    return w.Line({"orchard-" + std::to_string(t.id.value), Lookup(accounts, t.account_id.value),
                   Lookup(contacts, t.contact_id ? std::optional<int64_t>(t.contact_id->value)
                                                 : std::nullopt),
                   t.subject, t.body, Capitalised(ToString(t.severity)), status, Bool(t.escalated),
                   t.channel == TicketChannel::kRequest ? "Email" : "Web", SfDateTime(t.opened_at),
                   SfDateTime(t.closed_at), std::string(ToString(t.severity)),
                   std::string(ToString(t.status)), std::string(ToString(t.channel)),
                   SfDateTime(t.first_response_at),
                   t.satisfaction ? std::to_string(*t.satisfaction) : ""});
  });
}

Status WriteNps(store::Database& db, Writer& w) {
  ORCHARD_TRY(IdMap accounts, SalesforceIds(db, "accounts"));
  ORCHARD_TRY(IdMap contacts, SalesforceIds(db, "contacts"));
  w.Header({"Id", "Orchard_Account__c", "Orchard_Contact__c", "Orchard_Score__c",
            "Orchard_Comment__c", "Orchard_Responded_On__c"});
  return EachRow<NpsResponse>(db, [&](const NpsResponse& n) -> Status {
    return w.Line({"orchard-" + std::to_string(n.id.value), Lookup(accounts, n.account_id.value),
                   Lookup(contacts, n.contact_id ? std::optional<int64_t>(n.contact_id->value)
                                                 : std::nullopt),
                   std::to_string(n.score), n.comment, n.responded_on.ToString()});
  });
}

Status WriteUsage(store::Database& db, Writer& w) {
  ORCHARD_TRY(IdMap accounts, SalesforceIds(db, "accounts"));
  w.Header({"Id", "Orchard_Account__c", "Orchard_Day__c", "Orchard_Active_Users__c",
            "Orchard_Licensed_Seats__c"});
  return EachRow<UsageMetric>(db, [&](const UsageMetric& u) -> Status {
    return w.Line({"orchard-" + std::to_string(u.id.value), Lookup(accounts, u.account_id.value),
                   u.day.ToString(), std::to_string(u.active_users),
                   std::to_string(u.licensed_seats)});
  });
}

Status WriteOverrides(store::Database& db, Writer& w) {
  ORCHARD_TRY(IdMap accounts, SalesforceIds(db, "accounts"));
  ORCHARD_TRY(IdMap users, UserEmails(db));
  w.Header({"Id", "Orchard_Account__c", "Orchard_Score__c", "Orchard_Reason__c",
            "Orchard_Expires_On__c", "Orchard_Set_By__c", "CreatedDate"});
  return EachRow<HealthOverride>(db, [&](const HealthOverride& h) -> Status {
    return w.Line({"orchard-" + std::to_string(h.id.value), Lookup(accounts, h.account_id.value),
                   std::to_string(h.score), h.reason, h.expires_on.ToString(),
                   Lookup(users, h.set_by ? std::optional<int64_t>(h.set_by->value) : std::nullopt),
                   SfDateTime(h.created_at)});
  });
}

struct Table {
  std::string_view table, object;
  Status (*write)(store::Database&, Writer&);
};

constexpr Table kTables[] = {{"activities", "Task", WriteTasks},
                             {"tickets", "Case", WriteCases},
                             {"nps_responses", "Orchard_NPS_Response__c", WriteNps},
                             {"usage_metrics", "Orchard_Usage__c", WriteUsage},
                             {"health_overrides", "Orchard_Health_Override__c", WriteOverrides}};

const Table* Find(std::string_view table) {
  for (const auto& t : kTables) {
    if (t.table == table) return &t;
  }
  return nullptr;
}

}  // namespace

bool IsSalesforceSignalsTable(std::string_view table) { return Find(table) != nullptr; }

std::string_view SalesforceSignalsObject(std::string_view table) {
  const Table* t = Find(table);
  return t ? t->object : "";
}

Result<int64_t> ExportSalesforceSignals(store::Database& db, std::string_view table,
                                        std::ostream& out) {
  const Table* t = Find(table);
  if (!t) return FailField("object", std::string(table) + " is not written this way");
  Writer w{out};
  ORCHARD_CHECK(t->write(db, w));
  out.flush();
  if (!out) return Fail(ErrorCode::kUnavailable, "the export could not be written");
  return w.rows;
}

}  // namespace orchard::ingest
