// The accounts list's derived columns — what the book computes per account on the day (ARR,
// health, next renewal, last meaningful contact, plan completeness, multithreading depth) — and
// a sorted, counted page of the accounts by one of them, answered by one pass over the day
// columns, split across the cores: every admitted account is counted and only the page is kept (a
// bounded heap of limit + 1), so sorting and counting a million-account book asks no SQL. Service
// code owns the filters (service/account_service.cc) and hands them in as a predicate on slots.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/parallel.h"
#include "engine/read_model.h"

namespace orchard::engine {

enum class AccountColumn {
  kArr,           // arr_cents: ARR today
  kHealth,        // health: 0–100; NULL without a score
  kRenewal,       // renewal_date: the next renewal (a day); NULL without one
  kLastContact,   // last_meaningful_contact: a day; NULL without any
  kCompleteness,  // plan_completeness: 0–100 (0 without a plan)
  kDepth,         // multithreading_depth
};

// The list's name of a column (as the API sorts by it: arr_cents, health, renewal_date,
// last_meaningful_contact, plan_completeness, multithreading_depth); nullopt for another name.
std::optional<AccountColumn> ParseAccountColumn(std::string_view name);
std::string_view ToString(AccountColumn column);

// The column's value for `slot` in `on`; nullopt is NULL. Days are day numbers.
std::optional<int64_t> AccountColumnValue(const DayColumns& on, size_t slot, AccountColumn column);

// Where a sorted page starts: after the row (value, id) — nothing when `id` is 0.
struct AccountCursor {
  std::optional<int64_t> value;
  int64_t id = 0;
};

struct SortedAccounts {
  std::vector<size_t> slots;    // the page, in order
  int64_t total = 0;            // every admitted account, cursor or not
  bool more = false;            // rows past the page
  std::optional<int64_t> last;  // the page's last value (the next cursor's)
};

// Order: by value (ascending, or descending), NULLs last either way, then by id ascending.
class AccountOrderBy {
 public:
  AccountOrderBy(const ReadModel& model, const DayColumns& on, AccountColumn column, bool desc)
      : model_(model), on_(on), column_(column), desc_(desc) {}
  std::optional<int64_t> Value(size_t slot) const { return AccountColumnValue(on_, slot, column_); }
  bool Before(size_t a, size_t b) const { return Before(Value(a), model_.account_id(a), b); }
  bool Before(std::optional<int64_t> va, int64_t ida, size_t b) const {
    const auto vb = Value(b);
    if (va.has_value() != vb.has_value()) return va.has_value();
    if (va && *va != *vb) return desc_ ? *va > *vb : *va < *vb;
    return ida < model_.account_id(b);
  }
  bool After(const AccountCursor& c, size_t slot) const {
    return c.id == 0 || Before(c.value, c.id, slot);
  }

 private:
  const ReadModel& model_;
  const DayColumns& on_;
  AccountColumn column_;
  bool desc_;
};

// One pass over every live slot that `admits` (a predicate on slots, called from several threads
// at once: it only reads), split across the cores (engine/parallel.h): counts them and keeps the
// `limit` first after `cursor` in `by`'s order. The caller holds the model's read lock.
template <class Admits>
SortedAccounts SortAccounts(const ReadModel& model, const AccountOrderBy& by,
                            const AccountCursor& cursor, size_t limit, Admits&& admits) {
  auto worse = [&](size_t a, size_t b) { return by.Before(a, b); };  // max-heap: worst on top
  const size_t keep = limit + 1;
  struct Part {
    std::vector<size_t> heap;
    int64_t total = 0;
  };
  auto push = [&](Part& part, size_t slot) {
    if (part.heap.size() < keep) {
      part.heap.push_back(slot);
      std::push_heap(part.heap.begin(), part.heap.end(), worse);
    } else if (by.Before(slot, part.heap.front())) {
      std::pop_heap(part.heap.begin(), part.heap.end(), worse);
      part.heap.back() = slot;
      std::push_heap(part.heap.begin(), part.heap.end(), worse);
    }
  };
  Part all = ReduceRanges(
      model.slots(), Part{},
      [&](Part& part, size_t begin, size_t end) {
        for (size_t slot = begin; slot < end; ++slot) {
          if (!model.live(slot) || !admits(slot)) continue;
          ++part.total;
          if (by.After(cursor, slot)) push(part, slot);
        }
      },
      [&](Part& into, const Part& part) {
        into.total += part.total;
        for (size_t slot : part.heap) push(into, slot);
      });
  SortedAccounts out;
  out.total = all.total;
  std::sort_heap(all.heap.begin(), all.heap.end(), worse);
  out.slots = std::move(all.heap);
  if (out.slots.size() > limit) {
    out.more = true;
    out.slots.resize(limit);
  }
  if (!out.slots.empty()) out.last = by.Value(out.slots.back());
  return out;
}

}  // namespace orchard::engine
