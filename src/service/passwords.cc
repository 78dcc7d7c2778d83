#include "service/passwords.h"

#include <sodium.h>

namespace orchard::service {

namespace {
bool InitSodium() { return sodium_init() >= 0; }  // idempotent and thread-safe
}  // namespace

Result<std::string> HashPassword(std::string_view password, HashCost cost) {
  if (!InitSodium()) return Fail(ErrorCode::kInternal, "libsodium failed to initialise");
  if (password.size() < 8) return FailValue("password", "must be at least 8 characters");
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops = cost == HashCost::kInteractive ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                                          : crypto_pwhash_OPSLIMIT_MIN;
  size_t mem = cost == HashCost::kInteractive ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                              : crypto_pwhash_MEMLIMIT_MIN;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kResourceExhausted, "out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!InitSodium() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string GeneratePassword(int length) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  InitSodium();
  std::string out;
  out.reserve(length);
  for (int i = 0; i < length; ++i) {
    out.push_back(kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))]);
  }
  return out;
}

}  // namespace orchard::service
