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
#include "engine/account_list.h"
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
  std::optional<UserId> csm_id;
  // A manager's team: the owners (the manager and their reports, sorted), answered by the book.
  std::optional<std::vector<int64_t>> team;
  std::optional<store::SortKey> sort;  // a column of accounts; none: id order
  // Or a column the book derives (ARR, health, renewal, last contact, plan completeness, depth):
  // answered by the book, with every filter; the cursor's value is after_value (int or NULL).
  struct Derived {
    engine::AccountColumn column;
    bool descending = false;
  };
  std::optional<Derived> by;
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
  bool Filtered() const {  // any filter at all
    return BookOnly() || owner_id || industry || region || name_contains || tier_override ||
           csm_id || team;
  }
};

// One row of the list (or one account) as the API shows it: the view, and health today from the
// book — null score and colour "none" without the book or for an account it does not hold yet.
struct AccountRow {
  AccountView view;
  std::optional<int> health;
  std::string_view colour = "none";
  // From the book too (nullopt without it, or for what the account lacks).
  std::optional<Date> renewal_date;
  std::optional<Date> last_meaningful_contact;
  std::optional<int> plan_completeness;
  std::optional<int> multithreading_depth;
};

struct AccountPage {
  std::vector<AccountRow> items;
  std::optional<int64_t> next_cursor;  // the last row's id, when there is more
  store::SqlValue next_sort_value;     // with a sort: that row's sort value
  // The accounts matching the filters, from the book: on a list's first page (no cursor) or a
  // derived sort; nullopt otherwise and without the book.
  std::optional<int64_t> total;
};

// A manager's team as the lists and dashboards filter it: the manager and everyone who reports
// to them (users.manager_id), sorted. One read of users, never of accounts.
Result<std::vector<int64_t>> TeamOf(store::ConnectionPool& pool, UserId manager);

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
  // With the book, the first page (no cursor) carries the total of matching accounts.
  Result<AccountPage> List(const AccountListQuery& query, const engine::ReadModel* book);

 private:
  Result<AccountPage> ListPage(const AccountListQuery& query, const engine::ReadModel* book);
  Result<store::Page<AccountView>> ListBySql(const AccountListQuery& query);
  Result<std::optional<AccountPage>> ListInOrder(const AccountListQuery& query,
                                                 const engine::ReadModel& book);
  Result<AccountPage> ListFromBook(const AccountListQuery& query, const engine::ReadModel& book);
  // A derived sort (query.by): one pass over the book's day columns, counted.
  Result<AccountPage> ListByDerived(const AccountListQuery& query, const engine::ReadModel& book);
  // How many accounts pass every filter of `query` (one pass over the book).
  int64_t CountFromBook(const AccountListQuery& query, const engine::ReadModel& book);
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
