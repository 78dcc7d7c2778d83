// EntityService<T>: create, read, patch and delete any entity of domain/schema.h, written once.
// Every write is validate → authorize → write → audit, in one transaction: the audit entry
// (actor, time, entity, before/after) commits with the change or not at all.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <type_traits>

#include "core/clock.h"
#include "domain/arr.h"
#include "domain/limits.h"
#include "domain/tiers.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "service/entity_json.h"
#include "service/handoff.h"
#include "service/plan_history.h"
#include "service/references.h"
#include "service/relationships.h"
#include "service/rows.h"
#include "service/unit_of_work.h"
#include "service/whitespace.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

// Which account an entity hangs from decides who may edit it.
template <class T>
concept UnderAccount = requires(T t) {
  t.account_id;
};
template <class T>
concept UnderPlan = requires(T t) {
  t.plan_id;
};

// Domain checks beyond types, per entity; each failure names the field.
inline Status ValidateRules(const Account& a) {
  if (a.name.empty()) return FailValue("name", "must not be empty");
  if (a.employees < 0) return FailValue("employees", "must not be negative");
  return ValidateTierOverride(a);
}
inline Status ValidateRules(const ContractLine& l) { return ValidateContractLine(l); }
inline Status ValidateRules(const Contact& c) {
  if (c.influence < 1 || c.influence > 5) return FailValue("influence", "must be from 1 to 5");
  if (c.reports_to_id && c.id.valid() && *c.reports_to_id == c.id) {
    return FailValue("reports_to_id", "a contact cannot report to themselves");
  }
  return Ok();
}
inline Status ValidateRules(const NpsResponse& r) {
  if (r.score < 0 || r.score > 10) return FailValue("score", "must be from 0 to 10");
  return Ok();
}
inline Status ValidateRules(const Opportunity& o) {
  if (o.amount.cents() < 0) return FailValue("amount_cents", "must not be negative");
  if (o.name.empty()) return FailValue("name", "must not be empty");
  return Ok();
}
inline Status ValidateRules(const User& u) {
  if (u.email.find('@') == std::string::npos) return FailValue("email", "is not an e-mail address");
  return Ok();
}
inline Status ValidateRules(const UsageMetric& u) {
  if (u.active_users < 0 || u.licensed_seats < 0) {
    return FailValue("active_users", "usage figures must not be negative");
  }
  return Ok();
}
inline Status ValidateRules(const Handoff& h) {
  auto items = ParseChecklist(h.checklist_json);
  if (!items) return std::unexpected(items.error());
  return Ok();
}
template <class T>
Status ValidateRules(const T&) {
  return Ok();
}

// Every write's checks: the fields' limits (domain/limits.h: text, money, required dates), then
// the entity's own rules.
template <class T>
Status Validate(const T& row) {
  ORCHARD_CHECK(ValidateFields(row));
  return ValidateRules(row);
}

// Reads who owns and covers an account, for the policy.
Result<AccountAccess> LoadAccountAccess(store::Database& db, AccountId id, const Actor& actor);
Result<AccountId> AccountOfPlan(store::Database& db, PlanId plan);
// Whether `actor` may change what hangs from `account`: not a viewer, and the account is in
// their book (Policy::CanEditAccount).
Status AuthorizeAccountEdit(store::Database& db, const Actor& actor, AccountId account);
Status WriteAudit(store::Store& store, const Actor& actor, Timestamp at, std::string_view entity,
                  int64_t entity_id, AuditAction action, std::optional<std::string> before,
                  std::optional<std::string> after);
// Adds the write to the change log (and, on PostgreSQL, wakes the servers following it), in the
// caller's transaction: engine/follower.h.
Status RecordChange(store::Database& db, std::string_view entity, int64_t entity_id, Timestamp at,
                    int64_t account_id);
// When an update hands the account to another owner: adds the ownership history rows
// (store/migrations/0005_account_owners.sql) and logs them, in the caller's transaction.
Status RecordOwnerChange(store::Database& db, const Account& before, const Account& after,
                         Timestamp at);
// Who owns and covers an account (owner_id, csm_id, sponsor_id) and who covers a buying centre
// (a division's covered_by_id) is changed only by a manager whose book it is, a leader or an
// admin: an AM or CSM edits what they own or cover, but does not seize or drop the coverage.
Status AuthorizeCoverage(const Actor& actor, const Account& before, const Account& after);
Status AuthorizeCoverage(const Actor& actor, const Division& before, const Division& after);
// A task on no account is its owner's: only they, their manager and admins create, change or
// delete it.
Status AuthorizePersonalTask(const Actor& actor, const Task& task);
// An account's parent is another account, and the line up from it does not come back to it.
Status CheckParent(store::Database& db, const Account& account);

