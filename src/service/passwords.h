// Password hashing with Argon2id (libsodium's crypto_pwhash_str): the hash string carries its own
// salt and cost parameters, so a later cost increase still verifies old hashes.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace orchard::service {

enum class HashCost {
  kInteractive,  // production: ~90 ms and 64 MiB per hash (bound how many run at once)
  kMinimum,      // tests only: fast, still Argon2id
};

Result<std::string> HashPassword(std::string_view password, HashCost cost = HashCost::kInteractive);
bool VerifyPassword(std::string_view hash, std::string_view password);

// A random password of `length` characters from an unambiguous alphabet (no 0/O, 1/l/I).
std::string GeneratePassword(int length = 16);

}  // namespace orchard::service
