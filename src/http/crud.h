// Generic REST resources over service::EntityService<T>: list (filters on any column, cursor
// paging), get, create, patch with the version read (409 on a stale one), delete — for every
// entity of domain/schema.h, with one set of rules for bodies, parameters and errors.
#pragma once

#include <boost/json.hpp>

#include <charconv>
#include <memory>
#include <string>

#include "http/api.h"
#include "http/errors.h"
#include "http/handler_kit.h"
#include "http/openapi.h"
#include "http/router.h"
#include "service/entity_service.h"

namespace orchard::http {

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

  CrudRoutes(store::ConnectionPool& pool, const Clock& clock, engine::ReadModel* model)
      : pool_(pool), clock_(clock), model_(model) {}

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
    using A = const service::Actor&;
    if (verbs != Verbs::kWritesOnly) {
      r.Add(
          "GET", base,
          [self](const HttpRequest& q, A who) { return self->List(q, who, std::nullopt); },
          RouteDoc("List " + schema, K::kList, schema).ColumnFilters());
      r.Add(
          "GET", base + "/{id}", [self](const HttpRequest& q, A who) { return self->Get(q, who); },
          RouteDoc("Get one of " + schema, K::kGet, schema));
    }
    if (verbs == Verbs::kReadOnly) return;
    if (verbs != Verbs::kAllButCreate) {
      r.Add(
          "POST", base,
          [self](const HttpRequest& q, A who) { return self->Create(q, who, std::nullopt); },
          RouteDoc("Create one of " + schema, K::kCreate, schema));
    }
    r.Add(
        "PATCH", base + "/{id}",
        [self](const HttpRequest& q, A who) { return self->Patch(q, who); },
        RouteDoc("Change one of " + schema + " (send the version you read)", K::kPatch, schema));
    r.Add(
        "DELETE", base + "/{id}",
        [self](const HttpRequest& q, A who) { return self->Delete(q, who); },
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
        [self](const HttpRequest& q, const service::Actor& who) -> Result<Reply> {
          ORCHARD_TRY(int64_t pid, ParseId(q, "pid"));
          return self->List(q, who, pid);
        },
        RouteDoc("List " + schema + " of one parent", K::kList, schema).ColumnFilters());
    r.Add(
        "POST", parent + "/{pid}/" + name,
        [self](const HttpRequest& q, const service::Actor& who) -> Result<Reply> {
          ORCHARD_TRY(int64_t pid, ParseId(q, "pid"));
          return self->Create(q, who, pid);
        },
        RouteDoc("Create one of " + schema + " under a parent", K::kCreate, schema));
  }

 private:
  // The list's parameters: limit, cursor, sort, and a filter (or a _from/_to bound) per column.
  Result<store::ListQuery> ReadList(const HttpRequest& q) {
    store::ListQuery query;
    ORCHARD_TRY(query.sort, ParseSortParam<T>(q));
    const QueryParams params(q);
    std::string sort_text = params.Get("sort").value_or("");
    for (const auto& [k, v] : q.query) {
      if (k == "limit") {
        ORCHARD_TRY(auto limit, params.Int("limit", 1, 500));
        query.limit = static_cast<int>(*limit);
      } else if (k == "cursor") {
        ORCHARD_TRY(auto cursor, ParseCursorParam(q, sort_text));
        query.after_id = cursor.after_id;
        query.after_value = cursor.after_value;
      } else if (k == "sort") {
        continue;
      } else if (auto range = RangeFilter<T>(k, v); range) {
        if (!*range) return std::unexpected(range->error());
        query.filters.push_back(std::move(**range));
      } else {
        ORCHARD_TRY(auto value, FilterValue<T>(k, v));
        query.filters.push_back({k, std::move(value)});
      }
    }
    return query;
  }

  Result<Reply> List(const HttpRequest& q, const service::Actor& who,
                     std::optional<int64_t> parent) {
    ORCHARD_TRY(store::ListQuery query, ReadList(q));
    if (parent) query.filters.push_back({parent_column_, *parent});
    ORCHARD_TRY(auto page, Service(pool_, clock_, model_).List(who, query));
    boost::json::array items;
    for (const auto& item : page.items) items.push_back(service::ToJson(item));
    boost::json::object out{{"items", std::move(items)}};
    out["next_cursor"] =
        CursorJson(page.next_cursor, QueryParams(q).Get("sort").value_or(""), page.next_sort_value);
    return JsonResponse(out);
  }

  Result<Reply> Get(const HttpRequest& q, const service::Actor& who) {
    ORCHARD_TRY(int64_t id, ParseId(q));
    ORCHARD_TRY(auto row, Service(pool_, clock_, model_).Get(who, IdT(id)));
    return JsonResponse(service::ToJson(row));
  }

  Result<Reply> Create(const HttpRequest& q, const service::Actor& who,
                       std::optional<int64_t> parent) {
    ORCHARD_TRY(auto body, ParseBody(q));
    if (parent) {
      auto given = body.find(parent_column_);
      if (given != body.end() &&
          !(given->value().is_int64() && given->value().as_int64() == *parent)) {
        return FailField(parent_column_, "must match the path (" + std::to_string(*parent) + ")");
      }
      body[parent_column_] = *parent;
    }
    T row{};
    ORCHARD_CHECK(service::ApplyJson(body, row));
    ORCHARD_TRY(auto saved, Service(pool_, clock_, model_).Create(who, std::move(row)));
    return JsonResponse(service::ToJson(saved), 201);
  }

  Result<Reply> Patch(const HttpRequest& q, const service::Actor& who) {
    ORCHARD_TRY(int64_t id, ParseId(q));
    ORCHARD_TRY(auto body, ParseBody(q));
    int64_t version = 0;
    if constexpr (Versioned<T>) {
      auto v = body.find("version");
      if (v == body.end() || !v->value().is_int64()) {
        return FailField(
            "version",
            "is required: send the version you read, so a concurrent edit is not overwritten");
      }
      version = v->value().as_int64();
    }
    auto saved = Service(pool_, clock_, model_).Update(who, IdT(id), version, [&](T& row) {
      return service::ApplyJson(body, row, {"version"});
    });
    if (!saved && saved.error().code == ErrorCode::kConflict) {
      return ConflictResponse(saved.error());
    }
    if (!saved) return std::unexpected(std::move(saved.error()));
    return JsonResponse(service::ToJson(*saved));
  }

  Result<Reply> Delete(const HttpRequest& q, const service::Actor& who) {
    ORCHARD_TRY(int64_t id, ParseId(q));
    ORCHARD_CHECK(Service(pool_, clock_, model_).Delete(who, IdT(id)));
    return NoContent();
  }

  store::ConnectionPool& pool_;
  const Clock& clock_;
  engine::ReadModel* model_;  // kept current with every write, when the server has one
  std::string parent_column_ = "account_id";
};

