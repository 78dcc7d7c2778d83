#include "http/review_routes.h"

#include <boost/json.hpp>

#include "http/body.h"
#include "http/handler_kit.h"
#include "service/entity_json.h"
#include "service/handoff.h"
#include "service/reviews.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;

boost::json::value IdOrNull(const std::optional<UserId>& id) {
  return id ? boost::json::value(id->value) : boost::json::value(nullptr);
}

// POST /api/v1/reviews/schedule: the whole book's reviews from the tiers' cadences.
Result<Reply> ScheduleReviews(const ApiDeps& d, const HttpRequest&, A actor) {
  if (actor.role != Role::kAdmin && actor.role != Role::kLeader) {
    return Fail(ErrorCode::kPermissionDenied,
                "only admins and leaders schedule the book's reviews");
  }
  ORCHARD_TRY(auto report,
              service::ScheduleReviews(d.pool, d.clock, d.model, d.settings.Current(), actor));
  return JsonResponse(boost::json::object{{"accounts", report.accounts},
                                          {"scheduled", report.scheduled},
                                          {"cancelled", report.cancelled}});
}

// GET /api/v1/reviews/due?book=&am=&team=&window=&limit=&offset=
Result<Reply> ListReviewsDue(const ApiDeps& d, const HttpRequest& req, A actor) {
  const QueryParams params(req);
  auto answer = [&]() -> Result<boost::json::object> {
    ORCHARD_CHECK(params.Only("reviews due", {"book", "am", "team", "window", "limit", "offset"}));
    service::DueQuery q;
    q.today = d.clock.Today();
    q.actor = actor;
    if (auto book = params.Get("book")) {
      ORCHARD_TRY(q.book, service::ParseBook(*book));
    }
    ORCHARD_TRY(auto am, params.Int("am", 1, INT64_MAX));
    ORCHARD_TRY(auto team, params.Int("team", 1, INT64_MAX));
    ORCHARD_TRY(auto window, params.Int("window", 0, 3660));
    ORCHARD_TRY(auto limit, params.Int("limit", 1, 1000));
    ORCHARD_TRY(auto offset, params.Int("offset", 0, INT64_MAX));
    if (am) q.am = UserId(*am);
    if (team) q.team_of = UserId(*team);
    q.window_days = static_cast<int>(window.value_or(30));
    q.limit = static_cast<size_t>(limit.value_or(100));
    q.offset = static_cast<size_t>(offset.value_or(0));
    ORCHARD_TRY(auto db, d.pool.Acquire());
    ORCHARD_TRY(auto due, service::ReviewsDue(*db, q));
    boost::json::array items, by_am;
    for (const auto& r : due.items) {
      boost::json::object item = service::ToJson(r.review);
      item["account_name"] = r.account_name;
      item["owner_id"] = IdOrNull(r.owner_id);
      item["days_overdue"] = r.days_overdue;
      item["overdue"] = r.days_overdue > 0;
      items.push_back(std::move(item));
    }
    for (const auto& c : due.by_am) {
      by_am.push_back({{"owner_id", IdOrNull(c.owner_id)}, {"due", c.due}, {"overdue", c.overdue}});
    }
    return boost::json::object{{"as_of", q.today.ToString()},  {"book", service::ToString(q.book)},
                               {"window_days", q.window_days}, {"total", due.total},
                               {"by_am", std::move(by_am)},    {"items", std::move(items)}};
  };
  ORCHARD_TRY(auto out, answer());
  return JsonResponse(out);
}

