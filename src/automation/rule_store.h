// The rules as people keep them (issue 19): saved, versioned (every save is a new version; two
// versions can be compared), enabled or not, paused by their cap with a reason; the shipped
// defaults; and each user's inbox of in-app notifications. Admins and leaders change rules;
// everyone signed in reads them. Every change is audited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "automation/rule.h"
#include "core/clock.h"
#include "core/result.h"
#include "service/actor.h"
#include "store/pool.h"

namespace orchard::automation {

struct StoredRule {
  int64_t id = 0;
  std::string name;
  std::string description;
  RuleStatus status = RuleStatus::kDraft;
  bool enabled = true;
  int64_t version = 1;
  RuleDefinition definition;
  std::optional<std::string> paused_reason;  // set when its cap paused it
  std::optional<Date> paused_on;
  std::optional<std::string> builtin_key;  // a shipped default
  Timestamp created_at;
  Timestamp updated_at;
  // Whether the runner acts on it: active, enabled and not paused.
  bool Live() const { return status == RuleStatus::kActive && enabled && !paused_reason; }
};

struct RuleVersion {
  int64_t version = 0;
  std::string name;
  RuleStatus status = RuleStatus::kDraft;
  RuleDefinition definition;
  Timestamp created_at;
  std::optional<int64_t> created_by;
};

// What a person saves.
struct RuleInput {
  std::string name;
  std::string description;
  RuleStatus status = RuleStatus::kDraft;
  bool enabled = true;
  RuleDefinition definition;
};

struct Notification {
  int64_t id = 0;
  std::optional<int64_t> account_id;
  std::optional<int64_t> firing_id;
  std::string title;
  std::string body;
  std::string link;
  Timestamp created_at;
  std::optional<Timestamp> read_at;
};
struct Inbox {
  std::vector<Notification> items;  // newest first
  int64_t unread = 0;
  std::optional<int64_t> next_before;  // the next page: items with a smaller id
};

class RuleService {
 public:
  RuleService(store::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  Result<std::vector<StoredRule>> List(const service::Actor& actor);
  Result<StoredRule> Get(const service::Actor& actor, int64_t id);
  Result<StoredRule> Create(const service::Actor& actor, const RuleInput& input);
  // Saves a new version if the rule is still at expected_version (else a kConflict).
  Result<StoredRule> Update(const service::Actor& actor, int64_t id, int64_t expected_version,
                            const RuleInput& input);
  // Clears a cap's pause: the rule acts again (its cap still holds for the rest of the day).
  Result<StoredRule> Resume(const service::Actor& actor, int64_t id);
  Result<std::vector<RuleVersion>> Versions(const service::Actor& actor, int64_t id);
  // The changes from version `from` to version `to`, one line each.
  Result<std::vector<std::string>> Diff(const service::Actor& actor, int64_t id, int64_t from,
                                        int64_t to);

  // The shipped defaults (automation/defaults.h), added once each (by their key): `active` in the
  // demo book, drafts elsewhere, so nothing acts on a customer's book until someone switches it on.
  Status InstallDefaults(bool active);

  Result<Inbox> InboxOf(const service::Actor& actor, bool unread_only, int limit,
                        std::optional<int64_t> before);
  // Marks the actor's notifications read: these ids, or all when none are given.
  Result<int64_t> MarkRead(const service::Actor& actor, const std::vector<int64_t>& ids);

  // Reads every rule (no actor: the runner's and the CLI's own use).
  static Result<std::vector<StoredRule>> ReadAll(store::Database& db);
  static Result<StoredRule> ReadOne(store::Database& db, int64_t id);

 private:
  Status CheckInput(store::Database& db, const RuleInput& input, int64_t id);
  store::ConnectionPool& pool_;
  const Clock& clock_;
};

// Who may change rules: admins and leaders.
bool MayChangeRules(const service::Actor& actor);

}  // namespace orchard::automation
