// A row's references to other rows, checked before it is written, so that a missing user,
// product, division, contact, … is refused naming the field ("owner_id: there is no user 999")
// instead of as the database's bare foreign-key failure, which SQLite reports without naming the
// column.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/ids.h"
#include "core/result.h"
#include "domain/entities.h"
#include "domain/schema.h"
#include "store/database.h"

namespace orchard::service {

namespace references_detail {

// The table whose rows have ids of type IdT ("" for none).
template <class IdT, class E, class... Rest>
constexpr std::string_view TableFor() {
  if constexpr (std::is_same_v<decltype(E::id), IdT>) {
    return EntitySchema<E>::kTable;
  } else if constexpr (sizeof...(Rest) > 0) {
    return TableFor<IdT, Rest...>();
  } else {
    return {};
  }
}
template <class IdT>
constexpr std::string_view kTableFor =
    TableFor<IdT, User, Account, Division, Product, ContractLine, Contact, Opportunity, Activity,
             Ticket, NpsResponse, UsageMetric, EngagementSignal, AccountPlan, PlanPriority,
             PlanRisk, WhitespaceCell, PlanAction, Review, Task, Handoff, HealthOverride>();

template <class M>
struct IdOf {
  using type = void;
};
template <class Tag>
struct IdOf<Id<Tag>> {
  using type = Id<Tag>;
};
template <class Tag>
struct IdOf<std::optional<Id<Tag>>> {
  using type = Id<Tag>;
};

inline std::optional<int64_t> Value(const auto& id) {
  if constexpr (requires { id.has_value(); }) {
    if (!id) return std::nullopt;
    return id->value;
  } else {
    return id.value;
  }
}

// "users" → "user", "opportunities" → "opportunity", "account_plans" → "account plan".
inline std::string Singular(std::string_view table) {
  std::string s(table);
  if (s.ends_with("ies")) {
    s = s.substr(0, s.size() - 3) + "y";
  } else if (s.ends_with("s")) {
    s.pop_back();
  }
  for (char& c : s) c = c == '_' ? ' ' : c;
  return s;
}

}  // namespace references_detail

// Every id the row holds (other than its own) names a row that exists.
template <class T>
Status CheckReferences(store::Database& db, const T& row) {
  namespace d = references_detail;
  Status status = Ok();
  ForEachColumn<T>([&](const auto& col) {
    using M = std::remove_cvref_t<decltype(row.*(col.member))>;
    using IdT = typename d::IdOf<M>::type;
    if constexpr (!std::is_void_v<IdT>) {
      constexpr std::string_view table = d::kTableFor<IdT>;
      if (!status || col.name == "id" || table.empty()) return;
      auto id = d::Value(row.*(col.member));
      if (!id || *id <= 0) return;
      store::SqlValue params[] = {*id};
      auto found =
          db.QueryInt("SELECT COUNT(*) FROM " + std::string(table) + " WHERE id = ?", params);
      if (!found) {
        status = std::unexpected(found.error());
      } else if (found->value_or(0) == 0) {
        status = FailValue(std::string(col.name),
                           "there is no " + d::Singular(table) + " " + std::to_string(*id));
      }
    }
  });
  return status;
}

}  // namespace orchard::service
