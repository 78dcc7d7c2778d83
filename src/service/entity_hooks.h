// EntityHooks<T>: the steps of EntityService<T>'s writes that differ by entity, one struct per
// entity instead of type tests spread through the service. DefaultHooks<T> does what every entity
// does, decided by where it hangs (an account, a plan, neither); an entity with rules of its own
// specializes EntityHooks<T> and replaces only the hooks it needs. The domain's rules
// (domain/rules.h) run before them, for every entity alike.
//
// A write calls them in this order (service/entity_service.h):
//   create: Defaults → Authorize → Validate + Check → CheckStore → Prepare → Guard → store →
//           AfterWrite
//   update: Authorize(before) → Validate + Check → Authorize(after) → AuthorizeChange →
//           CheckStore → (a move: the scope) → Prepare → Guard → store → AfterWrite
//   delete: Authorize → store → AfterWrite
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/schema.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "service/unit_of_work.h"
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

// Reads who owns and covers an account, for the policy.
Result<AccountAccess> LoadAccountAccess(store::Database& db, AccountId id, const Actor& actor);
Result<AccountId> AccountOfPlan(store::Database& db, PlanId plan);
// Whether `actor` may change what hangs from `account`: not a viewer, and the account is in
// their book (Policy::CanEditAccount). Refused, the message names the book's owner: "You can't
// change this account: it's in Bob Reed's book".
Status AuthorizeAccountEdit(store::Database& db, const Actor& actor, AccountId account);
// The same question as a value, for reads that tell the UI which controls to show (the account's
// `can_edit`): the same Policy, so the answer and the writes never disagree.
Result<bool> MayEditAccount(store::Database& db, const Actor& actor, AccountId account);
// The refusal of an edit outside the actor's book, naming the owner whose book it is.
Error NotYourBook(store::Database& db, const AccountAccess& access);
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

// What a hook that writes more (in the same unit) is given: the unit, the service's pool, clock
// and model, who writes and when.
struct WriteContext {
  UnitOfWork& work;
  store::ConnectionPool& pool;
  const Clock& clock;
  engine::ReadModel* model;
  const Actor& actor;
  Timestamp now;
};

template <class T>
struct DefaultHooks {
  static constexpr std::string_view kTable = EntitySchema<T>::kTable;

  // What a new row takes before anything is checked.
  static void Defaults(const Actor&, T&) {}

  static Status AuthorizeRead(const Actor&) { return Ok(); }

  // Who may write the row as it is (before a change) or would be (after): the editors of the
  // account it hangs from (through its plan for a plan's part); admins for the rest.
  static Status Authorize(store::Database& db, const Actor& actor, const T& row) {
    if constexpr (UnderAccount<T>) {
      return AuthorizeAccountEdit(db, actor, row.account_id);
    } else if constexpr (UnderPlan<T>) {
      if (actor.role == Role::kViewer) return Denied("viewers can only read");
      ORCHARD_TRY(AccountId account, AccountOfPlan(db, row.plan_id));
      return AuthorizeAccountEdit(db, actor, account);
    } else {
      (void)db, (void)row;
      if (!Policy::CanAdminister(actor)) return Denied("only admins change " + std::string(kTable));
      return Ok();
    }
  }

  // Rules beyond the domain's that need the service's code (a handoff's checklist).
  static Status Check(const T&) { return Ok(); }

  // On an update, who may change which fields (coverage).
  static Status AuthorizeChange(const Actor&, const T&, const T&) { return Ok(); }

  // Whether the row's links keep to its account or plan (references.h: kSameScope), on every
  // write and when it moves.
  static constexpr bool kScoped = UnderAccount<T> || UnderPlan<T>;

  // Rules that need other rows, beyond the references every row's ids must keep.
  static Status CheckStore(store::Database&, const T&) { return Ok(); }

  // What a row takes from others before it is stored.
  static Status Prepare(store::Database&, T&) { return Ok(); }

