#include "http/plan_routes.h"

#include <algorithm>
#include <cstdlib>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <mutex>

#include "http/body.h"
#include "http/handler_kit.h"
#include "http/plan_page.h"
#include "service/entity_service.h"
#include "service/plan_history.h"
#include "service/rows.h"
#include "service/whitespace.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;

// A version without its snapshot: who changed what, when.
boost::json::object VersionJson(const PlanVersion& v) {
  boost::json::object out = service::ToJson(v);
  out.erase("snapshot_json");
  return out;
}

// GET /api/v1/plans/{id}/diff?from=&to=: the versions from `from` to `to` and what changed.
Result<Reply> GetPlanDiff(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("a plan's diff", {"from", "to"}));
  ORCHARD_TRY(auto from, params.Int("from", 1, INT64_MAX));
  ORCHARD_TRY(auto to, params.Int("to", 1, INT64_MAX));
  ORCHARD_TRY(auto diff, service::DiffPlan(d.pool, PlanId(id), from, to));
  boost::json::array versions;
  for (const PlanVersion& v : diff.versions) versions.push_back(VersionJson(v));
  return JsonResponse(boost::json::object{{"plan_id", id},
                                          {"from", VersionJson(diff.versions.front())},
                                          {"to", VersionJson(diff.versions.back())},
                                          {"versions", std::move(versions)},
                                          {"changes", std::move(diff.changes)}});
}

// POST /api/v1/plans/{id}/reviewed: the plan was reviewed now, which resets its freshness.
Result<Reply> MarkPlanReviewed(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  service::EntityService<AccountPlan> plans(d.pool, d.clock, d.model);
  ORCHARD_TRY(auto current, plans.Get(actor, PlanId(id)));
  ORCHARD_TRY(auto saved,
              plans.Update(actor, PlanId(id), current.version, [&](AccountPlan& p) -> Status {
                p.last_reviewed_at = d.clock.Now();
                return Ok();
              }));
  return JsonResponse(service::ToJson(saved));
}

boost::json::object TotalsJson(const service::WhitespaceTotals& t) {
  return {{"whitespace_cents", t.whitespace_cents},
          {"owned_arr_cents", t.owned_arr_cents},
          {"open_cells", t.open_cells}};
}

// GET /api/v1/plans/{id}/whitespace: divisions × products, each cell with how its potential was
// sized, the ARR owned there today, and the row, column and account totals.
Result<Reply> GetWhitespace(const ApiDeps& d, const HttpRequest& req, A) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(const auto m, service::ReadWhitespace(*db, PlanId(id), d.clock.Today()));
  std::map<int64_t, const Division*> divisions;
  std::map<int64_t, const Product*> products;
  boost::json::array rows, columns, cells;
  for (const Division& div : m.divisions) {
    divisions[div.id.value] = &div;
    boost::json::object row = service::ToJson(div);
    row["totals"] = TotalsJson(m.by_division.at(div.id.value));
    rows.push_back(std::move(row));
  }
  for (const Product& p : m.products) {
    products[p.id.value] = &p;
    boost::json::object column = service::ToJson(p);
    column["totals"] = TotalsJson(m.by_product.at(p.id.value));
    columns.push_back(std::move(column));
  }
  for (const WhitespaceCell& c : m.cells) {
    boost::json::object cell = service::ToJson(c);
    auto owned = m.owned_arr_cents.find({c.division_id.value, c.product_id.value});
    cell["owned_arr_cents"] = owned == m.owned_arr_cents.end() ? 0 : owned->second;
    cell["counts_as_whitespace"] = service::CountsAsWhitespace(c.status);
    // The sizing inputs, for every cell: a sized cell shows how it was sized; an entered one
    // what sizing would start from.
    auto div = divisions.find(c.division_id.value);
    auto product = products.find(c.product_id.value);
    if (div != divisions.end() && product != products.end()) {
      cell["sizing"] = {
          {"headcount", div->second->headcount},
          {"list_price_cents", product->second->list_price.cents()},
          {"adoption_bp", c.adoption_bp},
          {"sized_cents", service::SizedPotential(div->second->headcount,
                                                  product->second->list_price, c.adoption_bp)
                              .cents()}};
    }
    cells.push_back(std::move(cell));
  }
  return JsonResponse(boost::json::object{{"plan_id", id},
                                          {"account_id", m.plan.account_id.value},
                                          {"divisions", std::move(rows)},
                                          {"products", std::move(columns)},
                                          {"cells", std::move(cells)},
                                          {"totals", TotalsJson(m.total)},
                                          {"rule", kWhitespaceRule}});
}

