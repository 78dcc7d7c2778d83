// AccountService: the account use cases http/ and cli/ call. Today the reads — one account, or a
// filtered page — each with what the book derives: ARR today and the tier (rule, override, in
// force). Writes arrive with the API issue: validate → authorize → write → update the read model.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/entities.h"
#include "domain/settings.h"
#include "domain/tiers.h"
#include "service/settings_service.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

struct AccountView {
  Account account;
  Money arr;  // Σ ARR of contract lines active today
  TierDecision tier;
};

struct AccountListQuery {
  std::optional<UserId> owner_id;
  std::optional<std::string> industry;
  std::optional<std::string> region;
  std::optional<std::string> name_contains;
  // Set: only accounts whose manual override is this tier; set to nullopt: only accounts with no
  // override (the rule decides). Unset: no filter.
  std::optional<std::optional<Tier>> tier_override;
  std::optional<store::SortKey> sort;  // a column of accounts; none: id order
  int64_t after_id = 0;
  store::SqlValue after_value;  // with a sort: the sort value of the row at after_id
  int limit = 50;
};

inline constexpr int kMaxPageSize = 500;

class AccountService {
 public:
  AccountService(store::ConnectionPool& pool, const Clock& clock, const SettingsService& settings)
      : pool_(pool), clock_(clock), settings_(settings) {}

  Result<AccountView> Get(AccountId id);
  Result<store::Page<AccountView>> List(const AccountListQuery& query);

 private:
  store::ConnectionPool& pool_;
  const Clock& clock_;
  const SettingsService& settings_;  // tier rules in force, changed by admins at run time
};

}  // namespace orchard::service
