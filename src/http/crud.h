// Generic REST resources over service::EntityService<T>: list (filters on any column, cursor
// paging), get, create, patch with the version read (409 on a stale one), delete — for every
// entity of domain/schema.h, with one set of rules for bodies, parameters and errors.
#pragma once

#include <boost/json.hpp>

#include <charconv>
#include <memory>
#include <string>

#include "http/errors.h"
#include "http/openapi.h"
#include "http/router.h"
#include "service/auth_service.h"
#include "service/entity_service.h"

namespace orchard::http {

inline constexpr size_t kMaxJsonDepth = 32;

HttpResponse JsonResponse(const boost::json::value& v, int status = 200);

// Who is asking: a Bearer API token, or the session cookie (plus X-CSRF-Token on writes).
Result<service::Actor> Authenticate(service::AuthService& auth, const HttpRequest& request);

// The body as a JSON object: 415 for another content type, 400 for malformed or too-deep JSON.
Result<boost::json::object> ParseBody(const HttpRequest& request, HttpResponse* unsupported);
// What a POST to a row's action (/…/{id}/accept, /…/{id}/held) starts with: the caller, the id
// and the body, whose every field is optional (an empty body is an empty object); or the
// response that refuses the request (401, 400, 415).
struct ActionRequest {
  service::Actor actor;
  int64_t id = 0;
  boost::json::object body;
};
std::expected<ActionRequest, HttpResponse> ReadAction(service::AuthService& auth,
                                                      const HttpRequest& request);

Result<int64_t> ParseId(const HttpRequest& request, const std::string& name = "id");

// Where a page starts: after the row with after_id (and, in a sorted list, after_value).
struct ListCursor {
  int64_t after_id = 0;
  store::SqlValue after_value;
};
// `sort` is the list's sort parameter as given ("" for id order); a cursor from a list in
// another order is refused.
Result<ListCursor> ParseCursorParam(const HttpRequest& request, const std::string& sort = "");
// The next_cursor member of a page: null at the end.
boost::json::value CursorJson(const std::optional<int64_t>& next_id, const std::string& sort,
                              const store::SqlValue& value);

// ?sort=column or ?sort=-column (descending) on any readable column of T.
template <class T>
Result<std::optional<store::SortKey>> ParseSortParam(const HttpRequest& request) {
  auto text = QueryParams(request).Get("sort");
  if (!text) return std::nullopt;
  store::SortKey key;
  std::string name = *text;
  if (!name.empty() && name.front() == '-') {
    key.descending = true;
    name.erase(0, 1);
  }
  bool found = false;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name == name && !service::IsSecretColumn(col.name)) found = true;
  });
  if (!found) {
    return FailField("sort", "\"" + *text + "\" is not a column of " +
                                 std::string(EntitySchema<T>::kTable) +
                                 "; give a column name, with - in front for descending order");
  }
  key.column = std::move(name);
  return key;
}
HttpResponse ConflictResponse(const Error& error);

// A query-string value as the SQL value of column `name` of T; unknown or secret columns fail.
template <class T>
Result<store::SqlValue> FilterValue(const std::string& name, const std::string& text) {
  std::optional<Result<store::SqlValue>> out;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name != name || service::IsSecretColumn(col.name)) return;
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    boost::json::value jv;
    int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text == "null") {
      jv = nullptr;
    } else if (text == "true" || text == "false") {
      jv = text == "true";
    } else if (!text.empty() && ec == std::errc() && p == text.data() + text.size()) {
      jv = n;
    } else {
      jv = boost::json::string(text);
    }
    // Text columns take the text as written, even when it looks like a number.
    if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, std::optional<std::string>>) {
      if (text != "null") jv = boost::json::string(text);
    }
    auto v = service::FromJsonValue(jv, static_cast<M*>(nullptr));
    if (!v) {
      out = std::unexpected(FailField(name, v.error().message + "; got \"" + text + "\"").error());
    } else {
      out = store::Codec<M>::ToSql(*v);
    }
  });
  if (!out) return FailField(name, "unknown query parameter");
  return *out;
}

// "<column>_from=V" / "<column>_to=V": an inclusive bound on a column of T (a time range on
// the audit log, say). Nullopt when `name` is not of that shape, so it is read as a column filter.
template <class T>
std::optional<Result<store::Filter>> RangeFilter(const std::string& name, const std::string& text) {
  using Op = store::Filter::Op;
  for (auto [suffix, op] : {std::pair{std::string_view("_from"), Op::kAtLeast},
                            std::pair{std::string_view("_to"), Op::kAtMost}}) {
    if (name.size() <= suffix.size() || !name.ends_with(suffix)) continue;
    std::string column = name.substr(0, name.size() - suffix.size());
    bool is_column = false;
    ForEachColumn<T>([&](const auto& col) { is_column = is_column || col.name == column; });
    if (!is_column) continue;
    if (text == "null") return FailField(name, "a bound cannot be null");
    auto value = FilterValue<T>(column, text);
    if (!value) return FailField(name, value.error().fields.at(0).message);
    return store::Filter{column, std::move(*value), op};
  }
  return std::nullopt;
}

