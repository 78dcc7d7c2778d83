// AccountService: the account use cases http/ and cli/ call. Today the reads — one account, or a
// filtered page — each with what the book derives: ARR today and the tier (rule, override, in
// force). Writes arrive with the API issue: validate → authorize → write → update the read model.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_map>

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

// ARR today by account id, from the contract lines active today: of the accounts in `only`, or
// of every account. One query either way; an account with no active line is absent.
Result<std::unordered_map<int64_t, Money>> ArrToday(
    store::Database& db, Date today, std::optional<std::span<const Account>> only = std::nullopt);

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
