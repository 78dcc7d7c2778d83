// KeyIndex: the keys an import matches rows by (a Salesforce id, a name, a source's id …) and the
// id of the row each names, for up to millions of rows at a time.
//
// An import looks up every row's key and adds every new one: on a 1M-row file that was the
// single largest cost of the reading thread with std::unordered_map<std::string, …> (a node and
// a string allocated per key, and three cache misses per lookup: bucket, node, key bytes). Here
// the keys are copied into large blocks and the table is Boost's open-addressing
// unordered_flat_map of views into them: adding a key is a copy, not two allocations, and a
// lookup reads the table's group and slot, then the key's bytes.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
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
  // Adds key → id unless the key is there already (then the first id stays, as a shared name
  // keeps the oldest row). True when it was added.
  bool emplace(std::string_view key, int64_t id) {
    auto it = map_.find(key);
    if (it != map_.end()) return false;
    map_.emplace(Keep(key), id);
    return true;
  }
  std::optional<int64_t> find(std::string_view key) const {
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void reserve(size_t keys) { map_.reserve(keys); }
  size_t size() const { return map_.size(); }

 private:
  static constexpr size_t kBlock = size_t{1} << 20;

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

  boost::unordered_flat_map<std::string_view, int64_t, std::hash<std::string_view>> map_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t room_ = 0;
};

}  // namespace orchard::ingest
