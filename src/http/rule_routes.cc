#include "http/rule_routes.h"

#include <boost/json.hpp>

#include "automation/account_fields.h"
#include "automation/actions.h"
#include "automation/backtest.h"
#include "automation/condition.h"
#include "automation/rule_engine.h"
#include "automation/rule_store.h"
#include "http/body.h"
#include "http/handler_kit.h"
#include "http/params.h"

namespace orchard::http {
namespace {

namespace json = boost::json;
using A = const service::Actor&;
using automation::RuleDefinition;
using automation::RuleInput;
using automation::StoredRule;

Status Ready(const ApiDeps& d) {
  if (d.rules == nullptr || d.rule_engine == nullptr) {
    return Fail(ErrorCode::kUnavailable, "automation is not running on this server");
  }
  return Ok();
}

template <class T>
json::value OrNull(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

Result<std::map<int64_t, int64_t>> FiredToday(const ApiDeps& d) {
  std::map<int64_t, int64_t> out;
  ORCHARD_TRY(auto db, d.pool.Acquire());
  store::SqlValue day[] = {d.clock.Today().ToString()};
  ORCHARD_CHECK(
      db->Query("SELECT rule_id, COUNT(*) FROM rule_firings WHERE day = ? GROUP BY rule_id", day,
                [&](const store::Row& row) -> Status {
                  ORCHARD_TRY(int64_t id, row.GetInt(0));
                  ORCHARD_TRY(int64_t n, row.GetInt(1));
                  out[id] = n;
                  return Ok();
                }));
  return out;
}

json::object RuleJson(const StoredRule& r, int64_t fired_today) {
  return {{"id", r.id},
          {"name", r.name},
          {"description", r.description},
          {"status", ToString(r.status)},
          {"enabled", r.enabled},
          {"live", r.Live()},
          {"version", r.version},
          {"definition", json::parse(automation::DefinitionJson(r.definition))},
          {"paused_reason", OrNull(r.paused_reason)},
          {"paused_on", r.paused_on ? json::value(r.paused_on->ToString()) : json::value(nullptr)},
          {"builtin", r.builtin_key.has_value()},
          {"fired_today", fired_today},
          {"cap_per_day", r.definition.cap_per_day},
          {"created_at", r.created_at.ToIso8601()},
          {"updated_at", r.updated_at.ToIso8601()}};
}

Result<RuleDefinition> DefinitionField(const json::object& body) {
  const json::value* v = body.if_contains("definition");
  if (v == nullptr || !v->is_object()) return FailValue("definition", "is required: an object");
  return automation::ParseDefinition(json::serialize(*v));
}

// The fields a rule's body may carry, over `base` (a PATCH starts from the stored rule).
Result<RuleInput> ReadInput(const json::object& body, RuleInput base, bool patch) {
  ORCHARD_CHECK(
      OnlyFields(body, patch ? "a rule's change" : "a new rule",
                 patch ? std::initializer_list<std::string_view>{"version", "name", "description",
                                                                 "status", "enabled", "definition"}
                       : std::initializer_list<std::string_view>{"name", "description", "status",
                                                                 "enabled", "definition"}));
  ORCHARD_TRY(auto name, TextField(body, "name"));
  if (name) base.name = *name;
  if (!patch && !name) return FailValue("name", "is required");
  ORCHARD_TRY(auto description, TextField(body, "description"));
  if (description) base.description = *description;
  ORCHARD_TRY(auto status, EnumField<automation::RuleStatus>(body, "status"));
  if (status) base.status = *status;
  if (const json::value* e = body.if_contains("enabled")) {
    if (!e->is_bool()) return FailField("enabled", "must be true or false");
    base.enabled = e->as_bool();
  }
  if (body.contains("definition") || !patch) {
    ORCHARD_TRY(base.definition, DefinitionField(body));
  }
  return base;
}

Result<Reply> ListRules(const ApiDeps& d, const HttpRequest&, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(auto rules, d.rules->List(actor));
  ORCHARD_TRY(auto fired, FiredToday(d));
  json::array items;
  for (const auto& r : rules) items.push_back(RuleJson(r, fired[r.id]));
  return JsonResponse(
      json::object{{"items", std::move(items)}, {"may_change", automation::MayChangeRules(actor)}});
}

Result<Reply> GetRule(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto rule, d.rules->Get(actor, id));
  ORCHARD_TRY(auto fired, FiredToday(d));
  return JsonResponse(RuleJson(rule, fired[id]));
}

// Who may change rules is checked before the body is read: a caller without the right learns
// nothing from the body's checks.
Status MayChange(A actor) {
  if (!automation::MayChangeRules(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins and leaders change rules");
  }
  return Ok();
}

Result<Reply> CreateRule(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_CHECK(MayChange(actor));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_TRY(RuleInput input, ReadInput(body, RuleInput{}, false));
  ORCHARD_TRY(auto rule, d.rules->Create(actor, input));
  return JsonResponse(RuleJson(rule, 0), 201);
}

Result<Reply> PatchRule(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_CHECK(MayChange(actor));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_TRY(auto version, IntField(body, "version", 1));
  if (!version) return FailValue("version", "is required: the version you read");
  ORCHARD_TRY(auto current, d.rules->Get(actor, id));
  RuleInput base{current.name, current.description, current.status, current.enabled,
                 current.definition};
  ORCHARD_TRY(RuleInput input, ReadInput(body, base, true));
  auto rule = d.rules->Update(actor, id, *version, input);
  if (!rule && rule.error().code == ErrorCode::kConflict) {
    return ConflictResponse(rule.error());
  }
  if (!rule) return std::unexpected(rule.error());
  ORCHARD_TRY(auto fired, FiredToday(d));
  return JsonResponse(RuleJson(*rule, fired[id]));
}

Result<Reply> ResumeRule(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto rule, d.rules->Resume(actor, id));
  ORCHARD_TRY(auto fired, FiredToday(d));
  return JsonResponse(RuleJson(rule, fired[id]));
}

Result<Reply> ListVersions(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto versions, d.rules->Versions(actor, id));
  json::array items;
  for (const auto& v : versions) {
    items.push_back({{"version", v.version},
                     {"name", v.name},
                     {"status", ToString(v.status)},
                     {"definition", json::parse(automation::DefinitionJson(v.definition))},
                     {"created_at", v.created_at.ToIso8601()},
                     {"created_by", OrNull(v.created_by)}});
  }
  return JsonResponse(json::object{{"items", std::move(items)}});
}

Result<Reply> DiffVersions(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("a rule's diff", {"from", "to"}));
  ORCHARD_TRY(auto from, params.Int("from", 1, INT64_MAX));
  ORCHARD_TRY(auto to, params.Int("to", 1, INT64_MAX));
  if (!from || !to) return FailField(!from ? "from" : "to", "is required: a version number");
  ORCHARD_TRY(auto lines, d.rules->Diff(actor, id, *from, *to));
  json::array changes;
  for (auto& l : lines) changes.emplace_back(l);
  return JsonResponse(json::object{{"from", *from}, {"to", *to}, {"changes", std::move(changes)}});
}

