#include "http/account_routes.h"

#include <boost/json.hpp>

#include <charconv>
#include <map>
#include <set>

#include "engine/account_list.h"
#include "engine/relationships.h"
#include "http/crud.h"
#include "http/handler_kit.h"
#include "http/openapi.h"
#include "service/entity_hooks.h"
#include "service/entity_json.h"
#include "service/participants.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;
using service::ToJson;
using service::ToJsonValue;

boost::json::object AccountJson(const service::AccountRow& row) {
  const service::AccountView& v = row.view;
  boost::json::object o = ToJson(v.account);
  o["arr_cents"] = v.arr.cents();
  o["tier"] = ToJsonValue(v.tier.effective);
  o["tier_rule"] = ToJsonValue(v.tier.rule);
  o["health"] = row.health ? boost::json::value(*row.health) : boost::json::value(nullptr);
  o["colour"] = row.colour;
  auto day = [](const std::optional<Date>& d) {
    return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr);
  };
  auto number = [](const std::optional<int>& n) {
    return n ? boost::json::value(*n) : boost::json::value(nullptr);
  };
  o["renewal_date"] = day(row.renewal_date);
  o["last_meaningful_contact"] = day(row.last_meaningful_contact);
  o["plan_completeness"] = number(row.plan_completeness);
  o["multithreading_depth"] = number(row.multithreading_depth);
  return o;
}

// The filters only the in-memory book can answer: with any of them the list is in id order and
// takes no sort and no tier_override (AccountListQuery::BookOnly).
constexpr std::string_view kBookFilters[] = {"tier", "health", "quadrant", "renewal_within", "ids"};

// ids=1,2,3: the accounts named, up to a page of them.
Result<std::vector<int64_t>> ParseIds(std::string_view rest) {
  std::vector<int64_t> ids;
  while (true) {
    std::string_view part = rest.substr(0, rest.find(','));
    int64_t id = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
    if (ec != std::errc() || end != part.data() + part.size() || id < 1) {
      return FailField(
          "ids", "must be account ids separated by commas; got \"" + std::string(part) + "\"");
    }
    ids.push_back(id);
    if (ids.size() > static_cast<size_t>(service::kMaxPageSize)) {
      return FailField("ids",
                       "at most " + std::to_string(service::kMaxPageSize) + " ids in one request");
    }
    if (part.size() == rest.size()) break;
    rest.remove_prefix(part.size() + 1);
  }
  return ids;
}

// The book-only filters' parameters.
Status ReadBookFilters(const QueryParams& q, service::AccountListQuery& query) {
  ORCHARD_TRY(query.renewal_within, q.Int("renewal_within", 0, 3660));
  if (auto t = q.Get("tier")) {
    auto parsed = ParseEnum<Tier>(*t);
    if (!parsed) return FailField("tier", parsed.error().message);
    query.tier = *parsed;
  }
  if (auto h = q.Get("health")) {
    if (*h != "green" && *h != "yellow" && *h != "red" && *h != "none") {
      return FailField("health", "must be green, yellow, red or none; got \"" + *h + "\"");
    }
    query.colour = *h;
  }
  if (auto qd = q.Get("quadrant")) {
    auto parsed = ParseEnum<Quadrant>(*qd);
    if (!parsed) return FailField("quadrant", parsed.error().message);
    query.quadrant = *parsed;
  }
  if (auto text = q.Get("ids")) {
    ORCHARD_TRY(query.ids, ParseIds(*text));
  }
  return Ok();
}

// The sorts the book derives (engine/account_list.h): `sort=[-]name`; nullopt for another.
std::optional<service::AccountListQuery::Derived> DerivedSort(std::string_view text) {
  const bool desc = text.starts_with('-');
  auto column = engine::ParseAccountColumn(text.substr(desc ? 1 : 0));
  if (!column) return std::nullopt;
  return service::AccountListQuery::Derived{*column, desc};
}