template <class T>
class EntityService {
 public:
  using IdT = decltype(T::id);
  static constexpr std::string_view kTable = EntitySchema<T>::kTable;

  // `model`, when given, receives every committed write of the entities it holds.
  EntityService(store::ConnectionPool& pool, const Clock& clock, engine::ReadModel* model = nullptr)
      : pool_(pool), clock_(clock), model_(model) {}

  Result<T> Get(const Actor& actor, IdT id) {
    ORCHARD_CHECK(AuthorizeRead(actor));
    ORCHARD_TRY(auto db, pool_.Acquire());
    store::Store store(*db);
    return store.Get<T>(id);
  }

  Result<store::Page<T>> List(const Actor& actor, const store::ListQuery& query) {
    ORCHARD_CHECK(AuthorizeRead(actor));
    ORCHARD_TRY(auto db, pool_.Acquire());
    store::Store store(*db);
    return store.List<T>(query);
  }

  Result<T> Create(const Actor& actor, T row) {
    ORCHARD_TRY(auto work, UnitOfWork::Begin(pool_, model_));
    ORCHARD_TRY(T saved, CreateIn(work, actor, std::move(row)));
    ORCHARD_CHECK(work.Commit());
    return saved;
  }

  // Applies `change` to the stored row and saves it if the stored version is still
  // expected_version (versioned entities); both the old and the new owner are checked.
  Result<T> Update(const Actor& actor, IdT id, int64_t expected_version,
                   const std::function<Status(T&)>& change) {
    ORCHARD_TRY(auto work, UnitOfWork::Begin(pool_, model_));
    ORCHARD_TRY(T saved, UpdateIn(work, actor, id, expected_version, change));
    ORCHARD_CHECK(work.Commit());
    return saved;
  }

  Status Delete(const Actor& actor, IdT id) {
    ORCHARD_TRY(auto work, UnitOfWork::Begin(pool_, model_));
    ORCHARD_CHECK(DeleteIn(work, actor, id));
    return work.Commit();
  }

  // The same writes as one part of a unit of several (service/unit_of_work.h): stored in its
  // transaction, applied to the model when it commits. `work` must be on this service's model.
  Result<T> CreateIn(UnitOfWork& work, const Actor& actor, T row) {
    store::Database& db = work.db();
    store::Store& store = work.store();
    row.id = IdT();
    Timestamp now = clock_.Now();
    if constexpr (requires { row.created_at = now; }) row.created_at = now;
    if constexpr (requires { row.updated_at = now; }) row.updated_at = now;
    if constexpr (Versioned<T>) row.version = 1;
    if constexpr (std::is_same_v<T, Task>) {
      // A task on no account and no owner is the actor's own.
      if (!row.account_id && !row.owner_id && actor.user.valid()) row.owner_id = actor.user;
    }
    // Who may write it first: a caller without the right learns nothing from the row's checks.
    ORCHARD_CHECK(AuthorizeWrite(db, actor, row));
    ORCHARD_CHECK(Validate(row));
    ORCHARD_CHECK(CheckAgainstStore(db, row));
    ORCHARD_CHECK(Prepare(db, row));
    ORCHARD_CHECK(GuardWorkflow(work, std::nullopt, row));
    ORCHARD_TRY(T saved, store.Insert(row));
    ORCHARD_CHECK(WriteAudit(store, actor, now, kTable, saved.id.value, AuditAction::kCreate,
                             std::nullopt, ToJsonText(saved)));
    if constexpr (std::is_same_v<T, Opportunity>) {
      ORCHARD_CHECK(OpenHandoffIfWon(work, pool_, clock_, model_, actor, std::nullopt, saved));
    }
    std::function<void()> also;
    ORCHARD_CHECK(RecordPlanHistory(store, actor, now, std::nullopt, saved, also));
    ORCHARD_CHECK(LogAndStage(work, saved, std::nullopt, now, also));
    return saved;
  }

