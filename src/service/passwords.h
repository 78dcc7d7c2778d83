// Password hashing with Argon2id (libsodium's crypto_pwhash_str): the hash string carries its own
// salt and cost parameters, so a later cost increase still verifies old hashes. And what a new
// password must be: long enough, not a common one, not the user's e-mail.
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

inline constexpr size_t kMinPasswordLength = 10;  // characters
inline constexpr size_t kMaxPasswordLength = 256;

// Whether `password` may be set as a new password for the user with `email`: at least
// kMinPasswordLength characters, at least four different ones, not one of the common passwords
// (common_passwords.txt: also with digits and symbols around it or look-alike letters, as in
// "Summer2024!" or "P@ssw0rd1"), and not the e-mail or its part before the @. An
// InvalidArgument naming `field` says which rule it breaks (never repeating the password).
Status CheckNewPassword(std::string_view password, std::string_view email,
                        std::string_view field = "password");
// Whether `password` is one of the common passwords, or one of them dressed up as above.
bool IsCommonPassword(std::string_view password);

// A random password of `length` characters from an unambiguous alphabet (no 0/O, 1/l/I).
std::string GeneratePassword(int length = 16);

}  // namespace orchard::service
