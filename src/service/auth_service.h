// AuthService: who is asking. Password sign-in (Argon2id) opens a session whose token lives in
// an HttpOnly cookie; API tokens serve integrations. Both are stored only as hashes. A CSRF
// token derived from the session token must accompany every state-changing browser request.
// Wrong passwords are slowed down per (address, e-mail) with growing delays, never a lockout of
// the e-mail for everyone. Sessions end after an idle time (the setting sessions.idle_hours) or 7
// days; API tokens may carry an expiry. A checked identity is remembered briefly, and while the
// database is unreachable a recently checked one still serves reads (answered from the in-memory
// book). Sign-ins, failed sign-ins, sign-outs, token changes and password changes go to the audit
// log with their address, never a secret.
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
#include "service/settings_service.h"
#include "store/pool.h"

namespace orchard::service {

struct AuthOptions {
  HashCost hash_cost = HashCost::kInteractive;
  int64_t session_seconds = 7 * 24 * 3600;  // absolute; the idle limit is a setting
  // Wrong passwords per (address, e-mail) answered at once; after that each next attempt from
  // that address for that e-mail waits first_delay_seconds, doubling with every further wrong
  // one, up to failure_window_seconds. Failures older than the window are forgotten. Another
  // address is not slowed, so the right password from elsewhere always gets through.
  int max_failures = 5;
  int64_t first_delay_seconds = 30;
  int64_t failure_window_seconds = 900;
  // One address trying many e-mails (password spraying) is slowed the same way past this many.
  int max_address_failures = 50;
  int max_concurrent_hashes = 2;  // Argon2id takes ~64 MiB each: bound them
  // How long a token or session, once checked, is trusted without asking the database again.
  // Revoking or signing out clears it on this server at once; other servers sharing the
  // database notice within this time.
  int64_t identity_cache_ms = 2000;
  // While the database is unreachable, an identity checked within this time still serves reads
  // (writes fail anyway), so dashboards answered from the in-memory book keep working.
  int64_t outage_grace_seconds = 600;
};

// What an identity is checked for: during a database outage only reads are served from memory.
enum class Use { kRead, kWrite };

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
  // `settings` (optional) gives the idle limit in force; without it the default applies.
  AuthService(store::ConnectionPool& pool, const Clock& clock, AuthOptions options = {},
              const SettingsService* settings = nullptr)
      : pool_(pool), clock_(clock), options_(options), settings_(settings) {}

  // kUnauthenticated for a wrong e-mail or password (the same message for both);
  // kResourceExhausted while this address must wait (retry_after_seconds says how long).
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            std::string_view address);
  Status Logout(std::string_view session_token, std::string_view address = "");
  Result<Actor> FromSession(std::string_view session_token, Use use = Use::kWrite);
  Result<Actor> FromApiToken(std::string_view token, Use use = Use::kWrite);
  // The CSRF token that belongs to a session token.
  static std::string CsrfFor(std::string_view session_token);
  // After a kResourceExhausted from Login on this address and e-mail: the seconds to wait.
  int64_t RetryAfterSeconds(std::string_view email, std::string_view address);

  // `expires_at` (optional) must lie in the future.
  Result<CreatedToken> CreateApiToken(const Actor& actor, std::string name,
                                      std::optional<Timestamp> expires_at = std::nullopt,
                                      std::string_view address = "");
  Result<std::vector<ApiToken>> ListApiTokens(const Actor& actor);
  Status RevokeApiToken(const Actor& actor, ApiTokenId id, std::string_view address = "");

  // The actor's own password, given the current one; ends their other sessions (all but
  // `session_token`, the one asking, if any). The new password must pass CheckNewPassword.
  Status ChangePassword(const Actor& actor, std::string_view session_token,
                        std::string_view current_password, std::string_view new_password,
                        std::string_view address);
  // An admin sets `user`'s password; every session of that user ends.
  Status ResetPassword(const Actor& actor, UserId user, std::string_view new_password,
                       std::string_view address);

  Result<User> Me(const Actor& actor);
  HashCost hash_cost() const { return options_.hash_cost; }

 private:
  struct Remembered {
    Actor actor;
    std::chrono::steady_clock::time_point fresh_until;  // trusted without asking until then
    std::chrono::steady_clock::time_point checked_at;   // for the outage grace
    Timestamp valid_until;  // the session's idle or absolute end, the token's expiry
    Timestamp checked_on;   // clock_ when checked: fresh for at most a minute of it too, so
                            // a session's last use is written at least once a minute
  };
  struct Failures {
    int count = 0;
    int64_t last = 0;  // unix seconds of the latest
  };

  Result<Actor> ActorFor(store::Database& db, UserId user);
  int64_t IdleSeconds() const;
  int64_t WaitSeconds(const std::string& key, int free, Timestamp now);
  void RecordFailure(const std::string& key, Timestamp now);
  bool VerifyHashed(const std::string& hash, std::string_view password);
  Status Audit(store::Database& db, std::optional<UserId> actor, std::string_view entity,
               int64_t entity_id, AuditAction action, std::string after_json,
               std::string_view address);
  // Ends `user`'s sessions but the one hashed `keep` ("" for all), in the database and here.
  Status EndSessions(store::Database& db, UserId user, const std::string& keep);

  // An identity remembered under `key`, if still fresh; with `outage`, if checked within the
  // grace instead.
  std::optional<Actor> Cached(const std::string& key, bool outage);
  void Remember(const std::string& key, const Actor& actor, Timestamp valid_until);
  void Forget(const std::string& key);
  // A failed check: during an outage, a read may still be served from the cache.
  Result<Actor> Unchecked(const Error& error, const std::string& key, Use use);

  store::ConnectionPool& pool_;
  const Clock& clock_;
  const AuthOptions options_;
  const SettingsService* settings_;
  std::mutex cache_mu_;
  std::map<std::string, Remembered> cache_;
  std::mutex mu_;
  std::map<std::string, Failures> failures_;  // "a:<address>" and "ae:<address>\n<e-mail>"
  std::mutex hash_mu_;
  std::condition_variable hash_cv_;
  int hashing_ = 0;
};

// Hex of a BLAKE2b-256 digest: how secrets are stored and looked up.
std::string HashSecret(std::string_view secret);
// 32 random bytes as 64 hex characters.
std::string NewSecret();

}  // namespace orchard::service
