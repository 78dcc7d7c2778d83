#include "http/api.h"
#include "http/engine_routes.h"
#include "http/import_routes.h"
#include "http/plan_routes.h"
#include "http/review_routes.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>

#include "core/text.h"
#include "engine/health.h"
#include "engine/read_model.h"
#include "engine/relationships.h"
#include "http/crud.h"
#include "http/errors.h"
#include "http/health.h"
#include "http/openapi.h"
#include "http/web.h"
#include "service/entity_json.h"
#include "service/participants.h"

namespace orchard::http {

namespace {

using service::ToJson;
using service::ToJsonValue;

boost::json::object AccountJson(const service::AccountView& v) {
  boost::json::object o = ToJson(v.account);
  o["arr_cents"] = v.arr.cents();
  o["tier"] = ToJsonValue(v.tier.effective);
  o["tier_rule"] = ToJsonValue(v.tier.rule);
  return o;
}

// Each row's health today — score and colour — from the in-memory book's day columns: one slot
// lookup per row under one read lock, no SQL, so a page costs the same at 1M accounts. Without
// the book (or for an account it does not hold yet) the score is null and the colour "none".
void AddHealth(const ApiDeps& d, boost::json::array& items) {
  std::optional<std::shared_lock<std::shared_mutex>> lock;
  const engine::DayColumns* on = nullptr;
  if (d.model != nullptr && !items.empty()) {
    lock.emplace(d.model->ReadLock());
    on = &d.model->On(d.clock.Today().days(), d.settings.Current());
  }
  for (auto& item : items) {
    auto& o = item.as_object();
    std::optional<size_t> slot;
    if (on != nullptr) slot = d.model->SlotOf(o.at("id").as_int64());
    if (slot && d.model->live(*slot) && on->summary[*slot].health >= 0) {
      o["health"] = on->summary[*slot].health;
      o["colour"] = engine::ColourName(on->summary[*slot].colour);
    } else {
      o["health"] = nullptr;
      o["colour"] = "none";
    }
  }
}

// The rows of the accounts `ids` names, in that order, as the list shows them (ARR today, tier,
// health), into `items`: at most `max_items` of them from the first `max_reads` ids, skipping any
// deleted since the ids were read. Returns how many ids it used.
Result<size_t> ReadAccountRows(const ApiDeps& d, const std::vector<int64_t>& ids, size_t max_items,
                               size_t max_reads, boost::json::array& items) {
  size_t next = 0;
  for (; next < ids.size() && items.size() < max_items && next < max_reads; ++next) {
    auto view = d.accounts.Get(AccountId(ids[next]));
    if (!view) {
      if (view.error().code == ErrorCode::kNotFound) continue;  // deleted since
      return std::unexpected(view.error());
    }
    items.push_back(AccountJson(*view));
  }
  AddHealth(d, items);
  return next;
}

// The accounts list's parameters, as both its paths read them.
Status ParseAccountList(const HttpRequest& req, service::AccountListQuery& query) {
  QueryParams q(req);
  std::string sort_text = q.Get("sort").value_or("");
  ORCHARD_CHECK(q.OnlyKnown(
      {"limit", "cursor", "sort", "owner_id", "industry", "region", "q", "tier_override"}));
  ORCHARD_TRY(auto limit, q.GetInt("limit", 1, service::kMaxPageSize));
  if (limit) query.limit = static_cast<int>(*limit);
  ORCHARD_TRY(query.sort, ParseSortParam<Account>(req));
  ORCHARD_TRY(auto cursor, ParseCursorParam(req, sort_text));
  query.after_id = cursor.after_id;
  query.after_value = cursor.after_value;
  ORCHARD_TRY(auto owner, q.GetInt("owner_id", 1, INT64_MAX));
  if (owner) query.owner_id = UserId(*owner);
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
  return Ok();
}

HttpResponse ListAccounts(const ApiDeps& d, const HttpRequest& req) {
  service::AccountListQuery query;
  if (auto s = ParseAccountList(req, query); !s) return ErrorResponse(s.error());
  auto page = d.accounts.List(query);
  if (!page) return ErrorResponse(page.error());
  boost::json::array items;
  for (const auto& v : page->items) items.push_back(AccountJson(v));
  AddHealth(d, items);
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] = CursorJson(page->next_cursor, QueryParams(req).Get("sort").value_or(""),
                                  page->next_sort_value);
  return JsonResponse(out);
}

// The list's filters on what the book holds per account — owner, industry, region, tier
// override and the name search — checked slot by slot, for both paths the book answers. Industry
// and region match by their dictionary codes; a word the book has never seen matches nothing.
// Built and used under the book's read lock.
class BookColumnFilter {
 public:
  BookColumnFilter(const engine::ReadModel& model, std::optional<int64_t> owner,
                   const std::optional<std::string>& industry,
                   const std::optional<std::string>& region,
                   std::optional<std::optional<Tier>> tier_override,
                   const std::optional<std::string>& name)
      : model_(model),
        owner_(owner),
        tier_override_(tier_override),
        name_(FoldCase(name.value_or(""))) {
    for (uint32_t c = 0; c < model.word_count(); ++c) {
      if (industry && model.word(c) == *industry) industry_ = c;
      if (region && model.word(c) == *region) region_ = c;
    }
    none_ = (industry && !industry_) || (region && !region_);
    any_ = owner || industry || region || tier_override || !name_.empty();
  }
  bool any() const { return any_; }  // whether it filters at all
  bool Admits(size_t slot) const {
    if (none_) return false;
    if (owner_ && model_.owner_id(slot) != *owner_) return false;
    if (industry_ && model_.industry_code(slot) != *industry_) return false;
    if (region_ && model_.region_code(slot) != *region_) return false;
    if (tier_override_ && model_.tier_override(slot) != *tier_override_) return false;
    return name_.empty() || model_.name_folded(slot).find(name_) != std::string::npos;
  }