// The routes of T at "/api/v1/<prefix><name>" and under its parent, "<parent>/{pid}/<name>"
// (an account's contacts, a plan's risks): reachable on their own and from their parent.
template <class T>
void RegisterWithParent(Router& r, const ApiDeps& d, const std::string& name,
                        const std::string& prefix, const std::string& parent,
                        const std::string& parent_column) {
  auto crud = std::make_shared<CrudRoutes<T>>(d.pool, d.clock, d.model);
  crud->Register(r, "/api/v1/" + prefix + name);
  crud->RegisterChild(r, parent, name, parent_column);
}
template <class T>
void RegisterUnderAccount(Router& r, const ApiDeps& d, const std::string& name) {
  RegisterWithParent<T>(r, d, name, "", "/api/v1/accounts", "account_id");
}
template <class T>
void RegisterUnderPlan(Router& r, const ApiDeps& d, const std::string& name) {
  RegisterWithParent<T>(r, d, name, "plan-", "/api/v1/plans", "plan_id");
}
template <class T>
void RegisterAlone(Router& r, const ApiDeps& d, const std::string& base,
                   typename CrudRoutes<T>::Verbs verbs = CrudRoutes<T>::Verbs::kAll) {
  std::make_shared<CrudRoutes<T>>(d.pool, d.clock, d.model)->Register(r, base, verbs);
}

}  // namespace orchard::http
