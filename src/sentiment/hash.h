// FNV-1a 64: the feature hash of the sentiment model, its file's checksum and the training data's
// fingerprint. Stable across platforms and releases (std::hash is neither), which the model file
// depends on: a bucket number written today must mean the same feature tomorrow.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace orchard::sentiment {

struct Fnv {
  uint64_t value = 14695981039346656037ull;

  Fnv& Add(char c) {
    value = (value ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return *this;
  }
  Fnv& Add(std::string_view s) {
    for (char c : s) Add(c);
    return *this;
  }
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
  }
};

}  // namespace orchard::sentiment
