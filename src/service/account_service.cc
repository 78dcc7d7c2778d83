#include "service/account_service.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/text.h"
#include "engine/health.h"
#include "engine/parallel.h"

namespace orchard::service {

namespace {

AccountRow RowOf(AccountView view) {
  AccountRow row;
  row.view = std::move(view);
  return row;
}

// A contract line active on the day bound twice (PRODUCT.md: start ≤ d ≤ end, no end = open).
constexpr std::string_view kActiveOnDay = "start_date <= ? AND (end_date IS NULL OR end_date >= ?)";

// Σ ARR with each line counted within the bound every write keeps (core/money.h), as the read
// model counts it: a line stored past it by SQL cannot overflow the sum (SQLite fails the query,
// PostgreSQL answers a numeric past int64).
const std::string kArrSum = "SUM(CASE WHEN arr_cents > " + std::to_string(kMaxMoneyCents) +
                            " THEN " + std::to_string(kMaxMoneyCents) + " WHEN arr_cents < " +
                            std::to_string(-kMaxMoneyCents) + " THEN " +
                            std::to_string(-kMaxMoneyCents) + " ELSE arr_cents END)";

// The list's filters on what the book holds per account — owner, industry, region, tier
// override and the name search — checked slot by slot, for both paths the book answers. Industry
// and region match by their dictionary codes; a word the book has never seen matches nothing.
// Built and used under the book's read lock.
class BookColumnFilter {
 public:
  BookColumnFilter(const engine::ReadModel& model, const AccountListQuery& query)
      : model_(model),
        owner_(query.owner_id ? std::optional<int64_t>(query.owner_id->value) : std::nullopt),
        csm_(query.csm_id ? std::optional<int64_t>(query.csm_id->value) : std::nullopt),
        team_(query.team ? &*query.team : nullptr),
        tier_override_(query.tier_override),
        name_(FoldCase(query.name_contains.value_or(""))) {
    const auto& industry = query.industry;
    const auto& region = query.region;
    for (uint32_t c = 0; c < model.word_count(); ++c) {
      if (industry && model.word(c) == *industry) industry_ = c;
      if (region && model.word(c) == *region) region_ = c;
    }
    none_ = (industry && !industry_) || (region && !region_);
    any_ = owner_ || csm_ || team_ || industry || region || tier_override_ || !name_.empty();
  }
  bool any() const { return any_; }  // whether it filters at all
  bool Admits(size_t slot) const {
    if (none_) return false;
    if (owner_ && model_.owner_id(slot) != *owner_) return false;
    if (csm_ && model_.csm_id(slot) != *csm_) return false;
    if (team_ && !std::binary_search(team_->begin(), team_->end(), model_.owner_id(slot))) {
      return false;
    }
    if (industry_ && model_.industry_code(slot) != *industry_) return false;
    if (region_ && model_.region_code(slot) != *region_) return false;
    if (tier_override_ && model_.tier_override(slot) != *tier_override_) return false;
    return name_.empty() || model_.name_folded(slot).find(name_) != std::string::npos;
  }

