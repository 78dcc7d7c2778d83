#include "service/handoff.h"

#include <algorithm>
#include <array>
#include <set>

#include <boost/json.hpp>

#include "domain/handoff.h"
#include "engine/csm_kpis.h"
#include "service/entity_service.h"
#include "service/unit_of_work.h"

namespace orchard::service {

std::string NewChecklistJson() { return HandoffChecklistJson(false); }

Result<std::vector<ChecklistItem>> ParseChecklist(std::string_view json) {
  auto bad = [](const std::string& why) { return FailValue("checklist_json", why); };
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (!ec && v.is_object()) {
    // Books seeded before the checklist had labels and notes stored {"pain_points": true, …}:
    // read as the same items, so their handoffs can still be completed and accepted.
    std::vector<ChecklistItem> out;
    for (const auto& i : kHandoffChecklist) {
      const std::string_view legacy = i.key == "pain_points_and_goals" ? "pain_points" : i.key;
      const auto* done = v.as_object().if_contains(legacy);
      out.push_back({std::string(i.key), std::string(i.label),
                     done != nullptr && done->is_bool() && done->as_bool(), ""});
    }
    return out;
  }
  if (ec || !v.is_array()) return bad("must be a JSON array of the handoff's checklist items");
  std::vector<ChecklistItem> out;
  std::set<std::string> seen;
  for (const auto& e : v.as_array()) {
    if (!e.is_object() || !e.as_object().contains("key") || !e.at("key").is_string()) {
      return bad("each item is an object with a key");
    }
    ChecklistItem item;
    item.key = std::string(e.at("key").as_string());
    auto known = std::find_if(kHandoffChecklist.begin(), kHandoffChecklist.end(),
                              [&](const HandoffChecklistItem& i) { return i.key == item.key; });
    if (known == kHandoffChecklist.end())
      return bad("\"" + item.key + "\" is not a checklist item");
    if (!seen.insert(item.key).second) return bad("\"" + item.key + "\" appears twice");
    item.label = std::string(known->label);
    if (auto* done = e.as_object().if_contains("done")) {
      if (!done->is_bool()) return bad("\"" + item.key + "\".done must be true or false");
      item.done = done->as_bool();
    }
    if (auto* notes = e.as_object().if_contains("notes")) {
      if (!notes->is_string()) return bad("\"" + item.key + "\".notes must be a string");
      item.notes = std::string(notes->as_string());
    }
    out.push_back(std::move(item));
  }
  if (out.size() != kHandoffChecklist.size()) {
    std::string missing;
    for (const HandoffChecklistItem& i : kHandoffChecklist) {
      if (!seen.contains(std::string(i.key))) {
        missing += (missing.empty() ? "" : ", ") + std::string(i.key);
      }
    }
    return bad("is missing " + missing);
  }
  return out;
}

Status OpenHandoffIfWon(UnitOfWork& work, store::ConnectionPool& pool, const Clock& clock,
                        engine::ReadModel* model, const Actor& actor,
                        const std::optional<Opportunity>& before, const Opportunity& after) {
  if (after.type != OpportunityType::kNewBusiness || after.stage != OpportunityStage::kClosedWon) {
    return Ok();
  }
  if (before && before->stage == OpportunityStage::kClosedWon) return Ok();
  store::SqlValue params[] = {after.id.value};
  ORCHARD_TRY(auto open, work.db().QueryInt(
                             "SELECT id FROM handoffs WHERE opportunity_id = ? LIMIT 1", params));
  if (open) return Ok();  // won, reopened and won again: still the one handoff
  Handoff h;
  h.account_id = after.account_id;
  h.opportunity_id = after.id;
  h.seller_id = after.owner_id;
  h.status = HandoffStatus::kOpen;
  h.checklist_json = NewChecklistJson();
  ORCHARD_CHECK(EntityService<Handoff>(pool, clock, model).CreateIn(work, actor, std::move(h)));
  return Ok();
}

Result<Onboarding> ReadOnboarding(store::Database& db, HandoffId id, Date today) {
  store::Store store(db);
  Onboarding out;
  ORCHARD_TRY(out.handoff, store.Get<Handoff>(id));
  if (out.handoff.status != HandoffStatus::kAccepted) return out;
  std::vector<std::string> statuses;
  for (const OnboardingStep& step : kOnboardingSteps) {
    store::SqlValue params[] = {MilestoneKey(id.value, step.day)};
    ORCHARD_TRY(auto task_id,
                db.QueryInt("SELECT id FROM tasks WHERE source_key = ? LIMIT 1", params));
    if (!task_id) continue;  // removed by hand
    Milestone m;
    ORCHARD_TRY(m.task, store.Get<Task>(TaskId(*task_id)));
    m.day = step.day;
    m.status = engine::MilestoneStatus(m.task, today);  // one definition, the scoreboard's too
    statuses.push_back(m.status);
    out.milestones.push_back(std::move(m));
  }
  out.status = engine::OnboardingStatus(statuses);
  return out;
}

namespace {

bool InTeam(const Actor& actor, UserId user) {
  return std::find(actor.team.begin(), actor.team.end(), user) != actor.team.end();
}

}  // namespace

Status AuthorizeAcceptance(store::Database& db, const Actor& actor, const Handoff& h, UserId to) {
  auto denied = [](const std::string& why) { return Fail(ErrorCode::kPermissionDenied, why); };
  const std::string account = "account " + std::to_string(h.account_id.value);
  switch (actor.role) {
    case Role::kAdmin:
    case Role::kLeader:
      return Ok();  // to anyone who can own accounts (checked with the user)
    case Role::kViewer:
      return denied("viewers can only read");
    case Role::kManager: {
      ORCHARD_TRY(AccountAccess access, LoadAccountAccess(db, h.account_id, actor));
      if (!Policy::CanEditAccount(actor, access)) {
        return denied(account +
                      " is not in your team's book: a manager accepts handoffs of "
                      "their team's accounts");
      }
      if (to != actor.user && !InTeam(actor, to)) {
        Error e{ErrorCode::kPermissionDenied,
                "a manager gives a handoff to an AM of their team, or takes it",
                {}};
        e.fields.push_back({"am_id", "user " + std::to_string(to.value) + " is not on your team"});
        return std::unexpected(std::move(e));
      }
      return Ok();
    }
    case Role::kAm:
    case Role::kCsm: {
      if (to != actor.user) {
        return denied(
            "an AM accepts a handoff for themselves; admins, leaders and managers may assign it "
            "to an AM");
      }
      if (h.am_id && *h.am_id == actor.user) return Ok();  // the handoff was meant for them
      ORCHARD_TRY(AccountAccess access, LoadAccountAccess(db, h.account_id, actor));
      if (!Policy::CanEditAccount(actor, access)) {
        return denied(account +
                      " is not in your book: you accept handoffs of the accounts you own or "
                      "cover, or those that name you");
      }
      return Ok();
    }
  }
  return denied("not allowed");
}

Result<Onboarding> AcceptHandoff(store::ConnectionPool& pool, const Clock& clock,
                                 engine::ReadModel* model, const Actor& actor, HandoffId id,
                                 std::optional<UserId> am) {
  const bool leads =
      actor.role == Role::kAdmin || actor.role == Role::kLeader || actor.role == Role::kManager;
  ORCHARD_TRY(auto work, UnitOfWork::Begin(pool, model));
  work.SetWorkflow(UnitOfWork::kAcceptHandoff);
  store::Store& store = work.store();
  ORCHARD_TRY(Handoff h, store.Get<Handoff>(id));
  // An AM takes it themselves; a leader gives it to the AM named, else to the one it was meant
  // for (a handoff may name its AM from the start), else takes it.
  const UserId to = am ? *am : (leads && h.am_id ? *h.am_id : actor.user);
  ORCHARD_CHECK(AuthorizeAcceptance(work.db(), actor, h, to));
  if (h.status != HandoffStatus::kOpen) {
    return Fail(ErrorCode::kConflict, "handoff " + std::to_string(id.value) +
                                          " was already accepted by user " +
                                          (h.am_id ? std::to_string(h.am_id->value) : "?"));
  }
  ORCHARD_TRY(auto items, ParseChecklist(h.checklist_json));
  std::string open;
  for (const auto& i : items) {
    if (!i.done) open += (open.empty() ? "" : ", ") + i.key;
  }
  if (!open.empty()) {
    return FailValue("checklist_json", "the checklist is not done: " + open +
                                           "; the seller completes it before the AM accepts");
  }
  auto user = store.Get<User>(to);
  if (!user) return FailValue("am_id", "there is no user " + std::to_string(to.value));
  if (!user->active || user->role == Role::kViewer) {
    return FailValue("am_id", "user " + std::to_string(to.value) +
                                  " cannot own accounts (inactive, or a viewer)");
  }
  // The handoff is the authority for this change of owner: the AM is not yet in the account's
  // book, so the account's write runs with the workflow's rights, audited under the actor.
  Actor workflow{actor.user, Role::kAdmin, {}};
  const Timestamp now = clock.Now();
  const Date today = clock.Today();
  Onboarding out;
  ORCHARD_TRY(out.handoff, EntityService<Handoff>(pool, clock, model)
                               .UpdateIn(work, workflow, id, 0, [&](Handoff& x) -> Status {
                                 x.status = HandoffStatus::kAccepted;
                                 x.am_id = to;
                                 x.accepted_at = now;
                                 return Ok();
                               }));
  ORCHARD_TRY(Account account, store.Get<Account>(h.account_id));
  if (account.owner_id != to) {
    ORCHARD_CHECK(
        EntityService<Account>(pool, clock, model)
            .UpdateIn(work, workflow, account.id, account.version, [&](Account& a) -> Status {
              a.owner_id = to;
              return Ok();
            }));
  }
  EntityService<Task> tasks(pool, clock, model);
  for (const OnboardingStep& step : kOnboardingSteps) {
    Task t;
    t.account_id = h.account_id;
    t.title = std::string(step.title);
    t.description = "Onboarding day " + std::to_string(step.day) + " (handoff " +
                    std::to_string(id.value) + ")";
    t.owner_id = to;
    t.due_on = today.AddDays(step.day);
    t.source_key = MilestoneKey(id.value, step.day);
    ORCHARD_TRY(Task made, tasks.CreateIn(work, workflow, std::move(t)));
    out.milestones.push_back(Milestone{std::move(made), step.day, "on_track"});
  }
  out.status = "on_track";
  ORCHARD_CHECK(work.Commit());
  return out;
}

Result<HandoffPage> ListHandoffs(store::Database& db, const HandoffQuery& q) {
  std::vector<store::SqlValue> params;
  std::string where = " FROM handoffs h JOIN accounts a ON a.id = h.account_id WHERE 1 = 1";
  if (q.status) {
    where += " AND h.status = ?";
    params.emplace_back(std::string(ToString(*q.status)));
  }
  std::string book = BookClause(q.book, q.actor, "a", params);
  if (q.book == Book::kMine) {
    // The handoffs meant for the actor, or sold by them, are theirs too.
    book.insert(book.size() - 1, " OR h.am_id = ? OR h.seller_id = ?");
    params.emplace_back(q.actor.user.value);
    params.emplace_back(q.actor.user.value);
  }
  where += book;
  HandoffPage out;
  ORCHARD_CHECK(
      db.Query("SELECT COUNT(*), SUM(CASE WHEN h.status = 'open' THEN 1 ELSE 0 END)" + where,
               params, [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(out.total, row.GetInt(0));
                 if (!row.IsNull(1)) {
                   ORCHARD_TRY(out.open, row.GetInt(1));
                 }
                 return Ok();
               }));
  params.emplace_back(static_cast<int64_t>(q.limit));
  params.emplace_back(static_cast<int64_t>(q.offset));
  std::vector<int64_t> ids;
  ORCHARD_CHECK(db.Query("SELECT h.id" + where +
                             " ORDER BY CASE WHEN h.status = 'open' THEN 0 ELSE 1 END, h.id DESC "
                             "LIMIT ? OFFSET ?",
                         params, [&](const store::Row& row) -> Status {
                           ORCHARD_TRY(int64_t id, row.GetInt(0));
                           ids.push_back(id);
                           return Ok();
                         }));
  store::Store store(db);
  for (int64_t id : ids) {
    ORCHARD_TRY(Handoff h, store.Get<Handoff>(HandoffId(id)));
    out.items.push_back(std::move(h));
  }
  return out;
}

}  // namespace orchard::service