// POST /api/v1/rules/check {condition} or {definition}: what the editor asks as one types.
Result<Reply> CheckRule(const ApiDeps&, const HttpRequest& req, A) {
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_CHECK(OnlyFields(body, "a check", {"condition", "definition"}));
  ORCHARD_TRY(auto condition, TextField(body, "condition"));
  if (condition) {
    auto parsed = automation::Condition::Parse(*condition, automation::AccountFields());
    if (!parsed) {
      const auto& e = parsed.error();
      return JsonResponse(json::object{{"ok", false},
                                       {"error",
                                        {{"message", e.Message()},
                                         {"offset", e.offset},
                                         {"line", e.line},
                                         {"column", e.column},
                                         {"expected", e.expected},
                                         {"found", e.found}}}});
    }
    json::array fields;
    for (size_t f : parsed->Fields()) fields.emplace_back(automation::AccountFields()[f].name);
    return JsonResponse(json::object{
        {"ok", true}, {"canonical", parsed->Canonical()}, {"fields", std::move(fields)}});
  }
  auto def = DefinitionField(body);
  if (!def) {
    json::array fields;
    for (const auto& f : def.error().fields) {
      fields.push_back({{"field", f.field}, {"message", f.message}});
    }
    return JsonResponse(
        json::object{{"ok", false},
                     {"error", {{"message", def.error().message}, {"fields", std::move(fields)}}}});
  }
  return JsonResponse(json::object{{"ok", true}});
}