 private:
  const engine::ReadModel& model_;
  std::optional<int64_t> owner_;
  std::optional<uint32_t> industry_, region_;  // codes
  std::optional<std::optional<Tier>> tier_override_;
  std::string name_;  // folded
  bool none_ = false, any_ = false;
};

// A sorted page answered from the book: the accounts in the column's order (kept by every
// write), walked from the cursor, keeping those that pass the filters; the page's rows come from
// the store. SQL needs an index per column to page in order, and a search matching few rows
// walks the whole index. The filters are checked first over every account in slot order (a
// sequential pass), so the walk reads one byte per account it passes over. Without a sort, or
// when the book cannot order as the database does, nullopt: SQL answers.
std::optional<HttpResponse> ListAccountsInOrder(const ApiDeps& d, const HttpRequest& req) {
  if (d.model == nullptr || !QueryParams(req).Get("sort")) return std::nullopt;
  service::AccountListQuery query;
  if (auto s = ParseAccountList(req, query); !s) return ErrorResponse(s.error());
  const engine::ReadModel& model = *d.model;
  std::vector<int64_t> ids;
  store::SqlValue next_value;
  bool more = false;
  {
    // The connection first: building an order reads the column, and a writer holding a
    // connection may be waiting for the book.
    auto db = d.pool.Acquire();
    if (!db) return ErrorResponse(db.error());
    auto lock = model.ReadLock();
    auto order = model.AccountOrder(query.sort->column, **db);
    if (!order) return ErrorResponse(order.error());
    if (*order == nullptr) return std::nullopt;
    const BookColumnFilter filter(
        model, query.owner_id ? std::optional<int64_t>(query.owner_id->value) : std::nullopt,
        query.industry, query.region, query.tier_override, query.name_contains);
    const bool filtered = filter.any();
    std::vector<uint8_t> admitted;
    std::vector<uint32_t> few;  // the admitted slots, while they are few
    const size_t few_cap = model.slots() / 16 + 64;
    if (filtered) {
      admitted.assign(model.slots(), 0);
      for (size_t slot = 0; slot < model.slots(); ++slot) {
        if (!model.live(slot) || !filter.Admits(slot)) continue;
        admitted[slot] = 1;
        if (few.size() <= few_cap) few.push_back(static_cast<uint32_t>(slot));
      }
    }
    const size_t limit = static_cast<size_t>(query.limit);
    const engine::ColumnOrder& by = **order;
    const bool desc = query.sort->descending;
    // A walk passes ~(limit + 1) · slots / admitted accounts to fill a page, each a random read of
    // its mark; sorting the admitted costs ~admitted · log2(admitted). A search that admits few
    // (none, at worst) sorts them rather than walk past every other account.
    const double m = static_cast<double>(few.size());
    const bool sort_few =
        filtered && few.size() <= few_cap &&
        m * std::log2(m + 2) <=
            static_cast<double>(limit + 1) * static_cast<double>(model.slots()) / std::max(m, 1.0);
    if (sort_few) {
      std::erase_if(few, [&](uint32_t slot) {
        return !by.AfterCursor(slot, desc, query.after_value, query.after_id);
      });
      size_t keep = std::min(few.size(), limit + 1);
      std::partial_sort(few.begin(), few.begin() + static_cast<ptrdiff_t>(keep), few.end(),
                        [&](uint32_t a, uint32_t b) { return by.Before(a, b, desc); });
      for (size_t i = 0; i < keep && i < limit; ++i) {
        ids.push_back(model.account_id(few[i]));
        next_value = by.value(few[i]);
      }
      more = few.size() > limit;
    } else {
      by.Walk(desc, query.after_value, query.after_id, [&](uint32_t slot) {
        if (filtered && (slot >= admitted.size() || !admitted[slot])) return true;
        if (ids.size() == limit) {
          more = true;
          return false;
        }
        ids.push_back(model.account_id(slot));
        next_value = by.value(slot);
        return true;
      });
    }
  }
  boost::json::array items;
  if (auto read = ReadAccountRows(d, ids, ids.size(), ids.size(), items); !read) {
    return ErrorResponse(read.error());
  }
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] =
      CursorJson(more ? std::optional<int64_t>(ids.back()) : std::nullopt,
                 QueryParams(req).Get("sort").value_or(""), more ? next_value : store::SqlValue{});
  return JsonResponse(out);
}

// The filters only the in-memory book can answer: the tier in force, the health colour, the 2×2
// quadrant and the days to renewal. With any of them the list is in id order (the cursor is the
// last id), candidates come from the book and the page's rows from the store.
// And "ids": the accounts named (up to a page of them), for a client that holds only ids.
constexpr std::string_view kBookFilters[] = {"tier", "health", "quadrant", "renewal_within", "ids"};

// The book answers the filters only it knows, and a name search (a scan of a million names in
// memory takes milliseconds, where SQL's LIKE '%…%' reads every row) unless the list is sorted
// (ListAccountsInOrder answers that) or filtered by a column the book does not hold.
bool WantsBookFilters(const HttpRequest& req, bool have_book) {
  QueryParams q(req);
  for (auto name : kBookFilters) {
    if (q.Get(name)) return true;
  }
  return have_book && q.Get("q") && !q.Get("sort") && !q.Get("tier_override");
}

