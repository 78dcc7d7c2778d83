// The synthetic book's writer (internal to ingest/): the tables it fills, in foreign-key order,
// the rules every generated row is checked against, and the buffer that writes a batch of rows
// through the bulk writers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "domain/entities.h"
#include "domain/handoff.h"
#include "domain/rules.h"
#include "domain/schema.h"
#include "store/database.h"
#include "store/store.h"

namespace orchard::ingest::seed {

// ---------------------------------------------------------------------------------------------
// The tables, their counters and the rules every generated row must satisfy.

template <class... Ts>
struct TypeList {
  static constexpr size_t kSize = sizeof...(Ts);
};

// Every table the seed writes, in foreign-key order: a row points only at tables listed before
// its own, or at an earlier row of its own table. Flushes write the tables in this order.
using SeedTables = TypeList<User, Product, Account, Division, ContractLine, Contact, Opportunity,
                            Activity, ActivityContact, Ticket, NpsResponse, UsageMetric,
                            EngagementSignal, AccountPlan, PlanPriority, PlanRisk, WhitespaceCell,
                            PlanAction, PlanVersion, Review, Task, Handoff, HealthOverride>;
constexpr size_t kTableCount = SeedTables::kSize;

template <class T>
struct IdOf {
  using type = void;  // link tables have no id
};
template <HasId T>
struct IdOf<T> {
  using type = decltype(T::id);
};

template <class T, class... Ts>
constexpr size_t SlotOf(TypeList<Ts...>) {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Ts);
}
template <class IdT, class... Ts>
constexpr size_t SlotOfId(TypeList<Ts...>) {
  constexpr bool same[] = {std::is_same_v<IdT, typename IdOf<Ts>::type>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Ts);
}
template <class T>
constexpr size_t kSlot = SlotOf<T>(SeedTables{});

// Rows generated so far per table. Ids are contiguous from 1 in generation order, so an id
// "exists earlier in the stream" exactly when it is at most the count.
class Refs {
 public:
  template <class Tag>
  bool Has(Id<Tag> id) const {
    constexpr size_t slot = SlotOfId<Id<Tag>>(SeedTables{});
    static_assert(slot < kTableCount, "a reference to a table the seed does not write");
    return id.value >= 1 && id.value <= count[slot];
  }
  template <class Tag>
  bool Has(const std::optional<Id<Tag>>& id) const {
    return !id || Has(*id);
  }

  std::array<int64_t, kTableCount> count{};
};

inline Status Rule(bool holds, const char* rule) {
  if (holds) return Ok();
  return Fail(ErrorCode::kInternal, rule);
}