  Result<T> UpdateIn(UnitOfWork& work, const Actor& actor, IdT id, int64_t expected_version,
                     const std::function<Status(T&)>& change) {
    store::Database& db = work.db();
    store::Store& store = work.store();
    ORCHARD_TRY(T current, store.Get<T>(id));
    ORCHARD_CHECK(AuthorizeWrite(db, actor, current));
    T next = current;
    ORCHARD_CHECK(change(next));
    Timestamp now = clock_.Now();
    if constexpr (requires { next.updated_at = now; }) next.updated_at = now;
    ORCHARD_CHECK(Validate(next));
    ORCHARD_CHECK(AuthorizeWrite(db, actor, next));
    if constexpr (std::is_same_v<T, Account> || std::is_same_v<T, Division>) {
      ORCHARD_CHECK(AuthorizeCoverage(actor, current, next));
    }
    ORCHARD_CHECK(CheckAgainstStore(db, next));
    ORCHARD_CHECK(CheckMove(db, current, next));
    ORCHARD_CHECK(Prepare(db, next));
    ORCHARD_CHECK(GuardWorkflow(work, current, next));
    ORCHARD_TRY(T saved, store.Update(next, expected_version));
    ORCHARD_CHECK(WriteAudit(store, actor, now, kTable, saved.id.value, AuditAction::kUpdate,
                             ToJsonText(current), ToJsonText(saved)));
    if constexpr (std::is_same_v<T, Contact>) {
      ORCHARD_CHECK(OpenRethreadTask(store, actor, current, saved, now));
    }
    if constexpr (std::is_same_v<T, Opportunity>) {
      ORCHARD_CHECK(OpenHandoffIfWon(work, pool_, clock_, model_, actor, current, saved));
    }
    if constexpr (std::is_same_v<T, Division>) {
      if (current.headcount != saved.headcount) {
        ORCHARD_CHECK(ResizeCells(work, actor, "division_id", saved.id.value));
      }
    } else if constexpr (std::is_same_v<T, Product>) {
      if (current.list_price != saved.list_price) {
        ORCHARD_CHECK(ResizeCells(work, actor, "product_id", saved.id.value));
      }
    }
    std::function<void()> also;
    ORCHARD_CHECK(RecordPlanHistory(store, actor, now, current, saved, also));
    if constexpr (std::is_same_v<T, Account>) {
      if (current.owner_id != saved.owner_id) {
        ORCHARD_CHECK(RecordOwnerChange(db, current, saved, now));
        ORCHARD_TRY(auto spans, engine::ReadModel::ReadOwnerHistory(db, saved.id.value));
        also = [model = model_, spans = std::move(spans), account = saved.id.value] {
          model->SetOwnerHistory(account, spans);
        };
      }
    }
    ORCHARD_CHECK(LogAndStage(work, saved, current, now, also));
    return saved;
  }

  Status DeleteIn(UnitOfWork& work, const Actor& actor, IdT id) {
    store::Store& store = work.store();
    ORCHARD_TRY(T current, store.Get<T>(id));
    ORCHARD_CHECK(AuthorizeWrite(work.db(), actor, current));
    ORCHARD_CHECK(store.Delete<T>(id));
    const Timestamp now = clock_.Now();
    ORCHARD_CHECK(WriteAudit(store, actor, now, kTable, id.value, AuditAction::kDelete,
                             ToJsonText(current), std::nullopt));
    std::function<void()> also;
    ORCHARD_CHECK(RecordPlanHistory(store, actor, now, current, std::nullopt, also));
    return LogAndStage(work, std::nullopt, current, now, also);
  }

 private:
  // Entities the read model holds.
  static constexpr bool kInModel = engine::ReadModel::kHolds<T>;

  // The account a row belongs to (a plan part's, through its plan).
  static Result<int64_t> AccountOf(store::Database& db, const T& row) {
    if constexpr (std::is_same_v<T, Account>) {
      return row.id.value;
    } else if constexpr (UnderPlan<T>) {
      ORCHARD_TRY(AccountId account, AccountOfPlan(db, row.plan_id));
      return account.value;
    } else {
      return row.account_id.value;
    }
  }

  // For an entity the read model holds: records the change for the other servers (under the
  // row's account, and under its old account too if it moved) in the unit's transaction, and
  // stages its application to this server's model for when the unit commits — in commit order,
  // and never for a unit that did not commit. `saved` is the row now (none: deleted), `before`
  // the row before (none: created). `also`, if given, applies more of the same write.
  Status LogAndStage(UnitOfWork& work, const std::optional<T>& saved,
                     const std::optional<T>& before, Timestamp at,
                     std::function<void()> also = {}) {
    if constexpr (kInModel) {
      store::Database& db = work.db();
      const int64_t id = saved ? saved->id.value : before->id.value;
      std::optional<int64_t> now_in, was_in;
      if (saved) {
        ORCHARD_TRY(now_in, AccountOf(db, *saved));
      }
      if (before) {
        ORCHARD_TRY(was_in, AccountOf(db, *before));
      }
      if (now_in) ORCHARD_CHECK(RecordChange(db, kTable, id, at, *now_in));
      if (was_in && was_in != now_in) ORCHARD_CHECK(RecordChange(db, kTable, id, at, *was_in));
      if (model_ != nullptr) {
        work.ThenApply([model = model_, saved,
                        erase_from = was_in && was_in != now_in ? was_in : std::nullopt, id] {
          if (erase_from) model->EraseRow<T>(id, *erase_from);
          if (saved) model->Upsert(*saved);
        });
      }
    } else {
      (void)saved, (void)before, (void)at;
    }
    if (model_ != nullptr) work.ThenApply(std::move(also));
    return Ok();
  }