// The accounts list's parameters, typed. A sort by a column the book derives (ARR, health,
// renewal, last contact, plan completeness, depth) takes every filter. Otherwise, with a
// book-only filter the list takes those and the book's column filters (in id order); without,
// a sort by a column of accounts, a cursor in that order, and tier_override.
Result<service::AccountListQuery> ReadAccountList(const HttpRequest& req, const ApiDeps& d) {
  const QueryParams q(req);
  bool book_only = false;
  for (auto name : kBookFilters) book_only = book_only || q.Has(name);
  service::AccountListQuery query;
  query.by = DerivedSort(q.Get("sort").value_or(""));
  if (query.by) {
    ORCHARD_CHECK(
        q.Only("the accounts list sorted by a derived column",
               {"limit", "cursor", "sort", "owner_id", "csm_id", "team", "industry", "region", "q",
                "tier_override", "tier", "health", "quadrant", "renewal_within", "ids"}));
  } else if (book_only) {
    ORCHARD_CHECK(
        q.Only("the accounts list with tier, health, quadrant, renewal_within or ids "
               "(sort only by arr_cents, health, renewal_date, last_meaningful_contact, "
               "plan_completeness or multithreading_depth)",
               {"limit", "cursor", "owner_id", "csm_id", "team", "industry", "region", "q", "tier",
                "health", "quadrant", "renewal_within", "ids"}));
  } else {
    ORCHARD_CHECK(
        q.Only("the accounts list", {"limit", "cursor", "sort", "owner_id", "csm_id", "team",
                                     "industry", "region", "q", "tier_override"}));
  }
  ORCHARD_TRY(auto limit, q.Int("limit", 1, service::kMaxPageSize));
  if (limit) query.limit = static_cast<int>(*limit);
  if (!query.by) {
    ORCHARD_TRY(query.sort, ParseSortParam<Account>(req));
  }
  ORCHARD_TRY(auto cursor, ParseCursorParam(req, q.Get("sort").value_or("")));
  query.after_id = cursor.after_id;
  query.after_value = cursor.after_value;
  ORCHARD_TRY(auto owner, q.Int("owner_id", 1, INT64_MAX));
  if (owner) query.owner_id = UserId(*owner);
  ORCHARD_TRY(auto csm, q.Int("csm_id", 1, INT64_MAX));
  if (csm) query.csm_id = UserId(*csm);
  ORCHARD_TRY(auto team, q.Int("team", 1, INT64_MAX));
  if (team) {
    ORCHARD_TRY(query.team, service::TeamOf(d.pool, UserId(*team)));
  }
  query.industry = q.Get("industry");
  query.region = q.Get("region");
  query.name_contains = q.Get("q");
  // "null" (as in the column filters elsewhere): accounts whose tier the rule decides.
  if (auto tier = q.Get("tier_override")) {
    if (*tier == "null") {
      query.tier_override.emplace(std::nullopt);
    } else {
      auto parsed = ParseEnum<Tier>(*tier);
      if (!parsed) return FailField("tier_override", parsed.error().message + " or null");
      query.tier_override.emplace(*parsed);
    }
  }
  if (book_only) ORCHARD_CHECK(ReadBookFilters(q, query));
  return query;
}

// GET /api/v1/accounts: the service chooses how to answer (SQL, the book's column orders, the
// book's columns); this renders the page.
Result<Reply> ListAccounts(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_TRY(auto query, ReadAccountList(req, d));
  ORCHARD_TRY(auto page, d.accounts.List(query, d.model));
  boost::json::array items;
  for (const auto& row : page.items) items.push_back(AccountJson(row));
  boost::json::object out{{"items", std::move(items)}};
  out["total"] = page.total ? boost::json::value(*page.total) : boost::json::value(nullptr);
  out["next_cursor"] =
      CursorJson(page.next_cursor, QueryParams(req).Get("sort").value_or(""), page.next_sort_value);
  return JsonResponse(out);
}

// One account, with `can_edit`: whether the caller may change it and what hangs from it (its
// plan, contacts, opportunities, activities), answered by the Policy the writes run, so the UI
// shows edit controls only where a write would be taken.
Result<Reply> GetAccount(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto row, d.accounts.GetRow(AccountId(id), d.model));
  boost::json::object out = AccountJson(row);
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(out["can_edit"], service::MayEditAccount(*db, actor, AccountId(id)));
  return JsonResponse(out);
}

boost::json::object ParticipantsJson(ActivityId activity, const std::vector<ContactId>& ids) {
  boost::json::array list;
  for (ContactId c : ids) list.emplace_back(c.value);
  return {{"activity_id", activity.value}, {"contact_ids", std::move(list)}};
}

Result<Reply> GetParticipants(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  ORCHARD_TRY(auto ids,
              service::ParticipantService(d.pool, d.clock, d.model).Get(actor, ActivityId(id)));
  return JsonResponse(ParticipantsJson(ActivityId(id), ids));
}