// Every row is checked against the entity's own rules — the domain's, the very ones the API
// enforces (domain/rules.h: ValidateRules, reported as "field: reason") — then the generator's
// own invariants, stricter than the product's, and the reference order: a generator bug fails
// the seed, rolled back, instead of writing a book the product would reject. (The limits of
// domain/limits.h are not run here: the generator's words and dates keep them by construction.)
inline Status CheckRow(const User& u, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(u));
  return Rule(r.Has(u.manager_id), "manager must be an earlier user");
}
inline Status CheckRow(const Product& p, const Refs&) {
  return Rule(p.list_price.cents() > 0 && !p.sku.empty(), "a product needs a SKU and a price");
}
inline Status CheckRow(const Account& a, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(a));  // a name, employees ≥ 0, an override with its reason
  return Rule(r.Has(a.parent_id) && r.Has(a.owner_id) && r.Has(a.csm_id) && r.Has(a.sponsor_id),
              "parent, owner, CSM and sponsor must exist");
}
inline Status CheckRow(const Division& d, const Refs& r) {
  ORCHARD_CHECK(Rule(d.headcount >= 0, "headcount must not be negative"));
  return Rule(r.Has(d.account_id) && r.Has(d.covered_by_id), "account and cover must exist");
}
inline Status CheckRow(const ContractLine& l, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(l));  // end ≥ start, ARR ≥ 0
  return Rule(r.Has(l.account_id) && r.Has(l.product_id) && r.Has(l.division_id),
              "account, product and division must exist");
}
inline Status CheckRow(const Contact& c, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(c));  // influence 1–5
  // Reporting lines point at an earlier contact, so they can never form a cycle.
  ORCHARD_CHECK(Rule(r.Has(c.reports_to_id), "reports_to must be an earlier contact"));
  return Rule(r.Has(c.account_id) && r.Has(c.division_id) && r.Has(c.relationship_owner_id),
              "account, division and relationship owner must exist");
}
inline Status CheckRow(const Opportunity& o, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(o));  // amount ≥ 0 and a name
  ORCHARD_CHECK(
      Rule(!o.close_date || o.created_on <= *o.close_date, "created on or before the close date"));
  return Rule(
      r.Has(o.account_id) && r.Has(o.product_id) && r.Has(o.division_id) && r.Has(o.owner_id),
      "account, product, division and owner must exist");
}
inline Status CheckRow(const Activity& a, const Refs& r) {
  return Rule(r.Has(a.account_id) && r.Has(a.user_id), "account and user must exist");
}
inline Status CheckRow(const ActivityContact& ac, const Refs& r) {
  return Rule(r.Has(ac.activity_id) && r.Has(ac.contact_id), "activity and contact must exist");
}
inline Status CheckRow(const Ticket& t, const Refs& r) {
  ORCHARD_CHECK(Rule(!t.closed_at || *t.closed_at >= t.opened_at, "closed after it opened"));
  return Rule(r.Has(t.account_id) && r.Has(t.contact_id), "account and contact must exist");
}
inline Status CheckRow(const NpsResponse& n, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(n));  // score 0–10
  return Rule(r.Has(n.account_id) && r.Has(n.contact_id), "account and contact must exist");
}
inline Status CheckRow(const UsageMetric& u, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(u));  // no negative figures
  ORCHARD_CHECK(Rule(u.active_users <= u.licensed_seats, "0 ≤ active users ≤ licensed seats"));
  return Rule(r.Has(u.account_id), "account must exist");
}
inline Status CheckRow(const EngagementSignal& e, const Refs& r) {
  return Rule(r.Has(e.account_id) && r.Has(e.contact_id), "account and contact must exist");
}
inline Status CheckRow(const AccountPlan& p, const Refs& r) {
  return Rule(r.Has(p.account_id) && r.Has(p.updated_by), "account and editor must exist");
}
inline Status CheckRow(const PlanPriority& p, const Refs& r) {
  return Rule(r.Has(p.plan_id) && r.Has(p.source_contact_id), "plan and source must exist");
}
inline Status CheckRow(const PlanRisk& k, const Refs& r) {
  return Rule(r.Has(k.plan_id) && r.Has(k.mitigation_owner_id), "plan and owner must exist");
}
inline Status CheckRow(const WhitespaceCell& c, const Refs& r) {
  ORCHARD_CHECK(ValidateRules(c));  // potential ≥ 0, a competitor named, adoption 0–100%
  return Rule(
      r.Has(c.plan_id) && r.Has(c.division_id) && r.Has(c.product_id) && r.Has(c.opportunity_id),
      "plan, division, product and opportunity must exist");
}
inline Status CheckRow(const PlanAction& a, const Refs& r) {
  return Rule(r.Has(a.plan_id) && r.Has(a.owner_id) && r.Has(a.priority_id) && r.Has(a.risk_id) &&
                  r.Has(a.whitespace_cell_id),
              "plan, owner and linked priority, risk or cell must exist");
}
inline Status CheckRow(const PlanVersion& v, const Refs& r) {
  ORCHARD_CHECK(Rule(v.version >= 1, "versions count from 1"));
  return Rule(r.Has(v.plan_id) && r.Has(v.changed_by), "plan and editor must exist");
}
inline Status CheckRow(const Review& v, const Refs& r) {
  ORCHARD_CHECK(Rule(v.status != ReviewStatus::kHeld || v.held_on.has_value(), "held on a day"));
  return Rule(r.Has(v.account_id), "account must exist");
}
inline Status CheckRow(const Task& t, const Refs& r) {
  return Rule(r.Has(t.account_id) && r.Has(t.owner_id), "account and owner must exist");
}
inline Status CheckRow(const Handoff& h, const Refs& r) {
  return Rule(
      r.Has(h.account_id) && r.Has(h.opportunity_id) && r.Has(h.seller_id) && r.Has(h.am_id),
      "account, opportunity, seller and AM must exist");
}
inline Status CheckRow(const HealthOverride& o, const Refs& r) {
  ORCHARD_CHECK(Rule(o.score >= 0 && o.score <= 100, "score must be from 0 to 100"));
  return Rule(r.Has(o.account_id) && r.Has(o.set_by), "account and author must exist");
}

