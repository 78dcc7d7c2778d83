// KeyIndex: the keys an import matches rows by (a Salesforce id, a name, a source's id …) and the
// id of the row each names, for up to millions of rows at a time.
//
// An import looks up every row's key and adds every new one: on a 1M-row file that was the
// single largest cost of the reading thread with std::unordered_map<std::string, …> (a node and
// a string allocated per key, and three cache misses per lookup: bucket, node, key bytes). Here
// the keys are copied into large blocks, their entries (key, id) are appended to one vector, and
// the hash table is Boost's open-addressing unordered_flat_set of 4-byte entry numbers: a 1M-key
// table is 8 MB rather than 50, and adding a key writes one random slot of it, not 24 bytes.
#pragma once

#include <boost/unordered/unordered_flat_set.hpp>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace orchard::ingest {

class KeyIndex {
 public:
  KeyIndex()
      : entries_(std::make_unique<std::vector<Entry>>()),
        table_(0, Hash{entries_.get()}, Equal{entries_.get()}) {}

  // Adds key → id unless the key is there already (then the first id stays, as a shared name
  // keeps the oldest row), or gives a held key (find_or_hold) its id. True when it was added.
  bool emplace(std::string_view key, int64_t id) {
    // The key the last find_or_hold added: given its id without a second probe.
    if (held_ != kNone) {
      Entry& held = (*entries_)[held_];
      held_ = kNone;
      if (held.key == key) {
        held.id = id;
        return true;
      }
    }
    // One probe: the entry goes in with the caller's bytes, and takes its own copy once added
    // (the same bytes, so its hash and place do not change).
    entries_->push_back(Entry{key, id});
    auto [at, added] = table_.insert(static_cast<uint32_t>(entries_->size() - 1));
    if (!added) {
      entries_->pop_back();
      Entry& there = (*entries_)[*at];
      if (there.id != kHeldId) return false;
      there.id = id;
      return true;
    }
    entries_->back().key = Keep(key);
    return true;
  }
  std::optional<int64_t> find(std::string_view key) const {
    auto it = table_.find(key);
    if (it == table_.end() || (*entries_)[*it].id == kHeldId) return std::nullopt;
    return (*entries_)[*it].id;
  }
  // As find, and a key not there is added, held for the id the next emplace of it gives: an
  // import looks a new row's key up and adds it once the row is made, in one probe of the table
  // instead of two. Until then find does not see it.
  std::optional<int64_t> find_or_hold(std::string_view key) {
    held_ = kNone;
    entries_->push_back(Entry{key, kHeldId});
    auto [at, added] = table_.insert(static_cast<uint32_t>(entries_->size() - 1));
    if (!added) {
      entries_->pop_back();
      if (int64_t id = (*entries_)[*at].id; id != kHeldId) return id;
      held_ = *at;
      return std::nullopt;
    }
    entries_->back().key = Keep(key);
    held_ = *at;
    return std::nullopt;
  }
  void reserve(size_t keys) {
    entries_->reserve(keys);
    table_.reserve(keys);
  }
  size_t size() const { return table_.size(); }

 private:
  struct Entry {
    std::string_view key;
    int64_t id;
  };
  // Hash and equality of entry numbers by their keys, and of keys looked up (transparent).
  struct Hash {
    using is_transparent = void;
    const std::vector<Entry>* entries;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    size_t operator()(uint32_t entry) const { return (*this)((*entries)[entry].key); }
  };
  struct Equal {
    using is_transparent = void;
    const std::vector<Entry>* entries;
    // By their keys: an insert finds an entry with the same key there already.
    bool operator()(uint32_t a, uint32_t b) const {
      return (*entries)[a].key == (*entries)[b].key;
    }
    bool operator()(std::string_view key, uint32_t e) const { return key == (*entries)[e].key; }
    bool operator()(uint32_t e, std::string_view key) const { return key == (*entries)[e].key; }
  };
  static constexpr size_t kBlock = size_t{1} << 20;
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr int64_t kHeldId = INT64_MIN;  // a key held without its id yet

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

  // Behind a pointer, so that Hash and Equal keep pointing at it when the index moves.
  std::unique_ptr<std::vector<Entry>> entries_;
  boost::unordered_flat_set<uint32_t, Hash, Equal> table_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t room_ = 0;
  uint32_t held_ = kNone;  // the entry find_or_hold added or found held last
};

}  // namespace orchard::ingest
