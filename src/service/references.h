// A row's references to other rows, checked before it is written, so that a missing user,
// product, division, contact, … is refused naming the field ("owner_id: there is no user 999")
// instead of as the database's bare foreign-key failure, which SQLite reports without naming the
// column; and a reference that would cross accounts or plans (kSameScope) is refused the same way,
// for the API and the importers alike.
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
constexpr std::string_view kTableFor = TableFor<
    IdT, User, Account, Division, Product, ContractLine, Contact, Opportunity, Activity, Ticket,
    NpsResponse, UsageMetric, EngagementSignal, Transcript, AccountPlan, PlanPriority, PlanRisk,
    WhitespaceCell, PlanAction, Review, Task, Handoff, HealthOverride>();

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

// A column whose row must hang from the same account (or the same plan) as the row it names:
// the one list of the links that may not cross accounts. `row_scope` is the row's own column that
// decides its scope: its account_id, or its plan_id (a plan's part hangs from the plan's account).
// Users and products are shared by every account, and an account's parent is the account
// hierarchy (which may cross, but not close a cycle: CheckParent); activity participants are
// checked by ParticipantService, a contact's reports-to line also by CheckReportsTo.
enum class Scope { kAccount, kPlan };
struct SameScopeRule {
  std::string_view table;      // the row's table
  std::string_view column;     // its link
  std::string_view target;     // the table the link names
  Scope scope;                 // what they share
  std::string_view row_scope;  // "account_id" or "plan_id": where the row's scope comes from
};
inline constexpr SameScopeRule kSameScope[] = {
    {"contacts", "division_id", "divisions", Scope::kAccount, "account_id"},
    {"contacts", "reports_to_id", "contacts", Scope::kAccount, "account_id"},
    {"opportunities", "division_id", "divisions", Scope::kAccount, "account_id"},
    {"contract_lines", "division_id", "divisions", Scope::kAccount, "account_id"},
    {"tickets", "contact_id", "contacts", Scope::kAccount, "account_id"},
    {"nps_responses", "contact_id", "contacts", Scope::kAccount, "account_id"},
    {"engagement_signals", "contact_id", "contacts", Scope::kAccount, "account_id"},
    {"transcripts", "activity_id", "activities", Scope::kAccount, "account_id"},
    {"handoffs", "opportunity_id", "opportunities", Scope::kAccount, "account_id"},
    {"plan_priorities", "source_contact_id", "contacts", Scope::kAccount, "plan_id"},
    {"whitespace_cells", "division_id", "divisions", Scope::kAccount, "plan_id"},
    {"whitespace_cells", "opportunity_id", "opportunities", Scope::kAccount, "plan_id"},
    {"plan_actions", "priority_id", "plan_priorities", Scope::kPlan, "plan_id"},
    {"plan_actions", "risk_id", "plan_risks", Scope::kPlan, "plan_id"},
    {"plan_actions", "whitespace_cell_id", "whitespace_cells", Scope::kPlan, "plan_id"},
};

namespace references_detail {

inline Result<std::optional<int64_t>> ScopeOfRow(store::Database& db, std::string_view table,
                                                 Scope scope, int64_t id) {
  const std::string column = scope == Scope::kPlan ? "plan_id" : "account_id";
  store::SqlValue params[] = {id};
  if (scope == Scope::kAccount && (table == "plan_priorities" || table == "plan_risks" ||
                                   table == "whitespace_cells" || table == "plan_actions")) {
    return db.QueryInt("SELECT p.account_id FROM " + std::string(table) +
                           " t JOIN account_plans p ON p.id = t.plan_id WHERE t.id = ?",
                       params);
  }
  return db.QueryInt("SELECT " + column + " FROM " + std::string(table) + " WHERE id = ?", params);
}

inline std::string ScopeName(Scope scope) { return scope == Scope::kPlan ? "plan" : "account"; }

}  // namespace references_detail

// Every link of kSameScope the row holds names a row of the row's own account (or plan).
// `account`/`plan`: the row's scope (a plan's part: its plan and the plan's account).
template <class T>
Status CheckSameScope(store::Database& db, const T& row, std::optional<int64_t> account,
                      std::optional<int64_t> plan) {
  namespace d = references_detail;
  Status status = Ok();
  ForEachColumn<T>([&](const auto& col) {
    using M = std::remove_cvref_t<decltype(row.*(col.member))>;
    if constexpr (!std::is_void_v<typename d::IdOf<M>::type>) {
      if (!status) return;
      for (const SameScopeRule& rule : kSameScope) {
        if (rule.table != EntitySchema<T>::kTable || rule.column != col.name) continue;
        auto id = d::Value(row.*(col.member));
        const std::optional<int64_t> own = rule.scope == Scope::kPlan ? plan : account;
        if (!id || *id <= 0 || !own) continue;
        auto theirs = d::ScopeOfRow(db, rule.target, rule.scope, *id);
        if (!theirs) {
          status = std::unexpected(theirs.error());
        } else if (*theirs && **theirs != *own) {
          status = FailValue(std::string(col.name),
                             d::Singular(rule.target) + " " + std::to_string(*id) + " is of " +
                                 d::ScopeName(rule.scope) + " " + std::to_string(**theirs) +
                                 ", not of this row's " + d::ScopeName(rule.scope) + " " +
                                 std::to_string(*own) + ": links do not cross " +
                                 d::ScopeName(rule.scope) + "s");
        }
        return;
      }
    }
  });
  return status;
}

// A row that moves to another account (or plan) leaves no link behind that would now cross:
// rows of kSameScope naming it from its old scope, and (a plan that moves) its parts' links.
// `field` is the column that moved it; `to` its new scope.
inline Status CheckScopeMove(store::Database& db, std::string_view table, int64_t id,
                             std::string_view field, int64_t to) {
  namespace d = references_detail;
  const std::string idtext = std::to_string(id);
  for (const SameScopeRule& rule : kSameScope) {
    std::string sql;
    if (rule.target == table) {  // rows that name this one
      const bool via_plan = rule.scope == Scope::kAccount && rule.row_scope == "plan_id";
      sql = via_plan ? "SELECT MIN(t.id) FROM " + std::string(rule.table) +
                           " t JOIN account_plans p ON p.id = t.plan_id WHERE t." +
                           std::string(rule.column) + " = ? AND p.account_id <> ?"
                     : "SELECT MIN(id) FROM " + std::string(rule.table) + " WHERE " +
                           std::string(rule.column) + " = ? AND " +
                           (rule.scope == Scope::kPlan ? "plan_id" : "account_id") + " <> ?";
    } else if (table == "account_plans" && rule.row_scope == "plan_id" &&
               rule.scope == Scope::kAccount) {  // a plan's parts name rows of its account
      sql = "SELECT MIN(t.id) FROM " + std::string(rule.table) + " t JOIN " +
            std::string(rule.target) + " x ON x.id = t." + std::string(rule.column) +
            " WHERE t.plan_id = ? AND x.account_id <> ?";
    } else {
      continue;
    }
    store::SqlValue params[] = {id, to};
    ORCHARD_TRY(auto found, db.QueryInt(sql, params));
    if (found) {
      return FailValue(std::string(field),
                       d::Singular(rule.table) + " " + std::to_string(*found) + " links " +
                           d::Singular(table) + " " + idtext + " by its " +
                           std::string(rule.column) + ", which would then cross " +
                           d::ScopeName(rule.scope) + "s: change that link first");
    }
  }
  return Ok();
}

}  // namespace orchard::service