 private:
  const engine::ReadModel& model_;
  std::optional<int64_t> owner_, csm_;
  const std::vector<int64_t>* team_;           // sorted owners
  std::optional<uint32_t> industry_, region_;  // codes
  std::optional<std::optional<Tier>> tier_override_;
  std::string name_;  // folded
  bool none_ = false, any_ = false;
};

// The ids of a sorted page, from the book's column order `by`: the accounts in the column's
// order (kept by every write), walked from the cursor, keeping those that pass the filters. SQL
// needs an index per column to page in order, and a search matching few rows walks the whole
// index. The filters are checked first over every account in slot order (a sequential pass), so
// the walk reads one byte per account it passes over. Under the book's read lock.
struct SortedIds {
  std::vector<int64_t> ids;
  store::SqlValue next_value;
  bool more = false;
};
SortedIds WalkInOrder(const engine::ReadModel& model, const engine::ColumnOrder& by,
                      const AccountListQuery& query) {
  SortedIds out;
  const BookColumnFilter filter(model, query);
  const bool filtered = filter.any();
  std::vector<uint8_t> admitted;
  std::vector<uint32_t> few;  // the admitted slots, while they are few
  const size_t few_cap = model.slots() / 16 + 64;
  if (filtered) {
    admitted.assign(model.slots(), 0);
    for (size_t slot = 0; slot < model.slots(); ++slot) {
      if (!model.live(slot) || !filter.Admits(slot)) continue;
      admitted[slot] = 1;
      if (few.size() <= few_cap) few.push_back(static_cast<uint32_t>(slot));
    }
  }
  const size_t limit = static_cast<size_t>(query.limit);
  const bool desc = query.sort->descending;
  // A walk passes ~(limit + 1) · slots / admitted accounts to fill a page, each a random read of
  // its mark; sorting the admitted costs ~admitted · log2(admitted). A search that admits few
  // (none, at worst) sorts them rather than walk past every other account.
  const double m = static_cast<double>(few.size());
  const bool sort_few =
      filtered && few.size() <= few_cap &&
      m * std::log2(m + 2) <=
          static_cast<double>(limit + 1) * static_cast<double>(model.slots()) / std::max(m, 1.0);
  if (sort_few) {
    std::erase_if(few, [&](uint32_t slot) {
      return !by.AfterCursor(slot, desc, query.after_value, query.after_id);
    });
    size_t keep = std::min(few.size(), limit + 1);
    std::partial_sort(few.begin(), few.begin() + static_cast<ptrdiff_t>(keep), few.end(),
                      [&](uint32_t a, uint32_t b) { return by.Before(a, b, desc); });
    for (size_t i = 0; i < keep && i < limit; ++i) {
      out.ids.push_back(model.account_id(few[i]));
      out.next_value = by.value(few[i]);
    }
    out.more = few.size() > limit;
    return out;
  }
  by.Walk(desc, query.after_value, query.after_id, [&](uint32_t slot) {
    if (filtered && (slot >= admitted.size() || !admitted[slot])) return true;
    if (out.ids.size() == limit) {
      out.more = true;
      return false;
    }
    out.ids.push_back(model.account_id(slot));
    out.next_value = by.value(slot);
    return true;
  });
  return out;
}

// Whether the slot passes the book-only filters (tier in force, health colour, quadrant,
// renewal window; not ids). Under the book's read lock.
bool PassesDayFilters(const engine::DayColumns& on, size_t slot, int32_t today,
                      const AccountListQuery& query) {
  const engine::Summary& sum = on.summary[slot];
  if (query.tier && static_cast<Tier>(sum.tier) != *query.tier) return false;
  if (query.colour && engine::ColourName(sum.colour) != *query.colour) return false;
  if (query.quadrant && static_cast<Quadrant>(sum.quadrant) != *query.quadrant) return false;
  return !query.renewal_within ||
         (on.renewal[slot] != INT32_MAX && on.renewal[slot] <= today + *query.renewal_within);
}

// Every filter of the list as one predicate on slots (the column filters, the book-only ones and
// the ids named), for the derived sorts and the count. Under the book's read lock.
class BookListFilter {
 public:
  BookListFilter(const engine::ReadModel& model, const engine::DayColumns& on, int32_t today,
                 const AccountListQuery& query)
      : on_(on), today_(today), query_(query), columns_(model, query) {
    if (query.ids) {
      for (int64_t id : *query.ids) {
        if (auto slot = model.SlotOf(id)) named_.push_back(*slot);
      }
      std::sort(named_.begin(), named_.end());
    }
  }
  bool operator()(size_t slot) const {
    if (query_.ids && !std::binary_search(named_.begin(), named_.end(), slot)) return false;
    return PassesDayFilters(on_, slot, today_, query_) && columns_.Admits(slot);
  }

 private:
  const engine::DayColumns& on_;
  int32_t today_;
  const AccountListQuery& query_;
  BookColumnFilter columns_;
  std::vector<size_t> named_;
};

// The ids, in slot order, of the accounts that pass the book-only filters and the column
// filters; with query.ids, only their slots are looked at. Under the book's read lock.
std::vector<int64_t> FilterFromBook(const engine::ReadModel& model, const engine::DayColumns& on,
                                    int32_t today, const AccountListQuery& query) {
  AccountListQuery columns = query;
  columns.tier_override.reset();  // not a filter of this path
  const BookColumnFilter filter(model, columns);
  std::vector<size_t> named;
  if (query.ids) {
    for (int64_t id : *query.ids) {
      if (auto slot = model.SlotOf(id)) named.push_back(*slot);
    }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
  }
  std::vector<int64_t> ids;
  const size_t count = query.ids ? named.size() : model.slots();
  for (size_t i = 0; i < count; ++i) {
    const size_t slot = query.ids ? named[i] : i;
    if (!model.live(slot) || model.account_id(slot) <= query.after_id) continue;
    if (!PassesDayFilters(on, slot, today, query)) continue;
    if (!filter.Admits(slot)) continue;
    ids.push_back(model.account_id(slot));
  }
  return ids;
}

}  // namespace

Result<std::unordered_map<int64_t, Money>> ArrToday(store::Database& db, Date today,
                                                    std::optional<std::span<const Account>> only) {
  std::unordered_map<int64_t, Money> arr;
  if (only && only->empty()) return arr;
  std::string sql =
      "SELECT account_id, " + kArrSum + " FROM contract_lines WHERE " + std::string(kActiveOnDay);
  // Built with push_back: g++ 12 warns (falsely) on an initializer list of variants.
  std::vector<store::SqlValue> params;
  params.emplace_back(today.ToString());
  params.emplace_back(today.ToString());
  if (only) {
    sql += " AND account_id IN (";
    for (size_t i = 0; i < only->size(); ++i) {
      sql += i ? ", ?" : "?";
      params.push_back((*only)[i].id.value);
    }
    sql += ")";
  }
  sql += " GROUP BY account_id";
  ORCHARD_CHECK(db.Query(sql, params, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(int64_t id, row.GetInt(0));
    ORCHARD_TRY(int64_t cents, row.GetInt(1));
    arr[id] = Money::FromCents(cents);
    return Ok();
  }));
  return arr;
}