  // Fields only a workflow changes (service/unit_of_work.h: UnitOfWork::workflow()).
  static Status Guard(const UnitOfWork&, const std::optional<T>&, const T&) { return Ok(); }

  // The account a row belongs to (a plan part's, through its plan), for the change log.
  static Result<int64_t> AccountOf(store::Database& db, const T& row) {
    if constexpr (UnderPlan<T>) {
      ORCHARD_TRY(AccountId account, AccountOfPlan(db, row.plan_id));
      return account.value;
    } else {
      (void)db;
      return row.account_id.value;
    }
  }

  // After the row is stored and audited, in the same unit: the writes that follow from it.
  // `before`/`after`: none when created/deleted. `also`, if set, applies more of the write to the
  // read model when the unit commits.
  static Status AfterWrite(const WriteContext&, const std::optional<T>&, const std::optional<T>&,
                           std::function<void()>&) {
    return Ok();
  }

 protected:
  static Status Denied(const std::string& why) { return Fail(ErrorCode::kPermissionDenied, why); }
};

template <class T>
struct EntityHooks : DefaultHooks<T> {};

// --- accounts and what hangs from them -----------------------------------------------------

template <>
struct EntityHooks<Account> : DefaultHooks<Account> {
  // A new account: AMs and CSMs may only create accounts in their own book. A stored one: its
  // owner, CSM and sponsor from the row, not from the table, so a change cannot move it out.
  static Status Authorize(store::Database& db, const Actor& actor, const Account& row);
  static Status AuthorizeChange(const Actor& actor, const Account& before, const Account& after) {
    return AuthorizeCoverage(actor, before, after);
  }
  static Status CheckStore(store::Database& db, const Account& row) { return CheckParent(db, row); }
  static Result<int64_t> AccountOf(store::Database&, const Account& row) { return row.id.value; }
  // An owner change writes the ownership history, which the model then takes.
  static Status AfterWrite(const WriteContext& w, const std::optional<Account>& before,
                           const std::optional<Account>& after, std::function<void()>& also);
};

template <>
struct EntityHooks<Division> : DefaultHooks<Division> {
  static Status AuthorizeChange(const Actor& actor, const Division& before, const Division& after) {
    return AuthorizeCoverage(actor, before, after);
  }
  // The division's sized whitespace cells follow its headcount.
  static Status AfterWrite(const WriteContext& w, const std::optional<Division>& before,
                           const std::optional<Division>& after, std::function<void()>& also);
};

template <>
struct EntityHooks<Contact> : DefaultHooks<Contact> {
  static Status CheckStore(store::Database& db, const Contact& row);  // the reports-to line
  // The day a contact left: kept as given (never after today), else the day the status became
  // departed, kept while it stays so; cleared for an active contact.
  static void Stamp(const std::optional<Contact>& before, Contact& after, Timestamp now) {
    const Date today = now.date();
    if (after.status != ContactStatus::kDeparted) {
      after.departed_on.reset();
    } else if (after.departed_on) {
      after.departed_on = std::min(*after.departed_on, today);
    } else if (before && before->status == ContactStatus::kDeparted && before->departed_on) {
      after.departed_on = before->departed_on;
    } else if (!before || before->status != ContactStatus::kDeparted) {
      after.departed_on = today;
    }
  }
  // A departed champion or economic buyer opens a re-thread task.
  static Status AfterWrite(const WriteContext& w, const std::optional<Contact>& before,
                           const std::optional<Contact>& after, std::function<void()>& also);
};

template <>
struct EntityHooks<Opportunity> : DefaultHooks<Opportunity> {
  // New business closed won opens a handoff.
  static Status AfterWrite(const WriteContext& w, const std::optional<Opportunity>& before,
                           const std::optional<Opportunity>& after, std::function<void()>& also);
};

