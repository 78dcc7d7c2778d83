#include "service/auth_service.h"

#include <sodium.h>

#include "store/store.h"

namespace orchard::service {

namespace {

std::string Hex(const unsigned char* data, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

// A fixed Argon2id hash verified against when the e-mail is unknown, so that a wrong e-mail
// takes as long as a wrong password and does not reveal which accounts exist.
const std::string& DummyHash(HashCost cost) {
  static const std::string interactive =
      *HashPassword("orchard-dummy-password", HashCost::kInteractive);
  static const std::string minimum = *HashPassword("orchard-dummy-password", HashCost::kMinimum);
  return cost == HashCost::kInteractive ? interactive : minimum;
}

}  // namespace

std::string HashSecret(std::string_view secret) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return Hex(digest, sizeof digest);
}

std::string NewSecret() {
  if (sodium_init() < 0) std::abort();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return Hex(bytes, sizeof bytes);
}

std::string AuthService::CsrfFor(std::string_view session_token) {
  return HashSecret("csrf:" + std::string(session_token));
}

bool AuthService::Throttled(const std::string& key, Timestamp now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  auto& times = it->second;
  std::erase_if(
      times, [&](int64_t t) { return now.unix_seconds() - t >= options_.failure_window_seconds; });
  return static_cast<int>(times.size()) >= options_.max_failures;
}

void AuthService::RecordFailure(const std::string& key, Timestamp now) {
  failures_[key].push_back(now.unix_seconds());
}

Result<LoginResult> AuthService::Login(std::string_view email, std::string_view password,
                                       std::string_view address) {
  Timestamp now = clock_.Now();
  std::string email_key = "email:" + std::string(email);
  std::string address_key = "address:" + std::string(address);
  {
    std::lock_guard lock(mu_);
    if (Throttled(email_key, now) || Throttled(address_key, now)) {
      return Fail(ErrorCode::kResourceExhausted,
                  "too many failed sign-ins; try again in " +
                      std::to_string(options_.failure_window_seconds / 60) + " minutes");
    }
  }
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  store::ListQuery q;
  q.filters.push_back({"email", std::string(email)});
  q.limit = 1;
  ORCHARD_TRY(auto users, store.List<User>(q));
  const User* user = users.items.empty() ? nullptr : &users.items.front();
  bool ok = false;
  {
    // Argon2id is memory-hard by design: run at most a few at once.
    std::unique_lock lock(hash_mu_);
    hash_cv_.wait(lock, [&] { return hashing_ < options_.max_concurrent_hashes; });
    ++hashing_;
    lock.unlock();
    const std::string& hash =
        user && !user->password_hash.empty() ? user->password_hash : DummyHash(options_.hash_cost);
    ok = VerifyPassword(hash, password) && user && user->active && !user->password_hash.empty();
    lock.lock();
    --hashing_;
    hash_cv_.notify_one();
  }
  if (!ok) {
    std::lock_guard lock(mu_);
    RecordFailure(email_key, now);
    RecordFailure(address_key, now);
    return Fail(ErrorCode::kUnauthenticated, "wrong e-mail or password");
  }
  Session session;
  std::string token = NewSecret();
  session.user_id = user->id;
  session.token_hash = HashSecret(token);
  session.created_at = now;
  session.expires_at = now.AddSeconds(options_.session_seconds);
  session.address = std::string(address);
  ORCHARD_CHECK(store.Insert(session));
  return LoginResult{token, CsrfFor(token), *user, session.expires_at};
}

Status AuthService::Logout(std::string_view session_token) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  std::string hash = HashSecret(session_token);
  Forget("s:" + hash);
  store::SqlValue params[] = {hash};
  ORCHARD_CHECK(db->Exec("DELETE FROM sessions WHERE token_hash = ?", params));
  return Ok();
}

