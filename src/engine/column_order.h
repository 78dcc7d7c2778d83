// ColumnOrder: one column of the accounts, every live account's value of it, and the accounts in
// the list's order by that column — (value, id), NULLs apart in id order — so that a sorted page
// of the accounts list is a walk from the cursor instead of a sort of every account. The
// ReadModel owns one per column asked for (built on first use from the database) and keeps it
// current with every account write.
//
// Values are the column's SQL values (store::SqlValue, as Codec writes them) and compare as both
// backends compare them: integers by number, text byte by byte (SQLite's BINARY; PostgreSQL under
// the C collation — the ReadModel does not build a text column's order under another collation).
// Timestamps and dates are fixed-width text, so their bytes are in time order.
//
// Not thread-safe: the ReadModel's lock guards it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/database.h"

namespace orchard::engine {

class ColumnOrder {
 public:
  // `ids` is the ReadModel's account id by slot; it must outlive this order.
  explicit ColumnOrder(const std::vector<int64_t>& ids) : ids_(ids) {}

  // Replaces everything with `rows` (slot, value): one sort.
  void Build(std::vector<std::pair<uint32_t, store::SqlValue>> rows);
  // Puts `slot` in the order with `value` (moving it if it was there with another value).
  void Set(uint32_t slot, store::SqlValue value);
  void Erase(uint32_t slot);  // nothing if it is not there

  // Calls visit(slot) for each account in list order that comes after the cursor (after_id 0:
  // from the start; else after the row (after_value, after_id)), until visit returns false.
  // Descending lists values from the largest, ties by id from the largest, NULLs still last.
  void Walk(bool descending, const store::SqlValue& after_value, int64_t after_id,
            const std::function<bool(uint32_t)>& visit) const;

  // The list's order between two accounts in it, and whether one comes after the cursor: for a
  // few accounts, sorting them is cheaper than walking past every other one.
  bool Before(uint32_t a, uint32_t b, bool descending) const;
  bool AfterCursor(uint32_t slot, bool descending, const store::SqlValue& after_value,
                   int64_t after_id) const;

  store::SqlValue value(uint32_t slot) const;
  size_t size() const { return state_.size(); }
  size_t Bytes() const;

 private:
  // Slots in order, in blocks of at most kMaxBlock, so that a write moves a block's worth of
  // entries rather than a million.
  class Sequence {
   public:
    struct Pos {
      size_t block = 0, index = 0;
    };
    // The first position whose slot does not satisfy `before` (which holds for a prefix).
    Pos PartitionPoint(const std::function<bool(uint32_t)>& before) const;
    void Insert(Pos at, uint32_t slot);
    void Erase(Pos at);
    void Assign(const std::vector<uint32_t>& slots);
    uint32_t At(Pos p) const { return blocks_[p.block][p.index]; }
    bool AtEnd(Pos p) const { return p.block >= blocks_.size(); }
    // Forward from `p`, or backward from just before `p`, until visit returns false.
    void Forward(Pos p, const std::function<bool(uint32_t)>& visit) const;
    void Backward(Pos p, const std::function<bool(uint32_t)>& visit) const;
    Pos End() const { return Pos{blocks_.size(), 0}; }
    size_t Bytes() const;

   private:
    static constexpr size_t kMaxBlock = 2048;
    std::vector<std::vector<uint32_t>> blocks_;
  };

  // -1, 0, 1 as slot's value is below, equal to or above v (both non-NULL), and of two slots.
  int Compare(uint32_t slot, const store::SqlValue& v) const;
  int Compare(uint32_t a, uint32_t b) const;
  // Whether (slot's value, slot's id) comes before (v, id) in ascending order.
  bool Less(uint32_t slot, const store::SqlValue& v, int64_t id) const;
  void Put(uint32_t slot, store::SqlValue v);  // the value only, not the order
  Sequence& PartOf(const store::SqlValue& v) {
    return std::holds_alternative<std::monostate>(v) ? nulls_ : values_in_order_;
  }
  // Where (v, id) is (or would go) in its part.
  Sequence::Pos Find(const store::SqlValue& v, int64_t id) const;

  const std::vector<int64_t>& ids_;
  // Each slot's value, by kind: a column holds one kind, so only one of ints_ and texts_ is
  // allocated (8 or 32 bytes an account, where a SqlValue takes 40).
  enum State : uint8_t { kAbsent = 0, kNull = 1, kInt = 2, kText = 3 };
  std::vector<uint8_t> state_;  // by slot
  std::vector<int64_t> ints_;
  std::vector<std::string> texts_;
  Sequence values_in_order_;  // non-NULL values: (value, id) ascending
  Sequence nulls_;            // NULLs: id ascending
};

}  // namespace orchard::engine
