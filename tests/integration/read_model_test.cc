// The live read model against the store: random writes go through the services (as the API makes
// them, failures included) with the model attached; at checkpoints the model must equal one
// rebuilt from the database. Over SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "engine/follower.h"
#include "engine/read_model.h"
#include "engine/retention.h"
#include "service/entity_service.h"
#include "store/migrate.h"
#include "store/pool.h"
#include "support/test_database.h"

namespace orchard::engine {
namespace {

using testing::Backend;

class ReadModelTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    auto pool = store::ConnectionPool::Open(test_db_.url(), 2);
    ASSERT_TRUE(pool) << pool.error().message;
    pool_ = std::move(*pool);
    auto db = pool_->Acquire();
    ASSERT_TRUE(db);
    ASSERT_TRUE(store::Migrate(**db));
    store::Store s(**db);
    for (const char* email : {"a@x.example", "b@x.example", "c@x.example"}) {
      User u;
      u.email = email;
      u.role = Role::kAm;
      users_.push_back(s.Insert(u)->id);
    }
    Product p;
    p.sku = "P-1";
    product_ = s.Insert(p)->id;
    auto loaded = ReadModel::Load(**db);
    ASSERT_TRUE(loaded) << loaded.error().message;
    live_ = std::move(*loaded);
  }

