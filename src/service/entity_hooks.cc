#include "service/entity_hooks.h"

#include "service/entity_json.h"
#include "service/entity_service.h"
#include "service/handoff.h"
#include "service/plan_history.h"
#include "service/relationships.h"
#include "service/rows.h"
#include "service/whitespace.h"

namespace orchard::service {

namespace {

// A sized whitespace cell follows its division's headcount and its product's price: each of the
// division's (or product's) sized cells is written again, in the same unit.
Status ResizeCells(const WriteContext& w, const char* column, int64_t id) {
  ORCHARD_TRY(auto cells, RowsWhere<WhitespaceCell>(w.work.store(), column, id));
  EntityService<WhitespaceCell> writer(w.pool, w.clock, w.model);
  for (const WhitespaceCell& c : cells) {
    if (c.potential_source != PotentialSource::kSized) continue;
    ORCHARD_CHECK(writer.UpdateIn(w.work, w.actor, c.id, 0, [](WhitespaceCell&) { return Ok(); }));
  }
  return Ok();
}

template <class T>
std::optional<std::string> JsonOf(const std::optional<T>& row) {
  if (!row) return std::nullopt;
  return ToJsonText(*row);
}

}  // namespace

Status EntityHooks<Account>::Authorize(store::Database& db, const Actor& actor,
                                       const Account& row) {
  if (!row.id.valid()) {
    if (actor.role == Role::kViewer) return Denied("viewers can only read");
    AccountAccess access{AccountId(), row.owner_id, row.csm_id, row.sponsor_id, false};
    if (!Policy::CanEditAccount(actor, access)) {
      return Denied("you can only create accounts that you own or cover");
    }
    return Ok();
  }
  if (actor.role == Role::kViewer) return Denied("viewers can only read");
  ORCHARD_TRY(AccountAccess access, LoadAccountAccess(db, row.id, actor));
  access.owner_id = row.owner_id;
  access.csm_id = row.csm_id;
  access.sponsor_id = row.sponsor_id;
  if (!Policy::CanEditAccount(actor, access)) return std::unexpected(NotYourBook(db, access));
  return Ok();
}

Status EntityHooks<Account>::AfterWrite(const WriteContext& w, const std::optional<Account>& before,
                                        const std::optional<Account>& after,
                                        std::function<void()>& also) {
  if (!before || !after || before->owner_id == after->owner_id) return Ok();
  ORCHARD_CHECK(RecordOwnerChange(w.work.db(), *before, *after, w.now));
  ORCHARD_TRY(auto spans, engine::ReadModel::ReadOwnerHistory(w.work.db(), after->id.value));
  also = [model = w.model, spans = std::move(spans), account = after->id.value] {
    model->SetOwnerHistory(account, spans);
  };
  return Ok();
}

Status EntityHooks<Division>::AfterWrite(const WriteContext& w,
                                         const std::optional<Division>& before,
                                         const std::optional<Division>& after,
                                         std::function<void()>&) {
  if (!before || !after || before->headcount == after->headcount) return Ok();
  return ResizeCells(w, "division_id", after->id.value);
}

Status EntityHooks<Product>::AfterWrite(const WriteContext& w, const std::optional<Product>& before,
                                        const std::optional<Product>& after,
                                        std::function<void()>&) {
  if (!before || !after || before->list_price == after->list_price) return Ok();
  return ResizeCells(w, "product_id", after->id.value);
}

Status EntityHooks<Contact>::CheckStore(store::Database& db, const Contact& row) {
  return CheckReportsTo(db, row);
}

Status EntityHooks<Contact>::AfterWrite(const WriteContext& w, const std::optional<Contact>& before,
                                        const std::optional<Contact>& after,
                                        std::function<void()>&) {
  if (!before || !after) return Ok();
  return OpenRethreadTask(w.work.store(), w.actor, *before, *after, w.now);
}

Status EntityHooks<Opportunity>::AfterWrite(const WriteContext& w,
                                            const std::optional<Opportunity>& before,
                                            const std::optional<Opportunity>& after,
                                            std::function<void()>&) {
  if (!after) return Ok();
  return OpenHandoffIfWon(w.work, w.pool, w.clock, w.model, w.actor, before, *after);
}

Status EntityHooks<Task>::Check(const Task& row) {
  if (row.checklist.empty()) return Ok();
  auto bad = [](const std::string& why) { return FailValue("checklist", why); };
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(row.checklist, ec);
  if (ec || !v.is_array()) return bad("must be a JSON array of {\"text\", \"done\"} items");
  if (v.as_array().size() > 100) return bad("has more than 100 items");
  for (const auto& e : v.as_array()) {
    const auto* item = e.if_object();
    const auto* text = item != nullptr ? item->if_contains("text") : nullptr;
    if (text == nullptr || !text->is_string() || text->as_string().empty()) {
      return bad("each item is an object with a text");
    }
    if (text->as_string().size() > 500) return bad("an item's text is longer than 500 bytes");
    const auto* done = item->if_contains("done");
    if (done != nullptr && !done->is_bool()) return bad("an item's done is true or false");
    for (const auto& field : *item) {
      if (field.key() != "text" && field.key() != "done") {
        return bad("an item has only a text and done, not \"" + std::string(field.key()) + "\"");
      }
    }
  }
  return Ok();
}

Status EntityHooks<Handoff>::Check(const Handoff& row) {
  auto items = ParseChecklist(row.checklist_json);
  if (!items) return std::unexpected(items.error());
  return Ok();
}

Status EntityHooks<Handoff>::Guard(const UnitOfWork& work, const std::optional<Handoff>& before,
                                   const Handoff& after) {
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
  return Ok();
}

Status EntityHooks<AccountPlan>::AfterWrite(const WriteContext& w,
                                            const std::optional<AccountPlan>& before,
                                            const std::optional<AccountPlan>& after,
                                            std::function<void()>& also) {
  if (!after) return Ok();  // the plan is gone, and its history with it
  ORCHARD_TRY(PlanVersion version,
              RecordPlanVersion(
                  w.work.store(), w.actor, after->id, w.now,
                  before ? DescribeChange("plan", after->id.value, JsonOf(before), JsonOf(after))
                         : "created the plan"));
  ORCHARD_CHECK(LogPlanVersion(w.work.db(), version, after->account_id.value, w.now));
  // Applied after the plan itself (the service's own apply comes first).
  also = [model = w.model, version = std::move(version)] { model->Upsert(version); };
  return Ok();
}

template <class T>
Status PlanPartHooks<T>::AfterWrite(const WriteContext& w, const std::optional<T>& before,
                                    const std::optional<T>& after, std::function<void()>& also) {
  const T& row = after ? *after : *before;
  const std::string summary =
      DescribeChange(EntityHooks<T>::kPart, row.id.value, JsonOf(before), JsonOf(after));
  std::vector<PlanId> plans;
  if (after) plans.push_back(after->plan_id);
  if (before && (!after || before->plan_id != after->plan_id)) plans.push_back(before->plan_id);
  std::vector<TouchedPlan> touched;
  for (PlanId plan : plans) {
    ORCHARD_TRY(TouchedPlan t, TouchPlan(w.work.store(), w.actor, plan, w.now, summary));
    ORCHARD_CHECK(LogPlanVersion(w.work.db(), t.version, t.plan.account_id.value, w.now));
    touched.push_back(std::move(t));
  }
  also = [model = w.model, touched = std::move(touched)] {
    for (const TouchedPlan& t : touched) {
      model->Upsert(t.plan);
      model->Upsert(t.version);
    }
  };
  return Ok();
}

#define ORCHARD_PLAN_PART(T)                                                                 \
  template Status PlanPartHooks<T>::AfterWrite(const WriteContext&, const std::optional<T>&, \
                                               const std::optional<T>&, std::function<void()>&);
ORCHARD_PLAN_PART(PlanPriority)
ORCHARD_PLAN_PART(PlanRisk)
ORCHARD_PLAN_PART(PlanAction)
ORCHARD_PLAN_PART(WhitespaceCell)
#undef ORCHARD_PLAN_PART

Status EntityHooks<WhitespaceCell>::Prepare(store::Database& db, WhitespaceCell& row) {
  return PrepareCell(db, row);
}

}  // namespace orchard::service