json::object DryRunJson(const automation::DryRun& run) {
  json::array accounts;
  for (const auto& a : run.accounts) {
    accounts.push_back({{"account_id", a.account_id},
                        {"name", a.name},
                        {"anchor", a.anchor},
                        {"trigger", a.trigger},
                        {"condition", a.condition}});
  }
  return {{"total", run.total}, {"accounts", std::move(accounts)}, {"note", run.note}};
}

// POST /api/v1/rules/dry-run {definition}: a draft's accounts, nothing saved or fired.
Result<Reply> DryRunDraft(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_CHECK(OnlyFields(body, "a dry run", {"definition", "limit"}));
  ORCHARD_TRY(RuleDefinition def, DefinitionField(body));
  ORCHARD_TRY(auto limit, IntField(body, "limit", 1));
  ORCHARD_TRY(auto run, d.rule_engine->DryRunOf(
                            def, static_cast<int>(std::min<int64_t>(limit.value_or(100), 1000))));
  return JsonResponse(DryRunJson(run));
}

Result<Reply> DryRunRule(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("a dry run", {"limit"}));
  ORCHARD_TRY(auto limit, params.Int("limit", 1, 1000));
  ORCHARD_TRY(auto rule, d.rules->Get(actor, id));
  ORCHARD_TRY(auto run,
              d.rule_engine->DryRunOf(rule.definition, static_cast<int>(limit.value_or(100))));
  return JsonResponse(DryRunJson(run));
}

json::object BacktestJson(const automation::BacktestResult& b) {
  json::array sample, months, renewal;
  for (const auto& f : b.sample) {
    sample.push_back({{"account_id", f.account_id},
                      {"name", f.name},
                      {"day", f.day.ToString()},
                      {"anchor", f.anchor},
                      {"days_to_renewal", f.days_to_renewal < 0 ? json::value(nullptr)
                                                                : json::value(f.days_to_renewal)},
                      {"evaluable", f.evaluable},
                      {"contracted", f.contracted}});
  }
  for (const auto& [m, n] : b.by_month) months.push_back({{"month", m}, {"firings", n}});
  for (const auto& [k, n] : b.by_days_to_renewal)
    renewal.push_back({{"bucket", k}, {"firings", n}});
  return {{"from", b.from.ToString()},
          {"to", b.to.ToString()},
          {"step_days", b.step_days},
          {"firings", b.firings},
          {"accounts", b.accounts},
          {"by_month", std::move(months)},
          {"by_days_to_renewal", std::move(renewal)},
          {"fired",
           {{"evaluable", b.fired_evaluable},
            {"contracted", b.fired_contracted},
            {"share", b.fired_share()}}},
          {"not_fired",
           {{"evaluable", b.other_evaluable},
            {"contracted", b.other_contracted},
            {"share", b.other_share()}}},
          {"sample", std::move(sample)},
          {"note", b.note},
          {"ms", b.ms}};
}

Result<Reply> BacktestDefinition(const ApiDeps& d, const RuleDefinition& def) {
  if (d.model == nullptr) return Fail(ErrorCode::kUnavailable, "the book is not loaded");
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto result,
              automation::Backtest(def, *d.model, d.settings.Current(), *db, d.clock.Today()));
  return JsonResponse(BacktestJson(result));
}

// POST /api/v1/rules/backtest {definition}: a draft replayed over the last 12 months.
Result<Reply> BacktestDraft(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_CHECK(OnlyFields(body, "a backtest", {"definition"}));
  ORCHARD_TRY(RuleDefinition def, DefinitionField(body));
  return BacktestDefinition(d, def);
}

