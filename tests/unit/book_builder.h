// Hand-built books for the engine's unit tests: contract lines by dollars and days, ids in order.
#pragma once

#include <optional>

#include "engine/read_model.h"

namespace orchard::engine::testing {

inline Date D(const char* text) { return *Date::Parse(text); }

class BookBuilder {
 public:
  explicit BookBuilder(ReadModel& model) : model_(model) {}

  // A line of `dollars` ARR from `start` to `end` (open-ended without one); ids 1, 2, 3, …
  void AddLine(int64_t account, int64_t dollars, const char* start,
               std::optional<const char*> end = std::nullopt) {
    ContractLine l;
    l.id = ContractLineId(++next_line_);
    l.account_id = AccountId(account);
    l.arr = Money::FromDollars(dollars);
    l.start_date = D(start);
    if (end) l.end_date = D(*end);
    model_.Upsert(l);
  }

 private:
  ReadModel& model_;
  int64_t next_line_ = 0;
};

}  // namespace orchard::engine::testing
