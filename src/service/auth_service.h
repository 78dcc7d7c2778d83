// AuthService: who is asking. Password sign-in (Argon2id) opens a session whose token lives in
// an HttpOnly cookie; API tokens serve integrations. Both are stored only as hashes. A CSRF
// token derived from the session token must accompany every state-changing browser request.
// Repeated failed sign-ins are slowed down per e-mail and per address.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "service/actor.h"
#include "service/passwords.h"
#include "store/pool.h"

namespace orchard::service {

struct AuthOptions {
  HashCost hash_cost = HashCost::kInteractive;
  int64_t session_seconds = 7 * 24 * 3600;
  int max_failures = 5;                  // failed sign-ins per e-mail or address …
  int64_t failure_window_seconds = 900;  // … within this window, then 429 until it passes
  int max_concurrent_hashes = 2;         // Argon2id takes ~64 MiB each: bound them
  // How long a token or session, once checked, is trusted without asking the database again.
  // Revoking or signing out clears it on this server at once; other servers sharing the
  // database notice within this time.
  int64_t identity_cache_ms = 2000;
};

struct LoginResult {
  std::string session_token;  // for the cookie; never stored
  std::string csrf_token;
  User user;
  Timestamp expires_at;
};

struct CreatedToken {
  ApiToken token;
  std::string secret;  // shown once
};

class AuthService {
 public:
  AuthService(store::ConnectionPool& pool, const Clock& clock, AuthOptions options = {})
      : pool_(pool), clock_(clock), options_(options) {}

  // kUnauthenticated for a wrong e-mail or password (the same message for both);
  // kResourceExhausted after too many failures (the message says when to retry).
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            std::string_view address);
  Status Logout(std::string_view session_token);
  Result<Actor> FromSession(std::string_view session_token);
  Result<Actor> FromApiToken(std::string_view token);
  // The CSRF token that belongs to a session token.
  static std::string CsrfFor(std::string_view session_token);

  Result<CreatedToken> CreateApiToken(const Actor& actor, std::string name);
  Result<std::vector<ApiToken>> ListApiTokens(const Actor& actor);
  Status RevokeApiToken(const Actor& actor, ApiTokenId id);

  Result<User> Me(const Actor& actor);
  HashCost hash_cost() const { return options_.hash_cost; }

 private:
  Result<Actor> ActorFor(store::Database& db, UserId user);
  bool Throttled(const std::string& key, Timestamp now);
  void RecordFailure(const std::string& key, Timestamp now);

  std::optional<Actor> Cached(const std::string& key);
  void Remember(const std::string& key, const Actor& actor);
  void Forget(const std::string& key);

  store::ConnectionPool& pool_;
  const Clock& clock_;
  const AuthOptions options_;
  std::mutex cache_mu_;
  std::map<std::string, std::pair<Actor, std::chrono::steady_clock::time_point>> cache_;
  std::mutex mu_;
  std::map<std::string, std::vector<int64_t>> failures_;  // key → failure times (unix seconds)
  std::mutex hash_mu_;
  std::condition_variable hash_cv_;
  int hashing_ = 0;
};

// Hex of a BLAKE2b-256 digest: how secrets are stored and looked up.
std::string HashSecret(std::string_view secret);
// 32 random bytes as 64 hex characters.
std::string NewSecret();

}  // namespace orchard::service
