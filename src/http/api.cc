#include "http/api.h"

#include <boost/json.hpp>
#include <charconv>

#include "http/errors.h"
#include "http/json.h"

namespace orchard::http {

namespace {

HttpResponse Json(const boost::json::value& v, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

boost::json::object AccountJson(const service::AccountView& v) {
  boost::json::object o = ToJson(v.account);
  o["arr_cents"] = v.arr.cents();
  o["tier"] = ToJsonValue(v.tier.effective);
  o["tier_rule"] = ToJsonValue(v.tier.rule);
  return o;
}

// Cursors are opaque to clients: today the last id seen, in decimal.
Result<int64_t> ParseCursor(const QueryParams& q) {
  auto text = q.Get("cursor");
  if (!text) return 0;
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (text->empty() || ec != std::errc() || p != text->data() + text->size() || id < 0) {
    return FailField("cursor", "is not a cursor this server gave out; start again without one");
  }
  return id;
}

HttpResponse ListAccounts(service::AccountService& accounts, const HttpRequest& req) {
  QueryParams q(req);
  service::AccountListQuery query;
  auto parse = [&]() -> Status {
    ORCHARD_CHECK(q.OnlyKnown({"limit", "cursor", "owner_id", "industry", "region", "q"}));
    ORCHARD_TRY(auto limit, q.GetInt("limit", 1, service::kMaxPageSize));
    if (limit) query.limit = static_cast<int>(*limit);
    ORCHARD_TRY(query.after_id, ParseCursor(q));
    ORCHARD_TRY(auto owner, q.GetInt("owner_id", 1, INT64_MAX));
    if (owner) query.owner_id = UserId(*owner);
    query.industry = q.Get("industry");
    query.region = q.Get("region");
    query.name_contains = q.Get("q");
    return Ok();
  };
  if (auto s = parse(); !s) return ErrorResponse(s.error());
  auto page = accounts.List(query);
  if (!page) return ErrorResponse(page.error());
  boost::json::array items;
  for (const auto& v : page->items) items.push_back(AccountJson(v));
  boost::json::object out{{"items", std::move(items)}};
  if (page->next_cursor) {
    out["next_cursor"] = std::to_string(*page->next_cursor);
  } else {
    out["next_cursor"] = nullptr;
  }
  return Json(out);
}

HttpResponse GetAccount(service::AccountService& accounts, const HttpRequest& req) {
  const std::string& text = req.params.at("id");
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id < 1) {
    return ErrorResponse(
        FailField("id", "must be a positive integer; got \"" + text + "\"").error());
  }
  auto view = accounts.Get(AccountId(id));
  if (!view) return ErrorResponse(view.error());
  return Json(AccountJson(*view));
}

HttpResponse Health(store::ConnectionPool& pool) {
  auto db = pool.Acquire();
  Status ping = db ? (*db)->Query("SELECT 1", {}, nullptr) : Status(std::unexpected(db.error()));
  if (!ping) {
    return Json(boost::json::object{{"status", "unavailable"}, {"database", ping.error().message}},
                503);
  }
  return Json(boost::json::object{{"status", "ok"}, {"database", "ok"}});
}

// Until the web UI lands, `/` tells a person what is running and where to look.
constexpr std::string_view kIndexHtml = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orchard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2b1f}
code{background:#eef3ec;padding:.1rem .3rem;border-radius:4px}a{color:#2f6b3a}</style></head>
<body><h1>Orchard is running</h1>
<p>The account book is served over a JSON API:</p>
<ul>
<li><a href="/api/v1/accounts?limit=20"><code>GET /api/v1/accounts</code></a> &mdash; accounts with ARR today and tier
(filters: <code>owner_id</code>, <code>industry</code>, <code>region</code>, <code>q</code>; paging: <code>limit</code>, <code>cursor</code>)</li>
<li><a href="/api/v1/accounts/1"><code>GET /api/v1/accounts/{id}</code></a> &mdash; one account</li>
<li><a href="/healthz"><code>GET /healthz</code></a> &mdash; liveness and database</li>
</ul></body></html>
)html";

HttpResponse Index() {
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::string(kIndexHtml);
  return r;
}

}  // namespace

Router MakeRouter(store::ConnectionPool& pool, service::AccountService& accounts) {
  Router r;
  r.Add("GET", "/", [](const HttpRequest&) { return Index(); });
  r.Add("GET", "/healthz", [&pool](const HttpRequest&) { return Health(pool); });
  r.Add("GET", "/api/v1/accounts",
        [&accounts](const HttpRequest& req) { return ListAccounts(accounts, req); });
  r.Add("GET", "/api/v1/accounts/{id}",
        [&accounts](const HttpRequest& req) { return GetAccount(accounts, req); });
  return r;
}

}  // namespace orchard::http
