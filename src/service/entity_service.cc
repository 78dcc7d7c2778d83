#include "service/entity_service.h"

#include <algorithm>

namespace orchard::service {

Result<AccountAccess> LoadAccountAccess(store::Database& db, AccountId id, const Actor& actor) {
  std::optional<AccountAccess> access;
  store::SqlValue params[] = {actor.user.value, id.value};
  ORCHARD_CHECK(db.Query(
      "SELECT a.owner_id, a.csm_id, a.sponsor_id, "
      "(SELECT COUNT(*) FROM divisions d WHERE d.account_id = a.id AND d.covered_by_id = ?) "
      "FROM accounts a WHERE a.id = ?",
      params, [&](const store::Row& row) -> Status {
        AccountAccess a;
        a.id = id;
        ORCHARD_TRY(a.owner_id, store::Codec<std::optional<UserId>>::FromSql(row, 0));
        ORCHARD_TRY(a.csm_id, store::Codec<std::optional<UserId>>::FromSql(row, 1));
        ORCHARD_TRY(a.sponsor_id, store::Codec<std::optional<UserId>>::FromSql(row, 2));
        ORCHARD_TRY(int64_t covered, row.GetInt(3));
        a.covers_a_division = covered > 0;
        access = a;
        return Ok();
      }));
  if (!access) {
    return FailValue("account_id", "account " + std::to_string(id.value) + " does not exist");
  }
  return *access;
}

Result<AccountId> AccountOfPlan(store::Database& db, PlanId plan) {
  store::SqlValue params[] = {plan.value};
  ORCHARD_TRY(auto account,
              db.QueryInt("SELECT account_id FROM account_plans WHERE id = ?", params));
  if (!account)
    return FailValue("plan_id", "plan " + std::to_string(plan.value) + " does not exist");
  return AccountId(*account);
}

Error NotYourBook(store::Database& db, const AccountAccess& access) {
  std::string whose;
  if (access.owner_id) {
    store::SqlValue params[] = {access.owner_id->value};
    auto read = db.Query("SELECT name FROM users WHERE id = ?", params,
                         [&](const store::Row& row) -> Status {
                           whose = std::string(row.GetText(0));
                           return Ok();
                         });
    if (!read) return read.error();
    if (whose.empty()) whose = "user " + std::to_string(access.owner_id->value);
  }
  std::string message =
      whose.empty() ? "You can't change this account: it has no owner, and it is not in your book"
                    : "You can't change this account: it's in " + whose + "'s book";
  return Error{
      ErrorCode::kPermissionDenied, message + " (you change the accounts you own or cover)", {}};
}

Result<bool> MayEditAccount(store::Database& db, const Actor& actor, AccountId account) {
  if (actor.role == Role::kViewer) return false;
  ORCHARD_TRY(AccountAccess access, LoadAccountAccess(db, account, actor));
  return Policy::CanEditAccount(actor, access);
}

Status AuthorizeAccountEdit(store::Database& db, const Actor& actor, AccountId account) {
  if (actor.role == Role::kViewer)
    return Fail(ErrorCode::kPermissionDenied, "viewers can only read");
  ORCHARD_TRY(AccountAccess access, LoadAccountAccess(db, account, actor));
  if (!Policy::CanEditAccount(actor, access)) return std::unexpected(NotYourBook(db, access));
  return Ok();
}

Status AuthorizeCoverage(const Actor& actor, const Account& before, const Account& after) {
  if (before.owner_id == after.owner_id && before.csm_id == after.csm_id &&
      before.sponsor_id == after.sponsor_id) {
    return Ok();
  }
  // A manager got here only for an account of their team's book, handed within it (the policy
  // checks the account before and after the change).
  if (actor.role == Role::kAdmin || actor.role == Role::kLeader || actor.role == Role::kManager) {
    return Ok();
  }
  const char* field = before.owner_id != after.owner_id ? "owner_id"
                      : before.csm_id != after.csm_id   ? "csm_id"
                                                        : "sponsor_id";
  Error e{ErrorCode::kPermissionDenied,
          "an account's owner, CSM and sponsor are changed by the owner's manager, a leader or "
          "an admin",
          {}};
  e.fields.push_back({field, "only the owner's manager, a leader or an admin changes it"});
  return std::unexpected(std::move(e));
}

Status AuthorizeCoverage(const Actor& actor, const Division& before, const Division& after) {
  if (before.covered_by_id == after.covered_by_id) return Ok();
  if (actor.role == Role::kAdmin || actor.role == Role::kLeader || actor.role == Role::kManager) {
    return Ok();
  }
  Error e{ErrorCode::kPermissionDenied,
          "who covers a buying centre is changed by the account owner's manager, a leader or an "
          "admin",
          {}};
  e.fields.push_back({"covered_by_id", "only a manager, a leader or an admin changes it"});
  return std::unexpected(std::move(e));
}

Status AuthorizePersonalTask(const Actor& actor, const Task& task) {
  if (actor.role == Role::kViewer) {
    return Fail(ErrorCode::kPermissionDenied, "viewers can only read");
  }
  if (actor.role == Role::kAdmin) return Ok();
  if (task.owner_id && *task.owner_id == actor.user) return Ok();
  if (task.owner_id && actor.role == Role::kManager &&
      std::find(actor.team.begin(), actor.team.end(), *task.owner_id) != actor.team.end()) {
    return Ok();
  }
  return Fail(ErrorCode::kPermissionDenied,
              "a task on no account is its owner's: only they, their manager and admins create, "
              "change or delete it");
}

Status CheckParent(store::Database& db, const Account& account) {
  if (!account.parent_id) return Ok();
  if (account.id.valid() && *account.parent_id == account.id) {
    return FailValue("parent_id", "an account cannot be its own parent");
  }
  if (!account.id.valid()) return Ok();  // a new account: nothing above can point back at it
  std::vector<int64_t> line{account.id.value};
  for (int64_t at = account.parent_id->value; at != 0;) {
    if (at == account.id.value) {
      std::string path;
      for (int64_t a : line) path += std::to_string(a) + " → ";
      return FailValue("parent_id",
                       "this parent would close a cycle: " + path + std::to_string(at));
    }
    if (std::find(line.begin(), line.end(), at) != line.end()) break;  // an older cycle
    line.push_back(at);
    store::SqlValue id[] = {at};
    ORCHARD_TRY(auto up, db.QueryInt("SELECT parent_id FROM accounts WHERE id = ?", id));
    at = up.value_or(0);
  }
  return Ok();
}

Status WriteAudit(store::Store& store, const Actor& actor, Timestamp at, std::string_view entity,
                  int64_t entity_id, AuditAction action, std::optional<std::string> before,
                  std::optional<std::string> after) {
  AuditEntry e;
  if (actor.user.valid()) e.actor_id = actor.user;
  e.at = at;
  e.entity = std::string(entity);
  e.entity_id = entity_id;
  e.action = action;
  e.before_json = std::move(before);
  e.after_json = std::move(after);
  ORCHARD_CHECK(store.Insert(e));
  return Ok();
}

Status RecordChange(store::Database& db, std::string_view entity, int64_t entity_id, Timestamp at,
                    int64_t account_id) {
  std::vector<store::SqlValue> params;  // push_back: g++ 12 warns falsely on variant lists
  params.emplace_back(std::string(entity));
  params.emplace_back(entity_id);
  params.emplace_back(at.ToString());
  params.emplace_back(account_id);
  ORCHARD_CHECK(db.Exec(
      "INSERT INTO change_log (entity, entity_id, at, account_id) VALUES (?, ?, ?, ?)", params));
  // Delivered when (and only if) the transaction commits.
  if (db.dialect() == store::Dialect::kPostgres)
    ORCHARD_CHECK(db.ExecScript("NOTIFY orchard_changes"));
  return Ok();
}

Status RecordOwnerChange(store::Database& db, const Account& before, const Account& after,
                         Timestamp at) {
  if (before.owner_id == after.owner_id) return Ok();
  const int64_t account = after.id.value;
  auto owner = [](const std::optional<UserId>& id) -> store::SqlValue {
    if (id) return id->value;
    return std::monostate();
  };
  store::SqlValue id[] = {account};
  ORCHARD_TRY(auto rows,
              db.QueryInt("SELECT COUNT(*) FROM account_owners WHERE account_id = ?", id));
  if (rows.value_or(0) == 0) {  // the first change: who owned it until now
    std::vector<store::SqlValue> first;
    first.push_back(account);
    first.push_back(owner(before.owner_id));
    ORCHARD_CHECK(db.Exec(
        "INSERT INTO account_owners (account_id, owner_id, since) VALUES (?, ?, NULL)", first));
  }
  // A second change on one day replaces the first: an owner per account per day.
  std::vector<store::SqlValue> day;
  day.push_back(account);
  day.push_back(at.date().ToString());
  ORCHARD_CHECK(db.Exec("DELETE FROM account_owners WHERE account_id = ? AND since = ?", day));
  day.insert(day.begin() + 1, owner(after.owner_id));
  ORCHARD_CHECK(
      db.Exec("INSERT INTO account_owners (account_id, owner_id, since) VALUES (?, ?, ?)", day));
  return RecordChange(db, "account_owners", account, at, account);
}

}  // namespace orchard::service