Result<Actor> AuthService::ActorFor(store::Database& db, UserId id) {
  store::Store store(db);
  auto user = store.Get<User>(id);
  if (!user || !user->active)
    return Fail(ErrorCode::kUnauthenticated, "the user is no longer active");
  Actor actor{user->id, user->role, {}};
  if (actor.role == Role::kManager) {
    store::SqlValue params[] = {id.value};
    ORCHARD_CHECK(db.Query("SELECT id FROM users WHERE manager_id = ?", params,
                           [&](const store::Row& row) -> Status {
                             ORCHARD_TRY(int64_t member, row.GetInt(0));
                             actor.team.push_back(UserId(member));
                             return Ok();
                           }));
  }
  return actor;
}

std::optional<Actor> AuthService::Cached(const std::string& key) {
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() >= it->second.second) {
    cache_.erase(it);
    return std::nullopt;
  }
  return it->second.first;
}

void AuthService::Remember(const std::string& key, const Actor& actor) {
  if (options_.identity_cache_ms <= 0) return;
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 100'000) cache_.clear();  // bound memory against floods of tokens
  cache_[key] = {actor, std::chrono::steady_clock::now() +
                            std::chrono::milliseconds(options_.identity_cache_ms)};
}

void AuthService::Forget(const std::string& key) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(key);
}

Result<Actor> AuthService::FromSession(std::string_view session_token) {
  std::string key = "s:" + HashSecret(session_token);
  if (auto hit = Cached(key)) return *hit;
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::SqlValue params[] = {key.substr(2), clock_.Now().ToString()};
  ORCHARD_TRY(
      auto user,
      db->QueryInt("SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?", params));
  if (!user) return Fail(ErrorCode::kUnauthenticated, "the session has expired; sign in again");
  ORCHARD_TRY(Actor actor, ActorFor(*db, UserId(*user)));
  Remember(key, actor);
  return actor;
}

Result<Actor> AuthService::FromApiToken(std::string_view token) {
  std::string key = "t:" + HashSecret(token);
  if (auto hit = Cached(key)) return *hit;
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::SqlValue params[] = {key.substr(2)};
  ORCHARD_TRY(
      auto user,
      db->QueryInt("SELECT user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                   params));
  if (!user) return Fail(ErrorCode::kUnauthenticated, "the API token is unknown or revoked");
  ORCHARD_TRY(Actor actor, ActorFor(*db, UserId(*user)));
  // When it was last used, to the minute: enough to spot a dead integration, and at most one
  // write per token per minute (only on a cache miss) under load.
  Timestamp now = clock_.Now();
  store::SqlValue used[] = {now.ToString(), key.substr(2), now.AddSeconds(-60).ToString()};
  ORCHARD_CHECK(
      db->Exec("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND "
               "(last_used_at IS NULL OR last_used_at <= ?)",
               used));
  Remember(key, actor);
  return actor;
}

Result<CreatedToken> AuthService::CreateApiToken(const Actor& actor, std::string name) {
  if (name.empty()) return FailValue("name", "must not be empty");
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ApiToken t;
  t.user_id = actor.user;
  t.name = std::move(name);
  std::string secret = "orc_" + NewSecret();
  t.token_hash = HashSecret(secret);
  t.created_at = clock_.Now();
  ORCHARD_TRY(ApiToken saved, store.Insert(t));
  return CreatedToken{saved, secret};
}

Result<std::vector<ApiToken>> AuthService::ListApiTokens(const Actor& actor) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  store::ListQuery q;
  q.limit = 500;
  if (!Policy::CanAdminister(actor)) q.filters.push_back({"user_id", actor.user.value});
  ORCHARD_TRY(auto page, store.List<ApiToken>(q));
  return page.items;
}

Status AuthService::RevokeApiToken(const Actor& actor, ApiTokenId id) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ORCHARD_TRY(ApiToken t, store.Get<ApiToken>(id));
  if (t.user_id != actor.user && !Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kNotFound, "api_tokens " + std::to_string(id.value) + " does not exist");
  }
  t.revoked_at = clock_.Now();
  ORCHARD_CHECK(store.Update(t));
  Forget("t:" + t.token_hash);
  return Ok();
}

Result<User> AuthService::Me(const Actor& actor) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  return store.Get<User>(actor.user);
}

}  // namespace orchard::service