template <class T>
class CrudRoutes : public std::enable_shared_from_this<CrudRoutes<T>> {
 public:
  using Service = service::EntityService<T>;
  using IdT = decltype(T::id);

  CrudRoutes(store::ConnectionPool& pool, const Clock& clock, service::AuthService& auth,
             engine::ReadModel* model)
      : pool_(pool), clock_(clock), auth_(auth), model_(model) {}

  // kAllButCreate: the entity's create is a route of its own (a user's, which takes a password).
  enum class Verbs { kAll, kReadOnly, kWritesOnly, kAllButCreate };

  // GET/POST base, GET/PATCH/DELETE base/{id}, or only the reads, or only the writes, or all but
  // the POST. The input schemas are those of the writes registered, so the document names none
  // that no route takes.
  void Register(Router& r, const std::string& base, Verbs verbs = Verbs::kAll) {
    auto self = this->shared_from_this();
    std::string schema(EntitySchema<T>::kTable);
    r.AddSchema(schema, boost::json::serialize(EntityJsonSchema<T>()));
    if (verbs == Verbs::kAll || verbs == Verbs::kWritesOnly) {
      r.AddSchema(CreateInputName(schema), boost::json::serialize(EntityInputJsonSchema<T>(false)));
    }
    if (verbs != Verbs::kReadOnly) {
      r.AddSchema(PatchInputName(schema), boost::json::serialize(EntityInputJsonSchema<T>(true)));
    }
    using K = RouteDoc::Kind;
    if (verbs != Verbs::kWritesOnly) {
      r.Add(
          "GET", base, [self](const HttpRequest& q) { return self->List(q, std::nullopt); },
          RouteDoc("List " + schema, K::kList, schema).ColumnFilters());
      r.Add(
          "GET", base + "/{id}", [self](const HttpRequest& q) { return self->Get(q); },
          RouteDoc("Get one of " + schema, K::kGet, schema));
    }
    if (verbs == Verbs::kReadOnly) return;
    if (verbs != Verbs::kAllButCreate) {
      r.Add(
          "POST", base, [self](const HttpRequest& q) { return self->Create(q, std::nullopt); },
          RouteDoc("Create one of " + schema, K::kCreate, schema));
    }
    r.Add(
        "PATCH", base + "/{id}", [self](const HttpRequest& q) { return self->Patch(q); },
        RouteDoc("Change one of " + schema + " (send the version you read)", K::kPatch, schema));
    r.Add(
        "DELETE", base + "/{id}", [self](const HttpRequest& q) { return self->Delete(q); },
        RouteDoc("Delete one of " + schema, K::kDelete, schema));
  }

  // GET/POST parent/{pid}/name: the list and creation scoped to a parent (account or plan).
  void RegisterChild(Router& r, const std::string& parent, const std::string& name,
                     std::string parent_column) {
    parent_column_ = std::move(parent_column);
    std::string schema(EntitySchema<T>::kTable);
    using K = RouteDoc::Kind;
    auto self = this->shared_from_this();
    r.Add(
        "GET", parent + "/{pid}/" + name,
        [self](const HttpRequest& q) {
          auto pid = ParseId(q, "pid");
          if (!pid) return ErrorResponse(pid.error());
          return self->List(q, *pid);
        },
        RouteDoc("List " + schema + " of one parent", K::kList, schema).ColumnFilters());
    r.Add(
        "POST", parent + "/{pid}/" + name,
        [self](const HttpRequest& q) {
          auto pid = ParseId(q, "pid");
          if (!pid) return ErrorResponse(pid.error());
          return self->Create(q, *pid);
        },
        RouteDoc("Create one of " + schema + " under a parent", K::kCreate, schema));
  }

