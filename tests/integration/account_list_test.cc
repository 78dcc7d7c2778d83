// Issue 18, item 7: the accounts list sorts by what the book derives — ARR, health, renewal date,
// last meaningful contact, plan completeness, multithreading depth — ascending and descending,
// with every filter on, pages through that order by cursor, and counts the matching accounts
// (`total`), over SQLite and PostgreSQL, answered from the in-memory book.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/parallel.h"
#include "engine/read_model.h"
#include "service/account_service.h"
#include "store/migrate.h"
#include "store/pool.h"
#include "store/store.h"
#include "support/test_database.h"

namespace orchard::service {
namespace {

class AccountListTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  // Small ranges, so the book's passes split as they do over a large book.
  void TearDown() override { engine::MinPerRange() = min_per_range_; }
  void SetUp() override {
    min_per_range_ = engine::MinPerRange();
    engine::MinPerRange() = 4;
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    auto db = store::OpenDatabase(test_db_.url());
    ASSERT_TRUE(db);
    ASSERT_TRUE(store::Migrate(**db));
    store::Store s(**db);
    User lead;
    lead.email = "lead@orchard.example";
    lead.role = Role::kManager;
    manager_ = s.Insert(lead)->id;
    User ann = lead;
    ann.email = "ann@orchard.example";
    ann.role = Role::kAm;
    ann.manager_id = manager_;
    ann_ = s.Insert(ann)->id;
    User bob = ann;
    bob.email = "bob@orchard.example";
    bob.manager_id.reset();
    bob_ = s.Insert(bob)->id;
    Product product;
    product.sku = "ORC-1";
    product.list_price = Money::FromDollars(100);
    const ProductId product_id = s.Insert(product)->id;
    // 30 accounts: ARR $5k × i; every third renews in i days, the rest run on; ann owns the odd
    // ones, bob the even ones; every fifth is covered by ann as CSM.
    for (int i = 1; i <= 30; ++i) {
      Account a;
      a.name = "Account " + std::to_string(i);
      a.owner_id = i % 2 ? ann_ : bob_;
      if (i % 5 == 0) a.csm_id = ann_;
      a.industry = i % 3 ? "Retail" : "Energy";
      a.region = "EMEA";
      AccountId id = s.Insert(a)->id;
      ContractLine line;
      line.account_id = id;
      line.product_id = product_id;
      line.arr = Money::FromDollars(i * 5'000);
      line.start_date = today_.AddDays(-200);
      if (i % 3 == 0) line.end_date = today_.AddDays(i);
      ASSERT_TRUE(s.Insert(line));
    }
    auto pool = store::ConnectionPool::Open(test_db_.url(), 2);
    ASSERT_TRUE(pool);
    pool_ = std::move(*pool);
    settings_ = std::make_unique<SettingsService>(*pool_, clock_, Settings{});
    accounts_ = std::make_unique<AccountService>(*pool_, clock_, *settings_);
    auto model = engine::ReadModel::Load(**db);
    ASSERT_TRUE(model) << model.error().message;
    book_ = std::move(*model);
  }

  static std::vector<int64_t> Ids(const AccountPage& page) {
    std::vector<int64_t> ids;
    for (const auto& row : page.items) ids.push_back(row.view.account.id.value);
    return ids;
  }
  static AccountListQuery By(engine::AccountColumn column, bool desc, int limit = 50) {
    AccountListQuery q;
    q.by = AccountListQuery::Derived{column, desc};
    q.limit = limit;
    return q;
  }

  size_t min_per_range_ = 0;
  testing::TestDatabase test_db_;
  const Date today_ = *Date::Parse("2026-06-15");
  FixedClock clock_{Timestamp::At(today_, 12)};
  UserId manager_, ann_, bob_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<SettingsService> settings_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<engine::ReadModel> book_;
};

TEST_P(AccountListTest, SortsByArrBothWaysAndPagesToTheEnd) {
  auto q = By(engine::AccountColumn::kArr, /*desc=*/true, 12);
  std::vector<int64_t> seen;
  for (int page_no = 0; page_no < 5; ++page_no) {
    auto page = accounts_->List(q, book_.get());
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_TRUE(page->total.has_value());
    EXPECT_EQ(*page->total, 30) << "every page of a derived sort carries the count";
    for (int64_t id : Ids(*page)) seen.push_back(id);
    if (!page->next_cursor) break;
    q.after_id = *page->next_cursor;
    q.after_value = page->next_sort_value;
  }
  std::vector<int64_t> want;
  for (int64_t i = 30; i >= 1; --i) want.push_back(i);
  EXPECT_EQ(seen, want) << "largest ARR first, every account once";
  auto up = accounts_->List(By(engine::AccountColumn::kArr, false, 3), book_.get());
  ASSERT_TRUE(up);
  EXPECT_EQ(Ids(*up), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(up->items[0].view.arr.cents(), 5'000'00);
}

TEST_P(AccountListTest, SortsByRenewalWithFiltersOnAndNullsLast) {
  auto q = By(engine::AccountColumn::kRenewal, false);
  q.owner_id = bob_;     // even ids; renewing: 6, 12, 18, 24, 30
  q.tier = Tier::kCore;  // in force: $25k … $95k, ids 5 … 19 → even: 6 … 18
  auto page = accounts_->List(q, book_.get());
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(*page->total, 7) << "ids 6, 8, 10, 12, 14, 16, 18";
  auto ids = Ids(*page);
  ASSERT_EQ(ids.size(), 7u);
  EXPECT_EQ((std::vector<int64_t>(ids.begin(), ids.begin() + 3)), (std::vector<int64_t>{6, 12, 18}))
      << "soonest renewal first";
  EXPECT_EQ((std::vector<int64_t>(ids.begin() + 3, ids.end())),
            (std::vector<int64_t>{8, 10, 14, 16}))
      << "no renewal: last, in id order";
  EXPECT_EQ(page->items[0].renewal_date, today_.AddDays(6));
  EXPECT_FALSE(page->items[3].renewal_date.has_value());
  q.by->descending = true;
  auto down = accounts_->List(q, book_.get());
  ASSERT_TRUE(down);
  EXPECT_EQ(Ids(*down)[0], 18);
  EXPECT_EQ(Ids(*down)[3], 8) << "NULLs stay last descending too";
}

TEST_P(AccountListTest, EveryDerivedColumnSortsAndTheListCountsItsMatches) {
  for (auto column : {engine::AccountColumn::kHealth, engine::AccountColumn::kLastContact,
                      engine::AccountColumn::kCompleteness, engine::AccountColumn::kDepth}) {
    for (bool desc : {false, true}) {
      auto page = accounts_->List(By(column, desc), book_.get());
      ASSERT_TRUE(page) << engine::ToString(column) << ": " << page.error().message;
      EXPECT_EQ(page->items.size(), 30u) << engine::ToString(column);
    }
  }
  // The first page of any list counts what matches, whichever way it is answered.
  AccountListQuery plain;
  plain.limit = 5;
  auto all = accounts_->List(plain, book_.get());
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 30);
  AccountListQuery energy;
  energy.industry = "Energy";
  energy.limit = 2;
  auto first = accounts_->List(energy, book_.get());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->total, 10) << "ids 3, 6, …, 30";
  energy.after_id = *first->next_cursor;
  EXPECT_FALSE(accounts_->List(energy, book_.get())->total.has_value())
      << "later pages of a list in id order are not counted again";
  AccountListQuery named;
  named.name_contains = "account 1";
  EXPECT_EQ(accounts_->List(named, book_.get())->total, 11) << "1 and 10 … 19";
}

TEST_P(AccountListTest, FiltersByTeamAndByCsm) {
  auto team = TeamOf(*pool_, manager_);
  ASSERT_TRUE(team);
  EXPECT_EQ(*team, (std::vector<int64_t>{manager_.value, ann_.value}));
  auto q = By(engine::AccountColumn::kArr, true);
  q.team = *team;
  auto page = accounts_->List(q, book_.get());
  ASSERT_TRUE(page);
  EXPECT_EQ(*page->total, 15) << "ann's odd ids";
  EXPECT_EQ(Ids(*page)[0], 29);
  AccountListQuery plain;
  plain.team = *team;
  plain.limit = 100;
  EXPECT_EQ(accounts_->List(plain, book_.get())->items.size(), 15u);
  AccountListQuery csm;
  csm.csm_id = ann_;
  auto covered = accounts_->List(csm, book_.get());
  ASSERT_TRUE(covered);
  EXPECT_EQ(Ids(*covered), (std::vector<int64_t>{5, 10, 15, 20, 25, 30}));
  EXPECT_EQ(covered->total, 6);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountListTest,
                         ::testing::Values(testing::Backend::kSqliteFile,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::service