// POST /api/v1/plan-whitespace-cells/{id}/opportunity: an open cell becomes a linked upsell or
// cross-sell opportunity. Every field is optional: name, amount_cents, close_date, stage.
Result<service::CellOpportunity> ReadCellOpportunity(const boost::json::object& body) {
  ORCHARD_CHECK(
      OnlyFields(body, "a cell's opportunity", {"name", "amount_cents", "close_date", "stage"}));
  service::CellOpportunity ask;
  ORCHARD_TRY(ask.name, TextField(body, "name"));
  if (ask.name && ask.name->empty()) return FailField("name", "must not be empty");
  ORCHARD_TRY(auto amount, IntField(body, "amount_cents", 0));
  if (amount) ask.amount = Money::FromCents(*amount);
  ORCHARD_TRY(ask.close_date, DateField(body, "close_date"));
  ORCHARD_TRY(ask.stage, EnumField<OpportunityStage>(body, "stage"));
  return ask;
}

Result<Reply> ConvertCell(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(auto action, ReadAction(req));
  ORCHARD_TRY(auto ask, ReadCellOpportunity(action.body));
  ORCHARD_TRY(auto done, service::ConvertCell(d.pool, d.clock, d.model, actor,
                                              WhitespaceCellId(action.id), ask));
  return JsonResponse(boost::json::object{{"opportunity", service::ToJson(done.opportunity)},
                                          {"cell", service::ToJson(done.cell)}},
                      201);
}

Result<PlanPage> GatherPlanPage(const ApiDeps& d, const service::Actor& actor, PlanId id) {
  PlanPage page;
  page.today = d.clock.Today();
  ORCHARD_TRY(page.plan, service::EntityService<AccountPlan>(d.pool, d.clock).Get(actor, id));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  store::Store store(*db);
  ORCHARD_TRY(page.account, store.Get<Account>(page.plan.account_id));
  const int64_t account = page.account.id.value;
  ORCHARD_TRY(page.priorities, service::RowsWhere<PlanPriority>(store, "plan_id", id.value));
  std::stable_sort(page.priorities.begin(), page.priorities.end(),
                   [](const auto& a, const auto& b) { return a.position < b.position; });
  ORCHARD_TRY(page.contacts, service::RowsWhere<Contact>(store, "account_id", account));
  ORCHARD_TRY(page.risks, service::RowsWhere<PlanRisk>(store, "plan_id", id.value));
  ORCHARD_TRY(page.actions, service::RowsWhere<PlanAction>(store, "plan_id", id.value));
  ORCHARD_TRY(page.whitespace, service::ReadWhitespace(*db, id, page.today));
  ORCHARD_TRY(auto users, service::RowsOf<User>(store, {}));
  for (const User& u : users) page.user_names[u.id.value] = u.name.empty() ? u.email : u.name;
  if (d.model != nullptr) {
    auto health = engine::AccountHealthReport(*d.model, d.settings.Current(), page.today, account);
    if (health) page.health = std::move(*health);
  }
  return page;
}

// How many PDF exports run at once, overall and per user: each is a Chromium process of a few
// hundred MB, so a loop of exports must not take the machine.
class PdfGate {
 public:
  PdfGate(int at_once, int per_user)
      : at_once_(std::max(1, at_once)), per_user_(std::max(1, per_user)) {}