template <>
struct EntityHooks<Task> : DefaultHooks<Task> {
  // A task on no account and no owner is the actor's own.
  static void Defaults(const Actor& actor, Task& row) {
    if (!row.account_id && !row.owner_id && actor.user.valid()) row.owner_id = actor.user;
  }
  static Status Authorize(store::Database& db, const Actor& actor, const Task& row) {
    if (!row.account_id) return AuthorizePersonalTask(actor, row);
    return AuthorizeAccountEdit(db, actor, *row.account_id);
  }
  // A task may point at rows of other accounts (and at none).
  static constexpr bool kScoped = false;
  static Status Check(const Task& row);  // the checklist reads: an array of {text, done}
  // When it was done is the server's to say: stamped as it becomes done, kept while it stays
  // done, cleared when it is reopened (the time to first value reads it: engine/csm_kpis.h).
  static void Stamp(const std::optional<Task>& before, Task& after, Timestamp now) {
    if (after.status != TaskStatus::kDone) {
      after.completed_at.reset();
    } else if (before && before->status == TaskStatus::kDone) {
      after.completed_at = before->completed_at;
    } else {
      after.completed_at = now;
    }
  }
};

template <>
struct EntityHooks<Handoff> : DefaultHooks<Handoff> {
  static Status Check(const Handoff& row);  // the checklist reads
  // A handoff is created open and accepted only through its acceptance (service/handoff.h),
  // which records who and when.
  static Status Guard(const UnitOfWork& work, const std::optional<Handoff>& before,
                      const Handoff& after);
};

// --- the plan and its parts: each write records the plan's history (service/plan_history.h) --

template <>
struct EntityHooks<AccountPlan> : DefaultHooks<AccountPlan> {
  // A version per write (none when the plan goes: its history goes with it).
  static Status AfterWrite(const WriteContext& w, const std::optional<AccountPlan>& before,
                           const std::optional<AccountPlan>& after, std::function<void()>& also);
};

// A write to a part also marks its plan changed (both plans, if the part moved), which `also`
// then applies to the read model. kPart: how a version names the part.
template <class T>
struct PlanPartHooks : DefaultHooks<T> {
  static Status AfterWrite(const WriteContext& w, const std::optional<T>& before,
                           const std::optional<T>& after, std::function<void()>& also);
};

template <>
struct EntityHooks<PlanPriority> : PlanPartHooks<PlanPriority> {
  static constexpr std::string_view kPart = "priority";
};
template <>
struct EntityHooks<PlanRisk> : PlanPartHooks<PlanRisk> {
  static constexpr std::string_view kPart = "risk";
};
template <>
struct EntityHooks<PlanAction> : PlanPartHooks<PlanAction> {
  static constexpr std::string_view kPart = "action";
};
template <>
struct EntityHooks<WhitespaceCell> : PlanPartHooks<WhitespaceCell> {
  static constexpr std::string_view kPart = "whitespace cell";
  // Its sized potential and the checks against its plan (service/whitespace.h).
  static Status Prepare(store::Database& db, WhitespaceCell& row);
};

// --- the catalogue and the audit log ------------------------------------------------------

template <>
struct EntityHooks<Product> : DefaultHooks<Product> {
  static Status Authorize(store::Database&, const Actor& actor, const Product&) {
    if (!Policy::CanEditCatalogue(actor)) {
      return Denied("only admins, leaders and managers change the product catalogue");
    }
    return Ok();
  }
  // The product's sized whitespace cells follow its list price.
  static Status AfterWrite(const WriteContext& w, const std::optional<Product>& before,
                           const std::optional<Product>& after, std::function<void()>& also);
};

template <>
struct EntityHooks<AuditEntry> : DefaultHooks<AuditEntry> {
  static Status AuthorizeRead(const Actor& actor) {
    if (!Policy::CanReadAudit(actor)) return Denied("only admins and leaders read the audit log");
    return Ok();
  }
};

}  // namespace orchard::service
