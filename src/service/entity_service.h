// EntityService<T>: create, read, patch and delete any entity of domain/schema.h, written once.
// Every write is validate → authorize → write → audit, in one transaction: the audit entry
// (actor, time, entity, before/after) commits with the change or not at all. The rules are the
// domain's (domain/rules.h, the same for every entity); what differs by entity is its hooks
// (service/entity_hooks.h).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/rules.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "service/entity_hooks.h"
#include "service/entity_json.h"
#include "service/references.h"
#include "service/sentiment_on_write.h"
#include "service/unit_of_work.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

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
    Hooks::Defaults(actor, row);
    if constexpr (requires { Hooks::Stamp(std::optional<T>(), row, now); }) {
      Hooks::Stamp(std::nullopt, row, now);
    }
    // Who may write it first: a caller without the right learns nothing from the row's checks.
    ORCHARD_CHECK(Hooks::Authorize(db, actor, row));
    ORCHARD_CHECK(Validate(row));
    ORCHARD_CHECK(CheckAgainstStore(db, row));
    ORCHARD_CHECK(Hooks::Prepare(db, row));
    ORCHARD_CHECK(Hooks::Guard(work, std::nullopt, row));
    ORCHARD_TRY(T saved, store.Insert(row));
    ORCHARD_CHECK(WriteAudit(store, actor, now, kTable, saved.id.value, AuditAction::kCreate,
                             std::nullopt, ToJsonText(saved)));
    std::function<void()> also;
    ORCHARD_CHECK(Hooks::AfterWrite(Context(work, actor, now), std::nullopt, saved, also));
    ORCHARD_CHECK(LogAndStage(work, saved, std::nullopt, now, also));
    ORCHARD_CHECK(SentimentOnWrite<T>(work, saved, std::nullopt, now));
    return saved;
  }

  Result<T> UpdateIn(UnitOfWork& work, const Actor& actor, IdT id, int64_t expected_version,
                     const std::function<Status(T&)>& change) {
    store::Database& db = work.db();
    store::Store& store = work.store();
    ORCHARD_TRY(T current, store.Get<T>(id));
    ORCHARD_CHECK(Hooks::Authorize(db, actor, current));
    T next = current;
    ORCHARD_CHECK(change(next));
    Timestamp now = clock_.Now();
    if constexpr (requires { next.updated_at = now; }) next.updated_at = now;
    if constexpr (requires { Hooks::Stamp(std::optional<T>(), next, now); }) {
      Hooks::Stamp(current, next, now);
    }
    ORCHARD_CHECK(Validate(next));
    ORCHARD_CHECK(Hooks::Authorize(db, actor, next));
    ORCHARD_CHECK(Hooks::AuthorizeChange(actor, current, next));
    ORCHARD_CHECK(CheckAgainstStore(db, next));
    ORCHARD_CHECK(CheckMove(db, current, next));
    ORCHARD_CHECK(Hooks::Prepare(db, next));
    ORCHARD_CHECK(Hooks::Guard(work, current, next));
    ORCHARD_TRY(T saved, store.Update(next, expected_version));
    ORCHARD_CHECK(WriteAudit(store, actor, now, kTable, saved.id.value, AuditAction::kUpdate,
                             ToJsonText(current), ToJsonText(saved)));
    std::function<void()> also;
    ORCHARD_CHECK(Hooks::AfterWrite(Context(work, actor, now), current, saved, also));
    ORCHARD_CHECK(LogAndStage(work, saved, current, now, also));
    ORCHARD_CHECK(SentimentOnWrite<T>(work, saved, current, now));
    return saved;
  }

  Status DeleteIn(UnitOfWork& work, const Actor& actor, IdT id) {
    store::Store& store = work.store();
    ORCHARD_TRY(T current, store.Get<T>(id));
    ORCHARD_CHECK(Hooks::Authorize(work.db(), actor, current));
    ORCHARD_CHECK(store.Delete<T>(id));
    const Timestamp now = clock_.Now();
    ORCHARD_CHECK(WriteAudit(store, actor, now, kTable, id.value, AuditAction::kDelete,
                             ToJsonText(current), std::nullopt));
    std::function<void()> also;
    ORCHARD_CHECK(Hooks::AfterWrite(Context(work, actor, now), current, std::nullopt, also));
    ORCHARD_CHECK(LogAndStage(work, std::nullopt, current, now, also));
    return SentimentOnWrite<T>(work, std::nullopt, current, now);
  }

 private:
  using Hooks = EntityHooks<T>;
  // Entities the read model holds.
  static constexpr bool kInModel = engine::ReadModel::kHolds<T>;

  WriteContext Context(UnitOfWork& work, const Actor& actor, Timestamp now) const {
    return WriteContext{work, pool_, clock_, model_, actor, now};
  }

  // Every write's checks: the domain's (domain/rules.h: the fields' limits, then the entity's
  // own rules), then those that need the service's code.
  static Status Validate(const T& row) {
    ORCHARD_CHECK(orchard::Validate(row));
    return Hooks::Check(row);
  }

  Status AuthorizeRead(const Actor& actor) { return Hooks::AuthorizeRead(actor); }

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
        ORCHARD_TRY(now_in, Hooks::AccountOf(db, *saved));
      }
      if (before) {
        ORCHARD_TRY(was_in, Hooks::AccountOf(db, *before));
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
    } else if constexpr (std::is_same_v<T, EngagementSignal>) {
      // Not held by the model, but automation reacts to it (an engagement spike): logged for
      // the rule engine, which reads the log, and an apply staged so the commit wakes the runner.
      (void)before;
      if (saved) {
        ORCHARD_CHECK(
            RecordChange(work.db(), kTable, saved->id.value, at, saved->account_id.value));
        if (model_ != nullptr) work.ThenApply([] {});
      }
    } else {
      (void)saved, (void)before, (void)at;
    }
    if (model_ != nullptr) work.ThenApply(std::move(also));
    return Ok();
  }

  // Rules that need the other rows: every id the row holds names a row that exists, of the
  // row's own account or plan where kSameScope says so (service/references.h), and the entity's
  // own (a contact's reports-to line, an account's parent line).
  static Status CheckAgainstStore(store::Database& db, const T& row) {
    ORCHARD_CHECK(CheckReferences(db, row));
    ORCHARD_CHECK(Hooks::CheckStore(db, row));
    if constexpr (Hooks::kScoped && UnderPlan<T>) {
      ORCHARD_TRY(AccountId account, AccountOfPlan(db, row.plan_id));
      ORCHARD_CHECK(CheckSameScope(db, row, account.value, row.plan_id.value));
    } else if constexpr (Hooks::kScoped) {
      ORCHARD_CHECK(CheckSameScope(db, row, row.account_id.value, std::nullopt));
    }
    return Ok();
  }

  // A row moved to another account or plan leaves no link of kSameScope crossing behind it.
  static Status CheckMove(store::Database& db, const T& before, const T& after) {
    if constexpr (Hooks::kScoped && UnderPlan<T>) {
      if (before.plan_id != after.plan_id) {
        return CheckScopeMove(db, kTable, after.id.value, "plan_id", after.plan_id.value);
      }
    } else if constexpr (Hooks::kScoped) {
      if (before.account_id != after.account_id) {
        return CheckScopeMove(db, kTable, after.id.value, "account_id", after.account_id.value);
      }
    }
    (void)db, (void)before, (void)after;
    return Ok();
  }

  store::ConnectionPool& pool_;
  const Clock& clock_;
  engine::ReadModel* model_;
};

}  // namespace orchard::service
