#include "service/relationships.h"

#include <algorithm>
#include <vector>

#include "service/entity_service.h"

namespace orchard::service {

Status CheckReportsTo(store::Database& db, const Contact& contact) {
  if (!contact.reports_to_id) return Ok();
  const int64_t boss = contact.reports_to_id->value;  // not the contact itself: Validate
  // Up the line from the new manager: it must stay in the account and not come back here.
  std::vector<int64_t> chain{contact.id.valid() ? contact.id.value : 0, boss};
  for (int64_t at = boss; at != 0;) {
    store::SqlValue id[] = {at};
    int64_t account = 0, next = 0;
    bool found = false;
    ORCHARD_CHECK(db.Query("SELECT account_id, reports_to_id FROM contacts WHERE id = ?", id,
                           [&](const store::Row& row) -> Status {
                             found = true;
                             ORCHARD_TRY(account, row.GetInt(0));
                             if (!row.IsNull(1)) {
                               ORCHARD_TRY(next, row.GetInt(1));
                             }
                             return Ok();
                           }));
    if (at == boss && !found) {
      return FailValue("reports_to_id", "contact " + std::to_string(boss) + " does not exist");
    }
    if (at == boss && account != contact.account_id.value) {
      return FailValue("reports_to_id", "contact " + std::to_string(boss) +
                                            " is not a contact of account " +
                                            std::to_string(contact.account_id.value));
    }
    if (!found || next == 0) break;
    if (contact.id.valid() && next == contact.id.value) {
      std::string line;
      for (int64_t c : chain) line += std::to_string(c) + " → ";
      return FailValue("reports_to_id", "this line would close a reporting cycle: " + line +
                                            std::to_string(contact.id.value));
    }
    if (std::find(chain.begin(), chain.end(), next) != chain.end()) break;  // an older cycle
    chain.push_back(next);
    at = next;
  }
  return Ok();
}

Status OpenRethreadTask(store::Store& store, const Actor& actor, const Contact& before,
                        const Contact& after, Timestamp at) {
  const bool was_key = before.buying_role == BuyingRole::kChampion ||
                       before.buying_role == BuyingRole::kEconomicBuyer ||
                       before.stance == Stance::kChampion;
  if (!was_key || before.status == ContactStatus::kDeparted ||
      after.status != ContactStatus::kDeparted) {
    return Ok();
  }
  store::Database& db = store.db();
  const std::string key = "rethread:contact:" + std::to_string(after.id.value);
  std::vector<store::SqlValue> open;
  open.push_back(key);
  open.push_back(std::string(ToString(TaskStatus::kOpen)));
  ORCHARD_TRY(auto already,
              db.QueryInt("SELECT COUNT(*) FROM tasks WHERE source_key = ? AND status = ?", open));
  if (already.value_or(0) > 0) return Ok();
  store::SqlValue account[] = {after.account_id.value};
  ORCHARD_TRY(auto owner, db.QueryInt("SELECT owner_id FROM accounts WHERE id = ?", account));
  const std::string part =
      before.buying_role == BuyingRole::kEconomicBuyer ? "the economic buyer" : "a champion";
  const std::string name =
      after.first_name + (after.last_name.empty() ? "" : " ") + after.last_name;
  Task task;
  task.account_id = after.account_id;
  task.title = "Re-thread: " + name + ", " + part + ", has left";
  task.description = name + " (contact " + std::to_string(after.id.value) + ", " + part +
                     ") was marked departed. Find who now holds their part, meet them, and map "
                     "them on the plan.";
  if (owner) task.owner_id = UserId(*owner);
  task.due_on = at.date().AddDays(14);
  task.source_key = key;
  task.created_at = at;
  ORCHARD_TRY(Task saved, store.Insert(task));
  return WriteAudit(store, actor, at, "tasks", saved.id.value, AuditAction::kCreate, std::nullopt,
                    ToJsonText(saved));
}

}  // namespace orchard::service
