#include "service/auth_service.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "service/entity_json.h"
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

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The throttling keys: one address for one e-mail, and one address for any.
std::string PairKey(std::string_view address, std::string_view email) {
  return "ae:" + std::string(address) + "\n" + Lower(email);
}
std::string AddressKey(std::string_view address) { return "a:" + std::string(address); }

std::string Seconds(int64_t s) { return std::to_string(s) + (s == 1 ? " second" : " seconds"); }

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

int64_t AuthService::IdleSeconds() const {
  const int hours = settings_ != nullptr ? settings_->Current().session_idle_hours
                                         : Settings{}.session_idle_hours;
  return static_cast<int64_t>(hours) * 3600;
}

// How long an attempt under `key` must still wait: nothing for the first `free` failures, then
// first_delay_seconds doubling with each further failure, capped at the window.
int64_t AuthService::WaitSeconds(const std::string& key, int free, Timestamp now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  const Failures& f = it->second;
  if (now.unix_seconds() - f.last >= options_.failure_window_seconds) {
    failures_.erase(it);
    return 0;
  }
  if (f.count < free) return 0;
  int64_t delay = options_.first_delay_seconds;
  for (int i = free; i < f.count && delay < options_.failure_window_seconds; ++i) delay *= 2;
  delay = std::min(delay, options_.failure_window_seconds);
  return std::max<int64_t>(0, f.last + delay - now.unix_seconds());
}

void AuthService::RecordFailure(const std::string& key, Timestamp now) {
  if (failures_.size() > 100'000) {  // bound memory against floods of addresses
    std::erase_if(failures_, [&](const auto& kv) {
      return now.unix_seconds() - kv.second.last >= options_.failure_window_seconds;
    });
  }
  Failures& f = failures_[key];
  if (now.unix_seconds() - f.last >= options_.failure_window_seconds) f.count = 0;
  ++f.count;
  f.last = now.unix_seconds();
}

int64_t AuthService::RetryAfterSeconds(std::string_view email, std::string_view address) {
  Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  return std::max(WaitSeconds(PairKey(address, email), options_.max_failures, now),
                  WaitSeconds(AddressKey(address), options_.max_address_failures, now));
}

bool AuthService::VerifyHashed(const std::string& hash, std::string_view password) {
  // Argon2id is memory-hard by design: run at most a few at once.
  std::unique_lock lock(hash_mu_);
  hash_cv_.wait(lock, [&] { return hashing_ < options_.max_concurrent_hashes; });
  ++hashing_;
  lock.unlock();
  bool ok = VerifyPassword(hash, password);
  lock.lock();
  --hashing_;
  hash_cv_.notify_one();
  return ok;
}

Status AuthService::Audit(store::Database& db, std::optional<UserId> actor, std::string_view entity,
                          int64_t entity_id, AuditAction action, std::string after_json,
                          std::string_view address) {
  store::Store store(db);
  AuditEntry e;
  if (actor && actor->valid()) e.actor_id = *actor;
  e.at = clock_.Now();
  e.entity = std::string(entity);
  e.entity_id = entity_id;
  e.action = action;
  e.after_json = std::move(after_json);
  if (!address.empty()) e.address = std::string(address);
  ORCHARD_CHECK(store.Insert(e));
  return Ok();
}