 private:
  HttpResponse List(const HttpRequest& q, std::optional<int64_t> parent) {
    auto actor = Authenticate(auth_, q);
    if (!actor) return ErrorResponse(actor.error());
    store::ListQuery query;
    auto sort = ParseSortParam<T>(q);
    if (!sort) return ErrorResponse(sort.error());
    query.sort = *sort;
    std::string sort_text = QueryParams(q).Get("sort").value_or("");
    for (const auto& [k, v] : q.query) {
      if (k == "limit") {
        auto limit = QueryParams(q).GetInt("limit", 1, 500);
        if (!limit) return ErrorResponse(limit.error());
        query.limit = static_cast<int>(**limit);
      } else if (k == "cursor") {
        auto cursor = ParseCursorParam(q, sort_text);
        if (!cursor) return ErrorResponse(cursor.error());
        query.after_id = cursor->after_id;
        query.after_value = cursor->after_value;
      } else if (k == "sort") {
        continue;
      } else if (auto range = RangeFilter<T>(k, v); range) {
        if (!*range) return ErrorResponse(range->error());
        query.filters.push_back(std::move(**range));
      } else {
        auto value = FilterValue<T>(k, v);
        if (!value) return ErrorResponse(value.error());
        query.filters.push_back({k, std::move(*value)});
      }
    }
    if (parent) query.filters.push_back({parent_column_, *parent});
    auto page = Service(pool_, clock_, model_).List(*actor, query);
    if (!page) return ErrorResponse(page.error());
    boost::json::array items;
    for (const auto& item : page->items) items.push_back(service::ToJson(item));
    boost::json::object out{{"items", std::move(items)}};
    out["next_cursor"] = CursorJson(page->next_cursor, sort_text, page->next_sort_value);
    return JsonResponse(out);
  }

  HttpResponse Get(const HttpRequest& q) {
    auto actor = Authenticate(auth_, q);
    if (!actor) return ErrorResponse(actor.error());
    auto id = ParseId(q);
    if (!id) return ErrorResponse(id.error());
    auto row = Service(pool_, clock_, model_).Get(*actor, IdT(*id));
    if (!row) return ErrorResponse(row.error());
    return JsonResponse(service::ToJson(*row));
  }

  HttpResponse Create(const HttpRequest& q, std::optional<int64_t> parent) {
    auto actor = Authenticate(auth_, q);
    if (!actor) return ErrorResponse(actor.error());
    HttpResponse unsupported;
    auto body = ParseBody(q, &unsupported);
    if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
    if (parent) {
      auto given = body->find(parent_column_);
      if (given != body->end() &&
          !(given->value().is_int64() && given->value().as_int64() == *parent)) {
        return ErrorResponse(
            FailField(parent_column_, "must match the path (" + std::to_string(*parent) + ")")
                .error());
      }
      (*body)[parent_column_] = *parent;
    }
    T row{};
    if (auto s = service::ApplyJson(*body, row); !s) return ErrorResponse(s.error());
    auto saved = Service(pool_, clock_, model_).Create(*actor, std::move(row));
    if (!saved) return ErrorResponse(saved.error());
    return JsonResponse(service::ToJson(*saved), 201);
  }

  HttpResponse Patch(const HttpRequest& q) {
    auto actor = Authenticate(auth_, q);
    if (!actor) return ErrorResponse(actor.error());
    auto id = ParseId(q);
    if (!id) return ErrorResponse(id.error());
    HttpResponse unsupported;
    auto body = ParseBody(q, &unsupported);
    if (!body) return unsupported.status != 200 ? unsupported : ErrorResponse(body.error());
    int64_t version = 0;
    if constexpr (Versioned<T>) {
      auto v = body->find("version");
      if (v == body->end() || !v->value().is_int64()) {
        return ErrorResponse(
            FailField(
                "version",
                "is required: send the version you read, so a concurrent edit is not overwritten")
                .error());
      }
      version = v->value().as_int64();
    }
    auto saved = Service(pool_, clock_, model_).Update(*actor, IdT(*id), version, [&](T& row) {
      return service::ApplyJson(*body, row, {"version"});
    });
    if (!saved) {
      return saved.error().code == ErrorCode::kConflict ? ConflictResponse(saved.error())
                                                        : ErrorResponse(saved.error());
    }
    return JsonResponse(service::ToJson(*saved));
  }

  HttpResponse Delete(const HttpRequest& q) {
    auto actor = Authenticate(auth_, q);
    if (!actor) return ErrorResponse(actor.error());
    auto id = ParseId(q);
    if (!id) return ErrorResponse(id.error());
    auto s = Service(pool_, clock_, model_).Delete(*actor, IdT(*id));
    if (!s) return ErrorResponse(s.error());
    HttpResponse r;
    r.status = 204;
    return r;
  }

  store::ConnectionPool& pool_;
  const Clock& clock_;
  service::AuthService& auth_;
  engine::ReadModel* model_;  // kept current with every write, when the server has one
  std::string parent_column_ = "account_id";
};

}  // namespace orchard::http