  std::string Rebuilt() {
    auto db = pool_->Acquire();
    auto model = ReadModel::Load(**db);
    EXPECT_TRUE(model) << model.error().message;
    return model ? (*model)->Dump() : "";
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<ReadModel> live_;
  std::vector<UserId> users_;
  ProductId product_;
  FixedClock clock_{Timestamp::At(*Date::Parse("2026-06-15"), 12)};
};

TEST_P(ReadModelTest, LiveModelEqualsOneRebuiltFromTheStoreAfterRandomWrites) {
  const uint32_t seed = 20261125;
  std::mt19937 rng(seed);
  auto pick = [&](auto n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const service::Actor admin{users_[0], Role::kAdmin, {}};
  service::EntityService<Account> accounts(*pool_, clock_, live_.get());
  service::EntityService<ContractLine> lines(*pool_, clock_, live_.get());
  std::vector<AccountId> account_ids;
  std::vector<ContractLineId> line_ids;
  const char* industries[] = {"Retail", "Energy", "Software"};
  int ok = 0, refused = 0;
  auto random_line = [&](ContractLine& l) {
    l.account_id = account_ids[pick(account_ids.size())];
    l.product_id = product_;
    l.arr = Money::FromDollars(static_cast<int64_t>(pick(200)) * 1000);
    l.start_date = Date::FromDays(20000 + static_cast<int32_t>(pick(900)));
    if (pick(3) != 0) {
      // One in ten ends before it starts: refused, and the model must not see it.
      int32_t length = pick(10) == 0 ? -5 : static_cast<int32_t>(pick(800));
      l.end_date = l.start_date.AddDays(length);
    } else {
      l.end_date.reset();
    }
  };
  const int32_t today = 20500;
  {
    auto lock = live_->ReadLock();
    live_->On(today, Settings());  // built now, then kept current by each write
  }
  for (int step = 1; step <= 400; ++step) {
    // 0-1 new account, 2 edit, 3 delete; 4-6 new line, 7-8 changed line, 9 deleted line (the
    // last three need a line to work on).
    size_t op = account_ids.empty() ? 0 : pick(line_ids.empty() ? 7 : 10);
    bool done = false;
    if (op == 0 || op == 1) {  // a new account
      Account a;
      a.name = "Account " + std::to_string(step);
      a.owner_id = users_[pick(users_.size())];
      a.industry = industries[pick(3)];
      a.strategic = pick(5) == 0;
      if (pick(6) == 0) {
        a.tier_override = Tier::kCore;
        a.tier_override_reason = "test";
      }
      auto saved = accounts.Create(admin, a);
      if (saved) account_ids.push_back(saved->id);
      done = saved.has_value();
    } else if (op == 2) {  // an edit: new AM, industry, strategic flag
      AccountId id = account_ids[pick(account_ids.size())];
      auto current = accounts.Get(admin, id);
      ASSERT_TRUE(current) << current.error().message;
      auto saved = accounts.Update(admin, id, current->version, [&](Account& a) -> Status {
        a.owner_id = users_[pick(users_.size())];
        a.industry = industries[pick(3)];
        a.strategic = !a.strategic;
        return Ok();
      });
      done = saved.has_value();
    } else if (op == 3) {  // delete an account, and with it its lines
      size_t i = pick(account_ids.size());
      done = accounts.Delete(admin, account_ids[i]).has_value();
      if (done) account_ids.erase(account_ids.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (op <= 8) {  // a new line, or a changed one (perhaps to another account)
      ContractLine l;
      random_line(l);
      if (op <= 6) {
        auto saved = lines.Create(admin, l);
        if (saved) line_ids.push_back(saved->id);
        done = saved.has_value();
      } else {
        ContractLineId id = line_ids[pick(line_ids.size())];
        auto saved = lines.Update(admin, id, 0, [&](ContractLine& row) -> Status {
          l.id = row.id;
          row = l;
          return Ok();
        });
        done = saved.has_value();
      }
    } else {  // delete a line (it may already be gone with its account)
      size_t i = pick(line_ids.size());
      done = lines.Delete(admin, line_ids[i]).has_value();
      line_ids.erase(line_ids.begin() + static_cast<std::ptrdiff_t>(i));
    }
    (done ? ok : refused)++;
    if (step % 50 == 0) {
      ASSERT_EQ(live_->Dump(), Rebuilt()) << "after step " << step << " (seed " << seed << ")";
      auto lock = live_->ReadLock();
      const DayColumns& on = live_->On(today, Settings());
      for (size_t s = 0; s < live_->slots(); ++s) {
        ASSERT_EQ(on.arr_cents[s], live_->ArrCentsOn(s, today))
            << "slot " << s << ", step " << step;
      }
    }
  }
  EXPECT_GT(ok, 250);
  EXPECT_GT(live_->line_count(), 20u) << "the test exercised contract lines";
  EXPECT_GT(refused, 5) << "refused writes are part of what is checked";
  EXPECT_GT(live_->account_count(), 10u);
  // The same answers from both, too.
  auto db = pool_->Acquire();
  auto rebuilt = ReadModel::Load(**db);
  ASSERT_TRUE(rebuilt);
  auto a = Retention(*live_, Date::FromDays(20300), Date::FromDays(20700), RetentionGroup::kAm, {});
  auto b =
      Retention(**rebuilt, Date::FromDays(20300), Date::FromDays(20700), RetentionGroup::kAm, {});
  ASSERT_TRUE(a && b);
  EXPECT_GT(a->total.accounts, 0);
  EXPECT_EQ(a->total.end_cents, b->total.end_cents);
  EXPECT_EQ(a->total.nrr_bp(), b->total.nrr_bp());
}

TEST_P(ReadModelTest, AnotherServerFollowsTheWritesOfThisOne) {
  // Server A writes with its model attached; server B loaded its model before and follows the
  // change log on its own connection.
  auto b_db = pool_->Acquire();
  ASSERT_TRUE(b_db);
  auto b_model = ReadModel::Load(**b_db);
  ASSERT_TRUE(b_model);
  std::vector<std::string> errors;
  FollowOptions options;
  options.poll_ms = 100;
  options.on_error = [&](const Error& e) { errors.push_back(e.message); };
  auto follower = ChangeFollower::Start(test_db_.url(), **b_model, options);
  ASSERT_TRUE(follower) << follower.error().message;

  const service::Actor admin{users_[0], Role::kAdmin, {}};
  service::EntityService<Account> accounts(*pool_, clock_, live_.get());
  service::EntityService<ContractLine> lines(*pool_, clock_, live_.get());
  std::vector<AccountId> ids;
  for (int i = 0; i < 6; ++i) {
    Account a;
    a.name = "Followed " + std::to_string(i);
    a.owner_id = users_[static_cast<size_t>(i) % users_.size()];
    a.industry = "Retail";
    auto saved = accounts.Create(admin, a);
    ASSERT_TRUE(saved) << saved.error().message;
    ids.push_back(saved->id);
    ContractLine l;
    l.account_id = saved->id;
    l.product_id = product_;
    l.arr = Money::FromDollars(10'000 * (i + 1));
    l.start_date = *Date::Parse("2026-01-01");
    ASSERT_TRUE(lines.Create(admin, l));
  }
  auto moved = accounts.Update(admin, ids[0], 1, [&](Account& a) -> Status {
    a.owner_id = users_[2];
    return Ok();
  });
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(accounts.Delete(admin, ids[1]));
  const std::string want = live_->Dump();
  ASSERT_EQ(live_->account_count(), 5u);
  // No timing assertion (shared machines are noisy): wait up to 10 s, and say how long it took.
  auto started = std::chrono::steady_clock::now();
  while ((*b_model)->Dump() != want &&
         std::chrono::steady_clock::now() - started < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ((*b_model)->Dump(), want) << "server B does not show server A's writes";
  std::cout << "[ info ] server B caught up in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count()
            << " ms\n";
  EXPECT_EQ((*b_model)->ArrOn(ids[5], *Date::Parse("2026-06-01")), Money::FromDollars(60'000));
  EXPECT_TRUE(errors.empty()) << errors.front();
  // A third server starting now re-reads the recent log (written while it loaded) and prunes
  // what lies further back than it is told to keep; its book is the same.
  follower->reset();
  auto c_model = ReadModel::Load(**b_db);
  ASSERT_TRUE(c_model);
  options.keep_entries = 2;
  auto c = ChangeFollower::Start(test_db_.url(), **c_model, options);
  ASSERT_TRUE(c);
  int64_t logged = 14;
  for (int i = 0; i < 200 && logged > 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    logged = (*b_db)->QueryInt("SELECT COUNT(*) FROM change_log")->value_or(-1);
  }
  EXPECT_EQ(logged, 2) << "14 entries, all seen, 2 kept";
  EXPECT_EQ((*c_model)->Dump(), want);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadModelTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::engine