Result<AccountView> AccountService::Get(AccountId id) {
  if (!id.valid()) return FailField("id", "must be a positive integer");
  // One statement (one read transaction) for the account and its ARR today: this is the API's
  // hottest path, and on SQLite each statement outside a transaction pays for its own.
  static const std::string sql = "SELECT " + store::SelectList<Account>() + ", (SELECT " + kArrSum +
                                 " FROM contract_lines WHERE account_id = accounts.id AND " +
                                 std::string(kActiveOnDay) + ") FROM accounts WHERE id = ?";
  const int arr_column = static_cast<int>(ColumnCount<Account>());
  std::vector<store::SqlValue> params;  // push_back: g++ 12 warns falsely on variant lists
  std::string today = clock_.Today().ToString();
  params.emplace_back(today);
  params.emplace_back(today);
  params.emplace_back(id.value);
  std::optional<AccountView> view;
  ORCHARD_TRY(auto db, pool_.Acquire());
  ORCHARD_CHECK(db->Query(sql, params, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(Account account, store::FromRow<Account>(row));
    Money arr;
    if (!row.IsNull(arr_column)) {
      ORCHARD_TRY(int64_t cents, row.GetInt(arr_column));
      arr = Money::FromCents(cents);
    }
    TierDecision tier = DecideTier(account, arr, settings_.Current().tiers);
    view = AccountView{std::move(account), arr, tier};
    return Ok();
  }));
  if (!view) {
    return Fail(ErrorCode::kNotFound, "accounts " + std::to_string(id.value) + " does not exist");
  }
  return std::move(*view);
}

Result<store::Page<AccountView>> AccountService::ListBySql(const AccountListQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return FailField("limit", "must be from 1 to " + std::to_string(kMaxPageSize));
  }
  store::ListQuery q;
  q.after_id = query.after_id;
  q.after_value = query.after_value;
  q.sort = query.sort;
  q.limit = query.limit;
  if (query.owner_id) q.filters.push_back({"owner_id", query.owner_id->value});
  if (query.csm_id) q.filters.push_back({"csm_id", query.csm_id->value});
  if (query.industry) q.filters.push_back({"industry", *query.industry});
  if (query.region) q.filters.push_back({"region", *query.region});
  if (query.tier_override) {
    store::SqlValue tier;  // monostate: IS NULL
    if (*query.tier_override) tier = std::string(ToString(**query.tier_override));
    q.filters.push_back({"tier_override", std::move(tier)});
  }
  q.name_contains = query.name_contains;
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ORCHARD_TRY(auto page, store.List<Account>(q));
  ORCHARD_TRY(auto arr, ArrToday(*db, clock_.Today(), page.items));
  store::Page<AccountView> out;
  out.next_cursor = page.next_cursor;
  out.next_sort_value = page.next_sort_value;
  out.items.reserve(page.items.size());
  for (auto& account : page.items) {
    Money today = arr.contains(account.id.value) ? arr[account.id.value] : Money();
    TierDecision tier = DecideTier(account, today, settings_.Current().tiers);
    out.items.push_back(AccountView{std::move(account), today, tier});
  }
  return out;
}