Result<LoginResult> AuthService::Login(std::string_view email, std::string_view password,
                                       std::string_view address) {
  Timestamp now = clock_.Now();
  const std::string pair_key = PairKey(address, email);
  const std::string address_key = AddressKey(address);
  {
    std::lock_guard lock(mu_);
    int64_t wait = std::max(WaitSeconds(pair_key, options_.max_failures, now),
                            WaitSeconds(address_key, options_.max_address_failures, now));
    if (wait > 0) {
      return Fail(ErrorCode::kResourceExhausted,
                  "too many failed sign-ins from this address; try again in " + Seconds(wait));
    }
  }
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  std::optional<User> user;
  {
    store::SqlValue params[] = {Lower(email)};
    ORCHARD_TRY(auto id, db->QueryInt("SELECT id FROM users WHERE LOWER(email) = ?", params));
    if (id) {
      auto found = store.Get<User>(UserId(*id));
      if (!found && found.error().code != ErrorCode::kNotFound)
        return std::unexpected(found.error());
      if (found) user = std::move(*found);
    }
  }
  const bool usable = user && user->active && !user->password_hash.empty();
  const bool ok =
      VerifyHashed(usable ? user->password_hash : DummyHash(options_.hash_cost), password) &&
      usable;
  if (!ok) {
    {
      std::lock_guard lock(mu_);
      RecordFailure(pair_key, now);
      RecordFailure(address_key, now);
    }
    boost::json::object what{{"email", Lower(email)}};
    ORCHARD_CHECK(Audit(*db, std::nullopt, "users", user ? user->id.value : 0,
                        AuditAction::kSignInFailed, boost::json::serialize(what), address));
    return Fail(ErrorCode::kUnauthenticated, "wrong e-mail or password");
  }
  {
    std::lock_guard lock(mu_);
    failures_.erase(pair_key);
  }
  // Expired and idle sessions go as others sign in: the table holds the live ones only.
  {
    store::SqlValue params[] = {now.ToString(), now.AddSeconds(-IdleSeconds()).ToString()};
    ORCHARD_CHECK(db->Exec(
        "DELETE FROM sessions WHERE expires_at <= ? OR COALESCE(last_seen_at, created_at) <= ?",
        params));
  }
  Session session;
  std::string token = NewSecret();
  session.user_id = user->id;
  session.token_hash = HashSecret(token);
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now.AddSeconds(options_.session_seconds);
  session.address = std::string(address);
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  ORCHARD_TRY(Session saved, store.Insert(session));
  boost::json::object what{{"user_id", user->id.value},
                           {"expires_at", session.expires_at.ToIso8601()}};
  ORCHARD_CHECK(Audit(*db, user->id, "sessions", saved.id.value, AuditAction::kSignIn,
                      boost::json::serialize(what), address));
  ORCHARD_CHECK(tx.Commit());
  return LoginResult{token, CsrfFor(token), *user, session.expires_at};
}

Status AuthService::Logout(std::string_view session_token, std::string_view address) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  std::string hash = HashSecret(session_token);
  Forget("s:" + hash);
  std::optional<std::pair<int64_t, int64_t>> session;  // id, user
  store::SqlValue params[] = {hash};
  ORCHARD_CHECK(db->Query("SELECT id, user_id FROM sessions WHERE token_hash = ?", params,
                          [&](const store::Row& row) -> Status {
                            ORCHARD_TRY(int64_t id, row.GetInt(0));
                            ORCHARD_TRY(int64_t user, row.GetInt(1));
                            session.emplace(id, user);
                            return Ok();
                          }));
  if (!session) return Ok();
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  ORCHARD_CHECK(db->Exec("DELETE FROM sessions WHERE token_hash = ?", params));
  ORCHARD_CHECK(Audit(*db, UserId(session->second), "sessions", session->first,
                      AuditAction::kSignOut, "{}", address));
  return tx.Commit();
}

Result<Actor> AuthService::ActorFor(store::Database& db, UserId id) {
  store::Store store(db);
  auto user = store.Get<User>(id);
  if (!user && user.error().code != ErrorCode::kNotFound) return std::unexpected(user.error());
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

std::optional<Actor> AuthService::Cached(const std::string& key, bool outage) {
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  const Remembered& r = it->second;
  if (clock_.Now() >= r.valid_until ||
      now >= r.checked_at + std::chrono::seconds(options_.outage_grace_seconds)) {
    cache_.erase(it);
    return std::nullopt;
  }
  if (!outage && (now >= r.fresh_until || clock_.Now() >= r.checked_on.AddSeconds(60))) {
    return std::nullopt;  // kept for an outage
  }
  return r.actor;
}

void AuthService::Remember(const std::string& key, const Actor& actor, Timestamp valid_until) {
  if (options_.identity_cache_ms <= 0) return;
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 100'000) cache_.clear();  // bound memory against floods of tokens
  const auto now = std::chrono::steady_clock::now();
  cache_[key] = {actor, now + std::chrono::milliseconds(options_.identity_cache_ms), now,
                 valid_until, clock_.Now()};
}

void AuthService::Forget(const std::string& key) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(key);
}

Result<Actor> AuthService::Unchecked(const Error& error, const std::string& key, Use use) {
  if (error.code == ErrorCode::kUnavailable && use == Use::kRead) {
    if (auto hit = Cached(key, /*outage=*/true)) return *hit;
  }
  return std::unexpected(error);
}

namespace {

// Stamps `column` of the session or token row (`table`) whose hash is `hash` with `now`, to the
// minute: at most one write per row per minute, and only on a cache miss. `table` and `column`
// are constants of this file, never input. The stamp never waits for another writer (an import
// holds SQLite's write lock for its whole run): while one holds the lock it is skipped, and the
// next check after it writes the stamp. The idle limit is hours, so a skipped minute changes
// nothing.
Status TouchLastUsed(store::Database& db, std::string_view table, std::string_view column,
                     std::string_view hash, Timestamp now) {
  const std::string c(column);
  std::vector<store::SqlValue> params;  // push_back: g++ 12 warns falsely on variant lists
  params.emplace_back(now.ToString());
  params.emplace_back(std::string(hash));
  params.emplace_back(now.AddSeconds(-60).ToString());
  auto touched = db.ExecUnlessLocked("UPDATE " + std::string(table) + " SET " + c +
                                         " = ? WHERE token_hash = ? " + "AND (" + c +
                                         " IS NULL OR " + c + " <= ?)",
                                     params);
  if (!touched) return std::unexpected(touched.error());
  return Ok();
}

}  // namespace

