// KeyIndex: the keys an import matches rows by (a Salesforce id, a name, a source's id …) and the
// id of the row each names, for up to millions of rows at a time.
//
// An import looks up every row's key and adds every new one: on a 1M-row file that was the
// single largest cost of the reading thread with std::unordered_map<std::string, …> (a node and
// a string allocated per key, and three cache misses per lookup: bucket, node, key bytes). Here
// the keys are copied into large blocks, their entries (key, id) are appended to one vector, and
// the table is open addressing over 8-byte slots (entry number, a tag of the key's hash).
//
// Written here rather than taken from Boost's unordered_flat_set (which it used before) for one
// thing that set cannot do: prefetch. A key's slot is a random place in a table of megabytes,
// so each lookup waited on memory — a quarter of the reading thread's time at 1M keys. The
// importer prefetches the slot of a row a few rows ahead (prefetch), and the lookup finds it in
// cache.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace orchard::ingest {

class KeyIndex {
 public:
  // Adds key → id unless the key is there already (then the first id stays, as a shared name
  // keeps the oldest row), or gives a held key (find_or_hold) its id. True when it was added.
  bool emplace(std::string_view key, int64_t id) {
    // The key the last find_or_hold added: given its id without a second lookup.
    if (held_ != kNone) {
      Entry& held = entries_[held_];
      held_ = kNone;
      if (held.key == key) {
        held.id = id;
        return true;
      }
    }
    auto [entry, added] = Add(key, id);
    if (added) return true;
    if (entries_[entry].id != kHeldId) return false;
    entries_[entry].id = id;
    return true;
  }
  std::optional<int64_t> find(std::string_view key) const {
    if (entries_.empty()) return std::nullopt;
    const Slot& s = slots_[Probe(key, Hash(key))];
    if (s.entry == 0 || entries_[s.entry - 1].id == kHeldId) return std::nullopt;
    return entries_[s.entry - 1].id;
  }
  // As find, and a key not there is added, held for the id the next emplace of it gives: an
  // import looks a new row's key up and adds it once the row is made, in one lookup instead of
  // two. Until then find does not see it.
  std::optional<int64_t> find_or_hold(std::string_view key) {
    auto [entry, added] = Add(key, kHeldId);
    held_ = kNone;
    if (!added && entries_[entry].id != kHeldId) return entries_[entry].id;
    held_ = entry;
    return std::nullopt;
  }
  // Starts loading the slot `key` would be looked up in, for a lookup a little later.
  void prefetch(std::string_view key) const {
    if (slot_count_ != 0) __builtin_prefetch(&slots_[Position(Hash(key))]);
  }
  void reserve(size_t keys) {
    entries_.reserve(keys);
    if (keys > Capacity()) Rehash(keys);
  }
  // As reserve, but the new table is made on a thread of its own and this returns at once: the
  // system zeroes each page of a table as it is first written (16 MB for 1M keys: ~40 ms of the
  // reading thread on a 2-core VM, while the writer waited for its second batch). Lookups go on
  // in the table there is; the first Add after the new one is ready moves into it, and an Add
  // that finds the old one full waits for it.
  void reserve_ahead(size_t keys) {
    entries_.reserve(keys);
    if (keys <= Capacity() || ahead_) return;
    auto ahead = std::make_shared<Ahead>();
    ahead_ = ahead;
    ahead_thread_ = std::jthread([ahead, count = SlotsFor(keys)] {
      try {
        SlotMemory memory(count);
        memory.Touch();
        ahead->memory = std::move(memory);
      } catch (const std::bad_alloc&) {
        // Left empty: the Add that moves in makes the table itself, and fails there.
      }
      ahead->ready.store(true, std::memory_order_release);
    });
  }
  size_t size() const { return entries_.size(); }