HttpResponse ListAccountsFromBook(const ApiDeps& d, const HttpRequest& req) {
  if (d.model == nullptr) {
    return ErrorResponse(
        Error{ErrorCode::kUnavailable,
              "tier, health, quadrant, renewal_within and ids need the in-memory book, "
              "which this server runs without",
              {}});
  }
  QueryParams q(req);
  int limit = 50;
  int64_t after_id = 0;
  std::optional<Tier> tier;
  std::optional<std::string> colour;
  std::optional<Quadrant> quadrant;
  std::optional<int64_t> renewal_within, owner;
  std::optional<std::vector<int64_t>> wanted;  // ids=
  auto parse = [&]() -> Status {
    ORCHARD_CHECK(q.OnlyKnown({"limit", "cursor", "owner_id", "industry", "region", "q", "tier",
                               "health", "quadrant", "renewal_within", "ids"}));
    ORCHARD_TRY(auto l, q.GetInt("limit", 1, service::kMaxPageSize));
    if (l) limit = static_cast<int>(*l);
    ORCHARD_TRY(auto cursor, ParseCursorParam(req, ""));
    after_id = cursor.after_id;
    ORCHARD_TRY(owner, q.GetInt("owner_id", 1, INT64_MAX));
    ORCHARD_TRY(renewal_within, q.GetInt("renewal_within", 0, 3660));
    if (auto t = q.Get("tier")) {
      auto parsed = ParseEnum<Tier>(*t);
      if (!parsed) return FailField("tier", parsed.error().message);
      tier = *parsed;
    }
    if (auto h = q.Get("health")) {
      if (*h != "green" && *h != "yellow" && *h != "red" && *h != "none") {
        return FailField("health", "must be green, yellow, red or none; got \"" + *h + "\"");
      }
      colour = *h;
    }
    if (auto qd = q.Get("quadrant")) {
      auto parsed = ParseEnum<Quadrant>(*qd);
      if (!parsed) return FailField("quadrant", parsed.error().message);
      quadrant = *parsed;
    }
    if (auto text = q.Get("ids")) {
      wanted.emplace();
      std::string_view rest = *text;
      while (true) {
        std::string_view part = rest.substr(0, rest.find(','));
        int64_t id = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
        if (ec != std::errc() || end != part.data() + part.size() || id < 1) {
          return FailField(
              "ids", "must be account ids separated by commas; got \"" + std::string(part) + "\"");
        }
        wanted->push_back(id);
        if (wanted->size() > static_cast<size_t>(service::kMaxPageSize)) {
          return FailField(
              "ids", "at most " + std::to_string(service::kMaxPageSize) + " ids in one request");
        }
        if (part.size() == rest.size()) break;
        rest.remove_prefix(part.size() + 1);
      }
    }
    return Ok();
  };
  if (auto s = parse(); !s) return ErrorResponse(s.error());

  std::vector<int64_t> ids;
  {
    const engine::ReadModel& model = *d.model;
    auto lock = model.ReadLock();
    const BookColumnFilter filter(model, owner, q.Get("industry"), q.Get("region"), std::nullopt,
                                  q.Get("q"));
    int32_t today = d.clock.Today().days();
    const engine::DayColumns& on = model.On(today, d.settings.Current());
    // With ids, only their slots are looked at; otherwise every account's.
    std::vector<size_t> named;
    if (wanted) {
      for (int64_t id : *wanted) {
        if (auto slot = model.SlotOf(id)) named.push_back(*slot);
      }
      std::sort(named.begin(), named.end());
      named.erase(std::unique(named.begin(), named.end()), named.end());
    }
    const size_t count = wanted ? named.size() : model.slots();
    for (size_t i = 0; i < count; ++i) {
      const size_t slot = wanted ? named[i] : i;
      if (!model.live(slot) || model.account_id(slot) <= after_id) continue;
      const engine::Summary& sum = on.summary[slot];
      if (tier && static_cast<Tier>(sum.tier) != *tier) continue;
      if (colour && engine::ColourName(sum.colour) != *colour) continue;
      if (quadrant && static_cast<Quadrant>(sum.quadrant) != *quadrant) continue;
      if (renewal_within &&
          (on.renewal[slot] == INT32_MAX || on.renewal[slot] > today + *renewal_within)) {
        continue;
      }
      if (!filter.Admits(slot)) continue;
      ids.push_back(model.account_id(slot));
    }
  }
  // Rows are read in id order until the page is full, and at most a bounded number per request
  // (one deleted since may be skipped), so a page never stalls. Only those first ids need
  // ordering, whatever the size of the book.
  const size_t max_reads = static_cast<size_t>(limit) * 20;
  std::partial_sort(ids.begin(),
                    ids.begin() + static_cast<ptrdiff_t>(std::min(max_reads, ids.size())),
                    ids.end());
  boost::json::array items;
  auto read = ReadAccountRows(d, ids, static_cast<size_t>(limit), max_reads, items);
  if (!read) return ErrorResponse(read.error());
  const size_t next = *read;
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] =
      next < ids.size() ? boost::json::value(std::to_string(ids[next - 1])) : nullptr;
  return JsonResponse(out);
}

HttpResponse GetAccount(const ApiDeps& d, const HttpRequest& req) {
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  auto view = d.accounts.Get(AccountId(*id));
  if (!view) return ErrorResponse(view.error());
  boost::json::array one{AccountJson(*view)};
  AddHealth(d, one);
  return JsonResponse(one[0]);
}

std::string CookieValue(const HttpRequest& request, std::string_view name) {
  auto it = request.headers.find("cookie");
  if (it == request.headers.end()) return "";
  std::string_view cookies = it->second;
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return "";
}

constexpr std::string_view kSessionCookie = "orchard_session";

// The session cookie's Set-Cookie value; Secure when the request came over TLS (behind a proxy
// the server trusts, --trust-proxy).
std::string SessionCookie(const HttpRequest& req, std::string_view value, std::string_view age) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::string(age) +
         (req.secure ? "; Secure" : "");
}

bool StateChanging(const HttpRequest& request) {
  return request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
}

