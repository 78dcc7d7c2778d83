// AccountService: the account use cases http/ and cli/ call. Today the reads — one account, or a
// filtered page — each with what the book derives: ARR today, the tier (rule, override, in force)
// and, from the in-memory book, health today. The list is one call that chooses how to answer:
// SQL, the book's column orders (a sorted page), or the book's columns (the filters only the book
// can answer, and a name search). Writes go through the generic EntityService.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "domain/entities.h"
#include "domain/settings.h"
#include "domain/tiers.h"
#include "engine/read_model.h"
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

  // The filters only the in-memory book can answer; with any of them the list is in id order
  // and takes no sort and no tier_override.
  std::optional<Tier> tier;                 // the tier in force
  std::optional<std::string> colour;        // health today: green, yellow, red or none
  std::optional<Quadrant> quadrant;         // the 2×2 quadrant
  std::optional<int64_t> renewal_within;    // days to the renewal, from today
  std::optional<std::vector<int64_t>> ids;  // the accounts named (up to a page of them)
  bool BookOnly() const { return tier || colour || quadrant || renewal_within || ids; }
};

// One row of the list (or one account) as the API shows it: the view, and health today from the
// book — null score and colour "none" without the book or for an account it does not hold yet.
struct AccountRow {
  AccountView view;
  std::optional<int> health;
  std::string_view colour = "none";
};

struct AccountPage {
  std::vector<AccountRow> items;
  std::optional<int64_t> next_cursor;  // the last row's id, when there is more
  store::SqlValue next_sort_value;     // with a sort: that row's sort value
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
  // One account with its health today; `book` is the in-memory book when the server keeps one.
  Result<AccountRow> GetRow(AccountId id, const engine::ReadModel* book);
  // A page of the list. With the book: the book-only filters and a name search (without a sort
  // or tier_override) are answered from its columns, a sort from its column orders when it can
  // order as the database does; everything else by SQL. The book-only filters without the book
  // are kUnavailable.
  Result<AccountPage> List(const AccountListQuery& query, const engine::ReadModel* book);

 private:
  Result<store::Page<AccountView>> ListBySql(const AccountListQuery& query);
  Result<std::optional<AccountPage>> ListInOrder(const AccountListQuery& query,
                                                 const engine::ReadModel& book);
  Result<AccountPage> ListFromBook(const AccountListQuery& query, const engine::ReadModel& book);
  // The rows of `ids`, in that order: at most `max_items` from the first `max_reads` ids,
  // skipping any deleted since the ids were read. Returns how many ids it used.
  Result<size_t> ReadRows(const std::vector<int64_t>& ids, size_t max_items, size_t max_reads,
                          const engine::ReadModel* book, std::vector<AccountRow>& rows);
  void AddHealth(const engine::ReadModel* book, std::vector<AccountRow>& rows);

  store::ConnectionPool& pool_;
  const Clock& clock_;
  const SettingsService& settings_;  // tier rules in force, changed by admins at run time
};

}  // namespace orchard::service