  static Status Denied(const std::string& why) { return Fail(ErrorCode::kPermissionDenied, why); }

  Status AuthorizeRead(const Actor& actor) {
    if constexpr (std::is_same_v<T, AuditEntry>) {
      if (!Policy::CanReadAudit(actor)) return Denied("only admins and leaders read the audit log");
    }
    return Ok();
  }

  Status AuthorizeAccount(store::Database& db, const Actor& actor, AccountId account) {
    return AuthorizeAccountEdit(db, actor, account);
  }

  // The plan's version history (service/plan_history.h): a write to a plan records a version; a
  // write to one of its parts also marks the plan changed (both plans, if the part moved), which
  // `also` then applies to the read model. `before`/`after`: none when created/deleted.
  Status RecordPlanHistory(store::Store& store, const Actor& actor, Timestamp at,
                           const std::optional<T>& before, const std::optional<T>& after,
                           std::function<void()>& also) {
    auto json = [](const std::optional<T>& row) -> std::optional<std::string> {
      if (!row) return std::nullopt;
      return ToJsonText(*row);
    };
    if constexpr (std::is_same_v<T, AccountPlan>) {
      if (!after) return Ok();  // the plan is gone, and its history with it
      return RecordPlanVersion(
          store, actor, after->id, at,
          before ? DescribeChange("plan", after->id.value, json(before), json(after))
                 : "created the plan");
    } else if constexpr (UnderPlan<T>) {
      const T& row = after ? *after : *before;
      const std::string summary =
          DescribeChange(PartName(), row.id.value, json(before), json(after));
      std::vector<PlanId> plans;
      if (after) plans.push_back(after->plan_id);
      if (before && (!after || before->plan_id != after->plan_id)) plans.push_back(before->plan_id);
      std::vector<AccountPlan> touched;
      for (PlanId plan : plans) {
        ORCHARD_TRY(AccountPlan p, TouchPlan(store, actor, plan, at, summary));
        ORCHARD_CHECK(RecordChange(store.db(), EntitySchema<AccountPlan>::kTable, plan.value, at,
                                   p.account_id.value));
        touched.push_back(std::move(p));
      }
      also = [model = model_, touched = std::move(touched)] {
        for (const AccountPlan& p : touched) model->Upsert(p);
      };
    } else {
      (void)store, (void)actor, (void)at, (void)before, (void)after, (void)also, (void)json;
    }
    return Ok();
  }

  // How a version names a part of the plan.
  static constexpr std::string_view PartName() {
    if constexpr (std::is_same_v<T, PlanPriority>) return "priority";
    if constexpr (std::is_same_v<T, PlanRisk>) return "risk";
    if constexpr (std::is_same_v<T, WhitespaceCell>) return "whitespace cell";
    return "action";
  }

  // What a row takes from others before it is stored: a whitespace cell's sized potential and
  // its checks (service/whitespace.h).
  static Status Prepare(store::Database& db, T& row) {
    if constexpr (std::is_same_v<T, WhitespaceCell>) return PrepareCell(db, row);
    (void)db, (void)row;
    return Ok();
  }

  // Fields that only a workflow changes: a handoff is created open and accepted only through
  // its acceptance (service/handoff.h), which records who and when.
  static Status GuardWorkflow(const UnitOfWork& work, const std::optional<T>& before,
                              const T& after) {
    if constexpr (std::is_same_v<T, Handoff>) {
      if (work.workflow() == UnitOfWork::kAcceptHandoff) return Ok();
      const bool changed =
          before ? (before->status != after.status || before->accepted_at != after.accepted_at ||
                    before->am_id != after.am_id)
                 : (after.status != HandoffStatus::kOpen || after.accepted_at);
      if (changed) {
        return FailValue("status",
                         "a handoff is accepted with POST /api/v1/handoffs/{id}/accept, which "
                         "moves the account and starts onboarding");
      }
    }
    (void)work, (void)before, (void)after;
    return Ok();
  }