HttpResponse Login(service::AuthService& auth, const HttpRequest& req) {
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  std::vector<FieldError> missing;
  for (const char* f : {"email", "password"}) {
    auto it = body->find(f);
    if (it == body->end() || !it->value().is_string())
      missing.push_back({f, "is required (a string)"});
  }
  for (const auto& [k, v] : *body) {
    if (k != "email" && k != "password") missing.push_back({std::string(k), "unknown field"});
  }
  if (!missing.empty()) {
    return ErrorResponse(
        Error{ErrorCode::kInvalidArgument, missing[0].field + ": " + missing[0].message, missing});
  }
  const std::string& address = req.peer;
  auto result =
      auth.Login(body->at("email").as_string(), body->at("password").as_string(), address);
  if (!result) {
    HttpResponse r = ErrorResponse(result.error());
    if (result.error().code == ErrorCode::kResourceExhausted) {
      r.status = 429;
      r.headers.emplace_back(
          "Retry-After", std::to_string(std::max<int64_t>(
                             1, auth.RetryAfterSeconds(body->at("email").as_string(), address))));
    }
    return r;
  }
  HttpResponse r =
      JsonResponse(boost::json::object{{"csrf_token", result->csrf_token},
                                       {"user", service::ToJson(result->user)},
                                       {"expires_at", result->expires_at.ToIso8601()}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(req, result->session_token, "604800"));
  return r;
}

HttpResponse Logout(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  std::string token = CookieValue(req, kSessionCookie);
  if (!token.empty()) (void)auth.Logout(token, req.peer);
  HttpResponse r;
  r.status = 204;
  r.headers.emplace_back("Set-Cookie", SessionCookie(req, "", "0"));
  return r;
}

HttpResponse Me(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto user = auth.Me(*actor);
  if (!user) return ErrorResponse(user.error());
  return JsonResponse(service::ToJson(*user));
}

// GET /api/v1/auth/session: who this session cookie signs in, and the CSRF token its writes
// carry. A tab whose token went stale (a sign-in in another tab replaced the session) reads the
// current one here instead of failing every write. Only the app's own origin can read the answer
// (SameSite=Strict cookie, no CORS). A caller with an API token has no session and no CSRF token.
HttpResponse SessionAnswer(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto user = auth.Me(*actor);
  if (!user) return ErrorResponse(user.error());
  const bool bearer = req.headers.find("authorization") != req.headers.end();
  std::string token = bearer ? "" : CookieValue(req, kSessionCookie);
  boost::json::object out{{"user", service::ToJson(*user)}};
  out["csrf_token"] = token.empty() ? boost::json::value(nullptr)
                                    : boost::json::value(service::AuthService::CsrfFor(token));
  return JsonResponse(out);
}

HttpResponse CreateToken(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  for (const auto& [k, v] : *body) {
    if (k != "name" && k != "expires_at") {
      return ErrorResponse(
          FailField(std::string(k), "unknown field; send name and optionally expires_at").error());
    }
  }
  auto name = body->find("name");
  if (name == body->end() || !name->value().is_string()) {
    return ErrorResponse(FailField("name", "is required (a string)").error());
  }
  std::optional<Timestamp> expires_at;
  if (auto e = body->find("expires_at"); e != body->end() && !e->value().is_null()) {
    auto at = e->value().is_string()
                  ? Timestamp::Parse(e->value().as_string())
                  : Result<Timestamp>(Fail(ErrorCode::kInvalidArgument, "not a string"));
    if (!at) {
      return ErrorResponse(
          FailField("expires_at", "must be a UTC date-time such as 2027-01-31T00:00:00Z, or null")
              .error());
    }
    expires_at = *at;
  }
  auto created =
      auth.CreateApiToken(*actor, std::string(name->value().as_string()), expires_at, req.peer);
  if (!created) return ErrorResponse(created.error());
  boost::json::object out = service::ToJson(created->token);
  out["token"] = created->secret;  // shown once, never again
  return JsonResponse(out, 201);
}

HttpResponse ListTokens(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto tokens = auth.ListApiTokens(*actor);
  if (!tokens) return ErrorResponse(tokens.error());
  boost::json::array items;
  for (const auto& t : *tokens) items.push_back(service::ToJson(t));
  return JsonResponse(boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

HttpResponse RevokeToken(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  auto s = auth.RevokeApiToken(*actor, ApiTokenId(*id), req.peer);
  if (!s) return ErrorResponse(s.error());
  HttpResponse r;
  r.status = 204;
  return r;
}

HttpResponse GetSettings(service::AuthService& auth, service::SettingsService& settings,
                         const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  boost::json::object values;
  for (const auto& [k, v] : settings.All()) values[k] = v;
  return JsonResponse(boost::json::object{{"settings", std::move(values)}});
}

HttpResponse PatchSettings(service::AuthService& auth, service::SettingsService& settings,
                           const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  std::map<std::string, std::string> changes;
  for (const auto& [k, v] : *body) {
    if (v.is_int64()) {
      changes[std::string(k)] = std::to_string(v.as_int64());
    } else if (v.is_string()) {
      changes[std::string(k)] = std::string(v.as_string());
    } else {
      return ErrorResponse(FailField(std::string(k), "must be a whole number").error());
    }
  }
  auto all = settings.Change(*actor, changes);
  if (!all) return ErrorResponse(all.error());
  boost::json::object values;
  for (const auto& [k, v] : *all) values[k] = v;
  return JsonResponse(boost::json::object{{"settings", std::move(values)}});
}

// The string fields `names` of a body, all required, nothing else accepted.
Result<std::vector<std::string>> StringFields(const boost::json::object& body,
                                              std::initializer_list<const char*> names) {
  for (const auto& [k, v] : body) {
    if (std::none_of(names.begin(), names.end(), [&](const char* n) { return k == n; })) {
      return FailField(std::string(k), "unknown field");
    }
  }
  std::vector<std::string> out;
  for (const char* n : names) {
    auto it = body.find(n);
    if (it == body.end() || !it->value().is_string()) return FailField(n, "is required (a string)");
    out.emplace_back(it->value().as_string());
  }
  return out;
}

// POST /api/v1/auth/password: the signed-in user's own password, given the current one. Their
// other sessions end; the one asking stays signed in.
HttpResponse ChangePassword(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  auto fields = StringFields(*body, {"current_password", "new_password"});
  if (!fields) return ErrorResponse(fields.error());
  const bool bearer = req.headers.find("authorization") != req.headers.end();
  std::string session = bearer ? "" : CookieValue(req, kSessionCookie);
  auto s = auth.ChangePassword(*actor, session, (*fields)[0], (*fields)[1], req.peer);
  if (!s) {
    HttpResponse r = ErrorResponse(s.error());
    if (s.error().code == ErrorCode::kResourceExhausted) r.status = 429;
    return r;
  }
  HttpResponse r;
  r.status = 204;
  return r;
}

// POST /api/v1/users/{id}/password: an admin sets a user's password; all their sessions end.
HttpResponse ResetPassword(service::AuthService& auth, const HttpRequest& req) {
  auto actor = Authenticate(auth, req);
  if (!actor) return ErrorResponse(actor.error());
  // Refused before the body is read: whoever may not reset learns nothing about what it takes.
  if (!service::Policy::CanAdminister(*actor)) {
    return ErrorResponse(Error{ErrorCode::kPermissionDenied, "only admins reset passwords", {}});
  }
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  auto fields = StringFields(*body, {"password"});
  if (!fields) return ErrorResponse(fields.error());
  auto s = auth.ResetPassword(*actor, UserId(*id), (*fields)[0], req.peer);
  if (!s) return ErrorResponse(s.error());
  HttpResponse r;
  r.status = 204;
  return r;
}

// Users are created with a password, which the generic resource never accepts.
HttpResponse CreateUser(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  auto password = body->find("password");
  if (password == body->end() || !password->value().is_string()) {
    return ErrorResponse(FailField("password", "is required (a string of at least " +
                                                   std::to_string(service::kMinPasswordLength) +
                                                   " characters)")
                             .error());
  }
  User user;
  user.active = true;
  if (auto s = service::ApplyJson(*body, user, {"password"}); !s) return ErrorResponse(s.error());
  if (!service::Policy::CanAdminister(*actor)) {
    return ErrorResponse(Error{ErrorCode::kPermissionDenied, "only admins add users", {}});
  }
  if (auto s = service::CheckNewPassword(password->value().as_string(), user.email); !s) {
    return ErrorResponse(s.error());
  }
  auto hash = service::HashPassword(password->value().as_string(), d.auth.hash_cost());
  if (!hash) return ErrorResponse(hash.error());
  user.password_hash = *hash;
  auto saved = service::EntityService<User>(d.pool, d.clock).Create(*actor, user);
  if (!saved) return ErrorResponse(saved.error());
  return JsonResponse(service::ToJson(*saved), 201);
}

boost::json::object ParticipantsJson(ActivityId activity, const std::vector<ContactId>& ids) {
  boost::json::array list;
  for (ContactId c : ids) list.emplace_back(c.value);
  return {{"activity_id", activity.value}, {"contact_ids", std::move(list)}};
}

HttpResponse GetParticipants(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  auto ids = service::ParticipantService(d.pool, d.clock, d.model).Get(*actor, ActivityId(*id));
  if (!ids) return ErrorResponse(ids.error());
  return JsonResponse(ParticipantsJson(ActivityId(*id), *ids));
}

// One account's relationship map, ready to draw as an org chart coloured by stance: its contacts
// as nodes, the reports-to lines as edges (manager → report), the roots (reporting to no one
// mapped), and the alerts the map raises today (engine/relationships.h).
HttpResponse GetRelationshipMap(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  auto account =
      service::EntityService<Account>(d.pool, d.clock, d.model).Get(*actor, AccountId(*id));
  if (!account) return ErrorResponse(account.error());
  service::EntityService<Contact> contacts(d.pool, d.clock, d.model);
  store::ListQuery query;
  query.filters.push_back({"account_id", *id});
  query.limit = 1000;
  std::vector<Contact> people;
  for (;;) {
    auto page = contacts.List(*actor, query);
    if (!page) return ErrorResponse(page.error());
    people.insert(people.end(), page->items.begin(), page->items.end());
    if (!page->next_cursor) break;
    query.after_id = *page->next_cursor;
  }
  std::set<int64_t> mapped;
  for (const Contact& c : people) mapped.insert(c.id.value);
  boost::json::array nodes, edges, roots, alerts;
  for (const Contact& c : people) {
    boost::json::object node = service::ToJson(c);
    node["name"] = c.first_name + (c.last_name.empty() ? "" : " ") + c.last_name;
    nodes.push_back(std::move(node));
    if (c.reports_to_id && mapped.contains(c.reports_to_id->value)) {
      edges.push_back({{"from", c.reports_to_id->value}, {"to", c.id.value}});
    } else {
      roots.push_back(c.id.value);
    }
  }
  if (d.model != nullptr) {
    auto lock = d.model->ReadLock();
    if (auto slot = d.model->SlotOf(*id)) {
      for (const auto& a : engine::RelationshipAlerts(*d.model, *slot, d.clock.Today().days())) {
        alerts.push_back({{"code", a.code},
                          {"contact_id", a.contact_id ? boost::json::value(a.contact_id)
                                                      : boost::json::value(nullptr)},
                          {"why", a.why}});
      }
    }
  }
  return JsonResponse(boost::json::object{{"account_id", *id},
                                          {"nodes", std::move(nodes)},
                                          {"edges", std::move(edges)},
                                          {"roots", std::move(roots)},
                                          {"alerts", std::move(alerts)}});
}

HttpResponse PutParticipants(const ApiDeps& d, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  auto id = ParseId(req);
  if (!id) return ErrorResponse(id.error());
  HttpResponse unsupported;
  auto body = ParseBody(req, &unsupported);
  if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
  for (const auto& [key, value] : *body) {
    if (key != "contact_ids") {
      return ErrorResponse(FailField(std::string(key), "unknown field; send contact_ids").error());
    }
  }
  auto list = body->find("contact_ids");
  if (list == body->end() || !list->value().is_array()) {
    return ErrorResponse(FailField("contact_ids", "is required: an array of contact ids").error());
  }
  std::vector<ContactId> contacts;
  for (const auto& v : list->value().as_array()) {
    if (!v.is_int64() || v.as_int64() <= 0) {
      return ErrorResponse(FailField("contact_ids", "must hold positive whole numbers; got " +
                                                        boost::json::serialize(v))
                               .error());
    }
    contacts.emplace_back(v.as_int64());
  }
  auto saved = service::ParticipantService(d.pool, d.clock, d.model)
                   .Set(*actor, ActivityId(*id), std::move(contacts));
  if (!saved) return ErrorResponse(saved.error());
  return JsonResponse(ParticipantsJson(ActivityId(*id), *saved));
}

template <class T>
std::shared_ptr<CrudRoutes<T>> Crud(const ApiDeps& d) {
  return std::make_shared<CrudRoutes<T>>(d.pool, d.clock, d.auth, d.model);
}

}  // namespace

HttpResponse JsonResponse(const boost::json::value& v, int status) {
  HttpResponse r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

Result<service::Actor> Authenticate(service::AuthService& auth, const HttpRequest& request) {
  // A read may be served by an identity checked a little earlier while the database is away.
  const service::Use use = StateChanging(request) ? service::Use::kWrite : service::Use::kRead;
  auto bearer = request.headers.find("authorization");
  if (bearer != request.headers.end()) {
    std::string_view value = bearer->second;
    if (!value.starts_with("Bearer ")) {
      return Fail(ErrorCode::kUnauthenticated, "Authorization must be \"Bearer <API token>\"");
    }
    return auth.FromApiToken(value.substr(7), use);
  }
  std::string token = CookieValue(request, kSessionCookie);
  if (token.empty()) {
    return Fail(
        ErrorCode::kUnauthenticated,
        "sign in first (POST /api/v1/auth/login) or send an API token as Authorization: Bearer");
  }
  ORCHARD_TRY(service::Actor actor, auth.FromSession(token, use));
  if (StateChanging(request)) {
    auto csrf = request.headers.find("x-csrf-token");
    if (csrf == request.headers.end() || csrf->second != service::AuthService::CsrfFor(token)) {
      // Named as a field, so a client can tell a stale token (re-read it from
      // GET /api/v1/auth/session) from a write its user may not make.
      return std::unexpected(
          Error{ErrorCode::kPermissionDenied,
                "missing or wrong X-CSRF-Token header: send the csrf_token that sign-in returned",
                {{"x-csrf-token", "does not match this session's token"}}});
    }
  }
  return actor;
}

Result<boost::json::object> ParseBody(const HttpRequest& request, HttpResponse* unsupported) {
  auto type = request.headers.find("content-type");
  if (type == request.headers.end() || !type->second.starts_with("application/json")) {
    *unsupported = ErrorResponse(Error{
        ErrorCode::kInvalidArgument, "the body must be JSON (Content-Type: application/json)", {}});
    unsupported->status = 415;
    return Fail(ErrorCode::kInvalidArgument, "unsupported media type");
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(request.body, ec, {}, options);
  if (ec) {
    std::string why = ec == boost::json::error::too_deep
                          ? "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"
                          : "malformed JSON: " + ec.message();
    return Fail(ErrorCode::kInvalidArgument, why);
  }
  if (!v.is_object()) return Fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  return std::move(v.as_object());
}

std::expected<ActionRequest, HttpResponse> ReadAction(service::AuthService& auth,
                                                      const HttpRequest& request) {
  ActionRequest out;
  auto actor = Authenticate(auth, request);
  if (!actor) return std::unexpected(ErrorResponse(actor.error()));
  out.actor = std::move(*actor);
  auto id = ParseId(request);
  if (!id) return std::unexpected(ErrorResponse(id.error()));
  out.id = *id;
  if (request.body.empty()) return out;
  HttpResponse unsupported;
  auto body = ParseBody(request, &unsupported);
  if (!body) {
    return std::unexpected(unsupported.status != 200 ? unsupported : ErrorResponse(body.error()));
  }
  out.body = std::move(*body);
  return out;
}

Result<int64_t> ParseId(const HttpRequest& request, const std::string& name) {
  const std::string& text = request.params.at(name);
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id < 1) {
    return FailField(name == "pid" ? "id" : name,
                     "must be a positive integer; got \"" + text + "\"");
  }
  return id;
}

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    if (ec != std::errc() || p != hex.data() + i + 2) return std::nullopt;
    out.push_back(static_cast<char>(v));
  }
  return out;
}

Error NotOurCursor() {
  return FailField("cursor", "is not a cursor this server gave out; start again without one")
      .error();
}

}  // namespace