Result<service::HeldReview> ReadHeld(const boost::json::object& body, Date today) {
  ORCHARD_CHECK(
      OnlyFields(body, "a review held", {"held_on", "attendees", "notes", "outcomes", "actions"}));
  service::HeldReview held;
  ORCHARD_TRY(auto on, DateField(body, "held_on"));
  held.held_on = on.value_or(today);
  ORCHARD_TRY(auto attendees, TextField(body, "attendees"));
  ORCHARD_TRY(auto notes, TextField(body, "notes"));
  ORCHARD_TRY(auto outcomes, TextField(body, "outcomes"));
  held.attendees = attendees.value_or("");
  held.notes = notes.value_or("");
  held.outcomes = outcomes.value_or("");
  if (auto it = body.find("actions"); it != body.end()) {
    if (!it->value().is_array()) return FailField("actions", "must be an array of actions");
    size_t i = 0;
    for (const auto& v : it->value().as_array()) {
      const std::string at = "actions[" + std::to_string(i++) + "]";
      if (!v.is_object()) return FailField(at, "must be an object");
      const auto& a = v.as_object();
      auto one = [&]() -> Result<service::ReviewAction> {
        ORCHARD_CHECK(OnlyFields(a, "an action", {"description", "owner_id", "due_on"}));
        service::ReviewAction action;
        ORCHARD_TRY(auto text, TextField(a, "description"));
        ORCHARD_TRY(auto owner, IntField(a, "owner_id", 1));
        ORCHARD_TRY(action.due_on, DateField(a, "due_on"));
        action.description = text.value_or("");
        if (owner) action.owner_id = UserId(*owner);
        return action;
      }();
      if (!one) {
        Error e = one.error();
        for (auto& f : e.fields) f.field = at + "." + f.field;
        return std::unexpected(std::move(e));
      }
      held.actions.push_back(std::move(*one));
    }
  }
  return held;
}

// POST /api/v1/reviews/{id}/held
Result<Reply> RecordReviewHeld(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto action, ReadAction(req));
  ORCHARD_TRY(auto held, ReadHeld(action.body, d.clock.Today()));
  ORCHARD_TRY(auto done, service::RecordReviewHeld(d.pool, d.clock, d.model, d.settings.Current(),
                                                   actor, ReviewId(action.id), held));
  boost::json::array actions;
  for (const PlanAction& a : done.actions) actions.push_back(service::ToJson(a));
  boost::json::object out{{"review", service::ToJson(done.review)},
                          {"plan", service::ToJson(done.plan)},
                          {"actions", std::move(actions)}};
  out["next"] =
      done.next ? boost::json::value(service::ToJson(*done.next)) : boost::json::value(nullptr);
  out["activity"] =
      done.qbr ? boost::json::value(service::ToJson(*done.qbr)) : boost::json::value(nullptr);
  return JsonResponse(out);
}

boost::json::object OnboardingJson(const service::Onboarding& o) {
  boost::json::object out = service::ToJson(o.handoff);
  boost::json::array checklist;
  if (auto items = service::ParseChecklist(o.handoff.checklist_json)) {
    for (const auto& i : *items) {
      checklist.push_back(
          {{"key", i.key}, {"label", i.label}, {"done", i.done}, {"notes", i.notes}});
    }
  }
  out["checklist"] = std::move(checklist);
  boost::json::array milestones;
  for (const auto& m : o.milestones) {
    boost::json::object item = service::ToJson(m.task);
    item["day"] = m.day;
    item["milestone_status"] = m.status;
    milestones.push_back(std::move(item));
  }
  out["milestones"] = std::move(milestones);
  out["onboarding_status"] =
      o.status.empty() ? boost::json::value(nullptr) : boost::json::value(o.status);
  return out;
}

// POST /api/v1/handoffs/{id}/accept {"am_id": …}
Result<Reply> AcceptHandoff(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto action, ReadAction(req));
  ORCHARD_CHECK(OnlyFields(action.body, "accepting a handoff", {"am_id"}));
  ORCHARD_TRY(auto given, IntField(action.body, "am_id", 1));
  std::optional<UserId> am;
  if (given) am = UserId(*given);
  ORCHARD_TRY(auto done,
              service::AcceptHandoff(d.pool, d.clock, d.model, actor, HandoffId(action.id), am));
  return JsonResponse(OnboardingJson(done));
}