  // A sized whitespace cell follows its division's headcount and its product's price: each of
  // the division's (or product's) sized cells is written again, in the same unit.
  Status ResizeCells(UnitOfWork& work, const Actor& actor, const char* column, int64_t id) {
    ORCHARD_TRY(auto cells, RowsWhere<WhitespaceCell>(work.store(), column, id));
    EntityService<WhitespaceCell> writer(pool_, clock_, model_);
    for (const WhitespaceCell& c : cells) {
      if (c.potential_source != PotentialSource::kSized) continue;
      ORCHARD_CHECK(writer.UpdateIn(work, actor, c.id, 0, [](WhitespaceCell&) { return Ok(); }));
    }
    return Ok();
  }

  // Rules that need the other rows: every id the row holds names a row that exists, of the
  // row's own account or plan where kSameScope says so (service/references.h); a contact's
  // reports-to line; an account's parent line.
  static Status CheckAgainstStore(store::Database& db, const T& row) {
    ORCHARD_CHECK(CheckReferences(db, row));
    if constexpr (std::is_same_v<T, Contact>) ORCHARD_CHECK(CheckReportsTo(db, row));
    if constexpr (UnderPlan<T>) {
      ORCHARD_TRY(AccountId account, AccountOfPlan(db, row.plan_id));
      ORCHARD_CHECK(CheckSameScope(db, row, account.value, row.plan_id.value));
    } else if constexpr (UnderAccount<T> && !std::is_same_v<T, Task>) {
      ORCHARD_CHECK(CheckSameScope(db, row, row.account_id.value, std::nullopt));
    }
    if constexpr (std::is_same_v<T, Account>) return CheckParent(db, row);
    return Ok();
  }

  // A row moved to another account or plan leaves no link of kSameScope crossing behind it.
  static Status CheckMove(store::Database& db, const T& before, const T& after) {
    if constexpr (UnderPlan<T>) {
      if (before.plan_id != after.plan_id) {
        return CheckScopeMove(db, kTable, after.id.value, "plan_id", after.plan_id.value);
      }
    } else if constexpr (UnderAccount<T> && !std::is_same_v<T, Task>) {
      if (before.account_id != after.account_id) {
        return CheckScopeMove(db, kTable, after.id.value, "account_id", after.account_id.value);
      }
    }
    (void)db, (void)before, (void)after;
    return Ok();
  }

  Status AuthorizeWrite(store::Database& db, const Actor& actor, const T& row) {
    if constexpr (std::is_same_v<T, Account>) {
      if (!row.id.valid()) {
        // A new account: AMs and CSMs may only create accounts in their own book.
        if (actor.role == Role::kViewer) return Denied("viewers can only read");
        AccountAccess access{AccountId(), row.owner_id, row.csm_id, row.sponsor_id, false};
        if (!Policy::CanEditAccount(actor, access)) {
          return Denied("you can only create accounts that you own or cover");
        }
        return Ok();
      }
      // The account as it is (before a change) or would be (after): its owner, CSM and sponsor
      // from the row, not from the table, so that a change cannot move it out of the book.
      if (actor.role == Role::kViewer) return Denied("viewers can only read");
      ORCHARD_TRY(AccountAccess access, LoadAccountAccess(db, row.id, actor));
      access.owner_id = row.owner_id;
      access.csm_id = row.csm_id;
      access.sponsor_id = row.sponsor_id;
      if (!Policy::CanEditAccount(actor, access)) {
        return Denied("account " + std::to_string(row.id.value) +
                      " is not in your book: you can edit the accounts you own or cover");
      }
      return Ok();
    } else if constexpr (UnderAccount<T>) {
      if constexpr (std::is_same_v<decltype(row.account_id), std::optional<AccountId>>) {
        if (!row.account_id) return AuthorizePersonalTask(actor, row);
        return AuthorizeAccount(db, actor, *row.account_id);
      } else {
        return AuthorizeAccount(db, actor, row.account_id);
      }
    } else if constexpr (UnderPlan<T>) {
      if (actor.role == Role::kViewer) return Denied("viewers can only read");
      ORCHARD_TRY(AccountId account, AccountOfPlan(db, row.plan_id));
      return AuthorizeAccount(db, actor, account);
    } else if constexpr (std::is_same_v<T, Product>) {
      if (!Policy::CanEditCatalogue(actor)) {
        return Denied("only admins, leaders and managers change the product catalogue");
      }
      return Ok();
    } else {
      if (!Policy::CanAdminister(actor)) return Denied("only admins change " + std::string(kTable));
      return Ok();
    }
  }

  store::ConnectionPool& pool_;
  const Clock& clock_;
  engine::ReadModel* model_;
};

}  // namespace orchard::service
