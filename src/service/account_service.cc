#include "service/account_service.h"

#include <unordered_map>

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

Result<store::Page<AccountView>> AccountService::List(const AccountListQuery& query) {
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

}  // namespace orchard::service