Result<Reply> BacktestRule(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto rule, d.rules->Get(actor, id));
  return BacktestDefinition(d, rule.definition);
}

// The page an unsubscribe link opens (public: the signature in the link is the right). GET asks,
// POST does it — also the one-click POST of RFC 8058 that mail clients send — so a link scanner
// that follows every link unsubscribes nobody.
Result<Reply> Unsubscribe(const ApiDeps& d, const HttpRequest& req, bool confirm) {
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("an unsubscribe link", {"email", "sig"}));
  const auto email = params.Get("email");
  const auto sig = params.Get("sig");
  if (!email || email->empty() || email->size() > 254) return FailField("email", "is required");
  if (!sig || sig->empty() || sig->size() > 64) return FailField("sig", "is required");
  ORCHARD_TRY(auto db, d.pool.Acquire());
  const std::string escaped = EscapeHtml(*email);
  Reply res;
  res.content_type = "text/html; charset=utf-8";
  if (confirm) {
    ORCHARD_CHECK(automation::Unsubscribe(*db, *email, *sig, d.clock.Now()));
    res.body = "<!doctype html><meta charset=utf-8><title>Unsubscribed</title><p>" + escaped +
               " will receive no more of these e-mails.</p>";
  } else {
    ORCHARD_TRY(std::string expected, automation::UnsubscribeSignature(*db, *email));
    if (expected != *sig) return FailValue("sig", "this unsubscribe link is not valid");
    res.body =
        "<!doctype html><meta charset=utf-8><title>Unsubscribe</title><form method=post>"
        "<p>Stop these e-mails to " +
        escaped + "?</p><button>Unsubscribe</button></form>";
  }
  return res;
}

json::object TraceJson(const automation::Trace& t) {
  json::array clauses;
  for (const auto& c : t.condition.clauses) {
    clauses.push_back({{"text", c.text}, {"field", c.field}, {"value", c.value}, {"held", c.held}});
  }
  json::array firings;
  for (const auto& f : t.firings) {
    json::array actions;
    for (const auto& a : f.actions) {
      actions.push_back(
          {{"idx", a.idx},
           {"kind", a.kind},
           {"status", a.status},
           {"attempts", a.attempts},
           {"result", a.result},
           {"error", a.error},
           {"next_attempt_at", a.next_attempt_at ? json::value(a.next_attempt_at->ToIso8601())
                                                 : json::value(nullptr)}});
    }
    boost::system::error_code ec;
    json::value facts = json::parse(f.facts_json, ec);
    firings.push_back({{"id", f.id},
                       {"rule_version", f.rule_version},
                       {"anchor", f.anchor},
                       {"fired_at", f.fired_at.ToIso8601()},
                       {"status", f.status},
                       {"facts", ec ? json::value(nullptr) : facts},
                       {"actions", std::move(actions)}});
  }
  return {{"rule_id", t.rule_id},
          {"rule_name", t.rule_name},
          {"account_id", t.account_id},
          {"account_name", t.account_name},
          {"live", t.live},
          {"state", t.state},
          {"trigger_holds", t.trigger_holds},
          {"trigger", t.trigger},
          {"anchor", t.anchor},
          {"condition_holds", t.condition_holds},
          {"condition", t.condition.clauses.empty() ? "always" : t.condition.Sentence()},
          {"clauses", std::move(clauses)},
          {"cooldown", t.cooldown},
          {"cap", t.cap},
          {"fired_on_anchor", t.fired_on_anchor},
          {"verdict", t.verdict},
          {"firings", std::move(firings)}};
}

// GET /api/v1/rules/{id}/trace?account=
Result<Reply> TraceRule(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t id, ParseId(req));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("a rule's trace", {"account"}));
  ORCHARD_TRY(auto account, params.Int("account", 1, INT64_MAX));
  if (!account) return FailField("account", "is required: the account's id");
  ORCHARD_TRY(auto trace, d.rule_engine->TraceOf(id, *account));
  return JsonResponse(TraceJson(trace));
}