// Buffers rows per table (flattened in schema order) and writes them through the bulk writers.
// Adding never fails on the spot: the first invalid row is remembered and Flush() reports it,
// which keeps the generator free of error plumbing (a broken row is a bug, not an input error).
class Writer {
 public:
  explicit Writer(store::Database& db) : db_(db) { Init(SeedTables{}); }

  template <class T>
  void Add(const T& row) {
    constexpr size_t slot = kSlot<T>;
    static_assert(slot < kTableCount, "add the table to SeedTables");
    Table& t = tables_[slot];
    if (!error_) {
      Status ok = Ok();
      if constexpr (HasId<T>) {
        if (row.id.value != refs_.count[slot] + 1) {
          ok = Fail(ErrorCode::kInternal, "ids must be contiguous in generation order");
        }
      }
      if (ok) ok = CheckRow(row, refs_);
      if (!ok) {
        std::string where = std::string(t.name);
        if constexpr (HasId<T>) where += " id " + std::to_string(row.id.value);
        error_ = Error{ErrorCode::kInternal,
                       "the seed generated an invalid row (" + where + "): " + ok.error().message,
                       {}};
      }
    }
    for (auto& v : store::ToSqlValues(row)) t.values.push_back(std::move(v));
    ++t.pending;
    ++refs_.count[slot];
  }

  // Writes every buffered table in foreign-key order (COPY allows one table at a time).
  Status Flush() {
    if (error_) return std::unexpected(*error_);
    for (auto& t : tables_) {
      if (t.pending == 0) continue;
      ORCHARD_TRY(auto writer, db_.OpenBulkWriter(t.name, t.columns));
      size_t width = t.columns.size();
      for (int64_t i = 0; i < t.pending; ++i) {
        ORCHARD_CHECK(writer->Add(std::span<const store::SqlValue>(
            t.values.data() + static_cast<size_t>(i) * width, width)));
      }
      ORCHARD_CHECK(writer->Finish());
      t.written += t.pending;
      total_ += t.pending;
      t.pending = 0;
      t.values.clear();  // keeps its capacity: the next batch reuses it
    }
    return Ok();
  }

  // Moves each id generator past the explicit ids (PostgreSQL identities; no-op on SQLite).
  Status ResetSequences() {
    for (auto& t : tables_) {
      if (t.has_id) ORCHARD_CHECK(db_.ResetIdSequence(t.name));
    }
    return Ok();
  }

  int64_t total() const { return total_; }
  template <class T>
  int64_t Written() const {
    return tables_[kSlot<T>].written;
  }

 private:
  struct Table {
    std::string_view name;
    std::vector<std::string_view> columns;
    bool has_id = false;
    std::vector<store::SqlValue> values;
    int64_t pending = 0;
    int64_t written = 0;
  };

  template <class... Ts>
  void Init(TypeList<Ts...>) {
    (tables_.push_back(
         Table{EntitySchema<Ts>::kTable, store::ColumnNames<Ts>(), HasId<Ts>, {}, 0, 0}),
     ...);
  }

  store::Database& db_;
  std::vector<Table> tables_;
  Refs refs_;
  std::optional<Error> error_;
  int64_t total_ = 0;
};

}  // namespace orchard::ingest::seed