// GET /api/v1/handoffs/queue?book=&status=&limit=&offset=
Result<Reply> ListHandoffs(const ApiDeps& d, const HttpRequest& req, A actor) {
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("the handoffs queue", {"book", "status", "limit", "offset"}));
  service::HandoffQuery q;
  q.actor = actor;
  if (auto book = params.Get("book")) {
    ORCHARD_TRY(q.book, service::ParseBook(*book));
  }
  if (auto status = params.Get("status")) {
    auto parsed = ParseEnum<HandoffStatus>(*status);
    if (!parsed) return FailField("status", "must be open or accepted; got \"" + *status + "\"");
    q.status = *parsed;
  }
  ORCHARD_TRY(auto limit, params.Int("limit", 1, 500));
  ORCHARD_TRY(auto offset, params.Int("offset", 0, INT64_MAX));
  q.limit = static_cast<size_t>(limit.value_or(50));
  q.offset = static_cast<size_t>(offset.value_or(0));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto page, service::ListHandoffs(*db, q));
  boost::json::array items;
  for (const Handoff& h : page.items) items.push_back(service::ToJson(h));
  return JsonResponse(boost::json::object{{"book", service::ToString(q.book)},
                                          {"total", page.total},
                                          {"open", page.open},
                                          {"items", std::move(items)}});
}

// GET /api/v1/handoffs/{id}/onboarding
Result<Reply> GetOnboarding(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto o, service::ReadOnboarding(*db, HandoffId(id), d.clock.Today()));
  return JsonResponse(OnboardingJson(o));
}

}  // namespace

void AddReviewRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  using A = const service::Actor&;
  r.AddSchema("ScheduleReport", R"({"type":"object","required":["accounts","scheduled","cancelled"],
    "properties":{"accounts":{"type":"integer"},"scheduled":{"type":"integer"},
      "cancelled":{"type":"integer"}}})");
  r.AddSchema("ReviewsDue", R"({"type":"object",
    "required":["as_of","book","window_days","total","by_am","items"],
    "properties":{"as_of":{"type":"string","format":"date"},"window_days":{"type":"integer"},
      "book":{"enum":["mine","team","all"]},
      "total":{"type":"integer"},
      "by_am":{"type":"array","items":{"type":"object","required":["owner_id","due","overdue"],
        "properties":{"owner_id":{"type":["integer","null"]},"due":{"type":"integer"},
          "overdue":{"type":"integer"}}}},
      "items":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/reviews"},
        {"type":"object","required":["account_name","owner_id","days_overdue","overdue"],
         "properties":{"account_name":{"type":"string"},"owner_id":{"type":["integer","null"]},
           "days_overdue":{"type":"integer"},"overdue":{"type":"boolean"}}}]}}}})");
  r.AddSchema("ReviewHeld", R"({"type":"object","additionalProperties":false,
    "properties":{"held_on":{"type":"string","format":"date"},"attendees":{"type":"string"},
      "notes":{"type":"string"},"outcomes":{"type":"string"},
      "actions":{"type":"array","items":{"type":"object","required":["description"],
        "properties":{"description":{"type":"string"},"owner_id":{"type":"integer"},
          "due_on":{"type":"string","format":"date"}}}}}})");
  r.AddSchema("ReviewRecorded",
              R"({"type":"object","required":["review","plan","actions","next","activity"],
    "properties":{"review":{"$ref":"#/components/schemas/reviews"},
      "plan":{"$ref":"#/components/schemas/account_plans"},
      "actions":{"type":"array","items":{"$ref":"#/components/schemas/plan_actions"}},
      "next":{"oneOf":[{"$ref":"#/components/schemas/reviews"},{"type":"null"}]},
      "activity":{"oneOf":[{"$ref":"#/components/schemas/activities"},{"type":"null"}]}}})");
  r.Add(
      "POST", "/api/v1/reviews/schedule",
      [d](const HttpRequest& q, A who) { return ScheduleReviews(d, q, who); },
      RouteDoc("Schedule every account's internal and customer reviews from its tier's cadence "
               "(admins and leaders); running it again changes nothing",
               K::kOther)
          .Response("ScheduleReport"));
  r.Add(
      "GET", "/api/v1/reviews/due",
      [d](const HttpRequest& q, A who) { return ListReviewsDue(d, q, who); },
      RouteDoc("Reviews due within `window` days (default 30), overdue first (the oldest first), "
               "with the total and counts per AM; `book` narrows before paging to the caller's "
               "own accounts (`mine`: owned or covered as CSM), their team's (`team`: theirs and "
               "their reports') or `all` (the default); `am` narrows to one AM's accounts, "
               "`team` to the AMs a manager leads; `limit` (default 100) and `offset` page",
               K::kOther)
          .Query({"book", "am", "team", "window", "limit", "offset"})
          .Response("ReviewsDue"));
  r.Add(
      "POST", "/api/v1/reviews/{id}/held",
      [d](const HttpRequest& q, A who) { return RecordReviewHeld(d, q, who); },
      RouteDoc("Record a scheduled review as held: date, attendees, notes, outcomes and its "
               "action items (description, owner, due date), which become open actions of the "
               "account's plan (made if it has none; the plan is marked reviewed); schedules the "
               "next of its kind. One transaction",
               K::kOther)
          .Request("ReviewHeld")
          .Response("ReviewRecorded"));
  r.AddSchema("Onboarding", R"({"allOf":[{"$ref":"#/components/schemas/handoffs"},
    {"type":"object","required":["checklist","milestones","onboarding_status"],
     "properties":{"checklist":{"type":"array","items":{"type":"object",
         "required":["key","label","done","notes"],
         "properties":{"key":{"type":"string"},"label":{"type":"string"},"done":{"type":"boolean"},
           "notes":{"type":"string"}}}},
       "milestones":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/tasks"},
         {"type":"object","required":["day","milestone_status"],"properties":{
           "day":{"type":"integer"},
           "milestone_status":{"enum":["done","on_track","behind","stuck"]}}}]}},
       "onboarding_status":{"enum":["done","on_track","behind","stuck",null]}}}]})");
  r.AddSchema("AcceptHandoff", R"({"type":"object","additionalProperties":false,
    "properties":{"am_id":{"type":"integer"}}})");
  r.Add(
      "POST", "/api/v1/handoffs/{id}/accept",
      [d](const HttpRequest& q, A who) { return AcceptHandoff(d, q, who); },
      RouteDoc("The AM accepts a closed-won handoff whose checklist is done (admins, leaders and "
               "managers may name the AM): the account moves from the seller to the AM and the "
               "90-day onboarding milestones appear as the AM's tasks. One transaction",
               K::kOther)
          .Request("AcceptHandoff")
          .Response("Onboarding"));
  r.AddSchema("HandoffQueue", R"({"type":"object","required":["book","total","open","items"],
    "properties":{"book":{"enum":["mine","team","all"]},"total":{"type":"integer"},
      "open":{"type":"integer"},
      "items":{"type":"array","items":{"$ref":"#/components/schemas/handoffs"}}}})");
  r.Add(
      "GET", "/api/v1/handoffs/queue",
      [d](const HttpRequest& q, A who) { return ListHandoffs(d, q, who); },
      RouteDoc("The handoffs of a book, open first, then the newest first, with the total and "
               "how many are open; `book` narrows before paging to the caller's own "
               "(`mine`: accounts owned or covered as CSM, and handoffs naming them as AM or "
               "seller), their team's (`team`) or `all` (the default); `status` (open, "
               "accepted); `limit` (default 50) and `offset` page",
               K::kOther)
          .Query({"book", "status", "limit", "offset"})
          .Response("HandoffQueue"));
  r.Add(
      "GET", "/api/v1/handoffs/{id}/onboarding",
      [d](const HttpRequest& q, A who) { return GetOnboarding(d, q, who); },
      RouteDoc("A handoff's checklist and its onboarding milestones, each done, on track, behind "
               "(overdue up to 14 days) or stuck",
               K::kOther)
          .Response("Onboarding"));
}

}  // namespace orchard::http