Result<Actor> AuthService::FromSession(std::string_view session_token, Use use) {
  std::string key = "s:" + HashSecret(session_token);
  if (auto hit = Cached(key, false)) return *hit;
  auto db = pool_.Acquire();
  if (!db) return Unchecked(db.error(), key, use);
  const Timestamp now = clock_.Now();
  const int64_t idle = IdleSeconds();
  std::optional<int64_t> user;
  Timestamp expires_at, last_seen;
  store::SqlValue params[] = {key.substr(2)};
  Status read = (*db)->Query(
      "SELECT user_id, expires_at, COALESCE(last_seen_at, created_at) FROM sessions "
      "WHERE token_hash = ?",
      params, [&](const store::Row& row) -> Status {
        ORCHARD_TRY(user, row.GetInt(0));
        ORCHARD_TRY(expires_at, Timestamp::Parse(row.GetText(1)));
        ORCHARD_TRY(last_seen, Timestamp::Parse(row.GetText(2)));
        return Ok();
      });
  if (!read) return Unchecked(read.error(), key, use);
  if (!user || expires_at <= now || last_seen.AddSeconds(idle) <= now) {
    Forget(key);
    if (!user) return Fail(ErrorCode::kUnauthenticated, "the session has ended; sign in again");
    if (expires_at <= now)
      return Fail(ErrorCode::kUnauthenticated, "the session has expired; sign in again");
    return Fail(ErrorCode::kUnauthenticated, "the session ended after " +
                                                 std::to_string(idle / 3600) +
                                                 " hours without use; sign in again");
  }
  auto actor = ActorFor(**db, UserId(*user));
  if (!actor) {
    if (actor.error().code == ErrorCode::kUnavailable) return Unchecked(actor.error(), key, use);
    Forget(key);
    return actor;
  }
  // When it was last used: the idle limit is hours, so the minute is enough.
  Status touched = TouchLastUsed(**db, "sessions", "last_seen_at", key.substr(2), now);
  if (!touched) return Unchecked(touched.error(), key, use);
  Remember(key, *actor, std::min(expires_at, now.AddSeconds(idle)));
  return actor;
}

Result<Actor> AuthService::FromApiToken(std::string_view token, Use use) {
  std::string key = "t:" + HashSecret(token);
  if (auto hit = Cached(key, false)) return *hit;
  auto db = pool_.Acquire();
  if (!db) return Unchecked(db.error(), key, use);
  const Timestamp now = clock_.Now();
  std::optional<int64_t> user;
  std::optional<Timestamp> expires_at;
  store::SqlValue params[] = {key.substr(2)};
  Status read = (*db)->Query(
      "SELECT user_id, expires_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
      params, [&](const store::Row& row) -> Status {
        ORCHARD_TRY(user, row.GetInt(0));
        if (!row.IsNull(1)) {
          ORCHARD_TRY(expires_at, Timestamp::Parse(row.GetText(1)));
        }
        return Ok();
      });
  if (!read) return Unchecked(read.error(), key, use);
  if (!user) {
    Forget(key);
    return Fail(ErrorCode::kUnauthenticated, "the API token is unknown or revoked");
  }
  if (expires_at && *expires_at <= now) {
    Forget(key);
    return Fail(ErrorCode::kUnauthenticated,
                "the API token expired at " + expires_at->ToIso8601() + "; create a new one");
  }
  auto actor = ActorFor(**db, UserId(*user));
  if (!actor) {
    if (actor.error().code == ErrorCode::kUnavailable) return Unchecked(actor.error(), key, use);
    Forget(key);
    return actor;
  }
  // When it was last used: the minute is enough to spot a dead integration.
  Status touched = TouchLastUsed(**db, "api_tokens", "last_used_at", key.substr(2), now);
  if (!touched) return Unchecked(touched.error(), key, use);
  // Never past the end of time, with or without an expiry.
  Remember(key, *actor, expires_at.value_or(now.AddSeconds(100LL * 365 * 24 * 3600)));
  return actor;
}

