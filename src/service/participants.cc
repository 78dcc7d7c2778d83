#include "service/participants.h"

#include <algorithm>

#include "service/entity_service.h"

namespace orchard::service {

namespace {

Result<std::vector<ContactId>> Read(store::Database& db, ActivityId activity) {
  std::vector<ContactId> out;
  store::SqlValue params[] = {activity.value};
  ORCHARD_CHECK(
      db.Query("SELECT contact_id FROM activity_contacts WHERE activity_id = ? ORDER BY contact_id",
               params, [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(int64_t id, row.GetInt(0));
                 out.emplace_back(id);
                 return Ok();
               }));
  return out;
}

std::string Json(const std::vector<ContactId>& ids) {
  std::string out = "{\"contact_ids\":[";
  for (size_t i = 0; i < ids.size(); ++i) {
    out += (i ? "," : "") + std::to_string(ids[i].value);
  }
  return out + "]}";
}

}  // namespace

Result<std::vector<ContactId>> ParticipantService::Get(const Actor&, ActivityId activity) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ORCHARD_CHECK(store.Get<Activity>(activity));  // not found names the activity
  return Read(*db, activity);
}

Result<std::vector<ContactId>> ParticipantService::Set(const Actor& actor, ActivityId activity,
                                                       std::vector<ContactId> contacts) {
  std::sort(contacts.begin(), contacts.end());
  contacts.erase(std::unique(contacts.begin(), contacts.end()), contacts.end());
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  ORCHARD_TRY(Activity a, store.Get<Activity>(activity));
  ORCHARD_CHECK(AuthorizeAccountEdit(*db, actor, a.account_id));
  for (ContactId c : contacts) {
    store::SqlValue params[] = {c.value};
    ORCHARD_TRY(auto account, db->QueryInt("SELECT account_id FROM contacts WHERE id = ?", params));
    if (!account || *account != a.account_id.value) {
      return FailValue("contact_ids", "contact " + std::to_string(c.value) +
                                          " is not a contact of account " +
                                          std::to_string(a.account_id.value));
    }
  }
  ORCHARD_TRY(auto before, Read(*db, activity));
  store::SqlValue id[] = {activity.value};
  ORCHARD_CHECK(db->Exec("DELETE FROM activity_contacts WHERE activity_id = ?", id));
  for (ContactId c : contacts) {
    store::SqlValue row[] = {activity.value, c.value};
    ORCHARD_CHECK(
        db->Exec("INSERT INTO activity_contacts (activity_id, contact_id) VALUES (?, ?)", row));
  }
  Timestamp now = clock_.Now();
  ORCHARD_CHECK(WriteAudit(store, actor, now, "activity_contacts", activity.value,
                           AuditAction::kUpdate, Json(before), Json(contacts)));
  ORCHARD_CHECK(RecordChange(*db, "activity_contacts", activity.value, now, a.account_id.value));
  std::vector<int64_t> people;
  for (ContactId c : contacts) people.push_back(c.value);
  if (model_ != nullptr) {
    auto in_order = model_->SerializeApply();
    ORCHARD_CHECK(tx.Commit());
    model_->SetParticipants(activity.value, a.account_id.value, people);
    return contacts;
  }
  ORCHARD_CHECK(tx.Commit());
  return contacts;
}

}  // namespace orchard::service