// GET /api/v1/accounts/{id}/automation: every rule's trace for one account.
Result<Reply> AccountAutomation(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(int64_t account, ParseId(req));
  ORCHARD_TRY(auto rules, d.rules->List(actor));
  json::array items;
  for (const auto& r : rules) {
    if (r.status == automation::RuleStatus::kArchived) continue;
    ORCHARD_TRY(auto trace, d.rule_engine->TraceOf(r.id, account));
    items.push_back(TraceJson(trace));
  }
  return JsonResponse(json::object{{"account_id", account}, {"items", std::move(items)}});
}

// POST /api/v1/rules/run: a full pass now (admins and leaders).
Result<Reply> RunRules(const ApiDeps& d, const HttpRequest&, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_CHECK(MayChange(actor));
  ORCHARD_TRY(auto report, d.rule_engine->RunPass(true));
  json::array paused;
  for (auto& p : report.paused) paused.emplace_back(p);
  return JsonResponse(json::object{{"rules", report.rules},
                                   {"accounts", report.accounts},
                                   {"candidates", report.candidates},
                                   {"fired", report.fired},
                                   {"actions_done", report.actions_done},
                                   {"actions_failed", report.actions_failed},
                                   {"paused", std::move(paused)},
                                   {"evaluate_ms", report.evaluate_ms},
                                   {"total_ms", report.total_ms}});
}

// GET /api/v1/rules/vocabulary: what the editor offers.
Result<Reply> Vocabulary(const ApiDeps&, const HttpRequest&, A) {
  json::array fields;
  for (const auto& f : automation::AccountFields()) {
    json::array choices;
    for (auto c : f.choices) choices.emplace_back(c);
    fields.push_back({{"name", f.name},
                      {"type", f.type == automation::ValueType::kNumber ? "number"
                               : f.type == automation::ValueType::kText ? "text"
                                                                        : "bool"},
                      {"description", f.description},
                      {"choices", std::move(choices)}});
  }
  json::array triggers, actions, writable;
  for (auto n : EnumTraits<automation::TriggerKind>::kNames) triggers.emplace_back(n);
  for (auto n : EnumTraits<automation::ActionKind>::kNames) actions.emplace_back(n);
  for (const auto& w : automation::WritableFields()) {
    writable.push_back({{"name", w.name}, {"description", w.description}});
  }
  return JsonResponse(json::object{{"fields", std::move(fields)},
                                   {"triggers", std::move(triggers)},
                                   {"actions", std::move(actions)},
                                   {"writable_fields", std::move(writable)}});
}

Result<Reply> GetInbox(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("the inbox", {"unread", "limit", "before"}));
  ORCHARD_TRY(auto limit, params.Int("limit", 1, 200));
  ORCHARD_TRY(auto before, params.Int("before", 1, INT64_MAX));
  const auto unread = params.Get("unread");
  if (unread && *unread != "true" && *unread != "false") {
    return FailField("unread", "must be true or false");
  }
  ORCHARD_TRY(auto inbox, d.rules->InboxOf(actor, unread && *unread == "true",
                                           static_cast<int>(limit.value_or(50)), before));
  json::array items;
  for (const auto& n : inbox.items) {
    items.push_back(
        {{"id", n.id},
         {"account_id", OrNull(n.account_id)},
         {"firing_id", OrNull(n.firing_id)},
         {"title", n.title},
         {"body", n.body},
         {"link", n.link},
         {"created_at", n.created_at.ToIso8601()},
         {"read_at", n.read_at ? json::value(n.read_at->ToIso8601()) : json::value(nullptr)}});
  }
  return JsonResponse(json::object{{"items", std::move(items)},
                                   {"unread", inbox.unread},
                                   {"next_before", OrNull(inbox.next_before)}});
}

