// The fixture the book models' tests share (predict_test.cc, future_test.cc): a book seeded into a
// fresh database of each backend (seed 7, today 2026-12-07) and its read model loaded.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/date.h"
#include "domain/settings.h"
#include "engine/read_model.h"
#include "ingest/seed.h"
#include "store/migrate.h"
#include "support/test_database.h"

namespace orchard {

inline const Date kPredictToday = *Date::FromYmd(2026, 12, 7);

class SeededBookTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUpBook(int64_t accounts) {
    ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db_, GetParam(), false, db_);
    ingest::SeedOptions options;
    options.accounts = accounts;
    options.seed = 7;
    options.today = kPredictToday;
    auto seeded = ingest::SeedBook(*db_, options, nullptr);
    ASSERT_TRUE(seeded) << seeded.error().message;
    auto model = engine::ReadModel::Load(*db_);
    ASSERT_TRUE(model) << model.error().message;
    model_ = std::move(*model);
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<engine::ReadModel> model_;
  Settings settings_;
};

}  // namespace orchard