// Cursors are opaque to clients. In id order: the last id seen, in decimal. With a sort:
// "<last id>~<sort>~<hex of the JSON of that row's sort value>", so a cursor from a list in
// another order is refused rather than silently skipping rows.
Result<ListCursor> ParseCursorParam(const HttpRequest& request, const std::string& sort) {
  ListCursor out;
  auto text = QueryParams(request).Get("cursor");
  if (!text) return out;
  std::string_view rest = *text;
  size_t tilde = rest.find('~');
  std::string_view id_text = rest.substr(0, tilde);
  auto [p, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), out.after_id);
  if (id_text.empty() || ec != std::errc() || p != id_text.data() + id_text.size() ||
      out.after_id < 0) {
    return std::unexpected(NotOurCursor());
  }
  if (tilde == std::string_view::npos) {
    if (!sort.empty()) {
      return FailField("cursor", "belongs to a list in id order, not sorted by \"" + sort +
                                     "\"; start again without a cursor");
    }
    return out;
  }
  rest.remove_prefix(tilde + 1);
  size_t second = rest.find('~');
  if (second == std::string_view::npos) return std::unexpected(NotOurCursor());
  if (rest.substr(0, second) != sort) {
    return FailField("cursor", "belongs to a list sorted by \"" +
                                   std::string(rest.substr(0, second)) + "\", not by \"" + sort +
                                   "\"; start again without a cursor");
  }
  auto json = Unhex(rest.substr(second + 1));
  if (!json) return std::unexpected(NotOurCursor());
  boost::system::error_code jec;
  boost::json::value v = boost::json::parse(*json, jec);
  if (jec) return std::unexpected(NotOurCursor());
  if (v.is_int64()) {
    out.after_value = v.as_int64();
  } else if (v.is_string()) {
    out.after_value = std::string(v.as_string());
  } else if (!v.is_null()) {
    return std::unexpected(NotOurCursor());
  }
  return out;
}

