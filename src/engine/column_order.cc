#include "engine/column_order.h"

#include <algorithm>
#include <string>

namespace orchard::engine {

namespace {

// Integers before text, as SQLite orders mixed storage classes (a cursor of the wrong kind).
int Kind(const store::SqlValue& v) { return std::holds_alternative<int64_t>(v) ? 0 : 1; }

}  // namespace

store::SqlValue ColumnOrder::value(uint32_t slot) const {
  switch (state_[slot]) {
    case kInt:
      return ints_[slot];
    case kText:
      return texts_[slot];
    default:
      return store::SqlValue{};
  }
}

int ColumnOrder::Compare(uint32_t slot, const store::SqlValue& v) const {
  int mine = state_[slot] == kInt ? 0 : 1;
  if (mine != Kind(v)) return mine < Kind(v) ? -1 : 1;
  if (mine == 0) {
    int64_t x = ints_[slot], y = std::get<int64_t>(v);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // std::string compares bytes as unsigned char (memcmp), as SQLite's BINARY and "C" do.
  int c = texts_[slot].compare(std::get<std::string>(v));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int ColumnOrder::Compare(uint32_t a, uint32_t b) const {
  if (state_[a] != state_[b]) return state_[a] == kInt ? -1 : 1;
  if (state_[a] == kInt) return ints_[a] < ints_[b] ? -1 : ints_[a] > ints_[b] ? 1 : 0;
  int c = texts_[a].compare(texts_[b]);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool ColumnOrder::Before(uint32_t a, uint32_t b, bool descending) const {
  bool a_null = state_[a] == kNull, b_null = state_[b] == kNull;
  if (a_null != b_null) return b_null;
  if (!a_null) {
    int c = Compare(a, b);
    if (c != 0) return descending ? c > 0 : c < 0;
  }
  return descending ? ids_[a] > ids_[b] : ids_[a] < ids_[b];
}

bool ColumnOrder::AfterCursor(uint32_t slot, bool descending, const store::SqlValue& after_value,
                              int64_t after_id) const {
  if (after_id <= 0) return true;
  const bool id_after = descending ? ids_[slot] < after_id : ids_[slot] > after_id;
  const bool null = state_[slot] == kNull;
  if (std::holds_alternative<std::monostate>(after_value)) return null && id_after;
  if (null) return true;  // NULLs come after every value
  int c = Compare(slot, after_value);
  if (c != 0) return descending ? c < 0 : c > 0;
  return id_after;
}

bool ColumnOrder::Less(uint32_t slot, const store::SqlValue& v, int64_t id) const {
  if (state_[slot] != kNull) {
    int c = Compare(slot, v);
    if (c != 0) return c < 0;
  }
  return ids_[slot] < id;
}

void ColumnOrder::Put(uint32_t slot, store::SqlValue v) {
  if (slot >= state_.size()) state_.resize(slot + 1, kAbsent);
  if (state_[slot] == kText) std::string().swap(texts_[slot]);
  if (auto* n = std::get_if<int64_t>(&v)) {
    if (ints_.size() <= slot) ints_.resize(std::max(state_.size(), ids_.size()));
    ints_[slot] = *n;
    state_[slot] = kInt;
  } else if (auto* t = std::get_if<std::string>(&v)) {
    if (texts_.size() <= slot) texts_.resize(std::max(state_.size(), ids_.size()));
    texts_[slot] = std::move(*t);
    state_[slot] = kText;
  } else {
    state_[slot] = kNull;
  }
}

ColumnOrder::Sequence::Pos ColumnOrder::Find(const store::SqlValue& v, int64_t id) const {
  const Sequence& part = std::holds_alternative<std::monostate>(v) ? nulls_ : values_in_order_;
  return part.PartitionPoint([&](uint32_t s) { return Less(s, v, id); });
}

void ColumnOrder::Build(std::vector<std::pair<uint32_t, store::SqlValue>> rows) {
  state_.assign(ids_.size(), kAbsent);
  ints_.clear();
  texts_.clear();
  std::vector<uint32_t> with_value, without;
  for (auto& [slot, value] : rows) {
    (std::holds_alternative<std::monostate>(value) ? without : with_value).push_back(slot);
    Put(slot, std::move(value));
  }
  std::sort(with_value.begin(), with_value.end(), [&](uint32_t a, uint32_t b) {
    int c = Compare(a, b);
    return c != 0 ? c < 0 : ids_[a] < ids_[b];
  });
  std::sort(without.begin(), without.end(),
            [&](uint32_t a, uint32_t b) { return ids_[a] < ids_[b]; });
  values_in_order_.Assign(with_value);
  nulls_.Assign(without);
}

void ColumnOrder::Erase(uint32_t slot) {
  if (slot >= state_.size() || state_[slot] == kAbsent) return;
  store::SqlValue v = value(slot);
  Sequence::Pos at = Find(v, ids_[slot]);
  Sequence& part = PartOf(v);
  if (!part.AtEnd(at) && part.At(at) == slot) part.Erase(at);
  if (state_[slot] == kText) std::string().swap(texts_[slot]);
  state_[slot] = kAbsent;
}

void ColumnOrder::Set(uint32_t slot, store::SqlValue v) {
  if (slot < state_.size() && state_[slot] != kAbsent && value(slot) == v) return;
  Erase(slot);
  Sequence::Pos at = Find(v, ids_[slot]);
  PartOf(v).Insert(at, slot);
  Put(slot, std::move(v));
}

void ColumnOrder::Walk(bool descending, const store::SqlValue& after_value, int64_t after_id,
                       const std::function<bool(uint32_t)>& visit) const {
  bool stopped = false;
  auto go_on = [&](uint32_t slot) {
    if (!visit(slot)) stopped = true;
    return !stopped;
  };
  const bool from_start = after_id <= 0;
  const bool after_null = !from_start && std::holds_alternative<std::monostate>(after_value);
  if (!descending) {
    // Values ascending, then NULLs by id ascending.
    if (!after_null) {
      // The first entry after (after_value, after_id): past every entry at or before it.
      Sequence::Pos p =
          from_start ? Sequence::Pos{} : values_in_order_.PartitionPoint([&](uint32_t s) {
            int c = Compare(s, after_value);
            return c != 0 ? c < 0 : ids_[s] <= after_id;
          });
      values_in_order_.Forward(p, go_on);
      if (stopped) return;
    }
    Sequence::Pos p = after_null
                          ? nulls_.PartitionPoint([&](uint32_t s) { return ids_[s] <= after_id; })
                          : Sequence::Pos{};
    nulls_.Forward(p, go_on);
  } else {
    // Values descending, then NULLs by id descending.
    if (!after_null) {
      Sequence::Pos p =
          from_start ? values_in_order_.End() : values_in_order_.PartitionPoint([&](uint32_t s) {
            return Less(s, after_value, after_id);
          });
      values_in_order_.Backward(p, go_on);
      if (stopped) return;
    }
    Sequence::Pos p = after_null
                          ? nulls_.PartitionPoint([&](uint32_t s) { return ids_[s] < after_id; })
                          : nulls_.End();
    nulls_.Backward(p, go_on);
  }
}

size_t ColumnOrder::Bytes() const {
  size_t bytes = state_.capacity() + ints_.capacity() * sizeof(int64_t) +
                 texts_.capacity() * sizeof(std::string);
  for (const auto& t : texts_) {
    if (t.capacity() > 15) bytes += t.capacity() + 1;
  }
  return bytes + values_in_order_.Bytes() + nulls_.Bytes();
}

// --- Sequence ---------------------------------------------------------------------------------

ColumnOrder::Sequence::Pos ColumnOrder::Sequence::PartitionPoint(
    const std::function<bool(uint32_t)>& before) const {
  // The first block whose last slot is not before; then within it.
  auto block =
      std::partition_point(blocks_.begin(), blocks_.end(),
                           [&](const std::vector<uint32_t>& b) { return before(b.back()); });
  if (block == blocks_.end()) return End();
  auto in = std::partition_point(block->begin(), block->end(), before);
  return Pos{static_cast<size_t>(block - blocks_.begin()),
             static_cast<size_t>(in - block->begin())};
}

void ColumnOrder::Sequence::Insert(Pos at, uint32_t slot) {
  if (blocks_.empty()) {
    blocks_.push_back({slot});
    return;
  }
  if (at.block >= blocks_.size()) at = Pos{blocks_.size() - 1, blocks_.back().size()};
  auto& b = blocks_[at.block];
  b.insert(b.begin() + static_cast<ptrdiff_t>(at.index), slot);
  if (b.size() > kMaxBlock) {
    std::vector<uint32_t> upper(b.begin() + static_cast<ptrdiff_t>(b.size() / 2), b.end());
    b.resize(b.size() / 2);
    blocks_.insert(blocks_.begin() + static_cast<ptrdiff_t>(at.block) + 1, std::move(upper));
  }
}

void ColumnOrder::Sequence::Erase(Pos at) {
  auto& b = blocks_[at.block];
  b.erase(b.begin() + static_cast<ptrdiff_t>(at.index));
  if (b.empty()) blocks_.erase(blocks_.begin() + static_cast<ptrdiff_t>(at.block));
}

void ColumnOrder::Sequence::Assign(const std::vector<uint32_t>& slots) {
  blocks_.clear();
  for (size_t i = 0; i < slots.size(); i += kMaxBlock / 2) {
    size_t end = std::min(slots.size(), i + kMaxBlock / 2);
    blocks_.emplace_back(slots.begin() + static_cast<ptrdiff_t>(i),
                         slots.begin() + static_cast<ptrdiff_t>(end));
  }
}

void ColumnOrder::Sequence::Forward(Pos p, const std::function<bool(uint32_t)>& visit) const {
  for (size_t b = p.block; b < blocks_.size(); ++b) {
    const auto& block = blocks_[b];
    for (size_t i = b == p.block ? p.index : 0; i < block.size(); ++i) {
      if (!visit(block[i])) return;
    }
  }
}

void ColumnOrder::Sequence::Backward(Pos p, const std::function<bool(uint32_t)>& visit) const {
  // Just before p: p itself may be one past a block's end or End().
  size_t b = p.block, i = p.index;
  while (true) {
    if (i == 0) {
      if (b == 0) return;
      --b;
      i = blocks_[b].size();
      continue;
    }
    --i;
    if (!visit(blocks_[b][i])) return;
  }
}

size_t ColumnOrder::Sequence::Bytes() const {
  size_t bytes = blocks_.capacity() * sizeof(std::vector<uint32_t>);
  for (const auto& b : blocks_) bytes += b.capacity() * sizeof(uint32_t);
  return bytes;
}

}  // namespace orchard::engine