 private:
  class SlotMemory;  // below
  struct Entry {
    std::string_view key;
    int64_t id;
  };
  struct Slot {
    uint32_t entry = 0;  // its entry's number + 1; 0: empty
    uint32_t tag = 0;    // the low half of the key's hash: most keys compared are never read
  };
  static constexpr size_t kBlock = size_t{1} << 20;
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr int64_t kHeldId = INT64_MIN;  // a key held without its id yet

  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  // The high bits of the hash times a large odd constant (Fibonacci hashing): every bit of
  // the hash moves the place.
  size_t Position(uint64_t hash) const {
    return static_cast<size_t>((hash * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  // Keys up to three quarters of the slots, so that a probe is short.
  size_t Capacity() const { return slot_count_ / 4 * 3; }

  // The slot of `key`: the one holding its entry, else the empty one where it would go.
  size_t Probe(std::string_view key, uint64_t hash) const {
    const uint32_t tag = static_cast<uint32_t>(hash);
    const size_t mask = slot_count_ - 1;
    for (size_t at = Position(hash);; at = (at + 1) & mask) {
      const Slot& s = slots_[at];
      if (s.entry == 0 || (s.tag == tag && entries_[s.entry - 1].key == key)) return at;
    }
  }

  // The entry of `key`, added with `id` if it is not there; true when added.
  std::pair<uint32_t, bool> Add(std::string_view key, int64_t id) {
    if (ahead_ && ahead_->ready.load(std::memory_order_acquire)) MoveAhead();
    if (entries_.size() + 1 > Capacity()) {
      if (ahead_) MoveAhead();  // waits for it
      if (entries_.size() + 1 > Capacity()) Rehash(entries_.size() + 1);
    }
    const uint64_t hash = Hash(key);
    Slot& s = slots_[Probe(key, hash)];
    if (s.entry != 0) return {s.entry - 1, false};
    entries_.push_back(Entry{Keep(key), id});
    s.entry = static_cast<uint32_t>(entries_.size());
    s.tag = static_cast<uint32_t>(hash);
    return {s.entry - 1, true};
  }

  // The slots for `keys` keys: a power of two, at most three quarters used.
  static size_t SlotsFor(size_t keys) {
    size_t count = 16;
    while (count / 4 * 3 < keys) count *= 2;
    return count;
  }
  // Room for `keys` keys: a power of two of slots, every entry placed again.
  void Rehash(size_t keys) { PlaceAll(SlotMemory(SlotsFor(keys))); }
  // Into the table reserve_ahead made, once it is there.
  void MoveAhead() {
    ahead_thread_.join();
    std::shared_ptr<Ahead> ahead = std::move(ahead_);
    if (ahead->memory.size() <= slot_count_) return;  // empty: it could not be made
    PlaceAll(std::move(ahead->memory));
  }
  // Every entry placed in `memory`'s empty slots.
  void PlaceAll(SlotMemory memory) {
    const size_t count = memory.size();
    slots_ = std::move(memory);
    slot_count_ = count;
    shift_ = 64 - std::countr_zero(count);
    const size_t mask = count - 1;
    for (size_t e = 0; e < entries_.size(); ++e) {
      const uint64_t hash = Hash(entries_[e].key);
      size_t at = Position(hash);
      while (slots_[at].entry != 0) at = (at + 1) & mask;
      slots_[at] = Slot{static_cast<uint32_t>(e + 1), static_cast<uint32_t>(hash)};
    }
  }

  // The key's bytes, copied where they stay until the index goes (blocks never move).
  std::string_view Keep(std::string_view key) {
    if (key.size() > room_) {
      size_t size = std::max(kBlock, key.size());
      blocks_.push_back(std::make_unique<char[]>(size));
      next_ = blocks_.back().get();
      room_ = size;
    }
    if (!key.empty()) std::memcpy(next_, key.data(), key.size());
    std::string_view kept(next_, key.size());
    next_ += key.size();
    room_ -= key.size();
    return kept;
  }

  std::vector<Entry> entries_;
  // Slots straight from the system: zero until written, and written page by page as the load
  // goes (a memset of a 32 MB table cost 25-75 ms before the first row). In huge pages where
  // the system gives them: slots are read at random, and in 4 KB pages nearly every lookup
  // missed the TLB.
  class SlotMemory {
   public:
    SlotMemory() = default;
    explicit SlotMemory(size_t count) : bytes_(count * sizeof(Slot)) {
      void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      (void)madvise(p, bytes_, MADV_HUGEPAGE);  // a hint: may be refused
      slots_ = static_cast<Slot*>(p);
    }
    SlotMemory(SlotMemory&& o) noexcept
        : slots_(std::exchange(o.slots_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
    SlotMemory& operator=(SlotMemory&& o) noexcept {
      if (this != &o) {
        Release();
        slots_ = std::exchange(o.slots_, nullptr);
        bytes_ = std::exchange(o.bytes_, 0);
      }
      return *this;
    }
    ~SlotMemory() { Release(); }
    Slot& operator[](size_t i) const { return slots_[i]; }
    size_t size() const { return bytes_ / sizeof(Slot); }
    // Writes each page once, so that the system gives (and zeroes) them now.
    void Touch() {
      auto* bytes = reinterpret_cast<volatile char*>(slots_);
      for (size_t at = 0; at < bytes_; at += 4096) bytes[at] = 0;
    }

   private:
    void Release() {
      if (slots_ != nullptr) munmap(slots_, bytes_);
      slots_ = nullptr;
    }
    Slot* slots_ = nullptr;
    size_t bytes_ = 0;
  };
  SlotMemory slots_;  // a power of two of them, or none
  // A table reserve_ahead is making; shared with the thread making it.
  struct Ahead {
    SlotMemory memory;
    std::atomic<bool> ready{false};
  };
  std::shared_ptr<Ahead> ahead_;
  std::jthread ahead_thread_;
  size_t slot_count_ = 0;
  int shift_ = 64;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t room_ = 0;
  uint32_t held_ = kNone;  // the entry find_or_hold added or found held last
};

}  // namespace orchard::ingest