boost::json::value CursorJson(const std::optional<int64_t>& next_id, const std::string& sort,
                              const store::SqlValue& value) {
  if (!next_id) return nullptr;
  std::string text = std::to_string(*next_id);
  if (sort.empty()) return boost::json::value(std::move(text));
  boost::json::value v;
  if (const auto* i = std::get_if<int64_t>(&value)) v = *i;
  if (const auto* str = std::get_if<std::string>(&value)) v = boost::json::string(*str);
  return boost::json::value(text + "~" + sort + "~" + Hex(boost::json::serialize(v)));
}

HttpResponse ConflictResponse(const Error& error) {
  HttpResponse r = ErrorResponse(error);
  // The current version travels in the error's fields; also give it at the top for clients.
  boost::json::object body = boost::json::parse(r.body).as_object();
  for (const auto& f : error.fields) {
    if (f.field == "version") body["current_version"] = std::stoll(f.message);
  }
  r.body = boost::json::serialize(body);
  return r;
}

Router MakeRouter(const ApiDeps& d) {
  Router r;
  service::AuthService& auth = d.auth;
  using K = RouteDoc::Kind;

  r.AddSchema("Login", R"({"type":"object","required":["email","password"],
    "additionalProperties":false,
    "properties":{"email":{"type":"string"},"password":{"type":"string"}}})");
  r.AddSchema("TokenRequest", R"({"type":"object","required":["name"],
    "additionalProperties":false,"properties":{"name":{"type":"string"},
      "expires_at":{"type":["string","null"],"format":"date-time"}}})");
  r.AddSchema("PasswordChange", R"({"type":"object",
    "required":["current_password","new_password"],"additionalProperties":false,
    "properties":{"current_password":{"type":"string"},"new_password":{"type":"string"}}})");
  r.AddSchema("PasswordReset", R"({"type":"object","required":["password"],
    "additionalProperties":false,"properties":{"password":{"type":"string"}}})");
  r.AddSchema("users", boost::json::serialize(EntityJsonSchema<User>()));
  r.AddSchema("api_tokens", boost::json::serialize(EntityJsonSchema<ApiToken>()));
  {
    auto created = EntityJsonSchema<ApiToken>();
    created["properties"].as_object()["token"] = {{"type", "string"}};
    created["required"].as_array().emplace_back("token");
    r.AddSchema("CreatedToken", boost::json::serialize(created));
    boost::json::object session{{"type", "object"},
                                {"required", {"csrf_token", "user", "expires_at"}},
                                {"properties",
                                 {{"csrf_token", {{"type", "string"}}},
                                  {"user", {{"$ref", "#/components/schemas/users"}}},
                                  {"expires_at", {{"type", "string"}, {"format", "date-time"}}}}}};
    r.AddSchema("SessionStarted", boost::json::serialize(session));
    auto view = EntityJsonSchema<Account>();
    auto& props = view["properties"].as_object();
    props["arr_cents"] = {{"type", "integer"}};
    props["tier"] = {{"type", "integer"}, {"enum", {1, 2, 3}}};
    props["tier_rule"] = {{"type", "integer"}, {"enum", {1, 2, 3}}};
    props["health"] = {{"type", {"integer", "null"}}, {"minimum", 0}, {"maximum", 100}};
    props["colour"] = {{"type", "string"}, {"enum", {"green", "yellow", "red", "none"}}};
    for (const char* f : {"arr_cents", "tier", "tier_rule", "health", "colour"})
      view["required"].as_array().emplace_back(f);
    r.AddSchema("account_views", boost::json::serialize(view));
  }

  // The web UI: its files, and its index page for "/" and every other page path.
  r.Add(
      "GET", "/", [](const HttpRequest& q) { return *ServeWeb(q); },
      RouteDoc("The web UI", K::kOther).Public());
  r.SetFallback(ServeWeb);
  AddHealthRoutes(r, d.pool);
  r.Add(
      "POST", "/api/v1/auth/login", [&auth](const HttpRequest& q) { return Login(auth, q); },
      RouteDoc("Sign in: sets the session cookie, returns the CSRF token", K::kOther)
          .Request("Login")
          .Response("SessionStarted")
          .Public()
          .Blocking());
  r.Add(
      "POST", "/api/v1/auth/logout", [&auth](const HttpRequest& q) { return Logout(auth, q); },
      RouteDoc("Sign out", K::kOther));
  r.Add(
      "GET", "/api/v1/me", [&auth](const HttpRequest& q) { return Me(auth, q); },
      RouteDoc("The signed-in user", K::kOther).Response("users"));
  r.AddSchema("Session", R"({"type":"object","required":["user","csrf_token"],
    "properties":{"user":{"$ref":"#/components/schemas/users"},
      "csrf_token":{"type":["string","null"]}}})");
  r.Add(
      "GET", "/api/v1/auth/session",
      [&auth](const HttpRequest& q) { return SessionAnswer(auth, q); },
      RouteDoc("The signed-in user and the CSRF token of this session (null for an API token): "
               "a page whose token went stale reads the current one here",
               K::kOther)
          .Response("Session"));
  r.Add(
      "POST", "/api/v1/auth/password",
      [&auth](const HttpRequest& q) { return ChangePassword(auth, q); },
      RouteDoc("Change your own password (give the current one); your other sessions end",
               K::kOther)
          .Request("PasswordChange")
          .Blocking());  // Argon2id, twice
  r.Add(
      "GET", "/api/v1/tokens", [&auth](const HttpRequest& q) { return ListTokens(auth, q); },
      RouteDoc("API tokens (yours; all for admins)", K::kList, "api_tokens"));
  r.Add(
      "POST", "/api/v1/tokens", [&auth](const HttpRequest& q) { return CreateToken(auth, q); },
      RouteDoc("Create an API token; the secret is shown once", K::kOther)
          .Request("TokenRequest")
          .Response("CreatedToken"));
  r.Add(
      "DELETE", "/api/v1/tokens/{id}",
      [&auth](const HttpRequest& q) { return RevokeToken(auth, q); },
      RouteDoc("Revoke an API token", K::kDelete, "api_tokens"));

  // Accounts: reads carry ARR today, the tier and health; writes are the generic ones.
  r.Add(
      "GET", "/api/v1/accounts",
      [d](const HttpRequest& q) {
        auto actor = Authenticate(d.auth, q);
        if (!actor) return ErrorResponse(actor.error());
        if (WantsBookFilters(q, d.model != nullptr)) return ListAccountsFromBook(d, q);
        if (auto sorted = ListAccountsInOrder(d, q)) return std::move(*sorted);
        return ListAccounts(d, q);
      },
      RouteDoc("List accounts with ARR today, tier and health (score and colour, from the "
               "in-memory book). tier (in force), health (green, yellow, "
               "red, none), quadrant, renewal_within (days) and ids (comma-separated, up to 500) "
               "are answered from the in-memory book and list in id order",
               K::kList, "account_views")
          .Query({"owner_id", "industry", "region", "q", "tier_override", "tier", "health",
                  "quadrant", "renewal_within", "ids"}));
  r.Add(
      "GET", "/api/v1/accounts/{id}",
      [d](const HttpRequest& q) {
        auto actor = Authenticate(d.auth, q);
        if (!actor) return ErrorResponse(actor.error());
        return GetAccount(d, q);
      },
      RouteDoc("One account with ARR today, tier and health", K::kGet, "account_views"));
  using V = CrudRoutes<Account>::Verbs;
  Crud<Account>(d)->Register(r, "/api/v1/accounts", V::kWritesOnly);

  // Everything under an account, reachable on its own and from its account.
  auto under_account = [&](auto crud, const std::string& name) {
    crud->Register(r, "/api/v1/" + name);
    crud->RegisterChild(r, "/api/v1/accounts", name, "account_id");
  };
  under_account(Crud<Division>(d), "divisions");
  under_account(Crud<ContractLine>(d), "contract-lines");
  under_account(Crud<Contact>(d), "contacts");
  r.AddSchema("RelationshipMap", R"({"type":"object",
    "required":["account_id","nodes","edges","roots","alerts"],
    "properties":{"account_id":{"type":"integer"},
      "nodes":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/contacts"},
        {"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}]}},
      "edges":{"type":"array","items":{"type":"object","required":["from","to"],
        "properties":{"from":{"type":"integer"},"to":{"type":"integer"}}}},
      "roots":{"type":"array","items":{"type":"integer"}},
      "alerts":{"type":"array","items":{"type":"object","required":["code","contact_id","why"],
        "properties":{"code":{"type":"string",
          "enum":["champion_lost","no_economic_buyer","detractor_dark"]},
          "contact_id":{"type":["integer","null"]},"why":{"type":"string"}}}}}})");
  r.Add(
      "GET", "/api/v1/accounts/{id}/relationship-map",
      [d](const HttpRequest& q) { return GetRelationshipMap(d, q); },
      RouteDoc("The account's relationship map: contacts as nodes, reports-to lines as edges "
               "(manager → report), roots, and its alerts (champion or economic buyer departed, "
               "no economic buyer, an influential detractor not engaged for 60 days)",
               K::kOther)
          .Response("RelationshipMap"));
  under_account(Crud<Opportunity>(d), "opportunities");
  under_account(Crud<Activity>(d), "activities");
  r.AddSchema("Participants", R"({"type":"object","required":["contact_ids"],
    "properties":{"activity_id":{"type":"integer"},
      "contact_ids":{"type":"array","items":{"type":"integer"}}}})");
  r.Add(
      "GET", "/api/v1/activities/{id}/contacts",
      [d](const HttpRequest& q) { return GetParticipants(d, q); },
      RouteDoc("Who took part in an activity (multithreading depth counts them)", K::kOther)
          .Response("Participants"));
  r.Add(
      "PUT", "/api/v1/activities/{id}/contacts",
      [d](const HttpRequest& q) { return PutParticipants(d, q); },
      RouteDoc("Replace who took part in an activity: contacts of its account", K::kOther)
          .Request("Participants")
          .Response("Participants"));
  under_account(Crud<Ticket>(d), "tickets");
  under_account(Crud<NpsResponse>(d), "nps-responses");
  under_account(Crud<UsageMetric>(d), "usage");
  under_account(Crud<EngagementSignal>(d), "engagement-signals");
  under_account(Crud<AccountPlan>(d), "plans");
  under_account(Crud<Review>(d), "reviews");
  under_account(Crud<Task>(d), "tasks");
  under_account(Crud<Handoff>(d), "handoffs");
  under_account(Crud<HealthOverride>(d), "health-overrides");

  // The parts of a plan, on their own and from their plan.
  auto under_plan = [&](auto crud, const std::string& name) {
    crud->Register(r, "/api/v1/plan-" + name);
    crud->RegisterChild(r, "/api/v1/plans", name, "plan_id");
  };
  under_plan(Crud<PlanPriority>(d), "priorities");
  under_plan(Crud<PlanRisk>(d), "risks");
  under_plan(Crud<WhitespaceCell>(d), "whitespace-cells");
  under_plan(Crud<PlanAction>(d), "actions");

  Crud<Product>(d)->Register(r, "/api/v1/products");
  r.AddSchema("NewUser", R"({"type":"object","required":["email","role","password"],
    "properties":{"email":{"type":"string"},"name":{"type":"string"},"password":{"type":"string"},
      "role":{"type":"string","enum":["admin","leader","manager","am","csm","viewer"]},
      "manager_id":{"type":["integer","null"]},"active":{"type":"boolean"}}})");
  r.Add(
      "POST", "/api/v1/users", [d](const HttpRequest& q) { return CreateUser(d, q); },
      RouteDoc("Add a user with a password (admins)", K::kOther)
          .Request("NewUser")
          .Response("users")
          .Blocking());
  Crud<User>(d)->Register(r, "/api/v1/users", CrudRoutes<User>::Verbs::kAllButCreate);
  r.Add(
      "POST", "/api/v1/users/{id}/password",
      [&auth](const HttpRequest& q) { return ResetPassword(auth, q); },
      RouteDoc("Set a user's password (admins); all of that user's sessions end", K::kOther)
          .Request("PasswordReset")
          .Blocking());  // Argon2id

  service::SettingsService& settings = d.settings;
  r.AddSchema("Settings", R"({"type":"object","required":["settings"],
    "properties":{"settings":{"type":"object","additionalProperties":{"type":"string"}}}})");
  r.AddSchema("SettingsChange", R"({"type":"object",
    "description":"The settings to change, by name (as GET /api/v1/settings names them), each with its new value",
    "additionalProperties":{"oneOf":[{"type":"string"},{"type":"integer"}]}})");
  r.Add(
      "GET", "/api/v1/settings",
      [&auth, &settings](const HttpRequest& q) { return GetSettings(auth, settings, q); },
      RouteDoc("Every setting in force (tiers, coverage, cadences, health weights)", K::kOther)
          .Response("Settings"));
  r.Add(
      "PATCH", "/api/v1/settings",
      [&auth, &settings](const HttpRequest& q) { return PatchSettings(auth, settings, q); },
      RouteDoc("Change settings, all or nothing (admins)", K::kOther)
          .Request("SettingsChange")
          .Response("Settings"));
  Crud<PlanVersion>(d)->Register(r, "/api/v1/plan-versions",
                                 CrudRoutes<PlanVersion>::Verbs::kReadOnly);
  AddPlanRoutes(r, d);
  AddReviewRoutes(r, d);
  AddImportRoutes(r, d);
  Crud<AuditEntry>(d)->Register(r, "/api/v1/audit", CrudRoutes<AuditEntry>::Verbs::kReadOnly);

  AddEngineRoutes(r, d);

  if (d.metrics != nullptr) {
    r.Add(
        "GET", "/metrics",
        [metrics = d.metrics](const HttpRequest& q) { return metrics->Serve(q); },
        RouteDoc("Prometheus metrics: requests, latency, database pool (the metrics token, "
                 "or a server on loopback only)",
                 K::kOther)
            .Public());
  }

  // The document describes every route above, and itself.
  auto document = std::make_shared<std::string>();
  r.Add(
      "GET", "/api/v1/openapi.json",
      [document](const HttpRequest&) {
        HttpResponse res;
        res.body = *document;
        return res;
      },
      RouteDoc("This OpenAPI 3.1 document", K::kOther).Public());
  *document = boost::json::serialize(BuildOpenApi(r));
  return r;
}

}  // namespace orchard::http