  // A place for one export, given back when the returned pointer is dropped; kTooManyRequests
  // naming which limit when there is none.
  Result<std::shared_ptr<void>> Enter(UserId user) {
    std::lock_guard lock(mu_);
    int& mine = running_[user.value];
    if (mine >= per_user_) {
      return Fail(ErrorCode::kTooManyRequests, "you have " + std::to_string(mine) +
                                                   " PDF export(s) running, the most one user "
                                                   "may run at once; try again when it is done");
    }
    if (total_ >= at_once_) {
      return Fail(ErrorCode::kTooManyRequests,
                  "this server is printing " + std::to_string(total_) +
                      " PDF export(s), the most it runs at once; try again shortly (the HTML "
                      "export, format=html, is not limited)");
    }
    ++mine;
    ++total_;
    return std::shared_ptr<void>(nullptr, [this, user](void*) {
      std::lock_guard release(mu_);
      --total_;
      if (--running_[user.value] == 0) running_.erase(user.value);
    });
  }

 private:
  const int at_once_;
  const int per_user_;
  std::mutex mu_;
  int total_ = 0;
  std::map<int64_t, int> running_;
};

// The exported page's policy: it is self-contained (inline styles, no scripts, no fetches).
constexpr std::string_view kPlanPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// GET /api/v1/plans/{id}/export?format=html|pdf: the plan on one page, for the business review.
Result<Reply> ExportPlan(const ApiDeps& d, PdfGate& gate, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("a plan's export", {"format"}));
  const std::string format = params.Get("format").value_or("html");
  if (format != "html" && format != "pdf") {
    return FailField("format", "must be html or pdf; got \"" + format + "\"");
  }
  ORCHARD_TRY(auto page, GatherPlanPage(d, actor, PlanId(id)));
  std::string html = RenderPlanPage(page);
  std::string file =
      "plan-" + std::to_string(page.account.id.value) + "-" + page.today.ToString() + "." + format;
  Reply res;
  res.headers.emplace_back("Content-Disposition", "inline; filename=\"" + file + "\"");
  if (format == "html") {
    res.content_type = "text/html; charset=utf-8";
    res.headers.emplace_back("Content-Security-Policy", std::string(kPlanPagePolicy));
    res.body = std::move(html);
    return res;
  }
  auto place = gate.Enter(actor.user);
  if (!place) {
    Reply busy = ErrorResponse(place.error());  // 429
    busy.headers.emplace_back("Retry-After", "10");
    return busy;
  }
  const char* chromium = std::getenv("ORCHARD_CHROMIUM");
  ORCHARD_TRY(auto pdf, PrintToPdf(html, chromium != nullptr ? chromium : "/usr/bin/chromium"));
  res.content_type = "application/pdf";
  res.body = std::move(pdf);
  return res;
}

}  // namespace

void AddPlanRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  using A = const service::Actor&;
  r.AddSchema("PlanDiff",
              R"({"type":"object","required":["plan_id","from","to","versions","changes"],
    "properties":{"plan_id":{"type":"integer"},"from":{"type":"object"},"to":{"type":"object"},
      "versions":{"type":"array","items":{"type":"object"}},
      "changes":{"type":"object","required":["plan","priorities","risks","whitespace_cells","incomplete",
        "actions"],
        "properties":{"plan":{"type":"object","description":"each changed field of the plan"},
          "priorities":{"$ref":"#/components/schemas/PlanPartChanges"},
          "risks":{"$ref":"#/components/schemas/PlanPartChanges"},
          "whitespace_cells":{"$ref":"#/components/schemas/PlanPartChanges"},
          "actions":{"$ref":"#/components/schemas/PlanPartChanges"},
          "incomplete":{"type":"array","items":{"type":"string"},
            "description":"parts one version did not keep as rows: imported or seeded with counts only"}}}}})");
  r.AddSchema("PlanPartChanges", R"({"type":"object","required":["added","removed","changed"],
    "properties":{"added":{"type":"array","items":{"type":"object"}},
      "removed":{"type":"array","items":{"type":"object"}},
      "changed":{"type":"array","items":{"type":"object","required":["id","fields"],
        "properties":{"id":{"type":"integer"},"fields":{"type":"object"}}}}}})");
  r.Add(
      "GET", "/api/v1/plans/{id}/diff",
      [d](const HttpRequest& q, A who) { return GetPlanDiff(d, q, who); },
      RouteDoc("What changed in a plan from version `from` to version `to` (default: the latest "
               "and the one before): the versions between, who made them and when, the plan's "
               "changed fields, and each part's added, removed and changed rows",
               K::kOther)
          .Query({"from", "to"})
          .Response("PlanDiff"));
  r.Add(
      "POST", "/api/v1/plans/{id}/reviewed",
      [d](const HttpRequest& q, A who) { return MarkPlanReviewed(d, q, who); },
      RouteDoc("Mark the plan reviewed now: its freshness starts again", K::kOther)
          .Response("account_plans"));
  r.AddSchema("WhitespaceTotals", R"({"type":"object",
    "required":["whitespace_cents","owned_arr_cents","open_cells"],
    "properties":{"whitespace_cents":{"type":"integer"},"owned_arr_cents":{"type":"integer"},
      "open_cells":{"type":"integer"}}})");
  r.AddSchema("WhitespaceMatrix", R"({"type":"object",
    "required":["plan_id","account_id","divisions","products","cells","totals","rule"],
    "properties":{"plan_id":{"type":"integer"},"account_id":{"type":"integer"},
      "rule":{"type":"string","description":"Which cells the totals count, in one sentence"},
      "divisions":{"type":"array","items":{"type":"object"}},
      "products":{"type":"array","items":{"type":"object"}},
      "cells":{"type":"array","items":{"type":"object"}},
      "totals":{"$ref":"#/components/schemas/WhitespaceTotals"}}})");
  r.AddSchema("CellOpportunity", R"({"type":"object","additionalProperties":false,
    "properties":{"name":{"type":"string"},"amount_cents":{"type":"integer"},
      "close_date":{"type":"string","format":"date"},"stage":{"type":"string"}}})");
  r.AddSchema("ConvertedCell", R"({"type":"object","required":["opportunity","cell"],
    "properties":{"opportunity":{"$ref":"#/components/schemas/opportunities"},
      "cell":{"$ref":"#/components/schemas/whitespace_cells"}}})");
  r.Add(
      "GET", "/api/v1/plans/{id}/whitespace",
      [d](const HttpRequest& q, A who) { return GetWhitespace(d, q, who); },
      RouteDoc("The plan's whitespace matrix: the account's divisions × products, each cell with "
               "its sizing (headcount × price × adoption) and the ARR owned there today, and the "
               "row, column and account totals",
               K::kOther)
          .Response("WhitespaceMatrix"));
  auto gate = std::make_shared<PdfGate>(d.pdf_exports_at_once, d.pdf_exports_per_user);
  r.Add(
      "GET", "/api/v1/plans/{id}/export",
      [d, gate](const HttpRequest& q, A who) { return ExportPlan(d, *gate, q, who); },
      RouteDoc("The plan on one printable page for the business review — health and KPIs, "
               "priorities, the relationship map, whitespace, risks, actions — as HTML "
               "(format=html, the default) or PDF (format=pdf, printed by headless Chromium; a "
               "few at once per user and per server, past them 429 with Retry-After)",
               K::kOther)
          .Query({"format"})
          .Blocking());
  r.Add(
      "POST", "/api/v1/plan-whitespace-cells/{id}/opportunity",
      [d](const HttpRequest& q, A who) { return ConvertCell(d, q, who); },
      RouteDoc("Turn an open whitespace cell into a linked upsell (the account has the product) "
               "or cross-sell opportunity; the cell moves to in pipeline. One transaction",
               K::kOther)
          .Request("CellOpportunity")
          .Response("ConvertedCell"));
}

}  // namespace orchard::http
