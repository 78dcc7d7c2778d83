#include "domain/arr.h"

#include <gtest/gtest.h>

#include <vector>

namespace orchard {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

ContractLine Line(int64_t dollars, const char* start, std::optional<const char*> end) {
  ContractLine l;
  l.arr = Money::FromDollars(dollars);
  l.start_date = D(start);
  if (end) l.end_date = D(*end);
  return l;
}

TEST(ArrTest, SumsLinesActiveThatDayInclusive) {
  std::vector<ContractLine> lines = {
      Line(1000, "2024-01-01", "2024-12-31"),  // end is the last day of service
      Line(500, "2024-07-01", std::nullopt),   // open-ended
      Line(200, "2023-01-01", "2023-12-31"),
  };
  EXPECT_EQ(ArrOn(lines, D("2023-12-31")), Money::FromDollars(200));
  EXPECT_EQ(ArrOn(lines, D("2024-01-01")), Money::FromDollars(1000));
  EXPECT_EQ(ArrOn(lines, D("2024-07-01")), Money::FromDollars(1500));
  EXPECT_EQ(ArrOn(lines, D("2024-12-31")), Money::FromDollars(1500));
  EXPECT_EQ(ArrOn(lines, D("2025-01-01")), Money::FromDollars(500));
  EXPECT_EQ(ArrOn(lines, D("2030-01-01")), Money::FromDollars(500));
}

TEST(ArrTest, OverlappingLinesBothCount) {
  std::vector<ContractLine> lines = {Line(100, "2024-01-01", "2024-06-30"),
                                     Line(300, "2024-03-01", "2024-09-30")};
  EXPECT_EQ(ArrOn(lines, D("2024-04-15")), Money::FromDollars(400));
}

TEST(ArrTest, LineValidation) {
  EXPECT_TRUE(ValidateContractLine(Line(1, "2024-01-01", "2024-01-01")));  // one-day line
  auto bad = ValidateContractLine(Line(1, "2024-01-02", "2024-01-01"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields[0].field, "end_date");
  EXPECT_FALSE(ValidateContractLine(Line(-1, "2024-01-01", std::nullopt)));
}

}  // namespace
}  // namespace orchard
