#include "service/account_service.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/text.h"
#include "engine/health.h"

namespace orchard::service {

namespace {

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
        tier_override_(query.tier_override),
        name_(FoldCase(query.name_contains.value_or(""))) {
    const auto& industry = query.industry;
    const auto& region = query.region;
    for (uint32_t c = 0; c < model.word_count(); ++c) {
      if (industry && model.word(c) == *industry) industry_ = c;
      if (region && model.word(c) == *region) region_ = c;
    }
    none_ = (industry && !industry_) || (region && !region_);
    any_ = owner_ || industry || region || tier_override_ || !name_.empty();
  }
  bool any() const { return any_; }  // whether it filters at all
  bool Admits(size_t slot) const {
    if (none_) return false;
    if (owner_ && model_.owner_id(slot) != *owner_) return false;
    if (industry_ && model_.industry_code(slot) != *industry_) return false;
    if (region_ && model_.region_code(slot) != *region_) return false;
    if (tier_override_ && model_.tier_override(slot) != *tier_override_) return false;
    return name_.empty() || model_.name_folded(slot).find(name_) != std::string::npos;
  }

 private:
  const engine::ReadModel& model_;
  std::optional<int64_t> owner_;
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
    const engine::Summary& sum = on.summary[slot];
    if (query.tier && static_cast<Tier>(sum.tier) != *query.tier) continue;
    if (query.colour && engine::ColourName(sum.colour) != *query.colour) continue;
    if (query.quadrant && static_cast<Quadrant>(sum.quadrant) != *query.quadrant) continue;
    if (query.renewal_within &&
        (on.renewal[slot] == INT32_MAX || on.renewal[slot] > today + *query.renewal_within)) {
      continue;
    }
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
    if (slot && book->live(*slot) && on.summary[*slot].health >= 0) {
      row.health = on.summary[*slot].health;
      row.colour = engine::ColourName(on.summary[*slot].colour);
    }
  }
}

Result<AccountRow> AccountService::GetRow(AccountId id, const engine::ReadModel* book) {
  ORCHARD_TRY(auto view, Get(id));
  std::vector<AccountRow> one{AccountRow{std::move(view), std::nullopt}};
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
    rows.push_back(AccountRow{std::move(*view), std::nullopt});
  }
  AddHealth(book, rows);
  return next;
}

Result<AccountPage> AccountService::List(const AccountListQuery& query,
                                         const engine::ReadModel* book) {
  if (query.BookOnly()) {
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
  }
  ORCHARD_TRY(auto page, ListBySql(query));
  AccountPage out;
  out.next_cursor = page.next_cursor;
  out.next_sort_value = std::move(page.next_sort_value);
  for (auto& view : page.items) out.items.push_back(AccountRow{std::move(view), std::nullopt});
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