Result<Reply> MarkInboxRead(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(Ready(d));
  ORCHARD_TRY(auto body, ParseBody(req));
  ORCHARD_CHECK(OnlyFields(body, "marking read", {"ids"}));
  std::vector<int64_t> ids;
  if (const json::value* v = body.if_contains("ids")) {
    if (!v->is_array() || v->as_array().size() > 500) {
      return FailField("ids", "must be a list of up to 500 notification ids");
    }
    for (const auto& e : v->as_array()) {
      if (!e.is_int64() || e.as_int64() <= 0) return FailField("ids", "must hold notification ids");
      ids.push_back(e.as_int64());
    }
  }
  ORCHARD_TRY(int64_t n, d.rules->MarkRead(actor, ids));
  return JsonResponse(json::object{{"marked", n}});
}

// The rules' schemas in the OpenAPI document.
void AddRuleSchemas(Router& r) {
  r.AddSchema("RuleDefinition", R"({"type":"object","required":["trigger","actions"],
    "description":"docs/RULES.md describes each trigger, condition and action",
    "properties":{"trigger":{"type":"object","required":["kind"],"properties":{
        "kind":{"type":"string"},"days":{"type":"integer"},"days_by_tier":{"type":"object"},
        "catch_up_days":{"type":"integer"},"points":{"type":"integer"},
        "to":{"type":"array","items":{"type":"string"}},"from":{"type":"array","items":{"type":"string"}},
        "metric":{"type":"string"},"z":{"type":"number"},
        "percent":{"type":"integer","minimum":1,"maximum":99}}},
      "condition":{"type":"string","maxLength":4000},
      "actions":{"type":"array","minItems":1,"maxItems":20,"items":{"type":"object","required":["kind"],
        "properties":{"kind":{"type":"string"}}}},
      "cooldown_days":{"type":"integer","minimum":0},"cap_per_day":{"type":"integer","minimum":1}}})");
  r.AddSchema(
      "Rule",
      R"({"type":"object","required":["id","name","status","enabled","version","definition"],
    "properties":{"id":{"type":"integer"},"name":{"type":"string"},"description":{"type":"string"},
      "status":{"enum":["draft","active","archived"]},"enabled":{"type":"boolean"},
      "live":{"type":"boolean"},"version":{"type":"integer"},
      "definition":{"$ref":"#/components/schemas/RuleDefinition"},
      "paused_reason":{"type":["string","null"]},"paused_on":{"type":["string","null"]},
      "builtin":{"type":"boolean"},"fired_today":{"type":"integer"},"cap_per_day":{"type":"integer"},
      "created_at":{"type":"string"},"updated_at":{"type":"string"}}})");
  r.AddSchema("RuleInput", R"({"type":"object","properties":{"version":{"type":"integer"},
      "name":{"type":"string","maxLength":200},"description":{"type":"string","maxLength":2000},
      "status":{"enum":["draft","active","archived"]},"enabled":{"type":"boolean"},
      "definition":{"$ref":"#/components/schemas/RuleDefinition"}}})");
  r.AddSchema("RuleList", R"({"type":"object","required":["items"],"properties":{
      "items":{"type":"array","items":{"$ref":"#/components/schemas/Rule"}},
      "may_change":{"type":"boolean"}}})");
  r.AddSchema("JsonObject", R"({"type":"object"})");
}

}  // namespace

void AddRuleRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  AddRuleSchemas(r);
  auto add = [&](std::string method, std::string path, auto fn, RouteDoc doc) {
    r.Add(
        method, path, [d, fn](const HttpRequest& q, A who) { return fn(d, q, who); },
        std::move(doc));
  };
  add("GET", "/api/v1/rules", ListRules,
      RouteDoc("The rules, each with today's firings against its cap", K::kOther)
          .Response("RuleList"));
  add("POST", "/api/v1/rules", CreateRule,
      RouteDoc("A new rule (admins and leaders): refused with the place of the error, or when it "
               "would loop with the active rules",
               K::kOther)
          .Request("RuleInput")
          .Response("Rule"));
  add("GET", "/api/v1/rules/vocabulary", Vocabulary,
      RouteDoc("The condition's fields, the triggers, the actions and the fields a rule may set",
               K::kOther)
          .Response("JsonObject"));
  add("POST", "/api/v1/rules/check", CheckRule,
      RouteDoc("Checks a condition (its error's line and column) or a whole definition, saving "
               "nothing",
               K::kOther)
          .Request("JsonObject")
          .Response("JsonObject"));
  add("POST", "/api/v1/rules/dry-run", DryRunDraft,
      RouteDoc("The accounts a draft definition would act on now; nothing is saved or fired",
               K::kOther)
          .Request("JsonObject")
          .Response("JsonObject"));
  add("POST", "/api/v1/rules/backtest", BacktestDraft,
      RouteDoc("A draft definition replayed over the book's last 12 months, a week at a time: "
               "how often it would have fired, for which accounts, how long before their "
               "renewal, and the share of those accounts whose ARR fell within 90 days beside "
               "the share of the others",
               K::kOther)
          .Request("JsonObject")
          .Response("JsonObject")
          .Blocking());
  add("POST", "/api/v1/rules/run", RunRules,
      RouteDoc("Runs a full pass now (admins and leaders): what fired, what was done", K::kOther)
          .Response("JsonObject")
          .Blocking());
  add("GET", "/api/v1/rules/{id}", GetRule, RouteDoc("One rule", K::kOther).Response("Rule"));
  add("PATCH", "/api/v1/rules/{id}", PatchRule,
      RouteDoc("Saves a new version of a rule (admins and leaders); `version` is the one read",
               K::kOther)
          .Request("RuleInput")
          .Response("Rule"));
  add("POST", "/api/v1/rules/{id}/resume", ResumeRule,
      RouteDoc("Clears the pause its cap set (admins and leaders)", K::kOther).Response("Rule"));
  add("GET", "/api/v1/rules/{id}/versions", ListVersions,
      RouteDoc("Every saved version of a rule, newest first", K::kOther).Response("JsonObject"));
  add("GET", "/api/v1/rules/{id}/diff", DiffVersions,
      RouteDoc("What changed from version `from` to version `to`", K::kOther)
          .Query({"from", "to"})
          .Response("JsonObject"));
  add("GET", "/api/v1/rules/{id}/dry-run", DryRunRule,
      RouteDoc("The accounts a rule would act on now", K::kOther)
          .Query({"limit"})
          .Response("JsonObject"));
  add("GET", "/api/v1/rules/{id}/backtest", BacktestRule,
      RouteDoc("A rule replayed over the book's last 12 months (as POST /api/v1/rules/backtest)",
               K::kOther)
          .Response("JsonObject")
          .Blocking());
  add("GET", "/api/v1/rules/{id}/trace", TraceRule,
      RouteDoc("Why a rule fired or did not for one account: its trigger, its condition's values, "
               "its cooldown and cap, and its firings with each action's outcome",
               K::kOther)
          .Query({"account"})
          .Response("JsonObject"));
  add("GET", "/api/v1/accounts/{id}/automation", AccountAutomation,
      RouteDoc("Every rule's trace for one account", K::kOther).Response("JsonObject"));
  for (const bool confirm : {false, true}) {
    r.Add(
        confirm ? "POST" : "GET", "/api/v1/unsubscribe",
        [d, confirm](const HttpRequest& q) { return Unsubscribe(d, q, confirm); },
        RouteDoc(confirm ? "Unsubscribes the address of a signed link from tech-touch e-mail "
                           "(the one-click POST of RFC 8058 too)"
                         : "The page a tech-touch e-mail's unsubscribe link opens: it asks first",
                 K::kOther)
            .Query({"email", "sig"})
            .Public());
  }
  add("GET", "/api/v1/inbox", GetInbox,
      RouteDoc("The caller's notifications, newest first, with the unread count", K::kOther)
          .Query({"unread", "limit", "before"})
          .Response("JsonObject"));
  add("POST", "/api/v1/inbox/read", MarkInboxRead,
      RouteDoc("Marks the caller's notifications read: `ids`, or all when none are given",
               K::kOther)
          .Request("JsonObject")
          .Response("JsonObject"));
}

}  // namespace orchard::http