Result<CreatedToken> AuthService::CreateApiToken(const Actor& actor, std::string name,
                                                 std::optional<Timestamp> expires_at,
                                                 std::string_view address) {
  if (name.empty()) return FailValue("name", "must not be empty");
  const Timestamp now = clock_.Now();
  if (expires_at && *expires_at <= now) {
    return FailValue("expires_at", "must lie in the future; got " + expires_at->ToIso8601());
  }
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ApiToken t;
  t.user_id = actor.user;
  t.name = std::move(name);
  std::string secret = "orc_" + NewSecret();
  t.token_hash = HashSecret(secret);
  t.created_at = now;
  t.expires_at = expires_at;
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  ORCHARD_TRY(ApiToken saved, store.Insert(t));
  ORCHARD_CHECK(Audit(*db, actor.user, "api_tokens", saved.id.value, AuditAction::kCreate,
                      ToJsonText(saved), address));
  ORCHARD_CHECK(tx.Commit());
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

Status AuthService::RevokeApiToken(const Actor& actor, ApiTokenId id, std::string_view address) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ORCHARD_TRY(ApiToken t, store.Get<ApiToken>(id));
  if (t.user_id != actor.user && !Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kNotFound, "api_tokens " + std::to_string(id.value) + " does not exist");
  }
  t.revoked_at = clock_.Now();
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  ORCHARD_CHECK(store.Update(t));
  ORCHARD_CHECK(Audit(*db, actor.user, "api_tokens", t.id.value, AuditAction::kRevoke,
                      ToJsonText(t), address));
  ORCHARD_CHECK(tx.Commit());
  Forget("t:" + t.token_hash);
  return Ok();
}

Status AuthService::EndSessions(store::Database& db, UserId user, const std::string& keep) {
  store::SqlValue params[] = {user.value, keep};
  ORCHARD_CHECK(db.Exec("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", params));
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&](const auto& kv) {
    return kv.first.starts_with("s:") && kv.second.actor.user == user && kv.first.substr(2) != keep;
  });
  return Ok();
}

Status AuthService::ChangePassword(const Actor& actor, std::string_view session_token,
                                   std::string_view current_password, std::string_view new_password,
                                   std::string_view address) {
  ORCHARD_TRY(User user, Me(actor));
  // Guessing the current password here is throttled like guessing it at sign-in.
  const Timestamp now = clock_.Now();
  const std::string pair_key = PairKey(address, user.email);
  {
    std::lock_guard lock(mu_);
    if (int64_t wait = WaitSeconds(pair_key, options_.max_failures, now); wait > 0) {
      return Fail(ErrorCode::kResourceExhausted,
                  "too many wrong passwords from this address; try again in " + Seconds(wait));
    }
  }
  if (user.password_hash.empty() || !VerifyHashed(user.password_hash, current_password)) {
    std::lock_guard lock(mu_);
    RecordFailure(pair_key, now);
    return FailValue("current_password", "is not your current password");
  }
  if (new_password == current_password) {
    return FailValue("new_password", "must differ from the current password");
  }
  ORCHARD_CHECK(CheckNewPassword(new_password, user.email, "new_password"));
  ORCHARD_TRY(std::string hash, HashPassword(new_password, options_.hash_cost));
  ORCHARD_TRY(auto db, pool_.Acquire());
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  store::SqlValue params[] = {hash, user.id.value};
  ORCHARD_CHECK(db->Exec("UPDATE users SET password_hash = ? WHERE id = ?", params));
  ORCHARD_CHECK(EndSessions(*db, user.id, session_token.empty() ? "" : HashSecret(session_token)));
  ORCHARD_CHECK(
      Audit(*db, actor.user, "users", user.id.value, AuditAction::kPasswordChange, "{}", address));
  return tx.Commit();
}

Status AuthService::ResetPassword(const Actor& actor, UserId id, std::string_view new_password,
                                  std::string_view address) {
  if (!Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins reset another user's password");
  }
  ORCHARD_TRY(auto db, pool_.Acquire());
  ORCHARD_TRY(User user, store::Store(*db).Get<User>(id));
  ORCHARD_CHECK(CheckNewPassword(new_password, user.email, "password"));
  ORCHARD_TRY(std::string hash, HashPassword(new_password, options_.hash_cost));
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  store::SqlValue params[] = {hash, id.value};
  ORCHARD_CHECK(db->Exec("UPDATE users SET password_hash = ? WHERE id = ?", params));
  ORCHARD_CHECK(EndSessions(*db, id, ""));
  ORCHARD_CHECK(
      Audit(*db, actor.user, "users", id.value, AuditAction::kPasswordReset, "{}", address));
  return tx.Commit();
}

Result<User> AuthService::Me(const Actor& actor) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  return store.Get<User>(actor.user);
}

}  // namespace orchard::service