// One account's relationship map, ready to draw as an org chart coloured by stance: its contacts
// as nodes, the reports-to lines as edges (manager → report), the roots (reporting to no one
// mapped), and the alerts the map raises today (engine/relationships.h).
Result<Reply> GetRelationshipMap(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  ORCHARD_CHECK(
      service::EntityService<Account>(d.pool, d.clock, d.model).Get(actor, AccountId(id)));
  service::EntityService<Contact> contacts(d.pool, d.clock, d.model);
  store::ListQuery query;
  query.filters.push_back({"account_id", id});
  query.limit = 1000;
  std::vector<Contact> people;
  for (;;) {
    ORCHARD_TRY(auto page, contacts.List(actor, query));
    people.insert(people.end(), page.items.begin(), page.items.end());
    if (!page.next_cursor) break;
    query.after_id = *page.next_cursor;
  }
  std::set<int64_t> mapped;
  for (const Contact& c : people) mapped.insert(c.id.value);
  boost::json::array nodes, edges, roots, alerts;
  // One definition of "engaged", the one multithreading depth counts: an active contact who took
  // part in a meaningful activity in the last 90 days (last_engaged_on is the CRM's own date).
  const int32_t today = d.clock.Today().days();
  std::map<int64_t, int32_t> last_met;
  int depth = 0;
  if (d.model != nullptr) {
    auto lock = d.model->ReadLock();
    if (auto slot = d.model->SlotOf(id)) {
      for (const Contact& c : people)
        last_met[c.id.value] = engine::LastMet(*d.model, *slot, c.id.value, today);
      for (const auto& a : engine::RelationshipAlerts(*d.model, *slot, today)) {
        alerts.push_back({{"code", a.code},
                          {"contact_id", a.contact_id ? boost::json::value(a.contact_id)
                                                      : boost::json::value(nullptr)},
                          {"why", a.why}});
      }
    }
  }
  for (const Contact& c : people) {
    boost::json::object node = service::ToJson(c);
    node["name"] = c.first_name + (c.last_name.empty() ? "" : " ") + c.last_name;
    auto met = last_met.find(c.id.value);
    const bool has_met = met != last_met.end() && met->second != engine::kNoDay;
    node["last_meaningful_on"] = has_met
                                     ? boost::json::value(Date::FromDays(met->second).ToString())
                                     : boost::json::value(nullptr);
    const bool engaged = has_met && c.status == ContactStatus::kActive &&
                         today - met->second < engine::kDepthWindowDays;
    node["engaged"] = engaged;
    // Multithreading depth is the engaged, counted (depth_test holds it to the health report's).
    depth += engaged ? 1 : 0;
    nodes.push_back(std::move(node));
    if (c.reports_to_id && mapped.contains(c.reports_to_id->value)) {
      edges.push_back({{"from", c.reports_to_id->value}, {"to", c.id.value}});
    } else {
      roots.push_back(c.id.value);
    }
  }
  return JsonResponse(boost::json::object{{"account_id", id},
                                          {"nodes", std::move(nodes)},
                                          {"edges", std::move(edges)},
                                          {"roots", std::move(roots)},
                                          {"alerts", std::move(alerts)},
                                          {"depth", depth},
                                          {"engaged_rule", engine::kEngagedRule}});
}

Result<Reply> PutParticipants(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  ORCHARD_TRY(auto body, ParseBody(req));
  for (const auto& [key, value] : body) {
    if (key != "contact_ids") {
      return FailField(std::string(key), "unknown field; send contact_ids");
    }
  }
  auto list = body.find("contact_ids");
  if (list == body.end() || !list->value().is_array()) {
    return FailField("contact_ids", "is required: an array of contact ids");
  }
  std::vector<ContactId> contacts;
  for (const auto& v : list->value().as_array()) {
    if (!v.is_int64() || v.as_int64() <= 0) {
      return FailField("contact_ids",
                       "must hold positive whole numbers; got " + boost::json::serialize(v));
    }
    contacts.emplace_back(v.as_int64());
  }
  ORCHARD_TRY(auto saved, service::ParticipantService(d.pool, d.clock, d.model)
                              .Set(actor, ActivityId(id), std::move(contacts)));
  return JsonResponse(ParticipantsJson(ActivityId(id), saved));
}

}  // namespace

void AddAccountRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  auto view = EntityJsonSchema<Account>();
  auto& props = view["properties"].as_object();
  props["arr_cents"] = {{"type", "integer"}};
  props["tier"] = {{"type", "integer"}, {"enum", {1, 2, 3}}};
  props["tier_rule"] = {{"type", "integer"}, {"enum", {1, 2, 3}}};
  props["health"] = {{"type", {"integer", "null"}}, {"minimum", 0}, {"maximum", 100}};
  props["colour"] = {{"type", "string"}, {"enum", {"green", "yellow", "red", "none"}}};
  props["renewal_date"] = {{"type", {"string", "null"}}, {"format", "date"}};
  props["last_meaningful_contact"] = {{"type", {"string", "null"}}, {"format", "date"}};
  props["plan_completeness"] = {{"type", {"integer", "null"}}, {"minimum", 0}, {"maximum", 100}};
  props["multithreading_depth"] = {{"type", {"integer", "null"}}, {"minimum", 0}};
  for (const char* f : {"arr_cents", "tier", "tier_rule", "health", "colour"})
    view["required"].as_array().emplace_back(f);
  r.AddSchema("account_views", boost::json::serialize(view));
  // One account adds what the caller may do with it.
  auto one = view;
  one["properties"].as_object()["can_edit"] = {
      {"type", "boolean"},
      {"description",
       "whether the caller may change this account and what hangs from it (admins and leaders: "
       "every account; managers: their team's books; an AM or CSM: the accounts they own or "
       "cover; viewers: none)"}};
  one["required"].as_array().emplace_back("can_edit");
  r.AddSchema("account_view", boost::json::serialize(one));

  // Reads carry ARR today, the tier and health; writes are the generic ones.
  r.Add(
      "GET", "/api/v1/accounts",
      [d](const HttpRequest& q, A who) { return ListAccounts(d, q, who); },
      RouteDoc("List accounts with ARR today, tier, health (score and colour), next renewal, last "
               "meaningful contact, plan completeness and multithreading depth (from the "
               "in-memory book). tier (in force), health (green, yellow, red, none), quadrant, "
               "renewal_within (days), team and ids (comma-separated, up to 500) are answered "
               "from the in-memory book and list in id order, or sorted by a derived column: "
               "sort=[-]arr_cents, health, renewal_date, last_meaningful_contact, "
               "plan_completeness or multithreading_depth (NULLs last), which takes every "
               "filter. The first page (no cursor) and every derived sort carry `total`: the "
               "number of accounts matching the filters",
               K::kList, "account_views")
          .Query({"owner_id", "csm_id", "team", "industry", "region", "q", "tier_override", "tier",
                  "health", "quadrant", "renewal_within", "ids"})
          .QueryDocs({{"owner_id", "Only the accounts this user owns (user id)"},
                      {"csm_id", "Only the accounts this user covers as CSM (user id)"},
                      {"team",
                       "Only the accounts of this manager's team: owned by the manager or one of "
                       "their reports (user id)"},
                      {"renewal_within", "Only accounts renewing within this many days"},
                      {"ids", "Only these accounts: ids separated by commas, up to 500"}}));
  r.Add(
      "GET", "/api/v1/accounts/{id}",
      [d](const HttpRequest& q, A who) { return GetAccount(d, q, who); },
      RouteDoc("One account with ARR today, tier and health, and whether the caller may change "
               "it (can_edit)",
               K::kGet, "account_view"));
  using V = CrudRoutes<Account>::Verbs;
  std::make_shared<CrudRoutes<Account>>(d.pool, d.clock, d.model)
      ->Register(r, "/api/v1/accounts", V::kWritesOnly);
}

void AddRelationshipMapRoute(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("RelationshipMap", R"({"type":"object",
    "required":["account_id","nodes","edges","roots","alerts","depth","engaged_rule"],
    "properties":{"account_id":{"type":"integer"},
      "depth":{"type":"integer","description":"Multithreading depth: the nodes engaged"},
      "engaged_rule":{"type":"string","description":"What engaged means, in one sentence"},
      "nodes":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/contacts"},
        {"type":"object","required":["name","last_meaningful_on","engaged"],
          "properties":{"name":{"type":"string"},
            "last_meaningful_on":{"type":["string","null"],"format":"date"},
            "engaged":{"type":"boolean"}}}]}},
      "edges":{"type":"array","items":{"type":"object","required":["from","to"],
        "properties":{"from":{"type":"integer"},"to":{"type":"integer"}}}},
      "roots":{"type":"array","items":{"type":"integer"}},
      "alerts":{"type":"array","items":{"type":"object","required":["code","contact_id","why"],
        "properties":{"code":{"type":"string",
          "enum":["champion_lost","no_economic_buyer","detractor_dark"]},
          "contact_id":{"type":["integer","null"]},"why":{"type":"string"}}}}}})");
  r.Add(
      "GET", "/api/v1/accounts/{id}/relationship-map",
      [d](const HttpRequest& q, A who) { return GetRelationshipMap(d, q, who); },
      RouteDoc("The account's relationship map: contacts as nodes, reports-to lines as edges "
               "(manager → report), roots, and its alerts (champion or economic buyer departed, "
               "no economic buyer, an influential detractor not engaged for 60 days)",
               K::kOther)
          .Response("RelationshipMap"));
}

void AddParticipantRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("Participants", R"({"type":"object","required":["contact_ids"],
    "properties":{"activity_id":{"type":"integer"},
      "contact_ids":{"type":"array","items":{"type":"integer"}}}})");
  r.Add(
      "GET", "/api/v1/activities/{id}/contacts",
      [d](const HttpRequest& q, A who) { return GetParticipants(d, q, who); },
      RouteDoc("Who took part in an activity (multithreading depth counts them)", K::kOther)
          .Response("Participants"));
  r.Add(
      "PUT", "/api/v1/activities/{id}/contacts",
      [d](const HttpRequest& q, A who) { return PutParticipants(d, q, who); },
      RouteDoc("Replace who took part in an activity: contacts of its account", K::kOther)
          .Request("Participants")
          .Response("Participants"));
}

}  // namespace orchard::http