// Each row's health today — score and colour — from the book's day columns: one slot lookup per
// row under one read lock, no SQL, so a page costs the same at 1M accounts.
void AccountService::AddHealth(const engine::ReadModel* book, std::vector<AccountRow>& rows) {
  if (book == nullptr || rows.empty()) return;
  auto lock = book->ReadLock();
  const engine::DayColumns& on = book->On(clock_.Today().days(), settings_.Current());
  for (auto& row : rows) {
    std::optional<size_t> slot = book->SlotOf(row.view.account.id.value);
    if (!slot || !book->live(*slot)) continue;
    const engine::Summary& sum = on.summary[*slot];
    if (sum.health >= 0) {
      row.health = sum.health;
      row.colour = engine::ColourName(sum.colour);
    }
    auto day = [&](engine::AccountColumn c) -> std::optional<Date> {
      auto v = engine::AccountColumnValue(on, *slot, c);
      return v ? std::optional<Date>(Date::FromDays(static_cast<int32_t>(*v))) : std::nullopt;
    };
    row.renewal_date = day(engine::AccountColumn::kRenewal);
    row.last_meaningful_contact = day(engine::AccountColumn::kLastContact);
    row.plan_completeness = sum.completeness;
    row.multithreading_depth = sum.depth;
  }
}

Result<AccountRow> AccountService::GetRow(AccountId id, const engine::ReadModel* book) {
  ORCHARD_TRY(auto view, Get(id));
  std::vector<AccountRow> one{RowOf(std::move(view))};
  AddHealth(book, one);
  return std::move(one[0]);
}

Result<size_t> AccountService::ReadRows(const std::vector<int64_t>& ids, size_t max_items,
                                        size_t max_reads, const engine::ReadModel* book,
                                        std::vector<AccountRow>& rows) {
  size_t next = 0;
  for (; next < ids.size() && rows.size() < max_items && next < max_reads; ++next) {
    auto view = Get(AccountId(ids[next]));
    if (!view) {
      if (view.error().code == ErrorCode::kNotFound) continue;  // deleted since
      return std::unexpected(view.error());
    }
    rows.push_back(RowOf(std::move(*view)));
  }
  AddHealth(book, rows);
  return next;
}

Result<std::vector<int64_t>> TeamOf(store::ConnectionPool& pool, UserId manager) {
  std::vector<int64_t> team{manager.value};
  ORCHARD_TRY(auto db, pool.Acquire());
  store::SqlValue params[] = {manager.value};
  ORCHARD_CHECK(db->Query("SELECT id FROM users WHERE manager_id = ?", params,
                          [&](const store::Row& row) -> Status {
                            ORCHARD_TRY(int64_t member, row.GetInt(0));
                            team.push_back(member);
                            return Ok();
                          }));
  std::sort(team.begin(), team.end());
  return team;
}

int64_t AccountService::CountFromBook(const AccountListQuery& query,
                                      const engine::ReadModel& book) {
  if (!query.Filtered()) return static_cast<int64_t>(book.account_count());  // locks itself
  auto lock = book.ReadLock();
  const int32_t today = clock_.Today().days();
  const BookListFilter admits(book, book.On(today, settings_.Current()), today, query);
  return engine::ReduceRanges(
      book.slots(), int64_t{0},
      [&](int64_t& n, size_t begin, size_t end) {
        for (size_t slot = begin; slot < end; ++slot) n += book.live(slot) && admits(slot) ? 1 : 0;
      },
      [](int64_t& into, const int64_t& part) { into += part; });
}

Result<AccountPage> AccountService::ListByDerived(const AccountListQuery& query,
                                                  const engine::ReadModel& book) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return FailField("limit", "must be from 1 to " + std::to_string(kMaxPageSize));
  }
  engine::SortedAccounts sorted;
  std::vector<int64_t> ids;
  {
    auto lock = book.ReadLock();
    const int32_t today = clock_.Today().days();
    const engine::DayColumns& on = book.On(today, settings_.Current());
    const engine::AccountOrderBy by(book, on, query.by->column, query.by->descending);
    engine::AccountCursor cursor{std::nullopt, query.after_id};
    if (const auto* v = std::get_if<int64_t>(&query.after_value)) cursor.value = *v;
    sorted = engine::SortAccounts(book, by, cursor, static_cast<size_t>(query.limit),
                                  BookListFilter(book, on, today, query));
    for (size_t slot : sorted.slots) ids.push_back(book.account_id(slot));
  }
  AccountPage out;
  out.total = sorted.total;
  ORCHARD_CHECK(ReadRows(ids, ids.size(), ids.size(), &book, out.items));
  if (sorted.more && !ids.empty()) {
    out.next_cursor = ids.back();
    if (sorted.last) out.next_sort_value = *sorted.last;
  }
  return out;
}

Result<AccountPage> AccountService::List(const AccountListQuery& query,
                                         const engine::ReadModel* book) {
  ORCHARD_TRY(auto page, ListPage(query, book));
  if (book != nullptr && !page.total && query.after_id == 0) {
    page.total = CountFromBook(query, *book);
  }
  return page;
}

Result<AccountPage> AccountService::ListPage(const AccountListQuery& query,
                                             const engine::ReadModel* book) {
  if (query.by) {
    if (book == nullptr) {
      return Fail(ErrorCode::kUnavailable,
                  "sorting by " + std::string(engine::ToString(query.by->column)) +
                      " needs the in-memory book, which this server runs without");
    }
    return ListByDerived(query, *book);
  }
  if (query.team && book == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                "team needs the in-memory book, which this server runs without");
  }
  if (query.BookOnly() || (query.team && !query.sort)) {
    if (book == nullptr) {
      return Fail(ErrorCode::kUnavailable,
                  "tier, health, quadrant, renewal_within and ids need the in-memory book, "
                  "which this server runs without");
    }
    return ListFromBook(query, *book);
  }
  // A scan of a million names in memory takes milliseconds, where SQL's LIKE '%…%' reads every
  // row: the book answers a name search unless the list is sorted (its column orders answer
  // that) or filtered by a column the book's walk does not take.
  if (book != nullptr && query.name_contains && !query.sort && !query.tier_override) {
    return ListFromBook(query, *book);
  }
  if (book != nullptr && query.sort) {
    ORCHARD_TRY(auto sorted, ListInOrder(query, *book));
    if (sorted) return std::move(*sorted);
    if (query.team) {
      return FailField("sort",
                       "with team, sort by a column the book orders (not this text "
                       "column under the database's collation)");
    }
  }
  ORCHARD_TRY(auto page, ListBySql(query));
  AccountPage out;
  out.next_cursor = page.next_cursor;
  out.next_sort_value = std::move(page.next_sort_value);
  for (auto& view : page.items) out.items.push_back(RowOf(std::move(view)));
  AddHealth(book, out.items);
  return out;
}

// A sorted page answered from the book (WalkInOrder); the page's rows come from the store.
// Nullopt when the book cannot order by the column as the database does: SQL answers.
Result<std::optional<AccountPage>> AccountService::ListInOrder(const AccountListQuery& query,
                                                               const engine::ReadModel& book) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return FailField("limit", "must be from 1 to " + std::to_string(kMaxPageSize));
  }
  SortedIds sorted;
  {
    // The connection first: building an order reads the column, and a writer holding a
    // connection may be waiting for the book.
    ORCHARD_TRY(auto db, pool_.Acquire());
    auto lock = book.ReadLock();
    ORCHARD_TRY(const engine::ColumnOrder* order, book.AccountOrder(query.sort->column, *db));
    if (order == nullptr) return std::optional<AccountPage>();
    sorted = WalkInOrder(book, *order, query);
  }
  AccountPage out;
  ORCHARD_CHECK(ReadRows(sorted.ids, sorted.ids.size(), sorted.ids.size(), &book, out.items));
  if (sorted.more) {
    out.next_cursor = sorted.ids.back();
    out.next_sort_value = std::move(sorted.next_value);
  }
  return std::optional<AccountPage>(std::move(out));
}

// The book-only filters (and a name search): candidates from the book's columns, in id order
// (the cursor is the last id), the page's rows from the store.
Result<AccountPage> AccountService::ListFromBook(const AccountListQuery& query,
                                                 const engine::ReadModel& book) {
  std::vector<int64_t> ids;
  {
    auto lock = book.ReadLock();
    const int32_t today = clock_.Today().days();
    ids = FilterFromBook(book, book.On(today, settings_.Current()), today, query);
  }
  // Rows are read in id order until the page is full, and at most a bounded number per request
  // (one deleted since may be skipped), so a page never stalls. Only those first ids need
  // ordering, whatever the size of the book.
  const size_t max_reads = static_cast<size_t>(query.limit) * 20;
  std::partial_sort(ids.begin(),
                    ids.begin() + static_cast<ptrdiff_t>(std::min(max_reads, ids.size())),
                    ids.end());
  AccountPage out;
  ORCHARD_TRY(const size_t next,
              ReadRows(ids, static_cast<size_t>(query.limit), max_reads, &book, out.items));
  if (next < ids.size()) out.next_cursor = ids[next - 1];
  return out;
}

}  // namespace orchard::service
